"""Cross-agency lookups (the duplicate check and the search before create) are rate-limited.

The duplicate check tells a caseworker that another agency holds a child with the same name
and date of birth. Unbounded, it is an oracle: a sweep of dates finds a child's date of birth
(issue 13). So each user has a budget of lookups per window (django-ratelimit, counted in
the shared cache); every lookup is logged; the first lookup over the budget in a window
alerts the user's agency managers, and further lookups in that window get no answer.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from audit.models import AccessEvent
from audit.services import access_event_record
from partnership.policy import is_active_user
from partnership.roles import Role

logger = logging.getLogger(__name__)

LOOKUP_GROUP = "cse.cross-agency-lookup"
LOOKUP_LIMITED_MESSAGE = (
    "You have searched across agencies many times in a short while, so searching is paused "
    "for up to an hour. Your agency's managers have been told. Speak to them if you need to "
    "search now."
)
ALERT_SUBJECT = "CSE Portal: unusual number of searches across agencies"


def lookup_allowed(request: HttpRequest, *, kind: str) -> bool:
    """Count one lookup by request.user and say whether it may be answered.

    Fails closed: when the rate-limit cache cannot be reached the lookup is not answered
    (the page still works). Crossing the budget alerts the agency's managers once per window.
    """
    try:
        usage = get_usage(
            request,
            group=LOOKUP_GROUP,
            key="user",
            rate=settings.CSE_LOOKUP_RATE,
            increment=True,
        )
    except Exception:  # the cache (Redis) is down: no answer rather than an oracle or a 500
        logger.warning("lookup rate-limit cache unavailable; lookup refused", exc_info=True)
        return False
    if usage is None or not usage["should_limit"]:
        return True
    if usage["limit"] and usage["count"] == usage["limit"] + 1:
        _alert_managers(request, kind=kind, lookups=usage["count"])
    return False


def lookup_refused(request: HttpRequest, *, kind: str, object_type: str) -> bool:
    """`lookup_allowed`, and a refused lookup goes in the access log as one (every lookup
    is logged: the answered ones by the view, with what they found)."""
    if lookup_allowed(request, kind=kind):
        return False
    access_event_record(
        actor=request.user,
        action=AccessEvent.Action.SEARCH,
        object_type=object_type,
        request=request,
        detail={"limited": True},
    )
    return True


def _alert_managers(request: HttpRequest, *, kind: str, lookups: int) -> None:
    """Tell the user's agency managers (by email, and in the access log) without names."""
    user = request.user
    if not is_active_user(user):  # not reached: lookups are made by signed-in caseworkers
        return
    access_event_record(
        actor=user,
        action=AccessEvent.Action.NOTIFY,
        object_type="partnership.user",
        object_id=user.pk,
        request=request,
        detail={"alert": "lookup_threshold", "kind": kind, "lookups": lookups},
    )
    if user.agency_id is None:
        return  # no agency, so no managers to tell (agency_id=None would match other such users)
    managers = list(
        get_user_model()
        .objects.filter(
            agency_id=user.agency_id, is_active=True, groups__name=Role.AGENCY_MANAGER.value
        )
        .exclude(pk=user.pk)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not managers:
        return
    body = (
        f"{user.get_full_name() or user.get_username()} ({user.get_username()}) has made more "
        f"than {lookups - 1} searches across agencies in a short time (the limit is "
        f"{settings.CSE_LOOKUP_RATE}). Searching is paused for them until the limit resets.\n\n"
        "Many searches in a short time can be an attempt to find a child's details by trying "
        "dates of birth. The searches are in the access log."
    )
    try:
        send_mail(ALERT_SUBJECT, body, settings.DEFAULT_FROM_EMAIL, managers)
    except Exception:  # the access-log row above is the durable record of the alert
        logger.exception("could not email the lookup alert")
