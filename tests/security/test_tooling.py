"""The pip-audit wrapper: waivers are honoured and an unreachable service is said plainly."""

import importlib.util
import json
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _wrapper() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pip_audit_wrapper", ROOT / "ops/pip_audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_run(payload: dict, seen: list) -> object:
    def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        seen.append(command)
        return subprocess.CompletedProcess(command, 0, json.dumps(payload), "")

    return run


def test_waiver_file_lists_ids_and_skips_comments(tmp_path: Path) -> None:
    waivers = tmp_path / "w.txt"
    waivers.write_text(
        "# header\nGHSA-aaaa-bbbb-cccc  reason, review by 2026-06-30\n\nPYSEC-1 # x\n"
    )
    assert _wrapper().waived_ids(waivers) == ["GHSA-aaaa-bbbb-cccc", "PYSEC-1"]


def test_unreachable_service_is_reported_and_not_fatal_unless_required(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wrapper = _wrapper()
    skipped = {"dependencies": [{"name": "django", "version": "5.2", "skip_reason": "not found"}]}
    monkeypatch.setattr(wrapper.subprocess, "run", _fake_run(skipped, []))
    assert wrapper.main() == 0
    assert "NOT AUDITED" in capsys.readouterr().out
    monkeypatch.setenv("PIP_AUDIT_REQUIRED", "true")
    assert wrapper.main() == 1


def test_an_unwaived_vulnerability_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wrapper = _wrapper()
    found = {
        "dependencies": [
            {"name": "django", "version": "5.2", "vulns": [{"id": "GHSA-x", "fix_versions": []}]}
        ]
    }
    monkeypatch.setattr(wrapper.subprocess, "run", _fake_run(found, []))
    assert wrapper.main() == 1
    assert "GHSA-x" in capsys.readouterr().out
