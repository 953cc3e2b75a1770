"""Fields that other apps add to a case record's form, without cases knowing those apps.

An app that keeps its own facts about a case record (the MAOG's "place where a missing
episode ended", for example) registers a ``FormExtension`` for the record's model from its
``AppConfig.ready``. The record's form asks the registry for extra fields when it is built,
and the record's create and edit views hand the extra values to the extension's own service
once the record itself is saved, in the same transaction. The arrow points at cases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from django import forms
from django.db.models import Model

if TYPE_CHECKING:  # only the types: the user model is moving between apps
    from accounts.models import User
    from cases.models import YoungPerson


class FormExtension(Protocol):
    def contribute(self, form: forms.ModelForm, user: User | None) -> None:
        """Add fields to the form (choices limited to what ``user`` may see), with initial
        values from ``form.instance`` when it is an existing record."""

    def save(self, *, actor: User, instance: Model, cleaned_data: dict[str, Any]) -> None:
        """Write the extension's values for the saved record through the app's services
        (which audit the change; nothing is written when nothing changed)."""


_EXTENSIONS: dict[type[Model], dict[str, FormExtension]] = {}


def register(model: type[Model], name: str, extension: FormExtension) -> None:
    """Register (or replace, when a module is imported again) an extension of a model's form."""
    _EXTENSIONS.setdefault(model, {})[name] = extension


def extensions_for(model: type[Model]) -> list[FormExtension]:
    return list(_EXTENSIONS.get(model, {}).values())


def contribute(form: forms.ModelForm, user: User | None) -> None:
    for extension in extensions_for(form._meta.model):
        extension.contribute(form, user)


def save(form: forms.ModelForm, instance: Model, *, actor: User) -> None:
    for extension in extensions_for(type(instance)):
        extension.save(actor=actor, instance=instance, cleaned_data=form.cleaned_data)


# --- Links other apps add to a young person's page -------------------------------------------


class PageLink(NamedTuple):
    label: str
    url: str
    kind: str  # "tab" (record navigation), "button" (the page's actions), "related" (records)


class PageLinks(Protocol):
    def __call__(self, *, user: User, young_person: YoungPerson) -> list[PageLink]: ...


_YOUNG_PERSON_LINKS: dict[str, PageLinks] = {}


def register_young_person_links(name: str, provider: PageLinks) -> None:
    """Register (or replace) what another app links to from a young person's page (the MAOG's
    network view and "record an allegation"), so the page names no other app's URLs."""
    _YOUNG_PERSON_LINKS[name] = provider


def young_person_links(*, user: User, young_person: YoungPerson, kind: str) -> list[PageLink]:
    return [
        link
        for provider in _YOUNG_PERSON_LINKS.values()
        for link in provider(user=user, young_person=young_person)
        if link.kind == kind
    ]


# --- Links other apps add to a record's page ---------------------------------------------


class RecordLinks(Protocol):
    def __call__(self, *, user: User, record: Model) -> list[PageLink]: ...


_RECORD_LINKS: dict[str, dict[str, RecordLinks]] = {}


def register_record_links(label: str, name: str, provider: RecordLinks) -> None:
    """Register (or replace) what another app links to from the page of one kind of record
    (``label``, e.g. "cases.referral": casework's IRD held about the referral). The provider
    names only records the user may see."""
    _RECORD_LINKS.setdefault(label, {})[name] = provider


def record_links(*, user: User, record: Model) -> list[PageLink]:
    return [
        link
        for provider in _RECORD_LINKS.get(record._meta.label_lower, {}).values()
        for link in provider(user=user, record=record)
    ]
