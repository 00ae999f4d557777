"""Fixtures of the payments tests: confirmed applications, a finance team, payee accounts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
import time_machine

from applications.models import Application
from core.dates import JST, add_business_days, today_jst
from core.roles import Role
from fixtures.demo import advance, draft_create, user_create
from payments import services

# 三菱ＵＦＪ銀行 本店 and 常陽銀行 本店営業部, both in the zengin-code data
ACCOUNT = {
    "bank_code": "0005",
    "branch_code": "001",
    "account_type": 1,
    "account_number": "1234567",
    "holder_name": "カ）ヒタチテック",
}
OTHER_ACCOUNT = {
    "bank_code": "0130",
    "branch_code": "4",
    "account_type": 2,
    "account_number": "7654321",
    "holder_name": "ツクバセイキ（カ",
}
ORIGINATOR = {
    "code": "0000000001",
    "name": "ｲﾊﾞﾗｷｹﾝ",
    "bank_code": "0130",
    "branch_code": "004",
    "account_type": 1,
    "account_number": "1234567",
}


@pytest.fixture(autouse=True)
def _originator(settings):
    settings.KOFU_ORIGINATOR = ORIGINATOR
    settings.KOFU_SECOND_RELEASER_ABOVE = 10_000_000


@pytest.fixture
def finance_team(people):
    """Three finance users: whoever prepares, another releases, a third signs large batches."""
    return SimpleNamespace(
        preparer=people.finance,
        releaser=user_create("finance2", Role.FINANCE, None),
        second=user_create("finance3", Role.FINANCE, None),
    )


@pytest.fixture
def transfer_day():
    return add_business_days(today_jst(), 2)


@pytest.fixture
def bank_day(transfer_day):
    """The clock at 10:00 on the transfer date, the first day the bank can report a transfer
    paid. Ask for it after the fixtures that prepare and release the batch."""
    with time_machine.travel(dt.datetime.combine(transfer_day, dt.time(10), JST), tick=True):
        yield transfer_day


def confirmed_application(subsidy_round, people, applicant) -> Application:
    application = draft_create(subsidy_round, applicant)
    return advance(application, "confirmed", {**vars(people), "applicant": applicant})


@pytest.fixture
def confirmed(subsidy_round, people):
    return confirmed_application(subsidy_round, people, people.applicant)


@pytest.fixture
def other_confirmed(subsidy_round, people):
    return confirmed_application(subsidy_round, people, people.other_applicant)


@pytest.fixture
def payable(confirmed, people):
    account = services.payee_account_register(by=people.applicant, **ACCOUNT)
    return services.payment_claim(
        application_id=confirmed.pk, by=people.applicant, account_id=account.pk
    )


@pytest.fixture
def other_payable(other_confirmed, people):
    account = services.payee_account_register(by=people.other_applicant, **OTHER_ACCOUNT)
    return services.payment_claim(
        application_id=other_confirmed.pk, by=people.other_applicant, account_id=account.pk
    )


def results_csv(rows, *, encoding="utf-8") -> bytes:
    """The bank's result file: (item, paid, reason) rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["customer_code", "result", "reason"])
    for item, paid, reason in rows:
        writer.writerow([item.customer_code, "paid" if paid else "failed", reason])
    return out.getvalue().encode(encoding)
