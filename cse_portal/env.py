"""Typed helpers that read settings from the environment (healthchecks' hc/settings.py idea).

Every helper also reads `NAME_FILE`: when `NAME` is unset and `NAME_FILE` names a file, the
value is that file's content without its trailing newline. That is how Docker and Compose
hand over secrets (`/run/secrets/...`) without putting them in the environment, where
`docker inspect`, crash reports and child processes would see them. Setting both is a
mistake that fails loudly rather than silently preferring one.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_raw(name: str) -> str | None:
    """The value of `name`, or of the file `name_FILE` points at; None when neither is set."""
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE", "")
    if file_name:
        if value:
            raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both")
        try:
            # Only the line ending an editor or `echo` adds is dropped: a secret may contain
            # spaces or end with them.
            return Path(file_name).read_text(encoding="utf-8").removesuffix("\n").removesuffix("\r")
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE={file_name} cannot be read: {exc.strerror}"
            ) from exc
    return value


def env_str(name: str, default: str = "") -> str:
    value = env_raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = env_raw(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_raw(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name: str) -> str:
    value = env_raw(name)
    if not value:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set when DEBUG is off")
    return value
