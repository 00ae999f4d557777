"""A ruled grid of cells for letters: what reportlab's Table does for them, at a fraction of
its cost. Plain-string cells of a grid are set in one text object; wrapping cells are
paragraphs; rows split across pages with the heading rows repeated.

reportlab's Table resolves style commands per cell and opens a text object for every string;
a letter's computation table was a fifth of its rendering time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from .typeset import text_width


@dataclass(frozen=True)
class GridStyle:
    font: str
    size: float
    leading: float
    padding: tuple[float, float, float, float] = (4, 4, 2, 4)  # left, right, top, bottom
    rule: Color | None = None
    rule_width: float = 0.5
    shade: Color | None = None
    middle: bool = True


@dataclass(frozen=True)
class Cell:
    content: str | Flowable
    align: str = "left"
    span: int = 1


@dataclass
class Row:
    cells: Sequence[Cell]
    shaded: bool = False
    height: float = field(default=0.0, compare=False)


class Grid(Flowable):
    """Rows of cells in columns of fixed widths; the first ``heads`` rows repeat on each page."""

    def __init__(
        self, rows: list[Row], widths: Sequence[float], style: GridStyle, heads: int = 0
    ) -> None:
        super().__init__()
        self.rows, self.widths, self.style, self.heads = rows, list(widths), style, heads
        self._measured = False

    def _cell_width(self, column: int, span: int) -> float:
        left, right = self.style.padding[:2]
        return sum(self.widths[column : column + span]) - left - right

    def _content_height(self, cell: Cell, column: int) -> float:
        if isinstance(cell.content, str):
            return self.style.leading
        return cell.content.wrap(self._cell_width(column, cell.span), 0xFFFFFF)[1]

    def _measure(self) -> None:
        top, bottom = self.style.padding[2:]
        for row in self.rows:
            heights, column = [], 0
            for cell in row.cells:
                heights.append(self._content_height(cell, column))
                column += cell.span
            row.height = max(heights, default=self.style.leading) + top + bottom
        self._measured = True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if not self._measured:
            self._measure()
        self.width = sum(self.widths)
        self.height = sum(row.height for row in self.rows)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        heads, body = self.rows[: self.heads], self.rows[self.heads :]
        room = availHeight - sum(row.height for row in heads)
        fitting = 0
        for row in body:
            if row.height > room:
                break
            room -= row.height
            fitting += 1
        if fitting == 0 or fitting == len(body):
            return []
        return [
            Grid([*heads, *body[:fitting]], self.widths, self.style, self.heads),
            Grid([*heads, *body[fitting:]], self.widths, self.style, self.heads),
        ]

    def draw(self) -> None:
        self._shade()
        self._contents()
        self._rules()

    def _row_tops(self) -> list[float]:
        tops, y = [], self.height
        for row in self.rows:
            tops.append(y)
            y -= row.height
        return tops

    def _shade(self) -> None:
        canvas = self.canv
        if self.style.shade:
            canvas.setFillColor(self.style.shade)
            for row, top in zip(self.rows, self._row_tops(), strict=True):
                if row.shaded:
                    canvas.rect(0, top - row.height, self.width, row.height, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)

    def _contents(self) -> None:
        text = self.canv.beginText()
        text.setFont(self.style.font, self.style.size, self.style.leading)
        for row, top in zip(self.rows, self._row_tops(), strict=True):
            x = 0.0
            column = 0
            for cell in row.cells:
                width = sum(self.widths[column : column + cell.span])
                self._cell(cell, column, text, (x, top, width, row.height))
                x += width
                column += cell.span
        self.canv.drawText(text)

    def _cell(self, cell: Cell, column: int, text: object, box: tuple) -> None:
        x, top, width, height = box
        style = self.style
        left, right, pad_top, pad_bottom = style.padding
        content = self._content_height(cell, column)
        inner = height - pad_top - pad_bottom
        bottom = top - pad_top - ((inner + content) / 2 if style.middle else content)
        if not isinstance(cell.content, str):
            cell.content.drawOn(self.canv, x + left, bottom)
        elif cell.content:
            used = text_width(cell.content, style.font, style.size)
            if cell.align == "right":
                x += width - right - used
            elif cell.align == "center":
                x += (width + left - right - used) / 2
            else:
                x += left
            text.setTextOrigin(x, bottom + style.leading - style.size)
            text.textOut(cell.content)

    def _rules(self) -> None:
        if not self.style.rule:
            return
        lines = []
        for row, top in zip(self.rows, self._row_tops(), strict=True):
            lines.append((0, top, self.width, top))
            x, column = 0.0, 0
            for cell in row.cells:
                lines.append((x, top, x, top - row.height))
                x += sum(self.widths[column : column + cell.span])
                column += cell.span
            lines.append((self.width, top, self.width, top - row.height))
        lines.append((0, 0, self.width, 0))
        self.canv.setStrokeColor(self.style.rule)
        self.canv.setLineWidth(self.style.rule_width)
        self.canv.lines(lines)


class Boxed(Flowable):
    """Flowables inside a ruled frame, kept on one page (as the appeal-rights text is)."""

    def __init__(
        self,
        content: list[Flowable],
        padding: tuple[float, float, float, float],
        rule: Color,
        rule_width: float,
    ) -> None:
        super().__init__()
        self.content, self.padding, self.rule, self.rule_width = content, padding, rule, rule_width
        self._places: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        left, right, top, bottom = self.padding
        y, after = top, None
        self._places = []
        for flowable in self.content:
            height = flowable.wrap(availWidth - left - right, 0xFFFFFF)[1]
            before = flowable.getSpaceBefore()
            y += before if after is None else max(before, after)
            self._places.append(y + height)
            y += height
            after = flowable.getSpaceAfter()
        self.width, self.height = availWidth, y + bottom
        return self.width, self.height

    def draw(self) -> None:
        left = self.padding[0]
        for flowable, depth in zip(self.content, self._places, strict=True):
            flowable.drawOn(self.canv, left, self.height - depth)
        self.canv.setStrokeColor(self.rule)
        self.canv.setLineWidth(self.rule_width)
        self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
