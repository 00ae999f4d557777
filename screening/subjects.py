"""What a reviewer reads of the item before them.

The committee knows an item's subject (a nomination, an application, …) only by its generic
key. The programme that owns the subject's model says how its reviewers read it, by registering
a reader from its AppConfig.ready: screening never imports the layers above it. A reader is
called only for an item the access rules (``committee.assignment_for_reviewer``) let the user
open, so a conflicted or recused reviewer never reaches one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from .models import ReviewItem


@dataclass(frozen=True)
class SubjectReader:
    """The template that shows one kind of subject to a reviewer, and the read that feeds it."""

    template: str
    context: Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class SubjectPage:
    """One subject as a reviewer reads it: the template and what it needs."""

    template: str
    context: dict[str, Any]


_readers: dict[str, SubjectReader] = {}


def subject_reader_register(
    model: type[models.Model], *, template: str, context: Callable[[Any], dict[str, Any]]
) -> None:
    """Show subjects of ``model`` to their reviewers with ``template``, fed by ``context``."""
    _readers[model._meta.label_lower] = SubjectReader(template=template, context=context)


def subject_for_review(item: ReviewItem) -> SubjectPage | None:
    """The item's subject as its reviewers read it; None for a kind of subject no programme
    registered a reader for (the page then shows the item's label only)."""
    model = item.content_type.model_class()
    reader = _readers.get(model._meta.label_lower) if model is not None else None
    if reader is None:
        return None
    subject = item.subject
    if subject is None:
        return None
    return SubjectPage(template=reader.template, context=reader.context(subject))
