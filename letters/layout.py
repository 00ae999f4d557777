"""Lays out letter markup (what a ``letters/<kind>.<language>.xml`` template renders to) with
reportlab platypus as an official notice on A4, in IPAex Mincho embedded as a subset.

The markup, in reading order::

    <letter lang="ja|en">
      <number>産人第12号</number>                 top right
      <date>令和8年11月24日</date>                top right, under the number
      <addressee><line>…</line>…</addressee>     top left
      <issuer><line>…</line>…</issuer>           right, under the addressee
      <title>…</title>                           centred
      <p align="left|center|right" indent="0">…</p>
      scale="1.8" on title, p, addressee, issuer enlarges the type (a certificate, 表彰状)
      <fields label-width="9"><field label="…">…</field>…</fields>   label / value rows
      <keep>…</keep>                             kept on one page
      <section title="…">…</section>             a heading; its content indented one character
      <list label-width="2.2"><item label="(1)">…</item>…</list>      hanging items
      <table widths="3 2 2"><row role="head|total"><cell align="right">…</cell></row></table>
      <end>以上</end>                             right
      <box title="教示">…</box>                   framed, smaller text
      <contact><line>…</line>…</contact>          right, smaller text
      <space lines="1"/>                         blank lines
    </letter>

Elements hold plain text. Widths are in characters of the body size (``label-width`` is a
minimum: the labels' column is always one character wider than the longest label) or relative
(``widths``). In Japanese a line break in the markup joins the lines without a space;
in English it is a space.
"""

from __future__ import annotations

import functools
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Indenter,
    KeepTogether,
    PageTemplate,
    Spacer,
)
from reportlab.platypus.frames import Frame as PageFrame

from .grid import Boxed, Cell, Grid, GridStyle, Row
from .typeset import FONT, PRELOAD, TextParagraph, font, text_flowable, text_width

SIZE = 10.5
SMALL = 9.0
CELL = 9.5
LEADING = 1.7
LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 25 * mm, 22 * mm, 20 * mm
WIDTH = A4[0] - LEFT - RIGHT
PADDING = 4
RULE = colors.Color(0.25, 0.25, 0.25)
SHADE = colors.Color(0.93, 0.93, 0.93)
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
NEWLINE_RUN = re.compile(r"[ \t\r]*\n[ \t\r\n]*")
SPACE_RUN = re.compile(r"[ \t\r]+")


@functools.lru_cache(maxsize=256)
def _variant_of(style: ParagraphStyle, changes: tuple) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}+{len(changes)}", parent=style, **dict(changes))


def _variant(style: ParagraphStyle, **changes: object) -> ParagraphStyle:
    return _variant_of(style, tuple(sorted(changes.items())))


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    cell: ParagraphStyle
    heading: ParagraphStyle
    japanese: bool

    def aligned(self, style: ParagraphStyle, align: str | None) -> ParagraphStyle:
        if not align or ALIGN[align] == style.alignment:
            return style
        return _variant(style, alignment=ALIGN[align], firstLineIndent=0)


@functools.cache
def styles(language: str) -> Styles:
    japanese = language != "en"
    base = ParagraphStyle(
        f"letter-{language}",
        fontName=font(),
        fontSize=SIZE,
        leading=SIZE * LEADING,
        wordWrap="CJK" if japanese else None,
        bulletFontName=FONT,
        bulletFontSize=SIZE,
        allowWidows=0,
        allowOrphans=0,
    )
    return Styles(
        body=_variant(
            base, firstLineIndent=SIZE if japanese else 0, spaceAfter=0 if japanese else 5
        ),
        small=_variant(base, fontSize=SMALL, leading=SMALL * 1.6, bulletFontSize=SMALL),
        title=_variant(
            base, fontSize=15, leading=22, alignment=TA_CENTER, spaceBefore=14, spaceAfter=14
        ),
        cell=_variant(base, fontSize=CELL, leading=CELL * 1.4),
        heading=_variant(base, spaceBefore=4 if japanese else 6),
        japanese=japanese,
    )


@functools.cache
def _boxed(styles: Styles) -> Styles:
    return replace(
        styles,
        body=_variant(
            styles.body, fontSize=SMALL, leading=SMALL * 1.6, bulletFontSize=SMALL, spaceAfter=1
        ),
        heading=_variant(styles.small, alignment=TA_CENTER, spaceBefore=3, spaceAfter=2),
    )


