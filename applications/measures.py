"""The outcome measures of a round: reading a value the way the measure defines it, and which
baselines an application still lacks. The outcome report reads its values by the same rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from .exceptions import ValidationFailed
from .models import Application, OutcomeMeasure

# The largest value a measure's column holds (18 digits, 2 of them decimals).
MAX_VALUE = Decimal("9999999999999999.99")


def measure_value_clean(measure: OutcomeMeasure, raw: Any, *, field: str) -> Decimal:
    """``raw`` (a Decimal, int or text such as "12.5") as the measure's value; refuse text that
    is not a number, a negative, or more decimal places than the measure allows."""
    if isinstance(raw, float):
        raw = str(raw)  # the shortest text of the float, not its binary expansion
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            _("%(measure)s: enter a number.") % {"measure": measure.name},
            field=field,
            code="not_a_number",
        ) from None
    if not value.is_finite() or value < 0 or value > MAX_VALUE:
        raise ValidationFailed(
            _("%(measure)s: enter a number from 0 upwards.") % {"measure": measure.name},
            field=field,
            code="out_of_range",
        )
    if -value.normalize().as_tuple().exponent > measure.decimal_places:  # type: ignore[operator]
        raise ValidationFailed(
            _("%(measure)s: use at most %(places)s decimal places.")
            % {"measure": measure.name, "places": measure.decimal_places},
            field=field,
            code="too_many_decimals",
        )
    return measure.quantize(value)


def measures_clean(
    measures: list[OutcomeMeasure], values: dict[str, Any], *, field: str, complete: bool
) -> dict[OutcomeMeasure, Decimal]:
    """Values by measure code, checked against ``measures``; with ``complete`` every measure
    must have one. ``field`` prefixes the error's field (``baselines.overtime_hours``)."""
    by_code = {measure.code: measure for measure in measures}
    unknown = sorted(set(values) - set(by_code))
    if unknown:
        raise ValidationFailed(
            _("This round does not ask for “%(codes)s”.") % {"codes": "、".join(unknown)},
            field=f"{field}.{unknown[0]}",
            code="unknown_measure",
        )
    blank = [code for code, raw in values.items() if raw is None or str(raw).strip() == ""]
    missing = [m for m in measures if m.code not in values or m.code in blank]
    if complete and missing:
        raise ValidationFailed(
            _("Enter a value for every measure: %(names)s.")
            % {"names": "、".join(m.name for m in missing)},
            field=f"{field}.{missing[0].code}",
            code="values_missing",
        )
    return {
        by_code[code]: measure_value_clean(by_code[code], raw, field=f"{field}.{code}")
        for code, raw in values.items()
        if code not in blank
    }


def round_measures(application: Application) -> list[OutcomeMeasure]:
    return list(application.round.outcome_measures.all())


def baselines_missing(application: Application) -> list[OutcomeMeasure]:
    """The round's measures this application has no baseline for yet."""
    present = set(application.baselines.values_list("measure_id", flat=True))
    return [measure for measure in round_measures(application) if measure.pk not in present]
