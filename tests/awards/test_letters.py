"""The award's letters as their recipients read them: 表彰状, 選定通知書 and 非選定通知書, in
Japanese and English (the text extracted from the PDF)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from awards.letters import fiscal_year_wareki
from letters.rendering import LetterContextError, letter_pdf
from tests.letters.contexts import ISSUER, RECIPIENT

KINDS = ("award_certificate", "award_selected", "award_not_selected")
LANGUAGES = ("ja", "en")
CASES = [(kind, language) for kind in KINDS for language in LANGUAGES]
LEGAL_BASIS = "リスキリング先進企業表彰実施要領"


def context(kind: str) -> dict:
    base = {
        "number_text": "産表第7号",
        "issued_on": "2027-01-20",
        "issuer": ISSUER,
        "recipient": RECIPIENT,
        "reference": "AWD-2026-000012",
        "programme": "令和8年度 リスキリング先進企業表彰",
        "award_name": "リスキリング先進企業表彰",
        "fiscal_year": 2026,
        "fiscal_year_label": "令和8年度",
        "legal_basis": LEGAL_BASIS,
        "nominee": RECIPIENT["company"],
        "nominator": "水戸商工会議所",
        "applied_on": "2026-10-01",
    }
    per_kind = {
        "award_certificate": {"commended_on": "2027-02-15"},
        "award_selected": {"decided_on": "2027-01-20", "ceremony_date": "2027-02-15"},
        "award_not_selected": {"decided_on": "2027-01-20", "ceremony_date": ""},
    }
    return {**base, **per_kind[kind]}


EXPECTED = {
    ("award_certificate", "ja"): (
        "表\u3000彰\u3000状",
        "株式会社ひたち&テック<北>\u3000殿",
        "従業員のリスキリングに先進的に取り組み",
        "令和8年度リスキリング先進企業表彰において、リスキリング先進企業としてここに表彰します。",
        "令和9年2月15日",
        "茨城県知事\u3000大井川\u3000和彦",
    ),
    ("award_certificate", "en"): (
        "Certificate of Commendation",
        "株式会社ひたち&テック<北>",
        "advanced reskilling company",
        "for fiscal year 2026",
        "15 February 2027",
        "Governor of Ibaraki Prefecture",
    ),
    ("award_selected", "ja"): (
        "産表第7号",
        "令和9年1月20日",
        "代表者\u3000山田\u3000太郎\u3000様",
        "リスキリング先進企業表彰選定通知書",
        "令和8年10月1日付けで水戸商工会議所から推薦のあった令和8年度リスキリング先進企業表彰",
        "貴社をリスキリング先進企業として選定しましたので通知します。",
        "AWD-2026-000012",
        "令和9年2月15日（月）",
        f"根拠規定 {LEGAL_BASIS}",
        "（担当）産業戦略部 労働政策課",
    ),
    ("award_selected", "en"): (
        "No. 産表第7号",
        "Notice of Selection for the リスキリング先進企業表彰",
        "nominated by 水戸商工会議所 on 1 October 2026",
        "has been selected as an advanced reskilling company",
        "AWD-2026-000012",
        "Monday 15 February 2027",
        "Contact: Labour Policy Division",
    ),
    ("award_not_selected", "ja"): (
        "リスキリング先進企業表彰非選定通知書",
        "誠に残念ながら、今回は選定に至りませんでしたので通知します。",
        "今後の一層の御発展をお祈り申し上げます。",
        "AWD-2026-000012",
        f"根拠規定 {LEGAL_BASIS}",
    ),
    ("award_not_selected", "en"): (
        "Result of the Selection for the リスキリング先進企業表彰",
        "has not been selected this time",
        "AWD-2026-000012",
    ),
}
APPEAL = ("教\u3000示", "審査請求", "Your right to appeal")


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], bytes]:
    return {(kind, language): letter_pdf(kind, language, context(kind)) for kind, language in CASES}


def text_of(pdf: bytes, language: str) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r" *\n *", "" if language == "ja" else " ", text)


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_award_letter_shows_names_dates_and_references(rendered, kind, language):
    text = text_of(rendered[kind, language], language)
    for phrase in EXPECTED[kind, language]:
        assert phrase in text, f"{phrase!r} missing from the {kind}.{language} letter"


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_award_letter_carries_no_appeal_rights(rendered, kind, language):
    """Selecting for a commendation is not an administrative disposition (処分)."""
    text = text_of(rendered[kind, language], language)
    for phrase in APPEAL:
        assert phrase not in text


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_award_letter_is_one_page(rendered, kind, language):
    assert len(PdfReader(io.BytesIO(rendered[kind, language])).pages) == 1


def test_selected_notice_without_a_ceremony_date_says_it_follows():
    without = {**context("award_selected"), "ceremony_date": ""}
    text = text_of(letter_pdf("award_selected", "ja", without), "ja")
    assert "日時及び場所は別途お知らせします。" in text


def test_self_nomination_notice_speaks_of_an_application():
    own = {**context("award_not_selected"), "nominator": ""}
    text = text_of(letter_pdf("award_not_selected", "ja", own), "ja")
    assert "応募のあった令和8年度リスキリング先進企業表彰" in text
    assert "推薦のあった" not in text


def test_certificate_without_its_date_is_refused():
    incomplete = context("award_certificate")
    del incomplete["commended_on"]
    with pytest.raises(LetterContextError, match="commended_on"):
        letter_pdf("award_certificate", "ja", incomplete)


@pytest.mark.parametrize(
    ("fiscal_year", "label"),
    [(2026, "令和8年度"), (2019, "令和元年度"), (2018, "平成30年度"), (1988, "昭和63年度")],
)
def test_fiscal_year_in_the_japanese_era(fiscal_year, label):
    assert fiscal_year_wareki(fiscal_year) == label
