from typing import Any

from django.apps import AppConfig


def young_person_links(*, user: Any, young_person: Any) -> list[Any]:
    from django.urls import reverse

    from cases.extensions import PageLink
    from casework import permissions

    pk = young_person.pk
    links = [
        PageLink("IRDs", reverse("casework:ird_list", args=[pk]), "tab"),
        PageLink("Case notes", reverse("casework:note_list", args=[pk]), "tab"),
        PageLink("Meetings", reverse("casework:meeting_list", args=[pk]), "tab"),
        PageLink(
            "Conference chronology", reverse("casework:conference_chronology", args=[pk]), "tab"
        ),
        PageLink("Agency cases", reverse("casework:agency_cases", args=[pk]), "tab"),
        PageLink("Safety plans", reverse("casework:safety_plan_list", args=[pk]), "tab"),
        PageLink("Documents", reverse("casework:document_list", args=[pk]), "tab"),
        PageLink("Add a case note", reverse("casework:note_create", args=[pk]), "button"),
        PageLink("Upload a document", reverse("casework:document_upload", args=[pk]), "button"),
    ]
    if permissions.ird_policy.user_has_permission(user, "edit"):
        url = reverse("casework:ird_create", args=[pk])
        links.append(PageLink("Record an IRD", url, "button"))
    return links


def referral_links(*, user: Any, record: Any) -> list[Any]:
    """A referral with outcome IRD links to the IRDs held about it that the user may see."""
    from django.urls import reverse
    from django.utils import timezone

    from cases.extensions import PageLink
    from casework import permissions

    irds = (
        permissions.ird_policy.visible_to(user)
        .filter(referral_id=record.pk)
        .order_by("held_at", "id")
        .values_list("pk", "held_at")
    )
    return [
        PageLink(
            f"IRD held on {timezone.localtime(held_at):%-d %B %Y}",
            reverse("casework:ird_detail", args=[pk]),
            "related",
        )
        for pk, held_at in irds
    ]


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        from cases import extensions

        # A young person's page links to the child's IRDs and to recording one.
        extensions.register_young_person_links("casework", young_person_links)
        # A referral's page links to the IRD that answered it.
        extensions.register_record_links("cases.referral", "casework", referral_links)
        # Registers the casework permission policies, retention rules, the chronology sources
        # and the documents' file clean-up with cases, which never imports this app.
        from casework import documents, permissions, retention, selectors  # noqa: F401
