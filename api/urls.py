from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import docs_views, export_views, token_views, views

app_name = "api"

router = SimpleRouter(use_regex_path=False)  # path() routes: tests/urlwalk.py walks them
router.register("young-people", views.YoungPersonViewSet, basename="young_person")
router.register("referrals", views.ReferralViewSet, basename="referral")
router.register("missing-episodes", views.MissingEpisodeViewSet, basename="missing_episode")
router.register("risk-assessments", views.RiskAssessmentViewSet, basename="risk_assessment")
router.register("support", views.SupportViewSet, basename="support")
router.register("action-items", views.ActionItemViewSet, basename="action_item")
router.register("progress-updates", views.ProgressUpdateViewSet, basename="progress_update")

urlpatterns = [
    path("docs/", docs_views.api_docs, name="docs"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    # The schema lists endpoints, not records: for signed-in users (session or token).
    path("v1/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "v1/export/<slug:kind>.<slug:fmt>",
        export_views.ExportView.as_view(),
        name="export",
    ),
    path("v1/", include(router.urls)),
]
