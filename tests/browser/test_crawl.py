"""Every page an applicant or the public reaches by following links, in Japanese: each is looked
at (screenshots at a laptop's and a phone's width in test-artifacts/, axe-core at each, failing
on a serious or critical finding) and its visible text must hold no English the Japanese
catalogue translates, no msgid it leaves untranslated, and no English never marked for
translation (tests/browser/crawl.py).

The data is the demo's, with the applicant's company given an application in each state the
portal shows differently: a draft with its lines, one returned for correction, one granted
(the results report form), one confirmed (the payment claim), beside the demo's submitted,
reported and claimed ones, its registered declaration, its nomination under review and its
accepted outcome report; and a draft declaration, and a chamber's nomination of the company
waiting for its consent.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from applications.models import SubsidyRound
from awards.models import AwardRound, Nomination
from awards.services import nomination_create
from core.dates import today_jst
from declarations.services import declaration_create
from fixtures.demo import advance, demo_load, draft_create
from fixtures.demo_calendar import AWARD, SECOND_CALL, current_fiscal_year, round_name
from tests.browser.crawl import Crawl, crawl, english_of_catalogue, misformatted, untranslated
from tests.browser.helpers import log_in
from workflows import services as wf
from workflows import steps

PO = """\
msgid ""
msgstr ""
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "Submit application"
msgstr "申請を提出"

#, fuzzy
msgid "Withdraw"
msgstr "取下げ"

msgid "Add a "
"trainee"
msgstr ""

msgid "%(count)s file"
msgid_plural "%(count)s files"
msgstr[0] "%(count)s件のファイル"

msgctxt "KPI"
msgid "CSV"
msgstr "CSV"
"""


def test_the_catalogue_check_finds_translated_english_gaps_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(PO, encoding="utf-8")
    catalogue = english_of_catalogue(po)
    assert set(catalogue) == {
        "Submit application",
        "Withdraw",  # fuzzy: not compiled, the page shows the English
        "Add a trainee",  # no msgstr at all
        "%(count)s file",
        "%(count)s files",
    }  # "CSV" reads the same in both
    texts = [
        "申請を提出",
        "Submit application",
        "3 files",
        "withdraw",
        "application_form.pdf",
        "Kofu",
        "staff が Add a trainee",
        "Read this first",
        "finance",
    ]
    assert untranslated(texts, catalogue, data=("finance",)) == [
        "'Submit application' (msgid 'Submit application')",
        "'3 files' (msgid '%(count)s files')",
        "'withdraw' (msgid 'Withdraw')",
        "'staff が Add a trainee' (msgid 'Add a trainee')",
        "'Read this first' (English not in the catalogue)",
    ]


def test_the_format_check_finds_iso_dates_and_the_yen_sign_before_an_amount():
    texts = [
        "2026年12月2日 19:26",
        "187,000円",
        "提出日 2026-12-02",
        "¥187,000",
        "2026-12-02 19:26:03 ¥5",
        "APP-2026-000123",  # a reference: more digits than a date's
        "2026-12",  # a month, not a date
        "12026-12-021",  # part of a longer number
        "¥ は円の記号",  # the sign, no amount
        "—",
    ]
    assert misformatted(texts) == [
        "'提出日 2026-12-02' (ISO date '2026-12-02')",
        "'¥187,000' (yen sign '¥1')",
        "'2026-12-02 19:26:03 ¥5' (ISO date '2026-12-02', yen sign '¥5')",
    ]
    result = Crawl(formats=["/finance/batches/: '¥187,000' (yen sign '¥1')"])
    assert "Dates or amounts not written the Japanese way:\n  /finance/batches/" in (
        result.problems()
    )


@pytest.fixture
def demo():
    demo_load()
    people = {user.username: user for user in get_user_model().objects.all()}
    applicant = people["applicant"]
    round_ = SubsidyRound.objects.get(fiscal_year=current_fiscal_year())
    advance(draft_create(round_, applicant), "granted", people)
    advance(draft_create(round_, applicant), "confirmed", people)
    returned = draft_create(round_, applicant)
    wf.subsidy_submit(application_id=returned.pk, by=applicant)
    wf.step_complete(
        application_id=returned.pk,
        step=steps.CHECK_DOCUMENTS,
        by=people["staff"],
        data={
            "accept": False,
            "items": ["事業計画書に研修の目的を記載してください"],
            "message": "修正のうえ再提出してください。",
        },
    )
    # a draft declaration beside the registered one, and a chamber's nomination of the company
    # in a second call, waiting for its consent
    today = today_jst()
    declaration_create(
        by=applicant,
        goals="DX研修を全社で実施する。",
        measures="受講時間を勤務時間として扱う。",
        responsible_name="人事 太郎",
        period_start=today,
        period_end=today + dt.timedelta(days=730),
    )
    fiscal_year = current_fiscal_year()
    second_call = AwardRound.objects.create(
        name=round_name(AWARD, fiscal_year, SECOND_CALL),
        fiscal_year=fiscal_year,
        nominations_open=timezone.now() - dt.timedelta(days=1),
        nominations_close=timezone.now() + dt.timedelta(days=30),
        quota=1,
    )
    nomination_create(
        round_id=second_call.pk,
        by=people["chamber"],
        company_id=applicant.profile.company_id,
        nominator_kind=Nomination.NominatorKind.CHAMBER,
        nominator_organisation="水戸商工会議所",
        summary="全従業員を対象に生成AI研修を実施した。",
    )
    return people


def usernames() -> tuple[str, ...]:
    """The history on a page names who acted by username: data, not for translation."""
    return tuple(get_user_model().objects.values_list("username", flat=True))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_of_the_applicant_is_accessible_and_in_japanese(new_page, live_server, demo):
    page = log_in(new_page, "applicant")
    result = crawl(page, live_server.url, ["/portal/"], "applicant", data=usernames())
    print(f"\n{len(result.pages)} pages: {result.pages}\ndownloads: {result.downloads}")
    assert len(result.pages) > 20
    if result.problems():
        pytest.fail(result.problems(), pytrace=False)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_public_page_is_accessible_and_in_japanese(new_page, live_server, demo):
    start = ["/", "/declarations/", "/awards/commended/", "/accounts/login/"]
    result = crawl(new_page(), live_server.url, start, "public", data=usernames())
    print(f"\n{len(result.pages)} pages: {result.pages}\ndownloads: {result.downloads}")
    assert len(result.pages) >= 4
    if result.problems():
        pytest.fail(result.problems(), pytrace=False)
