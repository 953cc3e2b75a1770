from django.apps import AppConfig


class GovukFormsConfig(AppConfig):
    """The GOV.UK form kit: widget classes, the date pattern and the field templates.

    An app only so its templates (govuk_forms/templates/govuk_forms/) are found; it has no
    models and imports no other app of the project.
    """

    name = "govuk_forms"
    verbose_name = "GOV.UK form kit"