@dataclass(frozen=True)
class Frame:
    styles: Styles
    width: float
    label_width: float = 0.0


Handler = Callable[[ET.Element, Frame], list[Flowable]]


def _clean(text: str | None, japanese: bool) -> str:
    if not text:
        return ""
    return SPACE_RUN.sub(" ", NEWLINE_RUN.sub("" if japanese else " ", text)).strip(" ")


def _text(element: ET.Element, japanese: bool) -> str:
    return _clean("".join(element.itertext()), japanese)


def _para(element: ET.Element, style: ParagraphStyle, frame: Frame) -> Flowable:
    return text_flowable(_text(element, frame.styles.japanese), style, frame.width)


def _lines(element: ET.Element, frame: Frame, style: ParagraphStyle) -> list[Flowable]:
    return [_para(line, style, frame) for line in element.iter("line")]


def _number(element: ET.Element, frame: Frame) -> list[Flowable]:
    return [_para(element, frame.styles.aligned(frame.styles.heading, "right"), frame)]


def _date(element: ET.Element, frame: Frame) -> list[Flowable]:
    style = _variant(frame.styles.heading, alignment=TA_RIGHT, spaceBefore=0)
    return [_para(element, style, frame)]


def _scaled(style: ParagraphStyle, element: ET.Element) -> ParagraphStyle:
    """The style with its type enlarged by the element's ``scale`` (1 when absent)."""
    scale = float(element.get("scale", "1"))
    if scale == 1:
        return style
    return _variant(
        style,
        fontSize=style.fontSize * scale,
        leading=style.leading * scale,
        firstLineIndent=style.firstLineIndent * scale,
    )


def _addressee(element: ET.Element, frame: Frame) -> list[Flowable]:
    style = _variant(frame.styles.heading, fontSize=SIZE + 1, leading=(SIZE + 1) * 1.55)
    return [Spacer(1, SIZE), *_lines(element, frame, _scaled(style, element))]


def _issuer(element: ET.Element, frame: Frame) -> list[Flowable]:
    style = _variant(frame.styles.heading, fontSize=SIZE + 1, alignment=TA_RIGHT, spaceBefore=0)
    return [Spacer(1, SIZE), *_lines(element, frame, _scaled(style, element))]


def _title(element: ET.Element, frame: Frame) -> list[Flowable]:
    return [Spacer(1, SIZE), _para(element, _scaled(frame.styles.title, element), frame)]


def _p(element: ET.Element, frame: Frame) -> list[Flowable]:
    style = frame.styles.aligned(frame.styles.body, element.get("align"))
    if element.get("align") == "center":
        style = _variant(style, spaceBefore=SIZE * 0.4, spaceAfter=SIZE * 0.4)
    if element.get("indent") == "0":
        style = _variant(style, firstLineIndent=0)
    return [_para(element, _scaled(style, element), frame)]


def _end(element: ET.Element, frame: Frame) -> list[Flowable]:
    style = _variant(frame.styles.body, alignment=TA_RIGHT, firstLineIndent=0, spaceBefore=2)
    return [_para(element, style, frame)]


def _space(element: ET.Element, frame: Frame) -> list[Flowable]:
    return [Spacer(1, float(element.get("lines", "1")) * SIZE * LEADING)]


def _contact(element: ET.Element, frame: Frame) -> list[Flowable]:
    style = _variant(frame.styles.small, alignment=TA_RIGHT)
    return [Spacer(1, SIZE), *_lines(element, frame, style)]


def _fields(element: ET.Element, frame: Frame) -> list[Flowable]:
    style = _variant(frame.styles.body, firstLineIndent=0)
    label_width = max(_label_width(element), frame.label_width)
    widths = [label_width, frame.width - label_width]
    rows = [
        Row(
            [
                Cell(_cell(_clean(field.get("label"), False), style, widths[0], 0)),
                Cell(_cell(_text(field, frame.styles.japanese), style, widths[1], 0)),
            ]
        )
        for field in element.iter("field")
    ]
    return [Grid(rows, widths, _field_grid(style))]


