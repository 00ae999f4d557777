"""Letters as their recipients read them: the text extracted from the PDF, the embedded font,
the same bytes for the same input, and a PNG of every template for a person to look at."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from letters.rendering import LetterContextError, letter_markup, letter_pdf

from .contexts import KINDS, context

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "letters"
LANGUAGES = ("ja", "en")
ADVERSE = ("grant_decision", "non_grant", "amount_confirmation", "revocation")
APPEAL_JA = (
    "教\u3000示",
    "この決定があったことを知った日の翌日から起算して3か月以内に、茨城県知事に対して審査請求",
    "行政不服審査法（平成26年法律第68号）",
    "茨城県を被告として（訴訟において茨城県を代表する者は茨城県知事となります。）",
    "6か月以内",
    "処分の取消しの訴え",
    "行政事件訴訟法（昭和37年法律第139号）",
)
APPEAL_EN = (
    "Your right to appeal",
    "request for review with the Governor of Ibaraki Prefecture within three months",
    "Administrative Complaint Review Act, Act No. 68 of 2014",
    "action for the revocation of this decision against Ibaraki Prefecture",
    "within six months",
    "Administrative Case Litigation Act, Act No. 139 of 1962",
)
COMMON_JA = (
    "産人第12号",
    "令和8年11月24日",
    "〒310-0852 茨城県水戸市笠原町978番地6",
    "株式会社ひたち&テック<北>",
    "代表者\u3000山田\u3000太郎\u3000様",
    "茨城県知事\u3000大井川\u3000和彦",
    "SUB-2026-000001",
    "令和8年度人材育成支援補助金（第1回）",
    "（担当）産業戦略部 労働政策課",
)
COMMON_EN = (
    "No. 産人第12号",
    "24 November 2026",
    "株式会社ひたち&テック<北>",
    "Attn: 山田\u3000太郎, Representative",
    "Governor of Ibaraki Prefecture",
    "SUB-2026-000001",
    "Contact: Labour Policy Division",
)
LEGAL_BASIS = "人材育成支援補助金交付要綱第8条"
EXPECTED = {
    ("grant_decision", "ja"): (
        "補助金交付決定通知書",
        "令和8年10月1日付けで申請のあった",
        "下記のとおり交付することに決定したので通知します。",
        "3\u3000交付決定額",
        "金390,000円",
        "1,150,000円",
        "佐藤 花子",
        "2分の1",
        "受講者1人当たりの上限額",
        "100,000円",
        "1事業者当たりの上限額",
        "1,000,000円",
        "1,000円未満切捨て",
        "補助対象外の経費区分",
        "交付の条件",
        "(5)補助事業の実施状況について、県が求めたときは速やかに報告すること。",
        "令和9年2月26日（金）",
    ),
    ("grant_decision", "en"): (
        "Notice of Grant Decision",
        "dated 1 October 2026",
        "Amount granted",
        "¥390,000",
        "¥1,150,000",
        "Subsidy rate",
        "1/2",
        "Cap per trainee",
        "down to the nearest ¥1,000",
        "cost type not eligible",
        "Friday 26 February 2027",
    ),
    ("non_grant", "ja"): (
        "補助金不交付決定通知書",
        "補助金を交付しないことに決定したので通知します。",
        "不交付の理由",
        "申請時点で、補助の要件であるリスキリング推進宣言の登録がされていないため。",
        "対象講座の受講開始日が交付決定日より前であるため。",
    ),
    ("non_grant", "en"): (
        "Notice of Decision Not to Grant",
        "we have decided not to grant the subsidy",
        "Reasons",
        "対象講座の受講開始日が交付決定日より前であるため。",
    ),
    ("correction", "ja"): (
        "申請書類の補正について（通知）",
        "補正を要する事項",
        "(1)支出内訳書の合計額が見積書の金額と一致していません。",
        "(2)受講予定者の雇用を証する書類（雇用契約書の写し等）が添付されていません。",
        "補正後の書類は、電子申請システムから再提出してください。",
        "補正期限",
        "令和8年12月8日（火）",
    ),
    ("correction", "en"): (
        "Request for Correction of Your Application",
        "Items to correct",
        "Tuesday 8 December 2026",
    ),
    ("amount_confirmation", "ja"): (
        "補助金の額の確定通知書",
        "交付すべき補助金の額を下記のとおり確定したので通知します。",
        "3\u3000交付決定額",
        "金390,000円",
        "4\u3000確定額",
        "金378,000円",
        "1,138,000円",
    ),
    ("amount_confirmation", "en"): (
        "Notice of Confirmation of the Subsidy Amount",
        "Amount granted",
        "¥390,000",
        "Confirmed amount",
        "¥378,000",
    ),
    ("payment_notice", "ja"): (
        "補助金の支払について（通知）",
        "3\u3000支払額",
        "金378,000円",
        "令和9年4月15日（木）",
    ),
    ("payment_notice", "en"): ("Notice of Payment", "¥378,000", "Thursday 15 April 2027"),
    ("revocation", "ja"): (
        "補助金交付決定取消通知書兼返還命令書",
        "令和8年11月24日付け産人第12号により交付決定した",
        "交付決定を取り消したので通知します。",
        "返還を命ずる額",
        "金378,000円",
        "令和9年8月31日（火）",
        "年10.95パーセントの割合で計算した加算金",
    ),
    ("revocation", "en"): (
        "Notice of Revocation of the Grant Decision and Order to Repay",
        "Amount to repay",
        "¥378,000",
        "Tuesday 31 August 2027",
        "10.95% a year",
    ),
}
CASES = [(kind, language) for kind in KINDS for language in LANGUAGES]


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], bytes]:
    return {(kind, language): letter_pdf(kind, language, context(kind)) for kind, language in CASES}


def _text(pdf: bytes, language: str) -> str:
    """The extracted text with the line breaks of the layout undone."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    joined = re.sub(r" *\n *", "" if language == "ja" else " ", text)
    return re.sub(r"(?<=\)) (?=\S)", "", joined) if language == "ja" else joined


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_letter_pdf_shows_number_names_dates_and_amounts_exactly(rendered, kind, language):
    # when
    text = _text(rendered[kind, language], language)
    # then
    common = COMMON_JA if language == "ja" else COMMON_EN
    for phrase in (*common, *EXPECTED[kind, language]):
        assert phrase in text, f"{phrase!r} missing from the {kind}.{language} letter"


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_letter_pdf_cites_the_legal_basis_on_decisions_and_requests(rendered, kind, language):
    text = _text(rendered[kind, language], language)
    label = "根拠規定" if language == "ja" else "Legalbasis"
    if kind == "payment_notice":
        assert label not in text
    else:
        assert f"{label}{LEGAL_BASIS}" in text.replace(" ", "").replace("\u3000", "")


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_letter_pdf_appeal_rights_on_contestable_decisions_only(rendered, kind, language):
    text = _text(rendered[kind, language], language)
    appeal = APPEAL_JA if language == "ja" else APPEAL_EN
    if kind in ADVERSE:
        for phrase in appeal:
            assert phrase in text, f"{phrase!r} missing from the {kind}.{language} letter"
    else:
        assert appeal[0] not in text


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_letter_pdf_embeds_every_font_as_an_ipaex_mincho_subset(rendered, kind, language):
    reader = PdfReader(io.BytesIO(rendered[kind, language]))
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts
    for font in fonts:
        assert re.fullmatch(r"/[A-Z]{6}\+IPAexMincho", font["/BaseFont"])
        program = font["/FontDescriptor"]["/FontFile2"].get_object()
        assert 0 < len(program.get_data()) < 1_000_000  # a subset, not the 7.8 MB font


