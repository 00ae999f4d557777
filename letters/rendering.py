"""Decision letters as PDF: reportlab with an embedded (subset) IPAex Mincho font.

``letter_pdf(kind, language, context)`` renders the Django template
``letters/<kind>.<language>.xml`` with ``context`` into a small layout markup (see
``letters.layout``), then lays it out with reportlab. A new letter type is a new template, not new
code. A language without its template falls back to Japanese. The same input always gives the
same bytes (reportlab's invariant mode), so rendering twice is harmless.

The context every letter receives (built by the issuing service, stored on the Letter row):

- ``number_text``: the official document number, e.g. "産人第12号"
- ``issued_on``: ISO date of issue, e.g. "2026-11-24" (shown as 令和8年11月24日 on Japanese letters)
- ``issuer``: {"title": "茨城県知事", "name": "…", "title_en": "Governor of Ibaraki", "office": "…"}
  optional: ``office_en``, ``phone``, ``email``; ``body`` / ``body_en`` (the prefecture, named
  as the defendant in the appeal-rights text; default: the title without 知事 / "Governor of")
- ``recipient``: {"company": "…", "representative": "…", "address": "…", "corporate_number": "…"}
- ``reference``: the application's reference, e.g. "SUB-2026-000001"
- ``programme``: the round's name; optional ``programme_en`` for English letters
- ``legal_basis``: the rule the decision rests on; optional ``legal_basis_en`` for English letters
- optional ``applied_on``: ISO date of the application ("…付けで申請のあった")
Per kind:
- ``grant_decision``: ``amount`` (printed as 交付決定額), ``decided_amount``, ``computation`` (see
  applications.calculation SubsidyComputation.as_dict(); each ``excluded`` line also carries
  ``cost_type_name`` {"ja": …, "en": …}, see applications.letters.computation_named),
  ``rate`` ("1/2"), ``cap_per_trainee``, ``cap_per_company``, ``rounding_unit``, ``conditions``,
  ``results_report_deadline`` (ISO date)
- ``non_grant``: ``reason`` (adverse: carries the appeal-rights text 教示)
- ``correction``: ``items`` (list of str), ``message``, ``deadline`` (ISO date)
- ``amount_confirmation``: ``amount`` (確定額), ``decided_amount`` (交付決定額), ``computation``;
  optional ``rate``, ``cap_per_trainee``, ``cap_per_company``, ``rounding_unit``
- ``payment_notice``: ``amount``, ``paid_on`` (ISO date)
- ``revocation`` (取消通知書, with a repayment order 返還命令 when ``repayment_amount`` is set):
  ``decision_number``, ``decision_date`` (ISO date), ``reason``, ``revoked_amount``; optional
  ``repayment_amount``, ``repayment_deadline`` (ISO date), ``interest_rate`` ("10.95")

Every decision that can be contested (grant_decision, non_grant, amount_confirmation, revocation)
carries the appeal-rights text 教示 and cites ``legal_basis``; correction cites it too.

``reason``, ``message`` and ``conditions`` may be text (one paragraph or item per line) or lists.
A letter prints names, never codes: a coded value reaches the template with its name in both
languages (``cost_type_name``) or through a filter that names it (``exclusion_reason``) and
raises on a code it does not know. Amounts are whole yen: int, Decimal or a numeric string.
A value a template prints but the context lacks, or a character the font has no glyph for
(e.g. 𠮷, U+20BB7), raises ``LetterContextError`` instead of leaving a blank on an official notice.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from django.template import Context, Engine, Template

from .layout import pdf_from_markup
from .typeset import missing_characters

TEMPLATES = Path(__file__).with_name("templates")
DEFAULT_LANGUAGE = "ja"
KIND = re.compile(r"[a-z][a-z0-9_]*")
MISSING = re.compile(r"⟪missing:([^⟫]*)⟫")


class LetterContextError(ValueError):
    """The context lacks a value the letter's template prints, or has text the font lacks."""


@functools.cache
def _engine() -> Engine:
    # Each programme's app ships its own letter types in <app>/templates/letters/.
    return Engine(
        dirs=[str(TEMPLATES)],
        app_dirs=True,
        libraries={"letter_format": "letters.templatetags.letter_format"},
        string_if_invalid="⟪missing:%s⟫",
        autoescape=True,
    )


def letter_template(kind: str, language: str) -> Template:
    """The compiled template for ``kind`` in ``language``, or in Japanese when there is none."""
    if not KIND.fullmatch(kind):
        raise ValueError(f"not a letter kind: {kind!r}")
    names = [f"letters/{kind}.{language}.xml", f"letters/{kind}.{DEFAULT_LANGUAGE}.xml"]
    return _engine().select_template(names)


def _appeal(issuer: dict[str, Any]) -> dict[str, str]:
    title = str(issuer.get("title") or "")
    title_en = str(issuer.get("title_en") or "")
    body_en = issuer.get("body_en") or title_en.removeprefix("Governor of ").strip()
    if body_en and not body_en.endswith("Prefecture"):
        body_en = f"{body_en} Prefecture"
    return {
        "authority": title,
        "authority_en": title_en,
        "body": issuer.get("body") or title.removesuffix("知事"),
        "body_en": body_en,
    }


def letter_markup(kind: str, language: str, context: dict[str, Any]) -> str:
    """The layout markup of a letter: its template rendered with ``context``."""
    template = letter_template(kind, language)
    issuer = context.get("issuer") or {}
    values = {**context, "kind": kind, "language": language, "appeal": _appeal(issuer)}
    markup = template.render(Context(values))
    missing = sorted(set(MISSING.findall(markup)))
    if missing:
        raise LetterContextError(f"{kind} letter: the context lacks {', '.join(missing)}")
    unprintable = missing_characters(markup)
    if unprintable:
        names = ", ".join(f"{char} (U+{ord(char):04X})" for char in unprintable)
        raise LetterContextError(f"{kind} letter: the font has no glyph for {names}")
    return markup


def letter_pdf(kind: str, language: str, context: dict[str, Any], watermark: str = "") -> bytes:
    """The letter as PDF bytes; the same arguments always give the same bytes."""
    return pdf_from_markup(letter_markup(kind, language, context), watermark)
