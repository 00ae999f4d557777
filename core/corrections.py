"""What every programme's return for correction (差戻し) shares: the items and the deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .dates import add_business_days, end_of_day_jst, today_jst
from .errors import CorrectionDeadlineNotPassed, CorrectionMissing, ValidationFailed
from .roles import Role


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


def correction_open_of(record: Any) -> Any:
    """The record's return for correction still waiting for an answer, if any (its
    corrections are ``record.correction_requests``)."""
    return record.correction_requests.filter(answered_at=None).order_by("-pk").first()


def correction_request(
    record: Any,
    *,
    fire: Callable[..., None],
    by: Any,
    items: list[str],
    message: str,
    deadline: dt.date,
) -> Any:
    """Fire the record's ``return_for_correction`` through its programme's ``fire`` and write
    the correction; call it inside the locking transaction."""
    fire(
        record,
        record.return_for_correction,
        by=by,
        role=Role.STAFF,
        action="return_for_correction",
        reason=message or "; ".join(items),
        data={"items": items, "deadline": deadline.isoformat()},
    )
    return record.correction_requests.create(
        items=items, message=message, deadline=deadline, requested_by=by
    )


def correction_answer(record: Any, answer: str) -> None:
    """Record the answer on the open correction, when there is one."""
    correction = correction_open_of(record)
    if correction is not None:
        correction.answer = answer
        correction.answered_at = timezone.now()
        correction.save(update_fields=["answer", "answered_at"])


def correction_lapses_at(correction: Any) -> dt.datetime:
    """The moment an unanswered correction lapses: the end (23:59:59 JST) of its answer-by day.
    The flows' deadline timers and the lapse rule both use it."""
    return end_of_day_jst(correction.deadline)


def correction_lapse(record: Any, *, fire: Callable[..., None], notify: Callable[[], None]) -> bool:
    """Lapse a record whose correction went unanswered past its deadline; call it under the
    record's row lock, inside the transaction. The same rule for every programme.

    Only a record still returned for correction lapses: one already lapsed, answered (submitted
    again), withdrawn or decided is left as it is, and ``False`` says nothing happened, so a
    timer delivered twice or racing the answer does no harm. Before the deadline has passed the
    lapse is refused (``correction_deadline_not_passed``)."""
    if record.status != record.Status.RETURNED:
        return False
    correction = correction_open_of(record)
    if correction is None:
        raise CorrectionMissing(
            _("This record is returned for correction but has no open correction with a deadline.")
        )
    if timezone.now() < correction_lapses_at(correction):
        raise CorrectionDeadlineNotPassed(
            _("The correction deadline (%(deadline)s) has not passed yet.")
            # the day as pages write it (web.templatetags.kofu.when; core sits below web)
            % {"deadline": date_format(correction.deadline)},
            field="deadline",
        )
    fire(
        record,
        record.lapse,
        by=None,
        role=Role.SYSTEM,
        action="lapse",
        reason="correction deadline passed without an answer",
        data={"deadline": correction.deadline.isoformat()},
    )
    notify()
    return True
