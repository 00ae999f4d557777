from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from applications.exceptions import InvalidState
from applications.letters import payment_letter_prepare
from applications.services import application_mark_paid, lock_application, notify_applicants
from core.dates import today_jst

from .models import Payment


@transaction.atomic
def payment_release(*, application_id: int, by: Any) -> Payment:
    """Release the confirmed amount, exactly once: the row lock, the FSM's source status and the
    one-payment-per-application constraint each refuse a second release."""
    application = lock_application(application_id)
    amount = application.confirmed_amount or 0
    if amount <= 0 and application.status == application.Status.CONFIRMED:
        raise InvalidState(_("The confirmed amount is ¥0: there is nothing to pay."))
    application_mark_paid(application, by=by, data={"amount": amount})
    payment = Payment.objects.create(application=application, amount=amount, released_by=by)
    payment_letter_prepare(application, amount=amount, paid_on=today_jst().isoformat(), by=by)
    notify_applicants(application, "payment_released", amount=amount)
    return payment
