"""A certificate's larger type: ``scale`` on a title or paragraph enlarges its characters."""

from __future__ import annotations

import io

from pypdf import PdfReader

from letters.layout import pdf_from_markup


def _sizes(markup: str) -> dict[str, float]:
    """Each text run's rendered font size (the size times the text matrix's scale)."""
    sizes: dict[str, float] = {}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            sizes[text.strip()] = round(font_size * tm[0] * cm[0], 1)

    PdfReader(io.BytesIO(pdf_from_markup(markup))).pages[0].extract_text(visitor_text=visit)
    return sizes


def _letter(title_attributes: str) -> str:
    return (
        '<letter lang="ja"><number>産表第1号</number>'
        f"<title{title_attributes}>表彰状</title><p>本文</p></letter>"
    )


def test_scale_enlarges_the_title_and_nothing_else():
    plain, scaled = _sizes(_letter("")), _sizes(_letter(' scale="2"'))

    assert scaled["表彰状"] == 2 * plain["表彰状"]
    assert scaled["本文"] == plain["本文"]
