"""The GOV.UK form kit: govuk_forms.forms (widgets, mixin) and its templates."""
