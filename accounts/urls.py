from django.urls import path

from accounts import views as auth_views

urlpatterns = [
    path("two-factor/set-up/", auth_views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/", auth_views.two_factor_verify, name="two_factor_verify"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("access-log/", auth_views.agency_access_log, name="agency_access_log"),
]
