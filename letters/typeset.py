"""Text setting for letters: the embedded font, character widths, and a plain-text Paragraph
that breaks Japanese lines by the kinsoku rules (JIS X 4051, simplified).

reportlab's own Paragraph parses its text as markup (slow, and it turns the ideographic space
U+3000 into a normal space) and hangs at most one character that may not start a line, so "）。"
can still put "。" at the head of a line. This Paragraph takes plain text, keeps U+3000, and
moves characters to the next line (oidashi) until neither line edge breaks a rule; 、 and 。 may
hang in the margin (burasagari) as in printed notices.
"""

from __future__ import annotations

import functools
import zlib
from collections import defaultdict
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTEncoding, TTFont, TTFontFace
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import _handleBulletWidth
from reportlab.platypus.paraparser import ParaParser

FONT = "IPAexMincho"
FONT_FILE = Path(__file__).with_name("fonts") / "ipaexm.ttf"
FUZZ = 1e-6

CANNOT_START = frozenset(
    "、。，．,.:;?!！？)]}）］｝〕〉》」』】〙〗〟’”｠»"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "ーゝゞヽヾ々〻‐゠–〜～・：；"
)
CANNOT_END = frozenset("([{（［｛〔〈《「『【〘〖〝‘“｟«")
HANGING = frozenset("、。，．")
LATIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789&'+-./:@_,%#$¥=~*")


# The characters the Japanese templates print (digits and kana first, the rarest last). A
# Japanese letter's first font subset is these, in this order, so that subset and its compressed
# font program are the same in every letter and built once per process; the letter's own
# characters (names, addresses) go to a second, small subset. 246 of the 254 free codes.
PRELOAD = (
    "0の1した日、をとて2す3に　定っが（）で知8補。はま6あ4き事助月年い請-5以9な城県"
    "茨者記上和令合つ号く当申だ業通下代場表BSU担番名様称話電こるり法項7付金提書お規拠根第"
    ",か円決起算ら条翌額審査内経訴分消取対交求限処え同び不及もよ律政服行訟過告理け件由そ出平"
    "成教昭示被裁受期確計させ数認費象講()後用適人区率じ報実績類※ごん切別前外度捨未果次満火"
    "税端等結絡連除領正返還命払支了ず加完要証.うへべみめろセトパンー併係保修入兼再写割又収口"
    "変存容届属帳座必応情承振方既更木添生発簿納終足込配間"
)
PROGRAMS_KEPT = 32


class _Face(TTFontFace):
    """Keeps the compressed font programs of recent subsets: a program depends only on the
    characters of its subset."""

    def __init__(self, filename: Path) -> None:
        super().__init__(str(filename), validate=0)
        self._programs: dict[tuple[int, ...], tuple[bytes, int]] = {}
        self._tables: dict[str, bytes] = {}

    def get_table(self, tag: str) -> bytes:
        """Each table is sliced out of the file once (glyf is 6 MB; reportlab slices per subset)."""
        if tag not in self._tables:
            self._tables[tag] = super().get_table(tag)
        return self._tables[tag]

    def _program(self, subset: list[int]) -> tuple[bytes, int]:
        key = tuple(subset)
        if key not in self._programs:
            if len(self._programs) >= PROGRAMS_KEPT:
                del self._programs[next(iter(self._programs))]
            program = self.makeSubset(subset)
            self._programs[key] = (zlib.compress(program, 1), len(program))
        return self._programs[key]

    def addSubsetObjects(self, doc: object, fontname: str, subset: list[int]) -> object:
        """As reportlab's, with the font program taken from the cache, already compressed."""
        compressed, length = self._program(subset)
        stream = pdfdoc.PDFStream(content=compressed)
        stream.dictionary["Length1"] = length
        stream.dictionary["Filter"] = pdfdoc.PDFName("FlateDecode")
        reference = doc.Reference(stream, f"fontFile:{self.filename}({fontname})")
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": self.ascent,
                "CapHeight": self.capHeight,
                "Descent": self.descent,
                "Flags": (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": pdfdoc.PDFArray(self.bbox),
                "FontName": pdfdoc.PDFName(fontname),
                "ItalicAngle": self.italicAngle,
                "StemV": self.stemV,
                "FontFile2": reference,
                "MissingWidth": self.defaultWidth,
            }
        )
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)


class _Widths(pdfdoc.PDFArray):
    """Glyph widths formatted in one call (PDFArray formats each number on its own: 0.3 ms for
    a 255-glyph subset)."""

    def format(self, document: object, IND: bytes = b"\n ") -> bytes:
        return b"[ " + fp_str(*self.sequence).encode("ascii") + b" ]"


class LetterFont(TTFont):
    """A TrueType font embedded as subsets of 255 glyphs, without reportlab's ASCII block (the
    96 ASCII glyphs it puts in every first subset); a document whose ``letter_preload`` is set
    starts its first subset with those characters."""

    def __init__(self, name: str, filename: Path) -> None:
        self.fontName = name
        self.face = _Face(filename)
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = False
        self.shapable = False

    def addObjects(self, doc: object) -> None:
        super().addObjects(doc)
        for pdf_font in doc.idToObject["BasicFonts"].dict.values():
            if (
                isinstance(pdf_font, pdfdoc.PDFTrueTypeFont)
                and type(pdf_font.Widths) is pdfdoc.PDFArray
            ):
                pdf_font.Widths = _Widths(pdf_font.Widths.sequence)

    def splitString(self, text: str, doc: object, encoding: str = "utf-8") -> list:
        preload = getattr(doc, "letter_preload", "")
        if preload and doc not in self.state:
            super().splitString(preload, doc, encoding)
        return super().splitString(text, doc, encoding)