@functools.cache
def _field_grid(style: ParagraphStyle) -> GridStyle:
    return GridStyle(style.fontName, style.fontSize, style.leading, (0, 0, 0, 0), middle=False)


def _label_width(fields: ET.Element) -> float:
    labels = [_clean(field.get("label"), False) for field in fields.iter("field")]
    longest = max((text_width(label, FONT, SIZE) for label in labels), default=0)
    return max(float(fields.get("label-width", "0")) * SIZE, longest + SIZE)


def _cell(text: str, style: ParagraphStyle, width: float, padding: float) -> str | TextParagraph:
    """A plain string when it fits on one line (cheap to set), otherwise a wrapping paragraph."""
    if text_width(text, style.fontName, style.fontSize) <= width - 2 * padding - 1:
        return text
    return TextParagraph(text, style)


def _section(element: ET.Element, frame: Frame) -> list[Flowable]:
    indent = SIZE if frame.styles.japanese else SIZE * 1.5
    style = _variant(frame.styles.heading, leftIndent=-indent)
    inner = Frame(frame.styles, frame.width - indent)
    heading = text_flowable(_clean(element.get("title"), False), style, inner.width)
    content = [flowable for child in element for flowable in _flowables(child, inner)]
    return [
        Indenter(left=indent),
        _Keep([heading, *content[:1]]),
        *content[1:],
        Indenter(left=-indent),
    ]


class _Keep(KeepTogether):
    """KeepTogether measured without deep-copying the frame, which reportlab does to track
    generated content (letters have none); the same height, five times faster."""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        total, width, first, after = 0.0, 0.0, None, None
        for flowable in self._content:
            w, h = flowable.wrapOn(self.canv, aW, 0xFFFFFFF)
            first = h if first is None else first
            if h <= 1e-6:
                continue
            width = max(width, min(w, aW))
            if after is not None:
                total += after + max(flowable.getSpaceBefore() - after, 0)
            total += h
            after = flowable.getSpaceAfter()
        self._H, self._H0, self._wrapInfo = total, first or 0, (aW, aH)
        return width, 0xFFFFFF


def _keep(element: ET.Element, frame: Frame) -> list[Flowable]:
    return [_Keep([flowable for child in element for flowable in _flowables(child, frame)])]


def _list(element: ET.Element, frame: Frame) -> list[Flowable]:
    label_width = float(element.get("label-width", "2.2")) * SIZE
    style = _variant(
        frame.styles.body, firstLineIndent=0, leftIndent=label_width, bulletIndent=0, spaceAfter=1
    )
    return [
        TextParagraph(
            _text(item, frame.styles.japanese),
            style,
            bulletText=_clean(item.get("label"), False) or None,
        )
        for item in element.iter("item")
    ]


def _table(element: ET.Element, frame: Frame) -> list[Flowable]:
    rows = element.findall("row")
    if not rows:
        return []
    weights = [float(weight) for weight in element.get("widths", "").split()]
    weights = weights or [1.0] * len(rows[0].findall("cell"))
    widths = [frame.width * weight / sum(weights) for weight in weights]
    heads = sum(1 for row in rows if row.get("role") == "head")
    grid = Grid(
        [_row(row, widths, frame) for row in rows], widths, _table_grid(frame.styles), heads
    )
    return [Spacer(1, 3), grid, Spacer(1, 5)]


@functools.cache
def _table_grid(styles: Styles) -> GridStyle:
    cell = styles.cell
    return GridStyle(
        cell.fontName, cell.fontSize, cell.leading, (PADDING, PADDING, 2, 4), RULE, 0.5, SHADE
    )


def _row(row: ET.Element, widths: list[float], frame: Frame) -> Row:
    role = row.get("role")
    cells: list[Cell] = []
    column = 0
    for cell in row.findall("cell"):
        span = int(cell.get("span", "1"))
        align = cell.get("align") or ("center" if role == "head" else "left")
        width = sum(widths[column : column + span])
        style = frame.styles.aligned(frame.styles.cell, align)
        text = _text(cell, frame.styles.japanese)
        cells.append(Cell(_cell(text, style, width, PADDING), align, span))
        column += span
    return Row(cells, shaded=role in ("head", "total"))


