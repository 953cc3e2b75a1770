"""Case pages: home, lists, search before create, the young person's page, chronology, access
log. Views are thin: they ask the permission policies (cases.permissions), read
through selectors and write through services. Anything out of reach answers 404."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.http import AuthenticatedRequest
from audit.models import AccessEvent
from audit.selectors import access_events_for_object
from audit.services import access_event_record, record_viewed
from cases import forms, permissions, selectors, services
from cases.chronology import young_person_chronology
from partnership.lookup_limits import LOOKUP_LIMITED_MESSAGE, lookup_refused
from records.views import form_view, posted

PAGE_SIZE = 25


def _require_caseworker(request: AuthenticatedRequest) -> None:
    if not permissions.is_caseworker(request.user):
        raise Http404


def _page(
    request: AuthenticatedRequest, queryset: Any, count: int | None = None, cap: int | None = None
) -> Any:
    paginator = Paginator(queryset, PAGE_SIZE)
    if count is not None:
        # The selector's index-friendly count (see selectors "List counts") replaces
        # queryset.count(); Paginator.count is a cached_property, so this is what it uses.
        # Past the cap the list says "more than" and pages stop at the cap: nobody pages
        # through 10,000 referrals, they filter (and exact counts cost a scan, see bench/).
        paginator.count = min(count, cap) if cap else count
        paginator.count_capped = bool(cap and count > cap)  # type: ignore[attr-defined]
    return paginator.get_page(request.GET.get("page"))


def _query_without(request: AuthenticatedRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _log_view(request: AuthenticatedRequest, record: Model) -> None:
    """A record about a child is part of the child's record: every view is logged."""
    access_event_record(
        actor=request.user,
        action=AccessEvent.Action.VIEW,
        instance=record,
        request=request,
        detail={"young_person": getattr(record, "young_person_id", record.pk)},
    )


# --- Home and attention --------------------------------------------------------------------


def my_work(request: AuthenticatedRequest) -> HttpResponse:
    """The practitioner's and manager's home: my agency's work."""
    _require_caseworker(request)
    attention = selectors.attention_lists(user=request.user)
    return render(
        request,
        "cases/my_work.html",
        {
            "summary": selectors.my_work_summary(user=request.user),
            "attention_counts": {name: qs.count() for name, qs in attention.items()},
            "recent_referrals": selectors.referral_list(user=request.user)[:5],
        },
    )


ATTENTION_ROWS = 25


@dataclass
class AttentionGroup:
    rows: list[Any]  # annotated records, each given its tag's figures below
    total: int