def test_letter_pdf_same_input_gives_the_same_bytes(rendered):
    # given
    first = rendered["grant_decision", "ja"]
    letter_pdf("revocation", "en", context("revocation"))
    # when
    again = letter_pdf("grant_decision", "ja", context("grant_decision"))
    # then
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(first).hexdigest()


def test_letter_pdf_same_bytes_in_another_process(rendered):
    """A redelivered render task may run in another worker: it must store the same file."""
    script = (
        "import django, hashlib, sys; django.setup();"
        "from letters.rendering import letter_pdf;"
        "from tests.letters.contexts import context;"
        "sys.stdout.write(hashlib.sha256("
        "letter_pdf('grant_decision', 'ja', context('grant_decision'))).hexdigest())"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONHASHSEED": "7"}
    other = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout == hashlib.sha256(rendered["grant_decision", "ja"]).hexdigest()


def test_letter_pdf_different_recipient_changes_the_letter(rendered):
    changed = context("grant_decision")
    changed["recipient"] = {**changed["recipient"], "company": "つくば精機株式会社"}
    pdf = letter_pdf("grant_decision", "ja", changed)
    assert pdf != rendered["grant_decision", "ja"]
    assert "つくば精機株式会社" in _text(pdf, "ja")


def test_letter_pdf_missing_value_is_refused_not_left_blank():
    incomplete = context("grant_decision")
    del incomplete["amount"]
    with pytest.raises(LetterContextError, match="amount"):
        letter_pdf("grant_decision", "ja", incomplete)


def test_letter_pdf_character_without_a_glyph_is_refused_not_left_blank():
    unusual = context("payment_notice")
    unusual["recipient"] = {**unusual["recipient"], "representative": "\U00020bb7田　一郎"}
    with pytest.raises(LetterContextError, match="U\\+20BB7"):
        letter_pdf("payment_notice", "ja", unusual)


def test_letter_pdf_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="not a letter kind"):
        letter_pdf("../settings", "ja", context("payment_notice"))


def test_letter_markup_language_without_template_falls_back_to_japanese():
    markup = letter_markup("payment_notice", "fr", context("payment_notice"))
    assert '<letter lang="ja">' in markup


def test_letter_markup_escapes_user_text():
    markup = letter_markup("payment_notice", "ja", context("payment_notice"))
    assert "株式会社ひたち&amp;テック&lt;北&gt;" in markup


def test_letter_pdf_every_template_rendered_to_png_for_review(rendered):
    """Writes test-artifacts/letters/<kind>.<language>-<page>.png (look at them after a change)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for (kind, language), pdf in rendered.items():
        document = pypdfium2.PdfDocument(pdf)
        try:
            for index, page in enumerate(document, start=1):
                image = page.render(scale=150 / 72).to_pil().convert("L")
                path = ARTIFACTS / f"{kind}.{language}-{index}.png"
                image.save(path)
                assert image.getextrema()[0] < 64, f"{path.name} is blank"
                page.close()
        finally:
            document.close()
