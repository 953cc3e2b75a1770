"""The lock files agree with pyproject.toml (`make lock` regenerates them)."""

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("lock_check", ROOT / "ops" / "lock_check.py")
lock_check = importlib.util.module_from_spec(_spec)
sys.modules["lock_check"] = lock_check  # dataclasses look their module up there
_spec.loader.exec_module(lock_check)


def test_the_locks_are_in_step_with_pyproject() -> None:
    assert lock_check.problems() == [], "run `make lock` and commit the lock files"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("pyproject.toml", "requirements.lock", "requirements-dev.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    # The checks below find what each edit breaks, whether or not the real locks are current.
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_dependency_added_to_pyproject_is_reported(project: Path) -> None:
    added = 'dependencies = [\n    "humanize>=4",\n'  # a package neither lock holds
    _edit(project / "pyproject.toml", "dependencies = [\n", added)
    found = lock_check.problems(project)
    assert "requirements.lock: humanize (pyproject.toml) is not locked" in found
    assert "requirements-dev.lock: humanize (pyproject.toml) is not locked" in found


def test_a_dependency_removed_from_pyproject_is_reported(project: Path) -> None:
    _edit(project / "pyproject.toml", '    "tqdm>=4.66,<5",\n', "")
    found = lock_check.problems(project)
    assert "requirements.lock: tqdm comes from pyproject.toml, which no longer lists it" in found


def test_a_pin_outside_the_range_is_reported(project: Path) -> None:
    _edit(project / "pyproject.toml", '"Django>=5.2,<5.3"', '"Django>=5.3,<5.4"')
    found = lock_check.problems(project)
    assert any(line.startswith("requirements.lock: Django==5.2.") for line in found), found


def test_a_development_tool_in_the_production_lock_is_reported(project: Path) -> None:
    dev = (project / "requirements-dev.lock").read_text(encoding="utf-8")
    start = dev.index("\npytest==") + 1
    end = dev.index("\n", dev.index("    # via", start))
    block = dev[start:end] + "\n"
    with (project / "requirements.lock").open("a", encoding="utf-8") as handle:
        handle.write(block)
    found = lock_check.problems(project)
    assert "requirements.lock: development tool pytest is in the production lock" in found


def test_an_entry_without_a_hash_is_reported(project: Path) -> None:
    with (project / "requirements.lock").open("a", encoding="utf-8") as handle:
        handle.write("toolz==1.0.0\n")
    assert "requirements.lock: toolz has no hash" in lock_check.problems(project)
