"""Settings from NAME or from the file NAME_FILE points at (Docker and Compose secrets)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cse_portal.env import env_bool, env_int, env_list, env_required, env_str

ROOT = Path(__file__).resolve().parents[2]


def test_a_value_comes_from_the_file(monkeypatch, tmp_path) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text("s3cret with spaces \n")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    # Only the final newline goes: a secret may end with a space.
    assert env_required("SECRET_KEY") == "s3cret with spaces "
    assert env_str("SECRET_KEY") == "s3cret with spaces "


def test_every_kind_of_setting_reads_files(monkeypatch, tmp_path) -> None:
    for name, content in {"A_BOOL": "true\n", "AN_INT": "42\n", "A_LIST": "a, b\n"}.items():
        (tmp_path / name).write_text(content)
        monkeypatch.setenv(f"{name}_FILE", str(tmp_path / name))
    assert env_bool("A_BOOL") is True
    assert env_int("AN_INT", 0) == 42
    assert env_list("A_LIST") == ["a", "b"]


def test_both_set_is_refused(monkeypatch, tmp_path) -> None:
    (tmp_path / "key").write_text("from-file")
    monkeypatch.setenv("SECRET_KEY", "from-environment")
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "key"))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_str("SECRET_KEY")


def test_a_missing_file_fails_loudly(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_required("SECRET_KEY")


def test_neither_set_keeps_the_default(monkeypatch) -> None:
    monkeypatch.delenv("CSE_UNSET", raising=False)
    monkeypatch.delenv("CSE_UNSET_FILE", raising=False)
    assert env_str("CSE_UNSET", "fallback") == "fallback"
    with pytest.raises(ImproperlyConfigured, match="CSE_UNSET_FILE"):
        env_required("CSE_UNSET")


def test_production_settings_start_from_secret_files_alone(tmp_path) -> None:
    """DEBUG off, no SECRET_KEY in the environment: the files are enough, as in the stack."""
    (tmp_path / "secret_key").write_text("k" * 50 + "\n")
    (tmp_path / "db_password").write_text("pg-password\n")
    env = {
        "PATH": str(Path(sys.executable).parent),
        "DJANGO_SETTINGS_MODULE": "cse_portal.settings.base",
        "SECRET_KEY_FILE": str(tmp_path / "secret_key"),
        "DATABASE_URL": "postgres://cse@db.invalid:5432/cse_portal",
        "DATABASE_PASSWORD_FILE": str(tmp_path / "db_password"),
        "CSE_VAR_DIR": str(tmp_path / "var"),
    }
    code = (
        "from django.conf import settings; "
        "print(settings.SECRET_KEY == 'k' * 50, settings.DATABASES['default']['PASSWORD'], "
        "settings.DEBUG)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "pg-password", "False"]
