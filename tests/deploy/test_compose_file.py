"""docker-compose.yml, the Dockerfile and .dockerignore read as Docker would read them.

There is no Docker engine here: `docker compose config` runs when the plugin is installed,
and otherwise these tests read the files. The stack itself is re-enacted with real processes
in test_compose_stack.py.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from docker.utils.build import exclude_paths

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING = ("proxy", "web", "worker", "beat", "postgres", "redis")
DOCKERIGNORE = [
    line.strip()
    for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def dockerfile_stages() -> list[list[str]]:
    """The Dockerfile's instructions (continuation lines joined), one list per stage."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.replace("\\\n", " ").splitlines() if line.strip()]
    stages: list[list[str]] = []
    for line in lines:
        if line.lstrip().startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(line.strip())
    return stages


def test_docker_compose_config_validates() -> None:
    docker = shutil.which("docker")
    plugin = docker and subprocess.run([docker, "compose", "version"], capture_output=True)  # noqa: S603
    if not plugin or plugin.returncode:
        pytest.skip("the docker compose plugin is not installed (no Debian package for it)")
    secrets = ROOT / "secrets"
    made = not secrets.exists()
    if made:  # compose checks that secret files exist
        secrets.mkdir()
        for name in COMPOSE["secrets"]:
            (secrets / name).write_text("x\n")
    try:
        result = subprocess.run(  # noqa: S603
            [docker, "compose", "config", "--quiet"], cwd=ROOT, capture_output=True, text=True
        )
    finally:
        if made:
            shutil.rmtree(secrets)
    assert result.returncode == 0, result.stderr


def test_every_long_running_service_restarts_and_has_a_healthcheck() -> None:
    for name in LONG_RUNNING:
        service = SERVICES[name]
        assert service.get("restart") in {"unless-stopped", "always"}, name
        test = service["healthcheck"]["test"]
        assert test[0] in {"CMD", "CMD-SHELL"} and len(test) > 1, name
    # The one-off job runs once per `up`; a restart loop would re-run migrations forever.
    assert SERVICES["migrate"]["restart"] == "no"


def test_web_worker_and_beat_start_after_migrations() -> None:
    assert "manage.py migrate" in " ".join(SERVICES["migrate"]["command"])
    for name in ("web", "worker", "beat"):
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["postgres"]["condition"] == "service_healthy"
    assert SERVICES["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_only_the_proxy_publishes_ports() -> None:
    """X-Forwarded-Proto is trusted by Django: only the proxy may reach gunicorn."""
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}
    assert {port.rsplit(":", 1)[1] for port in SERVICES["proxy"]["ports"]} == {"80", "443"}


def test_static_files_have_their_own_volume_written_on_every_migrate() -> None:
    def mounts(name: str) -> dict[str, str]:
        return {volume.split(":")[1]: volume.split(":")[0] for volume in SERVICES[name]["volumes"]}

    for name in APP_SERVICES:
        env = SERVICES[name]["environment"]
        app = mounts(name)
        assert app[env["CSE_STATIC_ROOT"]] == "static-files"
        assert app[env["CSE_VAR_DIR"]] == "private-files"
        # Neither inside the other: the private volume's mount no longer hides new static files.
        assert not env["CSE_STATIC_ROOT"].startswith(env["CSE_VAR_DIR"] + "/")
    proxy = SERVICES["proxy"]["volumes"]
    assert "static-files:/srv/static:ro" in proxy
    assert not any(volume.startswith("private-files") for volume in proxy)
    # --clear: files removed from the sources disappear on upgrade too.
    assert "collectstatic --no-input --clear" in " ".join(SERVICES["migrate"]["command"])


def test_secrets_come_from_files_never_from_the_environment() -> None:
    secret_like = re.compile(r"SECRET|PASSWORD|TOKEN|KEY", re.IGNORECASE)
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if secret_like.search(key):
                assert key.endswith("_FILE"), (name, key)
                assert str(value).startswith("/run/secrets/"), (name, key)
                assert value.removeprefix("/run/secrets/") in service["secrets"], (name, key)
        assert "://cse:" not in json.dumps(service.get("environment") or {}), name
    for secret in COMPOSE["secrets"].values():
        assert secret["file"].startswith("./secrets/")
    assert "secrets/" in DOCKERIGNORE
    assert "secrets/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_build_context(tmp_path) -> None:
    """The Docker SDK's own matcher decides what a build would send."""
    for relative in [
        ".env",
        ".env.production",
        "secrets/secret_key",
        ".git/config",
        ".venv/bin/python",
        "node_modules/sass/sass.js",
        "var/cse_portal.sqlite3",
        "var/private/evidence/report.pdf",
        "cases/__pycache__/models.cpython-311.pyc",
        "static/build/app.css",
        "manage.py",
        "cases/models.py",
        "static/scss/app.scss",
        "requirements.lock",
    ]:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    sent = set(exclude_paths(str(tmp_path), DOCKERIGNORE))
    for kept_out in [".env", ".env.production", "secrets/secret_key", ".git/config"]:
        assert kept_out not in sent
    for prefix in (".venv/", "node_modules/", "var/", "cases/__pycache__/", "static/build/"):
        assert not any(path.startswith(prefix) for path in sent), prefix
    # What the image is built from still goes.
    assert {"manage.py", "cases/models.py", "static/scss/app.scss", "requirements.lock"} <= sent


def test_the_real_build_context_holds_no_secret_or_local_state() -> None:
    sent = exclude_paths(str(ROOT), DOCKERIGNORE)
    leaked = sorted(
        path
        for path in sent
        if path.split("/")[0] in {".env", ".git", ".venv", "node_modules", "var", "secrets"}
        or path.startswith(".env")
    )
    assert leaked == []


def test_the_image_runs_web_by_default_as_a_user_from_the_production_lock() -> None:
    final = dockerfile_stages()[-1]
    cmd = [line for line in final if line.startswith("CMD ")]
    assert len(cmd) == 1
    argv = json.loads(cmd[0].removeprefix("CMD "))  # exec form: signals reach gunicorn
    assert argv[:2] == ["gunicorn", "cse_portal.wsgi:application"]
    users = [line for line in final if line.startswith("USER ")]
    assert users and users[-1] not in {"USER root", "USER 0"}
    installs = [line for line in final if line.startswith("RUN pip install")]
    assert len(installs) == 1
    assert "--require-hashes" in installs[0] and "-r requirements.lock" in installs[0]
    assert "requirements-dev.lock" not in " ".join(final)
    # Only pruned source and built assets are copied into the final stage.
    copies = [line for line in final if line.startswith("COPY ")]
    assert all(
        line in {"COPY requirements.lock ./"} or line.startswith("COPY --from=") for line in copies
    ), copies


def test_the_image_carries_no_test_tool_or_front_end_source() -> None:
    stages = dockerfile_stages()
    source = next(stage for stage in stages if stage[0].endswith(" AS source"))
    pruned = " ".join(line for line in source if line.startswith("RUN rm "))
    for path in ("/src/tests", "/src/bench", "/src/static/scss", "/src/requirements-dev.lock"):
        assert path in pruned
    assets = next(stage for stage in stages if stage[0].endswith(" AS assets"))
    assert any("rm -f static/build/axe.min.js" in line for line in assets)
    # And the static files the stack publishes leave them out too (see test_compose_stack).
    command = " ".join(SERVICES["migrate"]["command"])
    assert "--ignore '*.scss'" in command and "--ignore 'axe.min.js'" in command
