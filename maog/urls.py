"""URLs of the MAOG pages, in the "maog" namespace. Mounted under /cases/ like before the
app had its own package, so bookmarked paths still work."""

from django.urls import path

from maog.views import allegations, networks, persons, places

app_name = "maog"

urlpatterns = [
    path("persons/", persons.person_list, name="person_list"),
    path("persons/find/", persons.person_find, name="person_find"),
    path("persons/new/", persons.person_create, name="person_create"),
    path("persons/<int:pk>/", persons.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", persons.person_edit, name="person_edit"),
    path("persons/<int:pk>/history/", persons.person_history, name="person_history"),
    path("persons/<int:pk>/share/", persons.person_share, name="person_share"),
    path(
        "persons/shares/<int:pk>/revoke/", persons.person_share_revoke, name="person_share_revoke"
    ),
    path("persons/<int:pk>/links/new/", persons.person_link_create, name="person_link_create"),
    path("persons/<int:pk>/network/", networks.person_network, name="person_network"),
    path(
        "young-people/<int:pk>/network/",
        networks.young_person_network,
        name="young_person_network",
    ),
    path("places/", places.place_list, name="place_list"),
    path("places/new/", places.place_create, name="place_create"),
    path("places/<int:pk>/", places.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", places.place_edit, name="place_edit"),
    path("places/<int:pk>/history/", places.place_history, name="place_history"),
    path("places/<int:pk>/links/new/", places.place_link_create, name="place_link_create"),
    path("vehicles/", places.vehicle_list, name="vehicle_list"),
    path("vehicles/new/", places.vehicle_create, name="vehicle_create"),
    path("vehicles/<int:pk>/", places.vehicle_detail, name="vehicle_detail"),
    path("vehicles/<int:pk>/edit/", places.vehicle_edit, name="vehicle_edit"),
    path("handles/", places.handle_list, name="handle_list"),
    path("handles/new/", places.handle_create, name="handle_create"),
    path("handles/<int:pk>/", places.handle_detail, name="handle_detail"),
    path("handles/<int:pk>/edit/", places.handle_edit, name="handle_edit"),
    path("allegations/", allegations.allegation_list, name="allegation_list"),
    path("allegations/new/", allegations.allegation_create, name="allegation_create"),
    path("allegations/<int:pk>/", allegations.allegation_detail, name="allegation_detail"),
    path("allegations/<int:pk>/edit/", allegations.allegation_edit, name="allegation_edit"),
    path(
        "allegations/<int:pk>/history/", allegations.allegation_history, name="allegation_history"
    ),
    path("intelligence/", allegations.intelligence_list, name="intelligence_list"),
    path("intelligence/new/", allegations.intelligence_create, name="intelligence_create"),
    path("intelligence/<int:pk>/", allegations.intelligence_detail, name="intelligence_detail"),
    path("intelligence/<int:pk>/edit/", allegations.intelligence_edit, name="intelligence_edit"),
    path(
        "intelligence/<int:pk>/history/",
        allegations.intelligence_history,
        name="intelligence_history",
    ),
    path("networks/", networks.networks, name="networks"),
    path("hotspots/", networks.hotspots, name="hotspots"),
]
