"""The type check (`make typecheck`, part of `make test`) covers every app, strictly where
access rules and writes live and in the views that call them. mypy itself runs in
`make test`; these tests keep its configuration from drifting as apps are added."""

import fnmatch
import tomllib

from tests.test_architecture import FLOORS, ROOT

MYPY = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
STRICT_KEYS = ("disallow_untyped_defs", "disallow_incomplete_defs", "disallow_any_generics")


def _strict_patterns() -> list[str]:
    return [
        pattern
        for override in MYPY.get("overrides", [])
        if all(override.get(key) for key in STRICT_KEYS)
        for pattern in override["module"]
    ]


def _is_strict(module: str) -> bool:
    """mypy's rule: "x.*" matches x and its sub-modules; "*" stands for any components."""
    for pattern in _strict_patterns():
        bare = pattern.removesuffix(".*")
        if fnmatch.fnmatchcase(module, bare) or (
            bare != pattern and fnmatch.fnmatchcase(module, pattern)
        ):
            return True
    return False


def test_every_app_is_type_checked() -> None:
    missing = set(FLOORS) - set(MYPY["files"])
    assert not missing, f"add these apps to [tool.mypy] files in pyproject.toml: {sorted(missing)}"


def test_services_selectors_permissions_and_views_are_strict() -> None:
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for app in FLOORS
        for layer in ("services", "selectors", "permissions", "views")
        for path in [*ROOT.glob(f"{app}/{layer}.py"), *ROOT.glob(f"{app}/{layer}/*.py")]
    ]
    assert "cases.selectors.pages" in modules  # the scan sees packages as well as modules
    lenient = [module for module in modules if not _is_strict(module)]
    assert not lenient, f"not strict in [tool.mypy] overrides: {lenient}"
