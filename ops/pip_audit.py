"""Run pip-audit over the installed environment, honouring .ci/pip-audit-waivers.txt.

pip-audit asks a vulnerability service (PyPI's JSON API by default) about each installed
package. Where that service cannot be reached, pip-audit "skips" every package yet still
says "No known vulnerabilities found"; this wrapper says plainly that nothing was audited.
That case is not fatal (exit 0) unless PIP_AUDIT_REQUIRED=true, so a machine without access
to the service can still build; a real finding without a waiver always fails (exit 1).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WAIVERS = ROOT / ".ci" / "pip-audit-waivers.txt"


def waived_ids(path: Path = WAIVERS) -> list[str]:
    """Vulnerability ids from the waiver file: the first word of each non-comment line."""
    if not path.exists():
        return []
    ids = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            ids.append(line.split()[0])
    return ids


def main() -> int:
    required = os.environ.get("PIP_AUDIT_REQUIRED", "").lower() == "true"
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--skip-editable",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ]
    for vuln_id in waived_ids():
        command += ["--ignore-vuln", vuln_id]
    result = subprocess.run(  # noqa: S603 - fixed command, our own interpreter
        command, capture_output=True, text=True, check=False, timeout=900
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit: NOT AUDITED - the vulnerability service could not be reached ({last})")
        return 1 if required else 0
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = [d for d in dependencies if not d.get("skip_reason")]
    if not audited:
        print(
            f"pip-audit: NOT AUDITED - the vulnerability service could not be reached from this "
            f"machine: all {len(skipped)} installed packages were skipped "
            f"(e.g. {skipped[0]['skip_reason'] if skipped else 'no packages'}). "
            "Run `make security` where PyPI's JSON API is reachable, or set "
            "PIP_AUDIT_REQUIRED=true to make this fatal."
        )
        return 1 if required else 0
    findings = [(d, v) for d in audited for v in d.get("vulns", [])]
    for dependency, vuln in findings:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        print(f"pip-audit: {dependency['name']} {dependency['version']}: {vuln['id']} ({fixes})")
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        print(f"pip-audit: warning: {len(skipped)} package(s) not audited: {names}")
    print(
        f"pip-audit: {len(audited)} packages audited, {len(findings)} unwaived "
        f"vulnerabilit{'y' if len(findings) == 1 else 'ies'}, {len(waived_ids())} waiver(s)"
    )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
