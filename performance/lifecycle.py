"""Writes of the report lifecycle: draft -> submitted -> signed off -> published, and the
correction of a published version as a new version with its reason. Each step takes the
`actor`, checks the policy (performance.permissions) and is audited in its transaction.
A published version is immutable: every step refuses it."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from audit.services import access_event_record
from cases.identifying_text import identifying_text_error
from performance.models import Report
from performance.pdf import render_report_pdf
from performance.permissions import can_publish, can_sign_off, can_write_key_messages
from performance.reports import report_period
from performance.services import _report_no, report_request

ERROR_NOT_ALLOWED = "You cannot do this step of the report's sign-off."
ERROR_STAGE = "This version is {stage}: it cannot be {action}."
ERROR_PUBLISHED = "A published version cannot be changed: publish a correction instead."
ERROR_NOT_RENDERED = "The draft has not been rendered yet."
ERROR_REASON = "Say why the published version is corrected."
ERROR_NOT_PUBLISHED = "Only a published version can be corrected."


def _locked(report: Report, *, allowed: bool, stage: str, action: str) -> Report:
    """The report row locked for the step, after the policy and stage checks."""
    if not allowed:
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    current = Report.objects.select_for_update().select_related("committee").get(pk=report.pk)
    if current.stage == Report.Stage.PUBLISHED:
        raise ValidationError(ERROR_PUBLISHED)
    if current.stage != stage:
        raise ValidationError(
            ERROR_STAGE.format(stage=current.get_stage_display().lower(), action=action)
        )
    if current.status != Report.Status.READY:
        raise ValidationError(ERROR_NOT_RENDERED)
    return current


def _audit(actor: User, report: Report, step: str, **detail: object) -> None:
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CHANGE,
        instance=report,
        detail={"step": step, "version": report.version, **detail},
    )


@transaction.atomic
def report_messages_edit(
    *, actor: User, report: Report, key_messages: str, recommendations: str
) -> Report:
    """Write the draft's key messages and recommendations (published text: checked for
    anything that identifies a young person, like the other published narratives)."""
    current = _locked(
        report, allowed=can_write_key_messages(actor), stage=Report.Stage.DRAFT, action="edited"
    )
    errors = {
        field: message
        for field, label, text in (
            ("key_messages", "Key messages", key_messages),
            ("recommendations", "Recommendations", recommendations),
        )
        if (message := identifying_text_error(field_label=label, text=text))
    }
    if errors:
        raise ValidationError(errors)
    current.key_messages = key_messages.strip()
    current.recommendations = recommendations.strip()
    current.save(update_fields=["key_messages", "recommendations"])
    _audit(actor, current, "key messages edited")
    return current


def _advance(current: Report, actor: User, stage: str, who: str, step: str) -> Report:
    """Move to `stage`, recording who (`<who>_by`) and when (`<who>_at`), audited."""
    current.stage = stage
    setattr(current, f"{who}_by", actor)
    setattr(current, f"{who}_at", timezone.now())
    current.save(update_fields=["stage", f"{who}_by", f"{who}_at"])
    _audit(actor, current, step)
    return current


@transaction.atomic
def report_submit(*, actor: User, report: Report) -> Report:
    current = _locked(
        report, allowed=can_write_key_messages(actor), stage=Report.Stage.DRAFT, action="submitted"
    )
    return _advance(current, actor, Report.Stage.SUBMITTED, "submitted", "submitted for sign-off")


@transaction.atomic
def report_sign_off(*, actor: User, report: Report) -> Report:
    current = _locked(
        report, allowed=can_sign_off(actor), stage=Report.Stage.SUBMITTED, action="signed off"
    )
    return _advance(current, actor, Report.Stage.SIGNED_OFF, "signed_off", "signed off")


@transaction.atomic
def report_publish(*, actor: User, report: Report) -> Report:
    """Render the final PDF (no DRAFT) from the snapshot the draft was made from, so the
    published figures are the signed-off ones, and freeze the version."""
    current = _locked(
        report, allowed=can_publish(actor), stage=Report.Stage.SIGNED_OFF, action="published"
    )
    pdf = render_report_pdf(
        snapshot=current.figures,
        report_no=_report_no(current),
        draft=False,
        key_messages=current.key_messages,
        recommendations=current.recommendations,
    )
    name = default_storage.save(
        f"reports/{current.period}/{current.committee.code}-{current.period}"
        f"-v{current.version}-published.pdf",
        ContentFile(pdf),
    )
    # If the transaction fails the row still names the draft; the orphan file is harmless.
    current.file.name = name
    current.size = len(pdf)
    current.sha256 = hashlib.sha256(pdf).hexdigest()
    current.stage = Report.Stage.PUBLISHED
    current.published_by, current.published_at = actor, timezone.now()
    current.save(update_fields=["file", "size", "sha256", "stage", "published_by", "published_at"])
    _audit(actor, current, "published", sha256=current.sha256)
    return current


@transaction.atomic
def report_correct(*, actor: User, report: Report, reason: str) -> Report:
    """A correction of a published version: the next version of the same committee and
    period, a new draft naming the version it corrects and why. The earlier one is kept."""
    if not can_publish(actor):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    if not reason.strip():
        raise ValidationError({"reason": ERROR_REASON})
    if report.stage != Report.Stage.PUBLISHED:
        raise ValidationError(ERROR_NOT_PUBLISHED)
    new = report_request(
        actor=actor, committee=report.committee, period=report_period(report.period)
    )
    new.corrects, new.correction_reason = report, reason.strip()
    new.save(update_fields=["corrects", "correction_reason"])
    _audit(
        actor, new, "correction requested", corrects=report.version, reason=new.correction_reason
    )
    return new
