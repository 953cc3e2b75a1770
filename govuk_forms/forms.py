"""GOV.UK classes on Django widgets, so every form renders with govuk_forms/field.html."""

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.utils import ErrorDict
from django.utils import timezone

FieldT = TypeVar("FieldT", bound=forms.Field)

WIDGET_CLASSES = (
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.RadioSelect, ""),
    (forms.CheckboxSelectMultiple, ""),
)
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class DateInput(forms.MultiWidget):
    """The GOV.UK date input pattern: day, month and year boxes in a fieldset.

    Recommended over the browser's date picker, which reads badly to screen readers and
    types in the browser's own order. It hands the field one "YYYY-MM-DD" string, so it
    works with a plain forms.DateField, and it keeps whatever was typed when it is wrong.
    """

    template_name = "govuk_forms/widgets/govuk_date.html"
    parts: tuple[tuple[str, str, str], ...] = (
        ("day", "Day", "govuk-input--width-2"),
        ("month", "Month", "govuk-input--width-2"),
        ("year", "Year", "govuk-input--width-4"),
    )
    hint = "For example, 27 3 2024"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            name: forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input {width}",
                    "inputmode": "numeric",
                }
            )
            for name, _label, width in self.parts
        }
        super().__init__(widgets, attrs)
        self.has_error = False

    def decompress(self, value: Any) -> list[str | None]:
        if value in (None, ""):
            return [None] * len(self.parts)
        if isinstance(value, str):
            return self._split(value)
        return [str(value.day), str(value.month), str(value.year)]

    @staticmethod
    def _split(value: str) -> list[str | None]:
        year, _, rest = value.partition("-")
        month, _, day = rest.partition("-")
        return [day, month, year]

    # MultiWidget hands its field a list; this one hands a plain date string (see above).
    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:  # type: ignore[override]
        # As typed: a "-5" day stays invalid ("Enter a real date"), never becomes 5.
        day, month, year = (
            (data.get(f"{name}_{part}") or "").strip() for part, _label, _width in self.parts[:3]
        )
        if not (day or month or year):
            return ""
        return f"{year}-{month}-{day}"

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(f"{name}_{part}" not in data for part, _label, _width in self.parts)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        for subwidget, (part, label, _width) in zip(
            context["widget"]["subwidgets"], self.parts, strict=False
        ):
            subwidget["label"] = label
            if id_:
                # Named ids (id_x_day), not Django's numbered ones, so links and labels agree.
                subwidget["attrs"]["id"] = f"{id_}_{part}"
            if self.has_error:
                subwidget["attrs"]["class"] += " govuk-input--error"
        context["widget"]["hint"] = self.hint
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_{self.parts[0][0]}" if id_ else id_


class DateTimeInput(DateInput):
    """Day, month, year and a 24-hour time ("21:30"), handed on as "YYYY-MM-DD HH:MM"."""

    parts = (*DateInput.parts, ("time", "Time (24-hour)", "govuk-input--width-4"))
    hint = "For example, 27 3 2024 and 21:30"

    def decompress(self, value: Any) -> list[str | None]:
        if value in (None, ""):
            return [None] * len(self.parts)
        if isinstance(value, str):
            date_part, _, time_part = value.partition(" ")
            return [*self._split(date_part), time_part[:5]]
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return [str(local.day), str(local.month), str(local.year), local.strftime("%H:%M")]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:  # type: ignore[override]
        date_part = super().value_from_datadict(data, files, name)
        time_part = (data.get(f"{name}_time") or "").strip().replace(".", ":")
        if len(time_part) == 4 and time_part.isdigit():
            time_part = f"{time_part[:2]}:{time_part[2:]}"
        if not date_part and not time_part:
            return ""
        return f"{date_part} {time_part}".strip() if time_part else f"{date_part} 00:00"


