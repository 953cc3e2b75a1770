"""The project's authorization matrix: every URL pattern x method x persona x relation.

Per-app matrices (tests/cases, tests/maog, tests/actions, tests/performance) keep their
own persona names; this module imports their expectations and translates each app's
personas into the nine project personas below by their *relation* to the objects of one
shared world, so an expectation is declared once. URLs outside those apps (sign-in,
two-factor, password, health check) are declared here.

Relation to the object is carried by the persona and the id used:
- own agency: owner_practitioner, owner_manager (Children and Families Service, "cfs");
- shared: shared_agency (NHS; the case and the person of concern are shared with it) and
  maog (police; the case is shared with police, the MAOG sees every person of concern);
- other agency: other_agency (Barnardo's: nothing is shared with it);
- none: the same URL with an id that does not exist (every persona must get 404).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import IntegerField
from django.urls import reverse

from tests.actions.test_permission_matrix import EXPECTATIONS as ACTIONS_EXPECTATIONS
from tests.cases.test_permission_matrix import EXPECTATIONS as CASES_EXPECTATIONS
from tests.casework.test_permission_matrix import (
    CASEWORK_EXPECTATIONS,
    CASEWORK_IN_REACH_WRITES,
)
from tests.maog.test_permission_matrix import INTEL_EXPECTATIONS
from tests.performance.test_pages import EXPECTED as PERFORMANCE_EXPECTED

PERSONAS = (
    "owner_practitioner",
    "owner_manager",
    "other_agency",
    "shared_agency",
    "maog",
    "vap_chair",
    "clerk",
    "admin",
    "anonymous",
)
MISSING_ID = 999_999
SIGN_IN = 302  # anonymous visitors are sent to the sign-in page

# Each app's persona that stands in the same relation as ours (see the module docstring).
CASES_PERSONA = {
    "owner_practitioner": "owner_practitioner",
    "owner_manager": "owner_manager",
    "other_agency": "other_agency",
    "shared_agency": "shared_agency",
    "maog": "shared_agency",  # a police caseworker; the case is shared with police
    "vap_chair": "vap_chair",
    "clerk": "clerk",
    "admin": "admin",
}
INTEL_PERSONA = {p: p for p in PERSONAS if p != "anonymous"}
ACTIONS_PERSONA = {
    "owner_practitioner": "practitioner",
    "owner_manager": "lead_manager",  # cfs leads action item 3, the one the matrix addresses
    "other_agency": "practitioner",
    "shared_agency": "practitioner",
    "maog": "practitioner",  # MAOG membership gives nothing in the action plan
    "vap_chair": "vap_chair",
    "clerk": "clerk",
    "admin": "admin_user",
    "anonymous": "anonymous",
}
PERFORMANCE_PERSONA = {
    "owner_practitioner": "cfs_practitioner",
    "owner_manager": "cfs_manager",
    "other_agency": "cfs_practitioner",
    "shared_agency": "cfs_practitioner",
    "maog": "cfs_practitioner",
    "vap_chair": "vap_chair",
    "clerk": "clerk",
    "admin": "admin_user",
    "anonymous": "anonymous",
}

# What POST does, per URL (GET statuses are the per-app matrices'):
# - FORM: the view takes POST; an empty POST re-renders the form (same status as GET) and
#   writes nothing; out of reach it is 404 before the form is read.
# - READ: a read-only view that does not restrict methods, so POST answers exactly as GET
#   (200 or 404). Accepted because it writes nothing (checked row by row), and 404 stays 404.
# - GET_ONLY: the view is decorated require_GET: POST is 405 for every signed-in persona,
#   in reach or not, existing object or not, so 405 reveals nothing.
FORM, READ, GET_ONLY = "form", "read", "get_only"

POST_KIND: dict[str, str] = {
    # partnership (declared in full below)
    "home": READ,
    "login": FORM,
    "logout": FORM,
    "two_factor_setup": FORM,
    "two_factor_verify": FORM,
    "password_change": FORM,
    "agency_access_log": GET_ONLY,
    "healthz": READ,
    "readyz": READ,
    # governance (declared in full below, with the partnership URLs)
    "governance:home": READ,
    "governance:retention_queue": FORM,
    "governance:access_audit": READ,
    "governance:access_audit_csv": READ,
    "governance:privacy_notice": READ,
    "governance:sar_start": FORM,
    "governance:sar_detail": READ,
    "governance:sar_pdf": READ,
    "governance:sar_json": READ,
    # cases
    "cases:my_work": READ,
    "cases:attention": READ,
    "cases:young_person_list": READ,
    "cases:young_person_find": READ,
    "cases:young_person_create": FORM,
    "cases:young_person_detail": READ,
    "cases:young_person_edit": FORM,
    "cases:chronology": READ,
    "cases:young_person_history": READ,
    "cases:access_log": READ,
    "cases:share_create": FORM,
    "cases:share_revoke": FORM,
    "cases:referral_create": FORM,
    "cases:marker_create": FORM,
    "cases:assessment_create": FORM,
    "cases:missing_create": FORM,
    "cases:support_create": FORM,
    "cases:feedback_create": FORM,
    "cases:referral_list": READ,
    "cases:referral_start": FORM,
    "cases:referral_detail": READ,
    "cases:referral_edit": FORM,
    "cases:marker_edit": FORM,
    "cases:assessment_detail": READ,
    "cases:missing_list": READ,
    "cases:missing_detail": READ,
    "cases:missing_edit": FORM,
    "cases:support_edit": FORM,
    "cases:referral_history": READ,
    "cases:missing_history": READ,
    "cases:marker_history": READ,
    "cases:support_history": READ,
    "cases:assessment_history": READ,
    # cases: MAOG pages
    "maog:person_list": READ,
    "maog:person_find": READ,
    "maog:person_create": FORM,
    "maog:person_detail": READ,
    "maog:person_edit": FORM,
    "maog:person_history": READ,
    "maog:person_share": FORM,
    "maog:person_share_revoke": FORM,
    "maog:vehicle_list": READ,
    "maog:handle_list": READ,
    "maog:person_link_create": FORM,
    "maog:person_network": READ,
    "maog:young_person_network": READ,
    "maog:place_list": READ,
    "maog:place_create": FORM,
    "maog:place_detail": READ,
    "maog:place_edit": FORM,
    "maog:place_history": READ,
    "maog:place_link_create": FORM,
    "maog:vehicle_create": FORM,
    "maog:vehicle_detail": READ,
    "maog:vehicle_edit": FORM,
    "maog:handle_create": FORM,
    "maog:handle_detail": READ,
    "maog:handle_edit": FORM,
    "maog:allegation_list": READ,
    "maog:allegation_create": FORM,
    "maog:allegation_detail": READ,
    "maog:allegation_edit": FORM,
    "maog:allegation_history": READ,
    "maog:intelligence_list": READ,
    "maog:intelligence_create": FORM,
    "maog:intelligence_detail": READ,
    "maog:intelligence_edit": FORM,
    "maog:intelligence_history": READ,
    "maog:networks": READ,
    "maog:hotspots": READ,
    # actions
    "actions:plan": GET_ONLY,
    "actions:plan_export": GET_ONLY,
    "actions:item_detail": GET_ONLY,
    "actions:update_form": FORM,
    "actions:request_update": FORM,
    "actions:target_date": FORM,
    "actions:evidence_download": GET_ONLY,
    "actions:activity_list": GET_ONLY,
    "actions:activity_create": FORM,
    # casework
    "casework:my_tasks": GET_ONLY,
    "casework:ird_list": GET_ONLY,
    "casework:ird_create": FORM,
    "casework:ird_detail": GET_ONLY,
    "casework:action_create": FORM,
    "casework:action_detail": GET_ONLY,
    "casework:action_complete": FORM,
    "casework:note_list": GET_ONLY,
    "casework:note_create": FORM,
    "casework:note_detail": GET_ONLY,
    "casework:meeting_list": GET_ONLY,
    "casework:meeting_create": FORM,
    "casework:meeting_detail": GET_ONLY,
    "casework:agency_cases": GET_ONLY,
    "casework:agency_case_open": FORM,
    "casework:agency_case_detail": GET_ONLY,
    "casework:agency_case_change": FORM,
    "casework:transfer_create": FORM,
    "casework:transfer_detail": GET_ONLY,
    "casework:safety_plan_list": GET_ONLY,
    "casework:safety_plan_detail": GET_ONLY,
    "casework:safety_plan_create": FORM,
    "casework:safety_plan_review": FORM,
    "casework:transfer_decide": FORM,
    "casework:conference_chronology": GET_ONLY,
    "casework:conference_chronology_csv": GET_ONLY,
    "casework:conference_chronology_pdf": GET_ONLY,
    "casework:document_list": GET_ONLY,
    "casework:document_upload": FORM,
    "casework:document_detail": GET_ONLY,
    "casework:document_download": GET_ONLY,
    # performance
    "performance:dashboard": GET_ONLY,
    "performance:reports": FORM,
    "performance:report_status": GET_ONLY,
    "performance:report_download": GET_ONLY,
    "performance:report_step": FORM,  # POST only: see POST_ONLY below
}

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


def _everyone(status: int, anonymous: int = SIGN_IN) -> dict[str, int]:
    return {**dict.fromkeys(SIGNED_IN, status), "anonymous": anonymous}


# Sign-in, account and health URLs: (GET, POST) per persona. Tests run with two-factor off
# (cse_portal/settings/test.py); tests/security/test_sign_in.py covers it switched on.
PARTNERSHIP: dict[str, tuple[dict[str, int], dict[str, int]]] = {
    # Every role is sent to where its work is (admins to the admin site).
    "home": (_everyone(302), _everyone(302)),
    # redirect_authenticated_user: signed-in users are sent on; an empty POST re-renders.
    "login": (_everyone(302, anonymous=200), _everyone(302, anonymous=200)),
    # Django's LogoutView is POST-only; POST signs out and redirects.
    "logout": (_everyone(405), _everyone(302)),
    # Not enrolled yet: set-up shows the QR code; verify sends to set-up.
    "two_factor_setup": (_everyone(200), _everyone(200)),
    "two_factor_verify": (_everyone(302), _everyone(302)),
    "password_change": (_everyone(200), _everyone(200)),
    # Only an information governance officer reads their agency's log (no persona here is one).
    "agency_access_log": (_everyone(404), _everyone(405)),
    # Load balancers probe it without signing in; it reads "SELECT 1" and nothing else.
    "healthz": (_everyone(200, anonymous=200), _everyone(200, anonymous=200)),
    "readyz": (_everyone(200, anonymous=200), _everyone(200, anonymous=200)),
    # Information governance: only an IG officer (no persona here is one) opens these; an
    # agency manager also sees the unusual-access flags (tests/governance covers the IG officer).
    **{
        name: (_everyone(404), _everyone(404))
        for name in (
            "governance:home",
            "governance:retention_queue",
            "governance:access_audit_csv",
            "governance:privacy_notice",
            "governance:sar_start",
        )
    },
    "governance:access_audit": (
        {**_everyone(404), "owner_manager": 200},
        {**_everyone(404), "owner_manager": 200},
    ),
}
# The subject access request pages address a request: none exists in the world, so 404.
GOVERNANCE_BY_ID = ("governance:sar_detail", "governance:sar_pdf", "governance:sar_json")


@dataclass(frozen=True)
class Row:
    """One URL pattern's declared expectations."""

    name: str
    get: dict[str, int]  # persona -> status with the real object (or no object)
    post: dict[str, int]  # persona -> status of an empty POST with the real object
    kwargs: Callable[[dict], dict[str, Any]]  # world -> URL kwargs for the real object
    missing_kwargs: Callable[[dict], dict[str, Any]] | None = None  # world -> a non-existent id
    source: str = field(default="tests/security/authorization.py")
    object_key: str | None = None  # world["objects"][key] is the record the URL addresses

    def url(self, world: dict, *, missing: bool = False) -> str:
        if missing:
            assert self.missing_kwargs is not None
            return reverse(self.name, kwargs=self.missing_kwargs(world))
        return reverse(self.name, kwargs=self.kwargs(world))

    @property
    def addresses_an_object(self) -> bool:
        return self.missing_kwargs is not None


