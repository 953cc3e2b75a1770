"""URLs of the MAOG pages, included into the "cases" namespace by cases/urls.py.

Every name starts with "intel_" so it stays distinct from the case pages' names.
"""

from django.urls import path

from cases import intel_views as views

urlpatterns = [
    path("persons/", views.person_list, name="intel_person_list"),
    path("persons/find/", views.person_find, name="intel_person_find"),
    path("persons/new/", views.person_create, name="intel_person_create"),
    path("persons/<int:pk>/", views.person_detail, name="intel_person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="intel_person_edit"),
    path("persons/<int:pk>/history/", views.person_history, name="intel_person_history"),
    path("persons/<int:pk>/share/", views.person_share, name="intel_person_share"),
    path("persons/<int:pk>/links/new/", views.person_link_create, name="intel_person_link_create"),
    path("persons/<int:pk>/network/", views.person_network, name="intel_person_network"),
    path(
        "young-people/<int:pk>/network/",
        views.young_person_network,
        name="intel_young_person_network",
    ),
    path("places/", views.place_list, name="intel_place_list"),
    path("places/new/", views.place_create, name="intel_place_create"),
    path("places/<int:pk>/", views.place_detail, name="intel_place_detail"),
    path("places/<int:pk>/edit/", views.place_edit, name="intel_place_edit"),
    path("places/<int:pk>/history/", views.place_history, name="intel_place_history"),
    path("places/<int:pk>/links/new/", views.place_link_create, name="intel_place_link_create"),
    path("vehicles/new/", views.vehicle_create, name="intel_vehicle_create"),
    path("vehicles/<int:pk>/", views.vehicle_detail, name="intel_vehicle_detail"),
    path("vehicles/<int:pk>/edit/", views.vehicle_edit, name="intel_vehicle_edit"),
    path("handles/new/", views.handle_create, name="intel_handle_create"),
    path("handles/<int:pk>/", views.handle_detail, name="intel_handle_detail"),
    path("handles/<int:pk>/edit/", views.handle_edit, name="intel_handle_edit"),
    path("allegations/", views.allegation_list, name="intel_allegation_list"),
    path("allegations/new/", views.allegation_create, name="intel_allegation_create"),
    path("allegations/<int:pk>/", views.allegation_detail, name="intel_allegation_detail"),
    path("allegations/<int:pk>/edit/", views.allegation_edit, name="intel_allegation_edit"),
    path(
        "allegations/<int:pk>/history/", views.allegation_history, name="intel_allegation_history"
    ),
    path("intelligence/", views.intelligence_list, name="intel_intelligence_list"),
    path("intelligence/new/", views.intelligence_create, name="intel_intelligence_create"),
    path("intelligence/<int:pk>/", views.intelligence_detail, name="intel_intelligence_detail"),
    path("intelligence/<int:pk>/edit/", views.intelligence_edit, name="intel_intelligence_edit"),
    path(
        "intelligence/<int:pk>/history/",
        views.intelligence_history,
        name="intel_intelligence_history",
    ),
    path("networks/", views.networks, name="intel_networks"),
    path("hotspots/", views.hotspots, name="intel_hotspots"),
]