def _box(element: ET.Element, frame: Frame) -> list[Flowable]:
    padding = 7
    inner = Frame(_boxed(frame.styles), frame.width - 2 * padding)
    content: list[Flowable] = []
    if element.get("title"):
        content.append(text_flowable(element.get("title", ""), inner.styles.heading, inner.width))
    content += [flowable for child in element for flowable in _flowables(child, inner)]
    return [Spacer(1, SIZE), Boxed(content, (padding, padding, 2, padding), RULE, 0.6)]


HANDLERS: dict[str, Handler] = {
    "number": _number,
    "date": _date,
    "addressee": _addressee,
    "issuer": _issuer,
    "title": _title,
    "p": _p,
    "fields": _fields,
    "section": _section,
    "keep": _keep,
    "list": _list,
    "table": _table,
    "end": _end,
    "box": _box,
    "contact": _contact,
    "space": _space,
}


def _flowables(element: ET.Element, frame: Frame) -> list[Flowable]:
    try:
        handler = HANDLERS[element.tag]
    except KeyError:
        raise ValueError(f"unknown letter markup element <{element.tag}>") from None
    return handler(element, frame)


class _NumberedCanvas(Canvas):
    """Writes "n / total" at the foot of each page when a letter runs to several pages."""

    preload = ""
    watermark = ""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._doc.letter_preload = self.preload

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self.watermark:
                self._watermark(self.watermark)
            if total > 1:
                self.setFont(FONT, SMALL)
                self.drawCentredString(A4[0] / 2, 12 * mm, f"{self._pageNumber} / {total}")
            super().showPage()
        super().save()

    def _watermark(self, text: str) -> None:
        """A preview's mark across the page, so that it is never taken for an issued letter."""
        self.saveState()
        self.setFillGray(0.75)
        self.setFont(FONT, 40)
        self.translate(A4[0] / 2, A4[1] / 2)
        self.rotate(35)
        self.drawCentredString(0, 0, text)
        self.restoreState()


class _JapaneseCanvas(_NumberedCanvas):
    preload = PRELOAD


def _text_of(root: ET.Element, path: str) -> str:
    return " ".join(_clean("".join(element.itertext()), False) for element in root.iterfind(path))


def _metadata(root: ET.Element) -> dict[str, str]:
    number = _text_of(root, "number")
    return {
        "title": f"{_text_of(root, 'title')} {number}".strip(),
        "author": _text_of(root, "issuer/line"),
        "subject": number,
        "creator": "Kofu",
        "producer": "Kofu (reportlab)",
    }


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)  # noqa: S314 - our own template output, user text escaped
    if root.tag != "letter":
        raise ValueError(f"letter markup must start with <letter>, not <{root.tag}>")
    return root


def story_of(root: ET.Element) -> list[Flowable]:
    """The flowables of parsed letter markup."""
    label_width = max((_label_width(fields) for fields in root.iterfind("fields")), default=0)
    frame = Frame(styles(root.get("lang", "ja")), WIDTH, label_width)
    return [flowable for child in root for flowable in _flowables(child, frame)]


def pdf_from_story(root: ET.Element, story: list[Flowable], watermark: str = "") -> bytes:
    """Lay out and write the PDF (reportlab's invariant mode: no timestamps, fixed ids); a
    ``watermark`` is printed across every page (a preview)."""
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        pageTemplates=[_page()],
        invariant=1,
        initialFontName=FONT,
        initialFontSize=SIZE,
        **_metadata(root),
    )
    canvas = _NumberedCanvas if root.get("lang") == "en" else _JapaneseCanvas
    if watermark:
        canvas = type("_MarkedCanvas", (canvas,), {"watermark": watermark})
    document.build(story, canvasmaker=canvas)
    return buffer.getvalue()


def pdf_from_markup(markup: str, watermark: str = "") -> bytes:
    """The PDF for letter markup; the same markup always gives the same bytes."""
    root = parse(markup)
    return pdf_from_story(root, story_of(root), watermark)


def _page() -> PageTemplate:
    frame = PageFrame(
        LEFT,
        BOTTOM,
        WIDTH,
        A4[1] - TOP - BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    return PageTemplate("letter", frames=[frame], pagesize=A4)