# The only empty POSTs that complete an act: revoking a share (of a case or of a person of
# concern) asks for an optional reason,
# so the owner's manager confirming with nothing typed revokes it (and is redirected); an
# item's target date is optional, so the VAP chair saving an empty form clears it.
# The matrix runs each POST in a savepoint it rolls back, so the world stays as built.
IN_REACH_WRITES: dict[str, dict[str, int]] = {
    "cases:share_revoke": {"owner_manager": 302},
    "maog:person_share_revoke": {"owner_manager": 302},
    "actions:target_date": {"vap_chair": 302},
    **CASEWORK_IN_REACH_WRITES,
}


# Views that take only POST (GET answers 405): what an empty POST answers. A report's
# lifecycle step: 404 for whoever may not take it (the clerk may see the report but not submit
# it), and for the VAP chair a redirect back with the refusal (the world's report is
# published, so nothing changes; tests/performance/test_lifecycle.py walks the steps).
POST_ONLY: dict[str, dict[str, int]] = {
    "performance:report_step": {
        **{persona: 404 for persona in PERSONAS},
        "vap_chair": 302,
        "anonymous": SIGN_IN,
    },
}


def _post_from_get(name: str, get: dict[str, int]) -> dict[str, int]:
    kind = POST_KIND[name]
    if name in POST_ONLY:
        return POST_ONLY[name]
    if kind == GET_ONLY:
        return {p: (SIGN_IN if p == "anonymous" else 405) for p in PERSONAS}
    return {**get, **IN_REACH_WRITES.get(name, {})}


