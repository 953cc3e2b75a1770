"""The foundation: reference data, sign-in, the page shell and the anonymous sweep."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from actions.models import ActionItem
from partnership.models import Agency, Committee
from tests.urlwalk import project_routes

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_ROUTES = {"login", "healthz", "readyz"}

pytestmark = pytest.mark.django_db


def test_reference_data_exists_after_migrate() -> None:
    codes = set(Agency.objects.values_list("code", flat=True))
    assert {"cfs", "education", "police", "nhs", "copfs", "barnardos", "wrasac"} <= codes
    assert Agency.objects.get(code="copfs").name == "Crown Office and Procurator Fiscal Service"
    assert set(Committee.objects.values_list("code", flat=True)) == {"cog", "ccpc", "csp"}
    assert ActionItem.objects.count() == 14


def test_action_items_carry_the_seed_wording() -> None:
    # The public council report, kept in the repository (docs/seed/README.md).
    seed = ROOT / "docs" / "seed" / "dundee-cse-committee-report-2015.txt"
    text = re.sub(r"\s+", " ", seed.read_text(encoding="utf-8"))
    for item in ActionItem.objects.exclude(number=14):
        assert item.action in text, item.number
        assert item.measure in text, item.number
        # The PDF's columns interleave; item 4's lead officer breaks across a column.
        for part in item.lead_officer.split(", Children and "):
            assert part in text, item.number
    commitment = ActionItem.objects.get(number=14).action
    assert commitment.split(", ", 1)[1] in text


def test_every_url_redirects_anonymous_visitors_to_sign_in(client: Client) -> None:
    routes = project_routes()
    assert len(routes) >= 3
    login_url = reverse("login")
    for route in routes:
        if route.name in PUBLIC_ROUTES:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(route.sample_path())
            if route.pattern.startswith("api/v1/"):
                # The REST API answers 401 with WWW-Authenticate instead of a sign-in page
                # (tests/api/test_permission_matrix.py covers it endpoint by endpoint).
                assert response.status_code == 401, (route.name, method, response.status_code)
                continue
            assert response.status_code == 302, (route.name, method, response.status_code)
            assert response["Location"].startswith(login_url), route.name


def test_public_pages_answer_anonymously(client: Client) -> None:
    assert client.get(reverse("login")).status_code == 200
    health = client.get(reverse("healthz"))
    assert health.status_code == 200
    assert health.json() == {"status": "ok"}  # liveness: the process answers
    ready = client.get(reverse("readyz"))
    assert ready.json()["checks"]["database"] == "ok"


def test_sign_in_failure_does_not_say_which_part_was_wrong(
    client: Client, cfs_practitioner
) -> None:
    wrong_password = client.post(
        reverse("login"), {"username": "cfs.practitioner", "password": "no"}
    )
    no_such_user = client.post(reverse("login"), {"username": "nobody", "password": "no"})
    assert "Enter a correct username and password." in wrong_password.content.decode()
    assert wrong_password.content.decode().count(
        "correct username"
    ) == no_such_user.content.decode().count("correct username")


def test_vap_chair_signs_in_and_sees_the_fourteen_items(client: Client, vap_chair) -> None:
    response = client.post(
        reverse("login"), {"username": "vap.chair", "password": "persona-password-123"}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<td class="govuk-table__cell">') >= 14 * 4
    assert "Barnardo’s and Education" in page
    assert "Safe and Sound" in page
    assert "VAP chair" in page  # identity bar shows the role
    assert response["Cache-Control"].startswith("no-store")


def test_demo_banner_shows_only_when_demo_is_on(client: Client, settings) -> None:
    settings.CSE_DEMO = True
    assert "DEMONSTRATION SYSTEM" in client.get(reverse("login")).content.decode()
    settings.CSE_DEMO = False
    assert "DEMONSTRATION SYSTEM" not in client.get(reverse("login")).content.decode()


def _dockerfile_cmd() -> list[str]:
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    return json.loads([line for line in lines if line.startswith("CMD ")][-1].removeprefix("CMD "))


def test_docker_compose_services_name_real_commands() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    for name in ("web", "worker", "beat"):
        # web runs the image's CMD (Dockerfile, exec form); worker and beat name theirs.
        command = services[name].get("command") or _dockerfile_cmd()
        command = " ".join(command) if isinstance(command, list) else command
        if name == "web":
            assert "gunicorn" in command and "cse_portal.wsgi:application" in command
            import cse_portal.wsgi  # noqa: F401 - the module the command names exists
        else:
            assert f"celery -A cse_portal {name}" in command
            from cse_portal.celery import app

            assert app.main == "cse_portal"
    python_images = {services[name].get("image") for name in ("web", "worker", "beat")}
    assert len(python_images) == 1, "web, worker and beat share one image"
    assert (ROOT / "Dockerfile").exists()
