"""Filters and tags every template may use: ``{% load kofu %}``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as date_filter
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def yen(value: Any) -> str:
    """An amount of yen with separators: 187,000円 on Japanese pages, ¥187,000 on English ones;
    an empty amount is a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float | Decimal) and value == int(value):
        value = int(value)
    number = intcomma(value, use_l10n=False)
    if translation.get_language() == "en":
        return f"¥{number}"
    return f"{number}円"


def _from_iso(text: str) -> date | datetime | str:
    """The day or moment ISO text names (as a notification's stored context holds them: 2026-12-02,
    2026-12-02 19:26), or the text itself if it names none."""
    try:
        return date.fromisoformat(text) if len(text) <= 10 else datetime.fromisoformat(text)
    except ValueError:
        return text


@register.filter
def when(value: date | datetime | str | None) -> str:
    """A date or a moment, in Japan's time, in the page's language's one format
    (config/formats): 2026年12月2日 / 2026年12月2日 8:39. ISO text is read as the day or moment
    it names; other text is shown as it is."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = _from_iso(value)
        if isinstance(value, str):
            return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_filter(value, "DATETIME_FORMAT")
    return date_filter(value, "DATE_FORMAT")


# Django knows only its own format names; this one is read from config/formats directly.
PRECISE_FALLBACK = "Y-m-d H:i:s"


def _precise_format() -> str:
    for module in formats.get_format_modules(translation.get_language()):
        if hasattr(module, "DATETIME_PRECISE_FORMAT"):
            return module.DATETIME_PRECISE_FORMAT
    return PRECISE_FALLBACK


@register.filter
def when_precise(value: datetime | None) -> str:
    """A moment to the second, in Japan's time, for an audit (the decision trace): 2026年12月2日
    19:26:03 on Japanese pages, 2 Dec 2026 19:26:03 on English ones (config/formats)."""
    if value is None or value == "":
        return "—"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_filter(value, _precise_format())


@register.simple_tag(takes_context=True)
def current(context: template.Context, prefix: str, but: str = "") -> SafeString:
    """` aria-current="page"` on the navigation link whose section the page is in (a path under
    ``prefix``, and not under ``but`` where a section holds another)."""
    request = context.get("request")
    path = getattr(request, "path", "")
    here = path.startswith(prefix) and not (but and path.startswith(but))
    return mark_safe(' aria-current="page"') if here else SafeString("")


# Status codes by how they read to the person waiting: done, needs them, stopped, in progress.
TONES = {
    "success": {
        "granted",
        "confirmed",
        "paid",
        "registered",
        "published",
        "commended",
        "selected",
        "accepted",
        "approved",
        "completed",
        "issued",
        "released",
    },
    "warning": {"returned", "correction", "overdue", "due", "claimed", "failed_retry"},
    "danger": {
        "rejected",
        "withdrawn",
        "revoked",
        "lapsed",
        "failed",
        "cancelled",
        "not_selected",
        "suspended",
        "retired",
    },
    "neutral": {"draft"},
}


@register.filter
def tone(status: Any) -> str:
    """The chip colour of a status code (web/templates/web/components/chip.html)."""
    code = str(status or "")
    for name, codes in TONES.items():
        if code in codes:
            return name
    return "info"


def _first_choice_id(bound: Any) -> str:
    """Where a group of radio buttons or checkboxes is reached from the summary: its first
    choice (the group itself has no one control a label points at)."""
    subwidgets = bound.subwidgets
    if not subwidgets:
        return ""
    return subwidgets[0].id_for_label or ""


def _form_errors(form: Any, row: int | None = None) -> list[dict[str, Any]]:
    errors = []
    prefix = _("Row %(number)s") % {"number": row} + " " if row is not None else ""
    for message in form.non_field_errors():
        errors.append({"field_id": "", "label": prefix.strip(), "message": message})
    for name, messages in form.errors.items():
        if name == "__all__":
            continue
        bound = form[name]
        field_id = bound.id_for_label or _first_choice_id(bound)
        for message in messages:
            errors.append(
                {
                    "field_id": field_id,
                    "label": f"{prefix}{bound.label}",
                    "message": message,
                }
            )
    return errors


@register.inclusion_tag("web/components/error_summary.html")
def error_summary(*forms: Any) -> dict[str, Any]:
    """Every error of the given forms and formsets, in page order, for the summary at the top;
    a formset's rows are named by their number."""
    errors: list[dict[str, Any]] = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        if hasattr(form, "forms"):  # a formset
            for message in form.non_form_errors():
                errors.append({"field_id": "", "label": "", "message": message})
            for number, row in enumerate(form.forms, start=1):
                errors.extend(_form_errors(row, number))
        else:
            errors.extend(_form_errors(form))
    return {"summary_errors": errors}
