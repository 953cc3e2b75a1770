"""End-to-end fixtures: the real product served by gunicorn on 127.0.0.1 with PostgreSQL and a
Celery worker on Redis, driven by Debian's Chromium through Playwright (no browser download).

In CI (CI=true) a missing PostgreSQL, Redis or Chromium fails these tests; elsewhere they skip.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
DEMO_PASSWORD = "e2e-demo-password"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
E2E_BROKER_URL = os.environ.get("CSE_E2E_BROKER_URL", "redis://127.0.0.1:6379/7")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_admin_url() -> str:
    # Only the server DATABASE_URL names: a newcomer's `make test` (SQLite) never drops or
    # creates a database on whatever PostgreSQL happens to answer on this machine.
    parsed = urlparse(os.environ.get("DATABASE_URL", ""))
    return parsed._replace(path="/postgres").geturl()


def _require_services() -> None:
    import psycopg
    import redis

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        service_missing("browser tests need PostgreSQL: set DATABASE_URL (CI does)")
    if not Path(CHROMIUM).exists():
        service_missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        psycopg.connect(_postgres_admin_url(), connect_timeout=3).close()
    except psycopg.Error as error:
        service_missing(f"PostgreSQL unreachable: {error}")
    try:
        redis.Redis.from_url(E2E_BROKER_URL, socket_timeout=3).ping()
    except redis.RedisError as error:
        service_missing(f"Redis unreachable: {error}")


def _recreate_database(name: str) -> str:
    import psycopg

    admin = _postgres_admin_url()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlparse(admin)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrate and seed a dedicated database, then serve it with gunicorn and a worker."""
    _require_services()
    var_dir = tmp_path_factory.mktemp("e2e-var")
    port = _free_port()
    env = {
        **os.environ,
        # Both can be named, so that two checkouts run their browser tests side by side.
        "DATABASE_URL": _recreate_database(os.environ.get("CSE_E2E_DATABASE", "cse_e2e")),
        "CELERY_BROKER_URL": E2E_BROKER_URL,
        "DEBUG": "false",
        "SECRET_KEY": "e2e-only-secret-key-for-local-browser-tests",
        "SECURE_HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSE_DEMO": "true",
        "CSE_REQUIRE_2FA": "false",
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "CSE_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "cse_portal.settings.base",
        "AXES_FAILURE_LIMIT": "50",
    }
    python = sys.executable
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"], ["seed_demo"]):
        subprocess.run(  # noqa: S603 - our own manage.py
            [python, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    logs = var_dir / "logs"
    logs.mkdir()
    processes = [
        subprocess.Popen(  # noqa: S603
            [
                python,
                "-m",
                "gunicorn",
                "cse_portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(logs / "web.log", "w"),
            stderr=subprocess.STDOUT,  # noqa: SIM115
        ),
        subprocess.Popen(  # noqa: S603
            [
                python,
                "-m",
                "celery",
                "-A",
                "cse_portal",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(logs / "worker.log", "w"),
            stderr=subprocess.STDOUT,  # noqa: SIM115
        ),
    ]
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:  # noqa: S310
                    health = json.load(response)
                if health.get("status") == "ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"server did not start: {(logs / 'web.log').read_text()[-2000:]}"
                )
            time.sleep(0.5)
        yield base_url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def browser(e2e_server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Any, e2e_server: str) -> Iterator[Any]:
    contexts = []

    def make() -> Any:
        context = browser.new_context(
            base_url=e2e_server,
            locale="en-GB",
            timezone_id="Europe/London",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def assert_accessible(page: Any, name: str) -> None:
    """Run axe-core in the page (evaluated through the DevTools protocol, so the page's CSP
    stays on) and fail on any WCAG 2.0/2.1/2.2 A or AA violation."""
    if not AXE_SOURCE.exists():
        pytest.fail("axe-core is missing: run npm ci")
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in v["nodes"][:3]
        )
        for v in result["violations"]
    ]
    assert not violations, f"axe violations on {name} ({page.url}):\n" + "\n".join(violations)


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Any, username: str) -> None:
    page.goto("/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/sign-in/" not in page.url, f"{username} could not sign in"


def sign_in_by_keyboard(page: Any, username: str) -> None:
    page.goto("/sign-in/")
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    tab_to(page, "#id_password")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/sign-in/" not in page.url, page.inner_text("main")[:500]


def tab_to(page: Any, selector: str, *, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with the Tab key")
