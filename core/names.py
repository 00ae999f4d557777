"""Translatable names for the models of libraries that give theirs in plain English.

The admin shows a model's and a field's names as the model says them. Some libraries write them
as plain strings (django-otp) or leave fields to Django's automatic names (viewflow's generic
keys), which no catalogue can translate. ``model_names_translate`` gives them Kofu's msgids,
each the library's own English text, so the English admin reads as before and Kofu's
catalogue translates them. Only the display changes: migrations read a model's original
options and a field's constructor arguments (``_verbose_name``), and a help text given as the
same English msgid compares equal to the library's where migrations are made (without
translation), so ``makemigrations --check`` stays clean.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def model_names_translate(
    model: type[models.Model],
    *,
    one: Any = None,
    many: Any = None,
    fields: dict[str, Any] | None = None,
    help_texts: dict[str, Any] | None = None,
) -> None:
    """Name ``model`` (``one``, ``many``) and its ``fields`` with lazy translations."""
    options = model._meta
    if one is not None:
        options.verbose_name = one
    if many is not None:
        options.verbose_name_plural = many
    for name, label in (fields or {}).items():
        options.get_field(name).verbose_name = label
    for name, text in (help_texts or {}).items():
        options.get_field(name).help_text = text
