from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from applications.exceptions import ValidationFailed
from applications.services import application_record_screening, lock_application

from .models import StaffScreening


@transaction.atomic
def screening_record(
    *, application_id: int, by: Any, eligible: bool, recommend_grant: bool, reason: str
) -> StaffScreening:
    """Record eligibility and a recommendation with its reason; the case goes to an approver."""
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for your recommendation."), field="reason")
    if recommend_grant and not eligible:
        raise ValidationFailed(
            _("An ineligible application cannot be recommended for a grant."),
            field="recommend_grant",
        )
    application = lock_application(application_id)
    # the plan is frozen since submission, which computed the amount under the round's rules
    amount = application.requested_amount if recommend_grant else None
    recommendation = (
        StaffScreening.Recommendation.GRANT
        if recommend_grant
        else StaffScreening.Recommendation.REJECT
    )
    application_record_screening(
        application,
        by=by,
        data={
            "eligible": eligible,
            "recommendation": recommendation,
            "reason": reason,
            "recommended_amount": amount,
        },
    )
    return StaffScreening.objects.create(
        application=application,
        eligible=eligible,
        recommendation=recommendation,
        reason=reason,
        recommended_amount=amount,
        screened_by=by,
    )
