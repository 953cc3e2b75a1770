from typing import Any

from django.apps import AppConfig


def young_person_links(*, user: Any, young_person: Any) -> list[Any]:
    from django.urls import reverse

    from cases.extensions import PageLink
    from casework import permissions

    links = [PageLink("IRDs", reverse("casework:ird_list", args=[young_person.pk]), "tab")]
    if permissions.ird_policy.user_has_permission(user, "edit"):
        url = reverse("casework:ird_create", args=[young_person.pk])
        links.append(PageLink("Record an IRD", url, "button"))
    return links


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        from cases import extensions

        # A young person's page links to the child's IRDs and to recording one.
        extensions.register_young_person_links("casework", young_person_links)
        # Registers the casework permission policies, retention rules and the chronology
        # source with cases, which never imports this app.
        from casework import permissions, retention, selectors  # noqa: F401
