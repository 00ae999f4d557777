"""What the dashboard, its charts and exports call things, and how each figure is defined."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

# "KPI" context: the same English words elsewhere name lists, not counts.
KPI_LABELS = {
    "declarations": pgettext_lazy("KPI", "Registered promotion declarations"),
    "commendations": pgettext_lazy("KPI", "Commended companies"),
    "productivity_gains": pgettext_lazy("KPI", "Companies with productivity gains"),
    "subsidy_users": pgettext_lazy("KPI", "Subsidy users (trainees)"),
}

KPI_UNITS = {
    "declarations": gettext_lazy("companies"),
    "commendations": gettext_lazy("companies"),
    "productivity_gains": gettext_lazy("companies"),
    "subsidy_users": gettext_lazy("persons"),
}

STAGE_LABELS = {
    "document_check": gettext_lazy("Document check (submitted → documents accepted)"),
    "screening": gettext_lazy("Screening (documents accepted → screened)"),
    "decision": gettext_lazy("Decision (screened → decided)"),
    "results_check": gettext_lazy("Results check (results reported → checked)"),
    "confirmation": gettext_lazy("Amount confirmation (checked → confirmed)"),
    "payment": gettext_lazy("Payment (confirmed → paid)"),
    "application_total": gettext_lazy("Application to decision (submitted → decided)"),
    "results_total": gettext_lazy("Results report to payment (reported → paid)"),
}

STAGE_SHORT_LABELS = {
    "document_check": gettext_lazy("Document check"),
    "screening": gettext_lazy("Screening"),
    "decision": gettext_lazy("Decision"),
    "results_check": gettext_lazy("Results check"),
    "confirmation": gettext_lazy("Amount confirmation"),
    "payment": gettext_lazy("Payment"),
    "application_total": gettext_lazy("Application to decision"),
    "results_total": gettext_lazy("Results report to payment"),
}

ROUND_LABELS = {
    "name": gettext_lazy("Round"),
    "fiscal_year": gettext_lazy("Fiscal year"),
    "submitted": gettext_lazy("Submitted"),
    "withdrawn": gettext_lazy("Withdrawn after submission"),
    "lapsed": gettext_lazy("Lapsed (correction not answered)"),
    "decided": gettext_lazy("Decided"),
    "granted": gettext_lazy("Granted"),
    "rejected": gettext_lazy("Not granted"),
    "approval_rate": gettext_lazy("Approval rate (%)"),
    "revoked": gettext_lazy("Revoked"),
    "paid": gettext_lazy("Paid"),
    "budget": gettext_lazy("Budget (yen)"),
    "decided_amount": gettext_lazy("Granted (yen)"),
    "decided_share": gettext_lazy("Granted, share of budget (%)"),
    "remaining_amount": gettext_lazy("Budget available to grant (yen)"),
    "confirmed_amount": gettext_lazy("Confirmed (yen)"),
    "unspent_amount": gettext_lazy("Unspent after confirmation (不用額, yen)"),
    "revoked_amount": gettext_lazy("Revoked (yen)"),
    "repaid_amount": gettext_lazy("Repaid (yen)"),
    "committed_amount": gettext_lazy("Grants in force (yen)"),
    "paid_amount": gettext_lazy("Paid (yen)"),
    "paid_share": gettext_lazy("Paid, share of budget (%)"),
    "results_report_deadline": gettext_lazy("Results report due"),
    "results_late": gettext_lazy("Results reports late"),
    "results_missing": gettext_lazy("Results reports missing past the deadline"),
    "outcomes_overdue": gettext_lazy("Outcome reports overdue"),
    "breaches": gettext_lazy("Deadline breaches"),
}

PERCENT_COLUMNS = ("approval_rate", "decided_share", "paid_share")


def fiscal_year_label(year: int) -> str:
    return _("FY%(year)s") % {"year": year}


def kpi_definition(key: str, *, since: int, rule: str) -> str:
    """How the KPI ``key`` is counted, in the reader's language."""
    definitions = {
        "declarations": _(
            "Companies with a promotion declaration registered at least once, counted once, in "
            "the fiscal year (April–March, Japan time) of their first registration. A "
            "declaration withdrawn or expired after its registration still counts; one "
            "withdrawn before it does not, and a company registering again is not counted again."
        ),
        "commendations": _(
            "Companies commended in the award round of each fiscal year. The cumulative figure "
            "and the figure against the target count each company once, even if commended again."
        ),
        "productivity_gains": _(
            "Companies counted by the productivity rule, in the fiscal year of their first "
            "qualifying outcome report. The rule: %(rule)s"
        )
        % {"rule": rule},
        "subsidy_users": _(
            "People trained with the subsidy: distinct trainees (the same company and the same "
            "name, spaces ignored) on applications that were paid, from fiscal year %(since)s "
            "on, counted in the fiscal year of their first payment. Unpaid applications and "
            "grants revoked after payment do not count."
        )
        % {"since": since},
    }
    return definitions[key]


def period_note(first: int, last: int) -> str:
    return _(
        "Targets are for fiscal years %(first)s–%(last)s: the figure set against a target "
        "counts what happened in those years."
    ) % {"first": first, "last": last}


def rounds_note() -> str:
    return _(
        "Submitted: applications submitted at least once. Decided: a grant or non-grant "
        "decision was made; approval rate = granted / decided. Granted includes grants revoked "
        "later; paid counts applications paid and not revoked, with their confirmed amounts. "
        "Deadline breaches: results reports submitted after the round's due date (or still "
        "missing after it), applications that lapsed because a correction was not answered, "
        "and outcome reports still owed after their due date."
    )


def stages_note() -> str:
    return _(
        "Processing time per stage in days, between the milestones recorded on each "
        "application: median and 90th percentile, interpolated linearly between ranks. The "
        "document check and the application-to-decision total count from the latest "
        "submission (the resubmission that answered the last correction), not from the first "
        "receipt date (受付日) kept on each application: like the standard processing period "
        "(標準処理期間), they leave out the time the applicant spent correcting — and with it "
        "the office's check before the return."
    )
