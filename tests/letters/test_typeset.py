"""Japanese line breaking: no line starts with a closing bracket or a stop, none ends with an
opening bracket, and Latin runs (references, amounts) are not cut."""

import pytest

from letters.typeset import CANNOT_END, CANNOT_START, FONT, break_lines, font, text_width

SIZE = 10.0


@pytest.fixture(scope="module")
def em() -> float:
    font()
    return text_width("あ", FONT, SIZE)


def _lines(text: str, characters: float, em: float) -> list[str]:
    return [line for _space, line in break_lines(text, [characters * em], FONT, SIZE)]


def test_break_lines_stop_after_a_full_line_hangs_in_the_margin(em):
    assert _lines("あ" * 10 + "。次", 10, em) == ["あ" * 10 + "。", "次"]


def test_break_lines_closing_bracket_and_stop_move_down_with_a_character(em):
    lines = _lines("あ" * 9 + "項）。次の文", 10, em)
    assert lines == ["あ" * 9, "項）。次の文"]


def test_break_lines_opening_bracket_never_ends_a_line(em):
    lines = _lines("あ" * 9 + "（注）です", 10, em)
    assert lines == ["あ" * 9, "（注）です"]


def test_break_lines_keeps_a_reference_number_whole(em):
    lines = _lines("申請番号はSUB-2026-000001です", 10, em)
    assert "SUB-2026-000001" in "".join(lines)
    assert any(line.startswith("SUB-2026-000001") for line in lines)


def test_break_lines_keeps_the_ideographic_space(em):
    assert _lines("代表者\u3000山田\u3000太郎\u3000様", 40, em) == [
        "代表者\u3000山田\u3000太郎\u3000様"
    ]


def test_break_lines_long_text_obeys_the_rules_and_loses_nothing(em):
    text = "この決定があったことを知った日の翌日から起算して3か月以内に（同法第18条第2項）。" * 8
    lines = _lines(text, 17, em)
    assert "".join(lines) == text
    assert all(line[0] not in CANNOT_START for line in lines[1:])
    assert all(line[-1] not in CANNOT_END for line in lines)
    assert all(text_width(line.rstrip("。、"), FONT, SIZE) <= 17 * em + 1e-6 for line in lines)