@functools.cache
def font() -> str:
    """Register IPAex Mincho once per process (reading the TTF takes ~50 ms)."""
    pdfmetrics.registerFont(LetterFont(FONT, FONT_FILE))
    return FONT


@functools.cache
def _advances(font_name: str) -> defaultdict[int, float]:
    """Advance widths by code point (1/1000 em); unknown characters get the default width."""
    font()
    face = pdfmetrics.getFont(font_name).face
    default = face.defaultWidth
    return defaultdict(lambda: default, face.charWidths)


def missing_characters(text: str) -> list[str]:
    """The characters of ``text`` IPAex Mincho has no glyph for (they would print as blanks)."""
    covered = pdfmetrics.getFont(font()).face.charToGlyph
    return sorted(char for char in set(text) if ord(char) not in covered and char not in "\n\r\t")


def text_width(text: str, font_name: str, size: float) -> float:
    return sum(map(_advances(font_name).__getitem__, map(ord, text))) * size / 1000


def _char_widths(text: str, font_name: str, size: float) -> list[float]:
    scale = size / 1000
    return [width * scale for width in map(_advances(font_name).__getitem__, map(ord, text))]


def _fits(text: str, widths: list[float], start: int, limit: float) -> int:
    """The end of the longest run from ``start`` that fits in ``limit`` (at least one char)."""
    used = 0.0
    end = start
    while end < len(text) and used + widths[end] <= limit + FUZZ:
        used += widths[end]
        end += 1
    return max(end, start + 1)


def _breakable(text: str, end: int) -> bool:
    before, after = text[end - 1], text[end]
    if after in CANNOT_START or before in CANNOT_END:
        return False
    if before == " " or after == " ":
        return True
    return not (before in LATIN and after in LATIN)


def _break(text: str, start: int, end: int) -> int:
    """Where to end a line that has room up to ``end`` (exclusive) and overflows there."""
    if text[end] in HANGING and (end + 1 == len(text) or text[end + 1] not in CANNOT_START):
        return end + 1
    for candidate in range(end, start, -1):
        if _breakable(text, candidate):
            return candidate
    return end


def break_lines(
    text: str, max_widths: list[float], font_name: str, size: float
) -> list[tuple[float, str]]:
    """``text`` cut into lines as (space left over, line), by character with kinsoku rules."""
    widths = _char_widths(text, font_name, size)
    lines: list[tuple[float, str]] = []
    start = 0
    while start < len(text):
        limit = max_widths[min(len(lines), len(max_widths) - 1)]
        end = _fits(text, widths, start, limit)
        if end < len(text):
            end = _break(text, start, end)
        line_end = end
        while line_end > start and text[line_end - 1] in " \u3000":
            line_end -= 1
        lines.append((limit - sum(widths[start:line_end]), text[start:line_end]))
        start = end
        while start < len(text) and text[start] in " \u3000":
            start += 1
    return lines


@functools.lru_cache(maxsize=128)
def _prototype(style: object) -> object:
    _style, frags, _bullet = ParaParser().parse("x", style)
    return frags[0]


class TextParagraph(Paragraph):
    """A Paragraph of plain text in one style: no markup parsing, U+3000 kept, kinsoku breaks;
    it keeps its line breaks for a width it has already been wrapped to."""

    def __init__(
        self,
        text: str | None,
        style: object,
        bulletText: str | None = None,
        frags: list | None = None,
        caseSensitive: int = 1,
        encoding: str = "utf8",
    ) -> None:
        self.caseSensitive = caseSensitive
        self.encoding = encoding
        if frags is None:
            frags = [_prototype(style).clone(text=text or "")]
        self._setup(text, style, bulletText, frags, None)
        self._wrapped: tuple[float, float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        wrapped = self._wrapped
        if wrapped and wrapped[0] == availWidth and hasattr(self, "blPara"):
            return wrapped[1], wrapped[2]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height)
        return width, height

    def breakLinesCJK(self, maxWidths: list[float]) -> object:
        frags = self.frags
        if len(frags) != 1 or self.style.endDots:
            return super().breakLinesCJK(maxWidths)
        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        frag = frags[0]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return frag.clone(kind=0, lines=self.blPara.lines)
        text = frag.text if hasattr(frag, "text") else "".join(frag.words)
        lines = break_lines(text, list(maxWidths), frag.fontName, frag.fontSize)
        return frag.clone(
            kind=0,
            lines=[(space, [line]) for space, line in lines],
            ascent=frag.fontSize,
            descent=-0.2 * frag.fontSize,
        )


class Line(Flowable):
    """One line of text known to fit: drawn as a string, where a Paragraph would break lines
    and build fragments first. Placed as a one-line Paragraph in the same style would be."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text
        self.style = style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.style.leading

    def getSpaceBefore(self) -> float:
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.style.spaceAfter

    def draw(self) -> None:
        style = self.style
        room = self.width - style.leftIndent - style.rightIndent
        spare = room - text_width(self.text, style.fontName, style.fontSize)
        if style.alignment == TA_RIGHT:
            x = style.leftIndent + spare
        elif style.alignment == TA_CENTER:
            x = style.leftIndent + spare / 2
        else:
            x = style.leftIndent + style.firstLineIndent
        text = self.canv.beginText(x, style.leading - style.fontSize)
        text.setFont(style.fontName, style.fontSize)
        text.setFillColor(style.textColor)
        text.textOut(self.text)
        self.canv.drawText(text)


def text_flowable(text: str, style: ParagraphStyle, width: float) -> Flowable:
    """A Line when ``text`` fits on one line of ``width``, else a TextParagraph."""
    room = width - style.leftIndent - style.rightIndent - max(style.firstLineIndent, 0)
    if text_width(text, style.fontName, style.fontSize) <= room - 1:
        return Line(text, style)
    return TextParagraph(text, style)