class AutocompleteSelect(forms.Select):
    """A select of records (people, places) that JavaScript turns into GOV.UK's accessible
    autocomplete (static/js/autocomplete.mjs): type part of a name, choose from the matches.

    Without JavaScript it stays a plain select that works on its own.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"data-module": "app-autocomplete", **(attrs or {})})


class AutocompleteSelectMultiple(forms.SelectMultiple):
    """A multiple select of records that JavaScript turns into an autocomplete with a list
    of those chosen, each with its own "Remove" button.

    Without JavaScript it is a tall multiple select (not squashed to one line) whose hint
    says how to choose more than one; the script swaps that hint for ``js_hint``.
    """

    no_js_hint = "Hold Ctrl (or Cmd) to choose more than one."
    js_hint = "Start typing a name, then choose from the list. Choose as many as apply."

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "data-module": "app-autocomplete",
                "data-no-js-hint": self.no_js_hint,
                "data-js-hint": self.js_hint,
                "size": "8",
                **(attrs or {}),
            }
        )


class GovukBoundField(BoundField):
    """Points a widget's aria-describedby at the hint and error ids field.html renders
    (``id_x-hint``, ``id_x-error``), worked out when the field is drawn, so a hint added
    after the form's ``__init__`` is described too (Django's own ids, ``id_x_helptext``,
    name elements this project never renders)."""

    @property
    def aria_describedby(self) -> str | None:
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(f"{self.auto_id}-hint")
            if self.errors:
                ids.append(f"{self.auto_id}-error")
        return " ".join(ids) or None


def _in_sentence(field: forms.Field, name: str) -> str:
    """A label as it reads inside a sentence: "RAG status" stays, "Date received" lowers."""
    words = str(field.label or name.replace("_", " ")).split()
    return " ".join(word if word.isupper() and len(word) > 1 else word.lower() for word in words)


def _choices_of(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    # Django normalises a field's choices to (value, label) pairs, or a lazy iterator of them;
    # django-stubs types the getter as everything the setter accepts.
    return list(cast(Iterable[tuple[Any, Any]], field.choices))


def _without_blank_choice(field: forms.Field) -> None:
    """Radios never offer Django's "---------": no radio is chosen until someone chooses.

    A model field's choices start with a blank entry; as a radio it would be an answer that
    can be picked (and is pre-selected when the record's value is empty).
    """
    if not isinstance(field.widget, forms.RadioSelect):
        return
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = None  # no query here: the iterator skips the blank entry
    elif isinstance(field, forms.ChoiceField):
        field.choices = [choice for choice in _choices_of(field) if choice[0] not in ("", None)]


def _blank_select_label(field: forms.Field) -> None:
    """A select's empty option says what to do instead of showing "---------"."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == "---------":
            field.empty_label = "Choose one" if field.required else "None"
    elif isinstance(field, forms.ChoiceField) and isinstance(field.widget, forms.Select):
        field.choices = [
            (value, ("Choose one" if field.required else "None") if label == "---------" else label)
            for value, label in _choices_of(field)
        ]


# The mixin is always combined with forms.Form or forms.ModelForm: the type checker sees it as
# a form, so its methods may use the form's fields and errors.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class GovukFormMixin(_FormBase):
    """GOV.UK classes on widgets; hint and error ids in aria-describedby so screen readers
    read them with the field; service ValidationErrors placed next to their field."""

    # Extra validators per field name, declared by a form (e.g. partnership.date_bounds):
    # added to this instance's copy of the field, so the message shows next to it.
    field_validators: ClassVar[Mapping[str, Callable[[Any], None]]] = {}
    # BaseForm's own (None until the form is cleaned), left out of django-stubs as private.
    _errors: ErrorDict | None
    bound_field_class = GovukBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, validator in self.field_validators.items():
            if name in self.fields:
                self.fields[name].validators = [*self.fields[name].validators, validator]
        self.govuk_style_fields(list(self.fields))

    def govuk_style_fields(self, names: list[str]) -> None:
        """GOV.UK classes, choices and messages on the named fields; a form that adds fields
        after ``__init__`` (another app's extension) calls it again for them."""
        for name in names:
            field = self.fields[name]
            _without_blank_choice(field)
            _blank_select_label(field)
            widget = field.widget
            css = next((c for cls, c in WIDGET_CLASSES if isinstance(widget, cls)), "govuk-input")
            if isinstance(widget, DateInput):
                css = ""
                field.error_messages["invalid"] = (
                    "Enter a real date and time, for example 27 3 2024 21:30"
                    if isinstance(widget, DateTimeInput)
                    else "Enter a real date, for example 27 3 2024"
                )
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if (
                field.error_messages.get("required")
                == forms.Field.default_error_messages["required"]
            ):
                # GOV.UK style: say what to do, naming the field.
                verb = (
                    "Select"
                    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
                    else "Enter"
                )
                field.error_messages["required"] = f"{verb} the {_in_sentence(field, name)}"
            self._describe(name)

    def typed_field(self, name: str, kind: type[FieldT]) -> FieldT:
        """The field ``name``, checked to be a ``kind`` (to set a choice field's queryset or
        choices, which a plain ``forms.Field`` does not have)."""
        field = self.fields[name]
        if not isinstance(field, kind):
            raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
        return field

    def _describe(self, name: str, *, error: bool = False) -> None:
        field = self.fields[name]
        widget = field.widget
        if isinstance(widget, DateInput):
            widget.has_error = widget.has_error or error
            return  # the fieldset carries aria-describedby
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return  # the fieldset carries aria-describedby
        # aria-describedby is worked out when the field is drawn (GovukBoundField).
        if error:
            for base, error_class in ERROR_CLASSES.items():
                classes = widget.attrs.get("class", "").split()
                if base in classes and error_class not in classes:
                    widget.attrs["class"] += f" {error_class}"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self._errors or {}:
            if name in self.fields:
                self._describe(name, error=True)

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError next to the field it names (or at the top)."""
        if hasattr(error, "error_dict"):
            for field_name, messages in error.message_dict.items():
                target = field_name if field_name in self.fields else None
                for message in messages:
                    self.add_error(target, message)
                if target:
                    self._describe(target, error=True)
        else:
            for message in error.messages:
                self.add_error(None, message)
