"""Record pages from one registry: every record type about a young person declares its pages
(``RECORD_PAGES``) and the class-based views below serve create, detail, edit and history for
all of them; the URLs are generated from the same registry. Risk assessments keep their own
create and detail pages (a scored screening, not a model form)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, reverse
from django.views import View

from accounts.http import AuthenticatedRequest
from audit.services import record_open
from cases import extensions, forms, permissions, selectors, services
from cases.models import (
    RiskTool,
    YoungPerson,
)
from cases.views.pages import _log_view
from partnership.policy import PermissionPolicy
from records.services import RecordType
from records.views import form_view, posted, registry_paths

# --- Generic create and edit ---------------------------------------------------------------


def _create_for_case(
    request: AuthenticatedRequest,
    pk: int,
    *,
    form_class: type[forms.VersionedForm],
    service: Callable[..., Model],
    title: str,
    success: str,
) -> HttpResponse:
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    form = form_class(posted(request), user=request.user)

    def save() -> Model:
        with transaction.atomic():
            record = service(actor=request.user, young_person=young_person, **form.changes())
            extensions.save(form, record, actor=request.user)
        return record

    return form_view(
        request,
        form,
        save,
        success=success,
        done=lambda _record: reverse("cases:young_person_detail", args=[young_person.pk]),
        title=title,
        young_person=young_person,
        submit="Save",
    )


def _edit_record(
    request: AuthenticatedRequest,
    record: Model,
    *,
    form_class: type[forms.VersionedForm],
    update: Callable[..., Model],
    title: str,
    done_url: str,
    young_person: YoungPerson | None = None,
) -> HttpResponse:
    """Edit with optimistic concurrency: a stale version shows both versions (409)."""
    if not permissions.policy_of(record).can_edit(request.user, record):
        raise Http404
    form = form_class(posted(request), instance=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data.get("version") or 0
        try:
            with transaction.atomic():
                saved = update(
                    actor=request.user,
                    instance=record,
                    expected_version=expected,
                    changes=form.changes(),
                )
                extensions.save(form, saved, actor=request.user)
        except services.EditConflict as conflict:
            fresh_form = form_class(instance=conflict.current, user=request.user)
            rows = [
                (
                    form.fields[name].label or name,
                    _display(form.cleaned_data.get(name), form.fields[name]),
                    _display(getattr(conflict.current, name), form.fields[name]),
                )
                for name in form._meta.fields or ()
            ]
            return render(
                request,
                "cases/conflict.html",
                {
                    "title": title,
                    "rows": rows,
                    "form": fresh_form,
                    "mine": form,
                    "young_person": young_person,
                    "done_url": done_url,
                },
                status=409,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, "Changes saved.")
            return redirect(done_url)
    return render(
        request,
        "cases/record_form.html",
        {"form": form, "title": title, "young_person": young_person, "submit": "Save changes"},
    )


def _display(value: Any, field: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    choices = getattr(field, "choices", None)
    if choices:
        for key, label in choices:
            if str(key) == str(getattr(value, "pk", value)):
                return str(label)
    return str(value)


def _updater(service: Callable[..., Model], keyword: str) -> Callable[..., Model]:
    def update(*, instance: Model, **kwargs: Any) -> Model:
        return service(**{keyword: instance}, **kwargs)

    return update


# --- Risk assessment -----------------------------------------------------------------------


def assessment_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    tool = RiskTool.objects.filter(is_active=True).prefetch_related("items").order_by("-id").first()
    if tool is None:
        raise Http404
    form = forms.RiskAssessmentForm(posted(request), tool=tool)
    return form_view(
        request,
        form,
        lambda: services.risk_assessment_create(
            actor=request.user,
            young_person=young_person,
            tool=tool,
            assessed_on=form.cleaned_data["assessed_on"],
            answers=form.answers(),
            override_level=form.cleaned_data["override_level"],
            override_reason=form.cleaned_data["override_reason"],
            reassessment_due=form.cleaned_data["reassessment_due"],
        ),
        success=lambda assessment: f"Risk assessed as {assessment.get_level_display()}.",
        done=lambda assessment: reverse("cases:assessment_detail", args=[assessment.pk]),
        title=f"Risk screening ({tool})",
        young_person=young_person,
        submit="Score and save",
    )


def assessment_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = permissions.risk_assessment_policy.get_for_user_or_404(request.user, pk)
    _log_view(request, assessment)
    answers = assessment.answers.select_related("item").order_by("item__order")
    score_history = selectors.young_person_records(
        user=request.user, young_person=assessment.young_person
    )["assessments"]
    return render(
        request,
        "cases/assessment_detail.html",
        {
            "assessment": assessment,
            "young_person": assessment.young_person,
            "answers": answers,
            "score_history": score_history,
        },
    )


# --- The registry: one declaration per record type, served by the class-based views --------


def _young_person_page(record: Model) -> str:
    young_person_id = record.pk if isinstance(record, YoungPerson) else record.young_person_id  # type: ignore[attr-defined]
    return reverse("cases:young_person_detail", args=[young_person_id])


@dataclass(frozen=True)
class RecordPages:
    """The pages of one record type. ``kind`` names the URLs (``<kind>_create``, ``_edit``,
    ``_detail``, ``_history``); ``segment`` is its URL path part."""

    kind: str
    segment: str
    # The record type's declaration for the generic services: its policy, create and update.
    record_type: RecordType[Any]
    form_class: type[forms.VersionedForm] | None = None
    # A create page (when titled): the form's title and what is said once it is saved.
    create_title: str = ""
    created: str = ""
    # An edit page (when titled).
    edit_title: str = ""
    # Where an edit returns to (default: the young person's page).
    done: Callable[[Model], str] = _young_person_page
    detail_template: str = ""
    detail_context: Callable[[Model], dict[str, Any]] | None = None
    history: bool = True

    @property
    def policy(self) -> PermissionPolicy[Any]:
        return self.record_type.policy


class RecordView(View):
    """Base of the record pages: ``pages`` is set per URL from the registry. Every method is
    handled as the function views were (GET shows, POST submits)."""

    pages: RecordPages = None  # type: ignore[assignment]  # set per URL by as_view(pages=...)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.handle(cast(AuthenticatedRequest, request), kwargs["pk"])

    def handle(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        raise NotImplementedError


class RecordCreateView(RecordView):
    """Add a record to a young person's case (pk is the young person's)."""

    def handle(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        pages = self.pages
        assert pages.form_class is not None  # noqa: S101
        return _create_for_case(
            request,
            pk,
            form_class=pages.form_class,
            service=pages.record_type.create,
            title=pages.create_title,
            success=pages.created,
        )


class RecordDetailView(RecordView):
    def handle(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        pages = self.pages
        record = pages.policy.get_for_user_or_404(request.user, pk)
        _log_view(request, record)
        context: dict[str, Any] = {
            pages.kind: record,
            "young_person": record.young_person,
            "can_edit": pages.policy.can_edit(request.user, record),
            # Records of other apps about this one (a referral's IRD), as the user may see.
            "record_links": extensions.record_links(user=request.user, record=record),
        }
        if pages.detail_context is not None:
            context.update(pages.detail_context(record))
        return render(request, pages.detail_template, context)


class RecordEditView(RecordView):
    def handle(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        pages = self.pages
        assert pages.form_class is not None  # noqa: S101
        record = pages.policy.get_for_user_or_404(request.user, pk)
        return _edit_record(
            request,
            record,
            form_class=pages.form_class,
            update=pages.record_type.update,
            title=pages.edit_title,
            done_url=pages.done(record),
            young_person=record if isinstance(record, YoungPerson) else record.young_person,
        )


class RecordHistoryView(RecordView):
    def handle(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        record = record_open(
            request, self.pages.policy.get_for_user_or_404, pk, detail={"page": "history"}
        )
        young_person = record if isinstance(record, YoungPerson) else record.young_person
        return render(
            request,
            "cases/history.html",
            {
                "record": record,
                "young_person": young_person,
                "entries": selectors.record_history(record=record, user=request.user),
            },
        )


RECORD_PAGES: tuple[RecordPages, ...] = (
    RecordPages(
        kind="young_person",
        segment="young-people",
        record_type=services.YOUNG_PERSON,
        form_class=forms.YoungPersonForm,
        edit_title="Change young person's details",
    ),
    RecordPages(
        kind="referral",
        segment="referrals",
        record_type=services.REFERRAL,
        form_class=forms.ReferralForm,
        create_title="Log a referral",
        created="Referral logged.",
        edit_title="Change referral",
        done=lambda record: reverse("cases:referral_detail", args=[record.pk]),
        detail_template="cases/referral_detail.html",
    ),
    RecordPages(
        kind="marker",
        segment="markers",
        record_type=services.MARKER,
        form_class=forms.MarkerForm,
        create_title="Add a CSE marker",
        created="CSE marker added.",
        edit_title="Change CSE marker",
    ),
    RecordPages(
        kind="missing",
        segment="missing",
        record_type=services.MISSING_EPISODE,
        form_class=forms.MissingEpisodeForm,
        create_title="Record a missing episode",
        created="Missing episode recorded.",
        edit_title="Change missing episode",
        done=lambda record: reverse("cases:missing_detail", args=[record.pk]),
        detail_template="cases/missing_detail.html",
        detail_context=lambda episode: {
            "episode": episode,
            "clock": selectors.return_discussion_clock(episode),  # type: ignore[arg-type]
        },
    ),
    RecordPages(
        kind="support",
        segment="support",
        record_type=services.SUPPORT,
        form_class=forms.SupportForm,
        create_title="Record support offered",
        created="Support recorded.",
        edit_title="Change support",
    ),
    RecordPages(
        kind="feedback",
        segment="feedback",
        record_type=services.FEEDBACK,
        form_class=forms.FeedbackForm,
        create_title="Record feedback",
        created="Feedback recorded.",
        history=False,
    ),
    # Created and shown by assessment_create / assessment_detail above; history from here.
    RecordPages(kind="assessment", segment="assessments", record_type=services.RISK_ASSESSMENT),
)


def record_urlpatterns() -> list[URLPattern]:
    """The create, detail, edit and history URLs of every registered record type, with the
    paths and names the pages have always had."""
    patterns = []
    for pages in RECORD_PAGES:
        segment = pages.segment
        # A record is added from its young person's page. The young person's history sits
        # under its page; the others under their kind.
        new = f"young-people/<int:pk>/{segment}/new/"
        history = segment if pages.kind == "young_person" else pages.kind
        patterns += registry_paths(
            pages,
            [
                (pages.create_title, new, "create", RecordCreateView),
                (pages.detail_template, f"{segment}/<int:pk>/", "detail", RecordDetailView),
                (pages.edit_title, f"{segment}/<int:pk>/edit/", "edit", RecordEditView),
                (pages.history, f"{history}/<int:pk>/history/", "history", RecordHistoryView),
            ],
        )
    return patterns