def attention(request: AuthenticatedRequest) -> HttpResponse:
    _require_caseworker(request)
    lists = selectors.attention_lists(user=request.user)
    now, today = timezone.now(), timezone.localdate()
    target = settings.CSE_RETURN_DISCUSSION_TARGET_HOURS
    # Each group: its most urgent rows and how many there are in all.
    groups: dict[str, AttentionGroup] = {
        name: AttentionGroup(rows=list(queryset[:ATTENTION_ROWS]), total=queryset.count())
        for name, queryset in lists.items()
    }
    # What each row's tag says (at most ATTENTION_ROWS rows a group).
    for episode in groups["return_overdue"].rows:
        since_return = int((now - episode.located_at).total_seconds() // 3600)
        episode.overdue_hours = since_return - target
    for young_person in groups["reassessment_due"].rows:
        young_person.days_overdue = (today - young_person.due).days
        young_person.overdue_hours = young_person.days_overdue * 24
    # Each group shows its most urgent rows and says how many there are in all: a task list
    # to work from, not a page of thousands of links.
    return render(
        request,
        "cases/attention.html",
        {
            "groups": groups,
            "target_hours": target,
        },
    )


# --- Lists ---------------------------------------------------------------------------------


def _list_filters(
    request: AuthenticatedRequest, filter_form_class: Callable[..., Form]
) -> tuple[Form, dict[str, Any]]:
    """A list's filter form from the query string and the filters it gives (blanks left out,
    an agency by its id). Lists are for caseworkers only."""
    _require_caseworker(request)
    filter_form = filter_form_class(request.GET or None)
    filters: dict[str, Any] = {}
    if filter_form.is_bound and filter_form.is_valid():
        filters = {k: v for k, v in filter_form.cleaned_data.items() if v not in (None, "")}
        if filters.get("agency"):
            filters["agency"] = filters["agency"].pk
    return filter_form, filters


def _young_person_page(young_person: Any) -> str:
    return reverse("cases:young_person_detail", args=[young_person.pk])


def _sets_a_filter(request: AuthenticatedRequest, filter_form_class: type[Form]) -> bool:
    """Whether the query string carries any of the form's fields, a date field by its day,
    month or year box (``date_from_day``) as the performance dashboard's links fill them."""
    return any(
        key == name or key.startswith(f"{name}_")
        for key in request.GET
        for name in filter_form_class.base_fields
    )


def _list_view(
    request: AuthenticatedRequest,
    *,
    filter_form_class: type[Form],
    lister: Callable[..., tuple[Any, int]],
    template: str,
    sorts: dict[str, tuple[str, ...]],
) -> HttpResponse:
    filter_form: Any
    if _sets_a_filter(request, filter_form_class):
        filter_form, filters = _list_filters(request, filter_form_class)
        changed = filter_form.has_changed()
    else:
        # The list as opened, or only paged or sorted: no filter is set (the forms have no
        # initial values), and the form is built only if rendered, which its fragment cache
        # mostly spares (cases/_filters.html; tests/cases/test_list_rows.py).
        _require_caseworker(request)
        filter_form, filters, changed = SimpleLazyObject(lambda: filter_form_class(None)), {}, False
    sort = request.GET.get("sort", "")
    filters["sort"] = sort if sort in sorts else ""
    cap = settings.CSE_LIST_COUNT_CAP
    # The rows shown and the capped count, by statements compiled once per user and filters.
    rows, count = lister(user=request.user, filters=filters, cap=cap)
    page = _page(request, rows, count, cap=cap)
    return render(
        request,
        template,
        {
            "filter_form": filter_form,
            "filters_changed": changed,
            "page": page,
            "sort": filters["sort"],
            "query_without_page": _query_without(request, "page"),
            "query_without_sort": _query_without(request, "page", "sort"),
        },
    )


def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    return _list_view(
        request,
        filter_form_class=forms.ReferralFilterForm,
        lister=selectors.referral_list_page,
        template="cases/referral_list.html",
        sorts=selectors.REFERRAL_SORTS,
    )


def young_person_list(request: AuthenticatedRequest) -> HttpResponse:
    return _list_view(
        request,
        filter_form_class=forms.YoungPersonFilterForm,
        lister=selectors.young_person_list_page,
        template="cases/young_person_list.html",
        sorts=selectors.YOUNG_PERSON_SORTS,
    )


def missing_list(request: AuthenticatedRequest) -> HttpResponse:
    return _list_view(
        request,
        filter_form_class=forms.MissingFilterForm,
        lister=selectors.missing_episode_list_page,
        template="cases/missing_list.html",
        sorts=selectors.MISSING_SORTS,
    )


# --- Search before create ------------------------------------------------------------------


def young_person_find(request: AuthenticatedRequest) -> HttpResponse:
    """Step one of logging a referral or adding a young person: search, across agencies."""

    def search(data: dict[str, Any]) -> tuple[list[Any], list[Any]]:
        name = " ".join(p for p in (data["last_name"], data["first_name"]) if p).lower()
        results = selectors.young_person_search(
            user=request.user,
            text=data["last_name"].lower() if data["last_name"] else name,
            date_of_birth=data["date_of_birth"],
        )
        duplicates = selectors.young_person_duplicates(
            user=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
        )
        return list(results[:20]), [c for c in duplicates if c.young_person is None]

    return _search_first(
        request,
        forms.YoungPersonSearchForm,
        kind="young_person",
        object_type="cases.youngperson",
        search=search,
        template="cases/young_person_find.html",
        purpose="referral" if request.GET.get("for") == "referral" else "young_person",
        new_query=_query_without(request, "searched", "for"),
    )


def _search_first(
    request: AuthenticatedRequest,
    form_class: type[Form],
    *,
    kind: str,
    object_type: str,
    search: Callable[[dict[str, Any]], tuple[list[Any], list[Any]]],
    template: str,
    **context: Any,
) -> HttpResponse:
    """Search before create, for any record kind: ``search`` answers (what the user may see,
    likely duplicates out of reach). Every search is logged; past the lookup limit there is
    no answer (429)."""
    _require_caseworker(request)
    search_form = form_class(request.GET if "searched" in request.GET else None)
    results = duplicates = None
    searched = search_form.is_bound and search_form.is_valid()
    limited = searched and lookup_refused(request, kind=kind, object_type=object_type)
    if searched and not limited:
        results, duplicates = search(search_form.cleaned_data)
        access_event_record(
            actor=request.user,
            action=AccessEvent.Action.SEARCH,
            object_type=object_type,
            request=request,
            detail={"results": len(results), "duplicates": len(duplicates)},
        )
    return render(
        request,
        template,
        {
            "search_form": search_form,
            "results": results,
            "duplicates": duplicates,
            "limited_message": LOOKUP_LIMITED_MESSAGE if limited else "",
            **context,
        },
        status=429 if limited else 200,
    )


def young_person_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_caseworker(request)
    form = forms.YoungPersonForm(posted(request), initial=_initial_from_search(request))
    return form_view(
        request,
        form,
        lambda: services.young_person_create(actor=request.user, **form.changes()),
        success=lambda young_person: f"{young_person.full_name} added.",
        done=_young_person_page,
        title="Add a young person",
        submit="Add young person",
    )


def _initial_from_search(request: AuthenticatedRequest) -> dict[str, str]:
    """Carry what was searched for into the new record's form."""
    initial = {key: request.GET[key] for key in ("first_name", "last_name") if request.GET.get(key)}
    date_widget = forms.YoungPersonSearchForm.base_fields["date_of_birth"].widget
    date_of_birth = date_widget.value_from_datadict(request.GET, None, "date_of_birth")
    if date_of_birth:
        initial["date_of_birth"] = date_of_birth
    return initial


def referral_start(request: AuthenticatedRequest) -> HttpResponse:
    """Log a referral in one form: a new young person and the referral together.

    Reached from the search step; an existing young person goes to referral_create.
    """
    _require_caseworker(request)
    young_person_form = forms.YoungPersonForm(
        posted(request), initial=_initial_from_search(request)
    )
    referral_form = forms.ReferralForm(posted(request), prefix="referral")
    if request.method == "POST" and young_person_form.is_valid() and referral_form.is_valid():
        try:
            referral = services.referral_create_with_young_person(
                actor=request.user,
                young_person_fields=young_person_form.changes(),
                referral_fields=referral_form.changes(),
            )
        except ValidationError as error:
            _split_errors(error, young_person_form, referral_form)
        else:
            messages.success(request, "Referral logged.")
            return redirect("cases:referral_detail", pk=referral.pk)
    return render(
        request,
        "cases/referral_start.html",
        {"young_person_form": young_person_form, "referral_form": referral_form},
    )


def _split_errors(error: ValidationError, *forms_in_page: Any) -> None:
    """Route each field error to the form that has the field."""
    if not hasattr(error, "error_dict"):
        forms_in_page[-1].add_service_errors(error)
        return
    for field_name, messages_for_field in error.message_dict.items():
        target = next((f for f in forms_in_page if field_name in f.fields), forms_in_page[-1])
        target.add_service_errors(ValidationError({field_name: messages_for_field}))


# --- Young person's record -----------------------------------------------------------------


def young_person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    access_event_record(
        actor=request.user, action=AccessEvent.Action.VIEW, instance=young_person, request=request
    )
    records = selectors.young_person_records(user=request.user, young_person=young_person)
    return render(
        request,
        "cases/young_person_detail.html",
        {
            "young_person": young_person,
            "can_edit": permissions.young_person_policy.can_edit(request.user, young_person),
            "can_share": permissions.young_person_policy.can_share(request.user, young_person),
            **records,
            "episodes": [
                (episode, selectors.return_discussion_clock(episode))
                for episode in records["episodes"]
            ],
        },
    )


def chronology(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    access_event_record(
        actor=request.user,
        action=AccessEvent.Action.CHRONOLOGY,
        instance=young_person,
        request=request,
    )
    events = young_person_chronology(user=request.user, young_person=young_person)
    return render(
        request, "cases/chronology.html", {"young_person": young_person, "events": events}
    )


def access_log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    if not permissions.young_person_policy.can_see_access_log(request.user, young_person):
        raise Http404
    page = _page(request, access_events_for_object(instance=young_person))
    record_viewed(request=request, record=young_person, detail={"page": "access log"})
    return render(
        request,
        "cases/access_log.html",
        {"young_person": young_person, "page": page, "query_without_page": ""},
    )
