"""Writes to agencies and committees: saved with their history, audited with before and after.

Called by the admin site (partnership/admin.py); the VAP chair hears of every change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group
from django.db import models, transaction

from audit.models import AccessEvent
from audit.services import access_event_record
from partnership.models import Agency, Committee
from partnership.notify import vap_chair_notify
from partnership.roles import agency_group_name

if TYPE_CHECKING:
    # django-stubs reads this alias as the AUTH_USER_MODEL (accounts.User), so this floor
    # types its users without importing accounts.
    from django.contrib.auth.models import _User as User

AGENCY_AUDITED_FIELDS = ("code", "name", "short_name", "is_active")
COMMITTEE_AUDITED_FIELDS = ("code", "name", "report_by", "report_officer", "focus")


def field_values(instance: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """The audited fields of `instance` as JSON-ready values."""
    return {name: getattr(instance, name) for name in fields}


def _saved_values(
    model: type[models.Model], pk: int | None, fields: tuple[str, ...]
) -> dict[str, Any]:
    # Read from the database, not from the instance the form has already changed.
    if pk is None:
        return {}
    return model._default_manager.filter(pk=pk).values(*fields).first() or {}


def admin_change_record(
    *,
    actor: User,
    instance: models.Model,
    label: str,
    what: str,
    before: dict[str, Any],
    after: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> None:
    """Audit an administrator's change with before and after, and tell the VAP chair.

    An empty `before` means the record was added. The notice names the record by `label`
    and the fields changed, never a child or a case.
    """
    changed = sorted(name for name in after if before.get(name) != after[name])
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CHANGE if before else AccessEvent.Action.CREATE,
        instance=instance,
        detail={
            "admin_change": what,
            "before": before,
            "after": after,
            "changed": changed,
            **(extra or {}),
        },
    )
    vap_chair_notify(
        subject=f"{what}: {label}",
        lines=[
            f"{actor.get_username()} made this change to {label}: {what}.",
            *(f"{name}: {before.get(name)} -> {after[name]}" for name in changed),
            *(f"{name}: {value}" for name, value in (extra or {}).items()),
        ],
    )


def _save_audited(
    *, actor: User, instance: Agency | Committee, fields: tuple[str, ...], kind: str
) -> None:
    before = _saved_values(type(instance), instance.pk, fields)
    instance._history_user = actor  # type: ignore[union-attr]
    instance.save()
    after = field_values(instance, fields)
    if before and before == after:
        return  # nothing changed: no audit row, no notice
    admin_change_record(
        actor=actor,
        instance=instance,
        label=f"the {kind} {instance}",
        what=f"{kind} {'changed' if before else 'added'}",
        before=before,
        after=after,
    )


@transaction.atomic
def agency_save(*, actor: User, agency: Agency) -> Agency:
    """Save an agency (new or changed); audited with before and after; VAP chair told.

    A new agency gets its group, which holds its members and receives object grants.
    """
    if agency.group_id is None:
        agency.group, _ = Group.objects.get_or_create(name=agency_group_name(agency.code))
    _save_audited(actor=actor, instance=agency, fields=AGENCY_AUDITED_FIELDS, kind="agency")
    return agency


@transaction.atomic
def committee_save(*, actor: User, committee: Committee) -> Committee:
    """Save a committee (new or changed); audited with before and after; VAP chair told."""
    _save_audited(
        actor=actor, instance=committee, fields=COMMITTEE_AUDITED_FIELDS, kind="committee"
    )
    return committee


def committee_meeting_dates(committee: Committee) -> list[str]:
    return [
        d.isoformat() for d in committee.meetings.order_by("date").values_list("date", flat=True)
    ]


@transaction.atomic
def committee_meetings_audit(*, actor: User, committee: Committee, before: list[str]) -> None:
    """After the admin saved a committee's meeting dates: audit what changed (before and
    after), and tell the VAP chair, as for the committee's own fields. No change, no row."""
    after = committee_meeting_dates(committee)
    if before == after:
        return
    admin_change_record(
        actor=actor,
        instance=committee,
        label=f"the committee {committee}",
        what="committee meetings changed",
        before={"meetings": before},
        after={"meetings": after},
    )
