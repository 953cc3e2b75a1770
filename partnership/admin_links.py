"""The admin's "Reset password" link as an absolute URL.

Django's read-only password widget links to "../password/", which is right on the change
page (/admin/accounts/user/5/change/) but, on django-simple-history's page for one past
version (/admin/accounts/user/5/history/12/), resolves to .../history/password/: a broken
link that the history view then tried to read as a version id (issue 13).
"""

from typing import Any

from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.forms import BaseForm
from django.urls import reverse


class AbsolutePasswordLinkWidget(ReadOnlyPasswordHashWidget):
    def __init__(self, password_url: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.password_url = password_url

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["password_url"] = self.password_url
        return context


def use_absolute_password_link(form: BaseForm) -> None:
    """Point a user change form's password link at the admin's password page, absolutely."""
    field = form.fields.get("password")
    instance = getattr(form, "instance", None)
    if field is None or instance is None or instance.pk is None:
        return
    # Django's UserAdmin names this URL "auth_user_password_change" whatever the user model.
    url = reverse("admin:auth_user_password_change", args=[instance.pk])
    field.widget = AbsolutePasswordLinkWidget(url)
