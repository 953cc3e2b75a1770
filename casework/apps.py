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


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        from cases import extensions

        # A young person's page links to the child's IRDs and to recording one.
        extensions.register_young_person_links("casework", young_person_links)
        # Registers the casework permission policies, retention rules, the chronology sources
        # and the documents' file clean-up with cases, which never imports this app.
        from casework import documents, permissions, retention, selectors  # noqa: F401
