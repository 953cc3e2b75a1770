import subprocess
import sys
from pathlib import Path

from partnership.periods import period_containing, period_from_code

ROOT = Path(__file__).resolve().parents[2]


def test_secret_key_is_required_when_debug_is_off() -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "cse_portal.settings.base",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "must be set when DEBUG is off" in result.stderr


def test_periods_are_financial_half_years() -> None:
    h1 = period_from_code("2025-26-H1")
    assert (h1.start.isoformat(), h1.end.isoformat()) == ("2025-04-01", "2025-09-30")
    h2 = h1.next()
    assert (h2.code, h2.end.isoformat()) == ("2025-26-H2", "2026-03-31")
    from datetime import date

    assert period_containing(date(2026, 2, 1)).code == "2025-26-H2"
    assert h2.previous().code == "2025-26-H1"
    assert h1.previous().code == "2024-25-H2"
