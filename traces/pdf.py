"""A record's decision trace as a PDF an auditor can file: the record, who exported it and when,
the verification of its audit events against the hash chain at that moment, the timeline, and
the letters and documents with their SHA-256. A4 landscape, IPAex Mincho embedded as in the
letters; each timeline entry is a few short rows, so that no row outgrows a page."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer

from letters.grid import Cell, Grid, GridStyle, Row
from letters.typeset import TextParagraph, font, text_width

from .selectors import ChainCheck, Trace
from .timeline import TraceEntry, jst

PAGE = landscape(A4)
MARGIN = 12 * mm
WIDTH = PAGE[0] - 2 * MARGIN
SIZE = 8.0
LEADING = SIZE * 1.35
PADDING = 3.0
CHUNK = 240  # characters of one row's text: a row must never be taller than a page
MISSING_GLYPH = "〓"  # 下駄記号: what Japanese print shows for a character the font lacks
RULE = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.92, 0.92, 0.92)
# time, actor, role, action, reason, chain position and hash
TIMELINE = [0.115, 0.11, 0.075, 0.18, 0.24, 0.28]


def _title(reference: str) -> str:
    return _("Decision trace %(reference)s") % {"reference": reference}


def _style(size: float = SIZE, **changes: Any) -> ParagraphStyle:
    return ParagraphStyle(
        f"trace-{size}-{sorted(changes.items())}",
        fontName=font(),
        fontSize=size,
        leading=size * 1.35,
        wordWrap="CJK",
        **changes,
    )


def _printable(text: str) -> str:
    covered = pdfmetrics.getFont(font()).face.charToGlyph
    return "".join(char if ord(char) in covered else MISSING_GLYPH for char in text)


def _chunks(text: str) -> list[str]:
    text = " ".join(_printable(text or "").split())
    return [text[start : start + CHUNK] for start in range(0, len(text), CHUNK)] or [""]


def _cell(text: str, width: float, style: ParagraphStyle, span: int = 1) -> Cell:
    """A plain string when it fits on one line (cheap to set), else a wrapping paragraph."""
    if text_width(text, style.fontName, style.fontSize) <= width - 2 * PADDING - 1:
        return Cell(text, span=span)
    return Cell(TextParagraph(text, style), span=span)


def _grid_style() -> GridStyle:
    return GridStyle(font(), SIZE, LEADING, (PADDING, PADDING, 2, 3), RULE, 0.4, SHADE)


def _table(heads: list[str], rows: list[list[str]], weights: list[float]) -> Grid:
    widths = [WIDTH * weight / sum(weights) for weight in weights]
    style = _style()
    grid_rows = [Row([_cell(head, w, style) for head, w in zip(heads, widths, strict=True)], True)]
    for row in rows:
        for chunk_row in _chunked_row(row):
            cells = [_cell(text, w, style) for text, w in zip(chunk_row, widths, strict=True)]
            grid_rows.append(Row(cells))
    return Grid(grid_rows, widths, _grid_style(), heads=1)


def _chunked_row(row: list[str]) -> Iterator[list[str]]:
    """A row whose longest text is long becomes several rows, the rest of each text below."""
    chunks = [_chunks(text) for text in row]
    for index in range(max(len(cell) for cell in chunks)):
        yield [cell[index] if index < len(cell) else "" for cell in chunks]


def _entry_rows(entry: TraceEntry, widths: list[float], style: ParagraphStyle) -> list[Row]:
    action = f"{entry.action} ({entry.status})" if entry.status else entry.action
    chain = f"#{entry.seq} {entry.entry_hash}" if entry.seq is not None else ""
    head = [jst(entry.at), entry.actor, entry.role, action, entry.reason, chain]
    rows = [
        Row([_cell(text, w, style) for text, w in zip(chunk, widths, strict=True)])
        for chunk in _chunked_row(head)
    ]
    lines = ["　".join(f"・{detail}" for detail in entry.details)] if entry.details else []
    lines += [f"SHA-256 {digest.label}: {digest.sha256}" for digest in entry.digests]
    rest = sum(widths[3:])
    for line in lines:
        for chunk in _chunks(line):
            rows.append(Row([Cell(""), Cell(""), Cell(""), _cell(chunk, rest, style, span=3)]))
    return rows


def _timeline(trace: Trace) -> Grid:
    widths = [WIDTH * weight for weight in TIMELINE]
    style = _style()
    heads = [
        _("Time (JST)"),
        _("Who"),
        _("Role"),
        _("What"),
        _("Why"),
        _("Audit log position and entry hash"),
    ]
    rows = [Row([_cell(h, w, style) for h, w in zip(heads, widths, strict=True)], True)]
    for entry in trace.entries:
        rows += _entry_rows(entry, widths, style)
    return Grid(rows, widths, _grid_style(), heads=1)


def _paragraph(text: str, size: float = SIZE + 1, **changes: Any) -> TextParagraph:
    return TextParagraph(_printable(text), _style(size, **changes))


def _chain_text(chain: ChainCheck) -> str:
    if chain.ok and not chain.checked:
        text = _("None of this record's events is sealed into the audit chain yet.")
    elif chain.ok:
        text = _(
            "Verified at export: the %(checked)s sealed events of this record match their "
            "entry hashes and their links in the audit chain."
        ) % {"checked": chain.checked}
    else:
        text = _("Verification FAILED at export: %(problem)s") % {"problem": chain.problem}
    if chain.unsealed and chain.checked:
        text += " " + _("%(count)s events are not sealed into the chain yet.") % {
            "count": chain.unsealed
        }
    return text


def _header(trace: Trace, chain: ChainCheck, by: str, at: dt.datetime) -> list[Any]:
    facts = [
        (_("Record"), f"{trace.reference} ({trace.programme_label})"),
        (_("Round"), trace.round),
        (_("Status"), trace.status),
        *trace.facts,
        (_("Generated at (JST)"), jst(at)),
        (_("Generated by"), by),
    ]
    return [
        _paragraph(_title(trace.reference), 15, spaceAfter=8),
        _table(
            [pgettext("trace facts", "Item"), _("Value")], [list(fact) for fact in facts], [1, 4]
        ),
        Spacer(1, 4),
        _paragraph(_chain_text(chain), SIZE + 1, spaceAfter=6),
    ]


def _letters(trace: Trace) -> list[Any]:
    rows = [
        [
            letter.number,
            letter.kind,
            str(letter.version),
            letter.status,
            jst(letter.issued_at),
            letter.sha256 or "-",
        ]
        for letter in trace.letters
    ]
    heads = [_("Number"), _("Letter"), _("Version"), _("Status"), _("Issued"), "SHA-256"]
    return [
        _paragraph(_("Letters"), 11, spaceBefore=8, spaceAfter=4),
        _table(heads, rows, [0.12, 0.28, 0.06, 0.08, 0.14, 0.32])
        if rows
        else _paragraph(_("None.")),
    ]


def _documents(trace: Trace) -> list[Any]:
    rows = [
        [
            document.kind,
            document.name,
            f"{document.size:,}",
            document.uploaded_by,
            jst(document.uploaded_at),
            document.sha256,
        ]
        for document in trace.documents
    ]
    heads = [_("Document"), _("File"), _("Bytes"), _("Uploaded by"), _("Uploaded"), "SHA-256"]
    return [
        _paragraph(_("Documents"), 11, spaceBefore=8, spaceAfter=4),
        _table(heads, rows, [0.14, 0.16, 0.06, 0.14, 0.14, 0.36])
        if rows
        else _paragraph(_("None.")),
    ]


class _NumberedCanvas(Canvas):
    """Writes "reference  n / total" at the foot of every page."""

    footer = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(font(), SIZE)
            self.drawRightString(
                PAGE[0] - MARGIN, 7 * mm, f"{self.footer}  {self._pageNumber} / {total}"
            )
            super().showPage()
        super().save()


def trace_pdf(trace: Trace, chain: ChainCheck, *, by: str, at: dt.datetime) -> bytes:
    """The PDF of a trace exported by ``by`` at ``at``."""
    buffer = io.BytesIO()
    frame = Frame(MARGIN, MARGIN, WIDTH, PAGE[1] - 2 * MARGIN, 0, 0, 0, 0)
    document = BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        pageTemplates=[PageTemplate("trace", frames=[frame], pagesize=PAGE)],
        title=_title(trace.reference),
        author=by,
        subject=trace.reference,
        creator="Kofu",
        initialFontName=font(),
        initialFontSize=SIZE,
    )
    story = [
        *_header(trace, chain, by, at),
        _paragraph(_("Timeline"), 11, spaceBefore=6, spaceAfter=4),
        _timeline(trace) if trace.entries else _paragraph(_("None.")),
        *_letters(trace),
        *_documents(trace),
    ]
    canvas = type("TraceCanvas", (_NumberedCanvas,), {"footer": trace.reference})
    document.build(story, canvasmaker=canvas)
    return buffer.getvalue()