def _case_app_rows(expectations: dict, persona_map: dict[str, str], source: str) -> list[Row]:
    """Rows from a matrix shaped like tests/cases' (object key, {persona: status})."""
    rows = []
    for name, (object_key, allowed) in expectations.items():
        get = {p: allowed.get(persona_map[p], 404) for p in SIGNED_IN}
        get["anonymous"] = SIGN_IN
        if object_key is None:
            kwargs, missing = (lambda world: {}), None
        else:
            kwargs = lambda world, key=object_key: {"pk": world["objects"][key].pk}  # noqa: E731
            missing = lambda world: {"pk": MISSING_ID}  # noqa: E731
        rows.append(Row(name, get, _post_from_get(name, get), kwargs, missing, source, object_key))
    return rows


def _missing_action_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same URL addressing an item, evidence or register kind that does not exist."""
    return {
        key: (MISSING_ID if isinstance(value, int) else "no-such-kind" if key == "kind" else value)
        for key, value in kwargs.items()
    }


def _actions_rows() -> list[Row]:
    rows = []
    for name, (kwargs_for, expected) in ACTIONS_EXPECTATIONS.items():
        get = {p: expected[ACTIONS_PERSONA[p]] for p in PERSONAS}

        def kwargs(world: dict, kwargs_for: Callable = kwargs_for) -> dict[str, Any]:
            return kwargs_for(world["actions_ctx"])

        def missing(world: dict, kwargs_for: Callable = kwargs_for) -> dict[str, Any]:
            return _missing_action_kwargs(kwargs_for(world["actions_ctx"]))

        has_object = bool(kwargs_for({"period": _AnyPeriod(), "evidence_id": 1}))
        rows.append(
            Row(
                name,
                get,
                _post_from_get(name, get),
                kwargs,
                missing if has_object else None,
                "tests/actions/test_permission_matrix.py",
            )
        )
    return rows


class _AnyPeriod:
    code = "2025-26-H1"


def _step_of(name: str) -> dict[str, str]:
    """The lifecycle step URL is asked with a step, as tests/performance/test_pages.py does."""
    return {"step": "submit"} if name == "performance:report_step" else {}


def _performance_rows() -> list[Row]:
    rows = []
    for name, expected in PERFORMANCE_EXPECTED.items():
        get = {p: expected[PERFORMANCE_PERSONA[p]] for p in PERSONAS}
        has_object = "report_" in name  # as tests/performance/test_pages.py decides
        step = _step_of(name)
        rows.append(
            Row(
                name,
                get,
                _post_from_get(name, get),
                (lambda world, extra=step: {"pk": world["objects"]["report"].pk} | extra)
                if has_object
                else (lambda world: {}),
                (lambda world, extra=step: {"pk": MISSING_ID} | extra) if has_object else None,
                "tests/performance/test_pages.py",
            )
        )
    return rows


def _partnership_rows() -> list[Row]:
    return [
        *(Row(name, get, post, lambda world: {}) for name, (get, post) in PARTNERSHIP.items()),
        *(
            Row(name, _everyone(404), _everyone(404), lambda world: {"pk": MISSING_ID})
            for name in GOVERNANCE_BY_ID
        ),
    ]


def matrix() -> dict[str, Row]:
    """Every declared URL pattern, by namespaced name."""
    rows = [
        *_partnership_rows(),
        *_case_app_rows(
            {k: v for k, v in CASES_EXPECTATIONS.items() if k not in INTEL_EXPECTATIONS},
            CASES_PERSONA,
            "tests/cases/test_permission_matrix.py",
        ),
        # The intel matrix names its personas as we do (plus non_maog, left out here).
        *_case_app_rows(INTEL_EXPECTATIONS, INTEL_PERSONA, "tests/maog/test_permission_matrix.py"),
        *_actions_rows(),
        *_case_app_rows(
            CASEWORK_EXPECTATIONS, INTEL_PERSONA, "tests/casework/test_permission_matrix.py"
        ),
        *_performance_rows(),
    ]
    table = {row.name: row for row in rows}
    assert len(table) == len(rows), "a URL is declared twice"
    return table


# --- Every record type with a policy -----------------------------------------------------

# The record type an action-plan URL addresses, by the URL argument that names the record
# (a register kind names its policy in actions.permissions.ACTIVITY_POLICIES).
ACTIONS_RECORD_ARGUMENTS = {
    "number": "actions.actionitem",
    "period_code": "actions.progressupdate",
    "evidence_id": "actions.evidence",
}
# Registered record types no URL addresses by id, and why. Any other registered policy must
# have a matrix row addressing one of its records (test_authorization_matrix), so a new
# record type cannot be left out of the matrix.
NOT_ADDRESSED_BY_ID: dict[str, str] = {
    "cases.feedback": "recorded from the young person's page (cases:feedback_create), no page "
    "of its own",
    "maog.link": "links are shown and added on the pages of the records they join; the "
    "networks list (maog:networks) is their only page",
}


def addressed_record_types(world: dict) -> set[str]:
    """Labels of the record types whose records the matrix's URLs address by id."""
    from actions.permissions import ACTIVITY_POLICIES

    found = set()
    for row in matrix().values():
        if row.object_key is not None:
            found.add(world["objects"][row.object_key]._meta.label_lower)
        if row.source != "tests/actions/test_permission_matrix.py":
            continue
        for argument, value in row.kwargs(world).items():
            if argument == "kind":
                found.add(ACTIVITY_POLICIES[value].model._meta.label_lower)
            elif argument in ACTIONS_RECORD_ARGUMENTS:
                found.add(ACTIONS_RECORD_ARGUMENTS[argument])
    return found


