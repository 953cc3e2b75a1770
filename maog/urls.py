"""URLs of the MAOG pages, in the "maog" namespace. Mounted under /cases/ like before the
app had its own package, so bookmarked paths still work."""

from django.urls import path

from maog.views import allegations, networks, persons, places, records

app_name = "maog"

urlpatterns = [
    path("persons/find/", persons.person_find, name="person_find"),
    path("persons/new/", persons.person_create, name="person_create"),
    path("persons/<int:pk>/", persons.person_detail, name="person_detail"),
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
    path("places/new/", places.place_create, name="place_create"),
    path("places/<int:pk>/", places.place_detail, name="place_detail"),
    path("places/<int:pk>/links/new/", places.place_link_create, name="place_link_create"),
    path("vehicles/new/", places.vehicle_create, name="vehicle_create"),
    path("vehicles/<int:pk>/", places.vehicle_detail, name="vehicle_detail"),
    path("handles/new/", places.handle_create, name="handle_create"),
    path("handles/<int:pk>/", places.handle_detail, name="handle_detail"),
    path("allegations/new/", allegations.allegation_create, name="allegation_create"),
    path("allegations/<int:pk>/", allegations.allegation_detail, name="allegation_detail"),
    path("intelligence/new/", allegations.intelligence_create, name="intelligence_create"),
    path("intelligence/<int:pk>/", allegations.intelligence_detail, name="intelligence_detail"),
    path("networks/", networks.networks, name="networks"),
    path("hotspots/", networks.hotspots, name="hotspots"),
    # List, edit and history pages of every MAOG record type, from one registry.
    *records.maog_urlpatterns(),
]
