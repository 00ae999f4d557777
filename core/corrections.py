"""What every programme's return for correction (差戻し) shares: the items and the deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from .dates import add_business_days, today_jst
from .errors import ValidationFailed


def correction_items_clean(items: Iterable[str]) -> list[str]:
    """The non-blank items to correct; at least one is required."""
    cleaned = [item.strip() for item in items if item and item.strip()]
    if not cleaned:
        raise ValidationFailed(
            _("List at least one item the applicant must correct."), field="items"
        )
    return cleaned


def correction_deadline(business_days: int, *, year_end_closure: bool = True) -> dt.date:
    """The answer-by date: that many business days from today in Japan."""
    return add_business_days(today_jst(), business_days, year_end_closure=year_end_closure)