# --- Nothing written ---------------------------------------------------------------------

# Tables a request may legitimately write without changing any record: the access log
# (views are logged on purpose), sessions, two-factor enrolment devices and throttling.
UNWATCHED = {
    "audit.AccessEvent",
    "sessions.Session",
    "otp_totp.TOTPDevice",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessAttemptExpiration",
    "axes.AccessLog",
}


def _snapshot_sql() -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    columns, labels = [], []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in UNWATCHED or not model._meta.managed or model._meta.proxy:
            continue
        table = quote(model._meta.db_table)
        # Table names come from the model registry, quoted; no user input reaches this SQL.
        columns.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608
        labels.append(f"{label} rows")
        # Optimistic-lock versions are integers (RiskTool.version is a label, not a lock).
        if any(
            f.name == "version" and isinstance(f, IntegerField) for f in model._meta.concrete_fields
        ):
            total = f"(SELECT COALESCE(SUM({quote('version')}), 0) FROM {table})"  # noqa: S608
            columns.append(total)
            labels.append(f"{label} versions")
    return "SELECT " + ", ".join(columns), labels


def snapshot() -> dict[str, int]:
    """Row counts of every table (history tables included: any save adds a history row)
    and the sum of every optimistic-lock version, in one query."""
    sql, labels = _snapshot_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(labels, cursor.fetchone(), strict=True))


def changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return [f"{k}: {before[k]} -> {after[k]}" for k in before if before[k] != after[k]]


# --- Form replay -------------------------------------------------------------------------


class _FormParser(HTMLParser):
    """The fields a browser would submit from the page's POST forms (not the sign-out one)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            is_post = a.get("method", "").lower() == "post"
            self._form = {} if is_post and "sign-out" not in a.get("action", "") else None
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self._form[name] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
                self._form.setdefault(self._select, value)
            if "selected" in a:
                self._form[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self._form[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data


def form_data(html: str) -> dict[str, str]:
    """The largest POST form on the page, as the browser would submit it unchanged."""
    parser = _FormParser()
    parser.feed(html)
    forms = sorted(parser.forms, key=len, reverse=True)
    data = dict(forms[0]) if forms else {}
    data.pop("csrfmiddlewaretoken", None)
    return data


# --- Forbidden and missing look the same -------------------------------------------------

_VOLATILE = re.compile(r'(value|nonce|content)="[A-Za-z0-9+/=_-]{20,}"')


def normalise(content: bytes) -> str:
    """A page without its per-response CSRF token and CSP nonce."""
    return _VOLATILE.sub("", content.decode(errors="replace"))
