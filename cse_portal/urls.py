from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import SignInForm
from cse_portal import health
from partnership import views as partnership_views

urlpatterns = [
    path("", partnership_views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    # Also answered by cse_portal.health.HealthCheckMiddleware, before the host check.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("cases/", include("cases.urls")),
    # Same /cases/ prefix as before the MAOG pages had their own app: paths stay stable.
    path("cases/", include("maog.urls")),
    path("action-plan/", include("actions.urls")),
    path("casework/", include("casework.urls")),
    path("performance/", include("performance.urls")),
    path("governance/", include("governance.urls")),
    path("api/", include("api.urls")),
    path("imports/", include("imports.urls")),
    path("admin/", admin.site.urls),
]
