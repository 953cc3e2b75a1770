from typing import Any

from django.apps import AppConfig

# The models that moved here from "cases" (migrations/0001 kept their tables and rows).
MOVED_FROM_CASES = (
    "personofconcern",
    "place",
    "vehicle",
    "onlinehandle",
    "link",
    "allegation",
    "intelligence",
)


def young_person_links(*, user: Any, young_person: Any) -> list[Any]:
    from django.urls import reverse

    from cases.extensions import PageLink

    network = reverse("maog:young_person_network", args=[young_person.pk])
    allegation = reverse("maog:allegation_create") + f"?young_person={young_person.pk}"
    return [
        PageLink("Network", network, "tab"),
        PageLink("Record an allegation", allegation, "button"),
    ]


class MaogConfig(AppConfig):
    name = "maog"
    verbose_name = "MAOG"

    def ready(self) -> None:
        from audit.selectors import former_labels_register
        from cases import extensions
        from cases.models import MissingEpisode
        from maog.forms import EpisodePlaceExtension

        # The place where a missing episode ended is asked on the episode's own form.
        extensions.register(MissingEpisode, "maog.found_place", EpisodePlaceExtension())
        # A young person's page links to their network and to recording an allegation.
        extensions.register_young_person_links("maog", young_person_links)

        # Registers the MAOG permission policies and the chronology source (allegations and
        # intelligence) with cases, which never imports this app.
        from maog import permissions  # noqa: F401
        from maog.selectors import chronology  # noqa: F401

        # Access events written before the move name the old label; they are append-only.
        for model in MOVED_FROM_CASES:
            former_labels_register(f"maog.{model}", f"cases.{model}")
