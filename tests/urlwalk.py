"""Every URL pattern of the project with a sample path, for sweeps and permission matrices."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "cases:referral_detail"
    pattern: str

    def sample_path(self, value: str = "1") -> str:
        """The route with every converter filled with `value` (or a period code)."""
        import re

        def fill(match: re.Match[str]) -> str:
            converter = (match.group(1) or "str").rstrip(":")
            if converter == "int":
                return value
            if "period" in match.group(2):
                return "2025-26-H1"
            return "x" if value == "1" else value

        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, self.pattern)


def _walk(patterns: list, prefix: str, namespace: str) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed>"
            yield Route(name=name, pattern=prefix + str(entry.pattern))


def project_routes() -> list[Route]:
    """All routes except the Django admin's own (the admin site guards itself)."""
    return [
        route
        for route in _walk(get_resolver().url_patterns, "", "")
        if not route.name.startswith("admin:")
    ]
