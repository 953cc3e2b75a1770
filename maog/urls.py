"""URLs of the MAOG pages, in the "maog" namespace. Mounted under /cases/ like before the
app had its own package, so bookmarked paths still work."""

from django.urls import path

from maog import views

app_name = "maog"

urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/find/", views.person_find, name="person_find"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/history/", views.person_history, name="person_history"),
    path("persons/<int:pk>/share/", views.person_share, name="person_share"),
    path("persons/shares/<int:pk>/revoke/", views.person_share_revoke, name="person_share_revoke"),
    path("persons/<int:pk>/links/new/", views.person_link_create, name="person_link_create"),
    path("persons/<int:pk>/network/", views.person_network, name="person_network"),
    path(
        "young-people/<int:pk>/network/",
        views.young_person_network,
        name="young_person_network",
    ),
    path("places/", views.place_list, name="place_list"),
    path("places/new/", views.place_create, name="place_create"),
    path("places/<int:pk>/", views.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", views.place_edit, name="place_edit"),
    path("places/<int:pk>/history/", views.place_history, name="place_history"),
    path("places/<int:pk>/links/new/", views.place_link_create, name="place_link_create"),
    path("vehicles/", views.vehicle_list, name="vehicle_list"),
    path("vehicles/new/", views.vehicle_create, name="vehicle_create"),
    path("vehicles/<int:pk>/", views.vehicle_detail, name="vehicle_detail"),
    path("vehicles/<int:pk>/edit/", views.vehicle_edit, name="vehicle_edit"),
    path("handles/", views.handle_list, name="handle_list"),
    path("handles/new/", views.handle_create, name="handle_create"),
    path("handles/<int:pk>/", views.handle_detail, name="handle_detail"),
    path("handles/<int:pk>/edit/", views.handle_edit, name="handle_edit"),
    path("allegations/", views.allegation_list, name="allegation_list"),
    path("allegations/new/", views.allegation_create, name="allegation_create"),
    path("allegations/<int:pk>/", views.allegation_detail, name="allegation_detail"),
    path("allegations/<int:pk>/edit/", views.allegation_edit, name="allegation_edit"),
    path("allegations/<int:pk>/history/", views.allegation_history, name="allegation_history"),
    path("intelligence/", views.intelligence_list, name="intelligence_list"),
    path("intelligence/new/", views.intelligence_create, name="intelligence_create"),
    path("intelligence/<int:pk>/", views.intelligence_detail, name="intelligence_detail"),
    path("intelligence/<int:pk>/edit/", views.intelligence_edit, name="intelligence_edit"),
    path(
        "intelligence/<int:pk>/history/",
        views.intelligence_history,
        name="intelligence_history",
    ),
    path("networks/", views.networks, name="networks"),
    path("hotspots/", views.hotspots, name="hotspots"),
]
