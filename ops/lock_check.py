"""Are requirements.lock and requirements-dev.lock in step with pyproject.toml?

Exits 1 and says what differs: a dependency of pyproject.toml missing from a lock or pinned
outside its range, a lock entry that pyproject.toml no longer asks for, a development tool in
the production lock, or one package at two versions. `make lock` fixes all of these.
Runs with any Python 3.11 that has pip (it borrows pip's copy of `packaging` when the
package itself is not installed), so `make install` can call it before installing anything.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # a bare virtualenv: pip carries its own copy
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef]
    from pip._vendor.packaging.utils import canonicalize_name  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
PROD_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
FROM_PYPROJECT = "(pyproject.toml)"


@dataclass(frozen=True)
class Lock:
    pins: dict[str, str]  # canonical name -> version
    direct: set[str]  # canonical names pip-compile says come from pyproject.toml
    hashed: set[str]  # canonical names with at least one --hash


def lock_read(path: Path) -> Lock:
    pins: dict[str, str] = {}
    direct: set[str] = set()
    hashed: set[str] = set()
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = match.group(2)
        elif current and "--hash=sha256:" in line:
            hashed.add(current)
        elif current and line.lstrip().startswith("#") and FROM_PYPROJECT in line:
            direct.add(current)
    return Lock(pins=pins, direct=direct, hashed=hashed)


def pyproject_requirements(path: Path = ROOT / "pyproject.toml") -> tuple[list, list]:
    project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
    prod = [Requirement(text) for text in project.get("dependencies", [])]
    dev = [Requirement(text) for text in project.get("optional-dependencies", {}).get("dev", [])]
    return prod, dev


def problems(root: Path = ROOT) -> list[str]:
    prod, dev = pyproject_requirements(root / "pyproject.toml")
    found: list[str] = []
    locks = {}
    for path in (root / PROD_LOCK.name, root / DEV_LOCK.name):
        if not path.exists():
            found.append(f"{path.name} is missing")
        else:
            locks[path.name] = lock_read(path)
    if found:
        return found
    for name, wanted in ((PROD_LOCK.name, prod), (DEV_LOCK.name, prod + dev)):
        lock = locks[name]
        wanted_names = {canonicalize_name(req.name) for req in wanted}
        for req in wanted:
            key = canonicalize_name(req.name)
            version = lock.pins.get(key)
            if version is None:
                found.append(f"{name}: {req.name} (pyproject.toml) is not locked")
            elif not req.specifier.contains(version, prereleases=True):
                found.append(f"{name}: {req.name}=={version} is outside {req}")
        for key in sorted(lock.direct - wanted_names):
            found.append(f"{name}: {key} comes from pyproject.toml, which no longer lists it")
        for key in sorted(set(lock.pins) - lock.hashed):
            found.append(f"{name}: {key} has no hash")
    dev_only = {canonicalize_name(req.name) for req in dev} - {
        canonicalize_name(req.name) for req in prod
    }
    for key in sorted(dev_only & set(locks[PROD_LOCK.name].pins)):
        found.append(f"{PROD_LOCK.name}: development tool {key} is in the production lock")
    prod_pins, dev_pins = locks[PROD_LOCK.name].pins, locks[DEV_LOCK.name].pins
    for key in sorted(set(prod_pins) & set(dev_pins)):
        if prod_pins[key] != dev_pins[key]:
            found.append(f"{key} is {prod_pins[key]} in production, {dev_pins[key]} in dev")
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(
            "The lock files are out of step with pyproject.toml: run `make lock`.", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
