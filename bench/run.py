"""Benchmarks at partnership scale: `python bench/run.py [--scale 1|3] [--quick]`.

Seeds a dedicated PostgreSQL database (reused while its scale matches), measures every
figure of issue 8 against a reference measured in the same run, prints one table and writes
it with the machine and commit to bench/results/latest.md (--quick: quick.md).

Exit status: --quick fails (1) when a ratio is beyond three times its target or a figure
errors; a full run fails when any target is missed. "not built yet" rows never fail.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URLS = {
    "quick": "postgres://root@127.0.0.1:5432/cse_bench_quick",
    "full": "postgres://root@127.0.0.1:5432/cse_bench",
}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["1", "3"], default="1")
    parser.add_argument("--quick", action="store_true", help="small scale, under 5 minutes")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="PostgreSQL URL of the bench database (default: cse_bench / cse_bench_quick)",
    )
    parser.add_argument("--http-seconds", type=float, default=None)
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated: lists,http,young_person,chronology,network,indicators,dashboard,"
        "saves,pdf,imports,casework "
        "(default: all)",
    )
    return parser.parse_args(argv)


def _ensure_database(url: str) -> None:
    """Create the bench database if it does not exist (connecting to `postgres`)."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    admin = psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    )
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _git(*args: str) -> str:
    """What a git command prints about the checkout the bench runs from."""
    return subprocess.run(  # noqa: S603 - fixed arguments
        ["git", *args],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _machine() -> dict[str, str]:
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{memory_kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    try:
        commit = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
        commit += " (with uncommitted changes in the tree)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "CPU": f"{os.cpu_count()} x {cpu} (nproc {len(os.sched_getaffinity(0))})",
        "memory": memory,
        "PostgreSQL": pg_version,
        "Python": platform.python_version(),
        "commit": commit,
    }


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    mode = "quick" if args.quick else "full"
    scale = "quick" if args.quick else args.scale
    url = args.database_url or DEFAULT_URLS[mode]
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    started = time.monotonic()
    _ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    from bench import (
        core,
        figures,
        figures_casework,
        figures_imports,
        figures_lists,
        figures_reports,
        http_load,
        seed,
    )

    print(f"bench: {mode} run, scale {scale}, database {url.rsplit('/', 1)[-1]}")
    call_command("migrate", verbosity=0, interactive=False)
    seeded = seed.ensure_seeded(scale)
    quick = args.quick
    # --quick is CI's smoke run (3 minutes at most on a 2-core runner): fewer rounds, one PDF.
    runs = 10 if quick else 30
    http_seconds = args.http_seconds or (4.0 if quick else 30.0)
    wanted = set(filter(None, args.only.split(","))) or {
        "lists",
        "http",
        "young_person",
        "chronology",
        "network",
        "indicators",
        "dashboard",
        "saves",
        "pdf",
        "imports",
        "casework",
    }
    steps = [
        ("lists", lambda: figures_lists.list_pages(seeded, runs=runs)),
        ("http", lambda: http_load.http_lists(seeded, seconds=http_seconds, scale=scale)),
        ("young_person", lambda: figures.young_person_page(seeded, runs=runs)),
        ("chronology", lambda: figures.chronology(seeded, runs=runs)),
        ("network", lambda: figures.network(seeded, runs=runs)),
        ("indicators", lambda: figures_reports.indicators(seeded, runs=2 if quick else 5)),
        ("dashboard", lambda: figures_reports.dashboard(seeded, runs=runs)),
        ("saves", lambda: figures.audited_saves(seeded, count=200 if quick else 1000)),
        ("pdf", lambda: figures_reports.committee_pdfs(seeded, limit=1 if quick else None)),
        ("imports", lambda: figures_imports.import_10k(seeded, rows=2_000 if quick else 10_000)),
        (
            "casework",
            lambda: figures_casework.casework(seeded, runs=runs, pdf_runs=1 if quick else 3),
        ),
    ]
    rows: list[core.Row] = []
    for name, step in steps:
        if name not in wanted:
            continue
        step_started = time.monotonic()
        rows.extend(step())
        print(f"bench: {name} measured in {time.monotonic() - step_started:.1f} s", flush=True)
    text = core.table(rows)
    print(text)
    machine = _machine()
    elapsed = time.monotonic() - started
    _write(mode, scale, seeded, machine, text, elapsed)
    if quick:
        failures = [row for row in rows if row.quick_failure()]
        label = "ratio beyond three times its target, or error"
    else:
        failures = [row for row in rows if row.status in (core.FAIL, core.ERROR)]
        label = "target missed or error"
    print(f"bench: {len(rows)} figures in {elapsed:.0f} s; {len(failures)} failing ({label})")
    for row in failures:
        print(f"  FAILED: {row.figure}: {row.note}")
    return 1 if failures else 0


def _write(
    mode: str, scale: str, seeded: object, machine: dict[str, str], text: str, elapsed: float
) -> None:
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    name = "quick.md" if mode == "quick" else "latest.md"
    counts = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in seeded.counts.items())
    lines = [
        f"# Bench results ({mode} run, scale {scale})",
        "",
        "Written by `python bench/run.py"
        + (" --quick" if mode == "quick" else f" --scale {scale}")
        + "`; see docs/DATABASE_TUNING.md for what the figures mean.",
        "",
        *[f"- {key}: {value}" for key, value in machine.items()],
        f"- data: {counts} (12 agencies; seeded in {seeded.seconds} s)",
        f"- run took {elapsed:.0f} s (machine shared with other work: ratios first)",
        "",
        text,
        "",
    ]
    (results / name).write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
