"""seed_demo: refused outside a demo; a random password per install, shown once; DEMO_PASSWORD
set or changed later reaches the existing accounts on the next seed."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.demo import demo_users
from accounts.models import User
from audit.models import AccessEvent
from demo.management.commands import seed_demo
from partnership.roles import Role

pytestmark = pytest.mark.django_db

OLD_PUBLIC_DEFAULT = "cse-demo-password"
PASSWORD_LINE = re.compile(r"with the password: (\S+)")


@pytest.fixture
def demo_on(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.CSE_DEMO = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    # The records of cases, intelligence and the plan are other tests' business (and slow);
    # here only the accounts matter.
    monkeypatch.setattr(seed_demo.Command, "_seeders", lambda self: [])


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _signs_in(client, username: str, password: str) -> bool:
    return client.login(username=username, password=password)


def test_refuses_unless_demo_is_on(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.CSE_DEMO = False
    monkeypatch.setenv("DEMO_PASSWORD", "whatever-it-is")
    with pytest.raises(CommandError, match="CSE_DEMO"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.usefixtures("demo_on")
def test_random_password_per_install_printed_once(client) -> None:
    first = _seed()
    printed = PASSWORD_LINE.findall(first)
    assert len(printed) == 1
    password = printed[0]
    assert len(password) >= 12 and password != OLD_PUBLIC_DEFAULT
    assert User.objects.filter(username__in=[u for u, _, _ in demo_users()]).count() == len(
        demo_users()
    )
    for username in ("admin", "vap.chair", "cfs.practitioner", "police.maog", "clerk"):
        assert _signs_in(client, username, password), username
    assert not _signs_in(client, "admin", OLD_PUBLIC_DEFAULT)

    second = _seed()
    assert password not in second
    assert "not shown again" in second
    assert _signs_in(client, "admin", password)  # a re-seed without DEMO_PASSWORD keeps it

    # Another install (the accounts gone) gets another password.
    User.objects.filter(username__in=[u for u, _, _ in demo_users()]).delete()
    other = PASSWORD_LINE.findall(_seed())
    assert len(other) == 1 and other[0] != password


@pytest.mark.usefixtures("demo_on")
def test_demo_password_change_takes_effect_on_reseed(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "first-chosen-password")
    out = _seed()
    assert "first-chosen-password" not in out  # the operator knows it; logs need not
    assert _signs_in(client, "admin", "first-chosen-password")

    monkeypatch.setenv("DEMO_PASSWORD", "second-chosen-password")
    out = _seed()
    assert f"given the password in DEMO_PASSWORD: {len(demo_users())}" in out
    assert _signs_in(client, "clerk", "second-chosen-password")
    assert not _signs_in(client, "clerk", "first-chosen-password")
    changes = AccessEvent.objects.filter(action=AccessEvent.Action.CHANGE, detail__field="password")
    # One per account at creation and one per account for the change, each recorded.
    assert changes.count() == 2 * len(demo_users())

    # The same DEMO_PASSWORD again changes nothing.
    out = _seed()
    assert "given the password" not in out


@pytest.mark.usefixtures("demo_on")
def test_demo_password_set_after_a_random_first_seed(client, monkeypatch) -> None:
    random_password = PASSWORD_LINE.findall(_seed())[0]
    monkeypatch.setenv("DEMO_PASSWORD", "chosen-after-the-fact")
    _seed()
    assert _signs_in(client, "vap.chair", "chosen-after-the-fact")
    assert not _signs_in(client, "vap.chair", random_password)


@pytest.mark.usefixtures("demo_on")
def test_reseed_leaves_accounts_that_are_not_demo_alone(client, monkeypatch, make_user) -> None:
    alice = make_user("cfs", Role.PRACTITIONER, username="alice.real")
    monkeypatch.setenv("DEMO_PASSWORD", "demo-only-password")
    alice.set_password("alices-own-password")
    alice.save()
    _seed()
    assert _signs_in(client, alice.username, "alices-own-password")
