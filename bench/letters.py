"""Letters per second per process: the grant decision notice (交付決定通知書, Japanese) through
``letters.rendering`` (reportlab, IPAex Mincho embedded as subsets) beside WeasyPrint rendering
the same letter from HTML with the same font file, in one fresh process, in alternating chunks.

``python -m bench.letters --out result.json`` is the worker; ``python -m bench --only letters``
runs it and writes the "Letters" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import html
import io
import json
import os
import pstats
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEADER = "## Letters"
TARGET_RATE = 100.0
TARGET_RATIO = 20.0
KIND, LANGUAGE = "grant_decision", "ja"
PACKAGES = ("reportlab", "rl_accel", "weasyprint", "pydyf", "fonttools", "Django")

SURNAMES = (
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 "
    "吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水"
)
GIVEN = (
    "花子 一郎 次郎 美咲 大輔 翔太 陽菜 結衣 健太 直樹 由美 真一 恵子 拓也 彩 悠真 葵 蓮 湊 陽翔"
)
PLACES = (
    "ひたち 常陸 筑波 水戸 鹿島 笠間 結城 古河 土浦 那珂 日立 牛久 取手 鉾田 潮来 石岡 坂東 北茨城"
)
TRADES = "精機 テック 電子 フーズ 工業 物産 建設 化成 製作所 システムズ 印刷 運輸 食品 醸造"
TOWNS = "水戸市笠原町 つくば市竹園 日立市幸町 土浦市大和町 古河市長谷町 笠間市石井 鹿嶋市平井"


@dataclass(frozen=True)
class Options:
    letters: int = 500
    weasyprint: int = 40
    rounds: int = 5
    profile: int = 30
    seed: int = 2026


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES.split())}　{rng.choice(GIVEN.split())}"


def _trainee(rng: random.Random) -> dict[str, Any]:
    cost = rng.randrange(60_000, 420_000, 1_000)
    return {
        "trainee": _person(rng).replace("　", " "),
        "eligible_cost": cost,
        "subsidy_before_cap": cost // 2,
        "subsidy": min(cost // 2, 100_000),
    }


def grant_context(number: int, rng: random.Random) -> dict[str, Any]:
    """A grant decision context as applications.letters builds it, with varied names and sums."""
    trainees = [_trainee(rng) for _ in range(rng.randint(2, 6))]
    total = sum(share["subsidy"] for share in trainees)
    amount = min(total, 1_000_000) // 1_000 * 1_000
    return {
        "number_text": f"産人第{number}号",
        "issued_on": "2026-11-24",
        "issuer": {
            "title": "茨城県知事",
            "title_en": "Governor of Ibaraki Prefecture",
            "name": "",
            "office": "産業戦略部 労働政策課",
            "office_en": "Labour Policy Division",
        },
        "recipient": {
            "company": f"株式会社{rng.choice(PLACES.split())}{rng.choice(TRADES.split())}",
            "representative": _person(rng),
            "address": f"茨城県{rng.choice(TOWNS.split())}{rng.randint(1, 999)}番地",
            "corporate_number": "7000012050002",
        },
        "reference": f"SUB-2026-{number:06d}",
        "programme": "令和8年度人材育成支援補助金（第1回）",
        "legal_basis": "人材育成支援補助金交付要綱",
        "rate": "1/2",
        "cap_per_trainee": 100_000,
        "cap_per_company": 1_000_000,
        "rounding_unit": 1_000,
        "amount": amount,
        "decided_amount": amount,
        "computation": {
            "eligible_cost": sum(share["eligible_cost"] for share in trainees),
            "trainees": trainees,
            "total_before_company_cap": total,
            "total_after_company_cap": min(total, 1_000_000),
            "amount": amount,
            "excluded": [],
        },
        "conditions": "",
        "results_report_deadline": "2027-02-26",
    }


STYLESHEET = """
@font-face { font-family: "IPAex Mincho"; src: url("FONT_URL"); }
@page { size: A4; margin: 22mm 25mm 20mm 25mm;
        @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
body { font-family: "IPAex Mincho"; font-size: 10.5pt; line-height: 1.7; margin: 0; }
p { margin: 0; }
.right { text-align: right; }
.center { text-align: center; margin: 4pt 0; }
.indent { text-indent: 1em; }
.addressee { margin-top: 10pt; font-size: 11.5pt; line-height: 1.55; }
.issuer { margin-top: 10pt; font-size: 11.5pt; text-align: right; }
h1 { font-size: 15pt; font-weight: normal; text-align: center; margin: 24pt 0 14pt; }
h2 { font-size: 10.5pt; font-weight: normal; margin: 4pt 0 0 -1em; break-after: avoid; }
h3 { font-size: 9pt; font-weight: normal; text-align: center; margin: 3pt 0 2pt; }
section { margin-left: 1em; }
table { border-collapse: collapse; width: 100%; }
table.fields td { padding: 0; vertical-align: top; }
table.grid { margin: 3pt 0 5pt; font-size: 9.5pt; line-height: 1.4; }
table.grid td { border: 0.5pt solid #404040; padding: 2pt 4pt 4pt; }
table.grid tr.head td, table.grid tr.total td { background: #eee; }
table.grid tr.head td { text-align: center; }
td.right { text-align: right; }
ol { list-style: none; margin: 0; padding: 0; }
ol li { padding-left: 2.2em; text-indent: -2.2em; }
.box { border: 0.6pt solid #404040; padding: 2pt 7pt 7pt; margin-top: 10pt; font-size: 9pt;
       line-height: 1.6; break-inside: avoid; }
.box ol li { padding-left: 1.6em; text-indent: -1.6em; }
.contact { margin-top: 10pt; font-size: 9pt; text-align: right; }
"""


def _text(element: Any) -> str:
    return html.escape(re.sub(r"\s*\n\s*", "", "".join(element.itertext())))


def _lines(element: Any) -> str:
    return "".join(f"<p>{_text(line)}</p>" for line in element.iter("line"))


def _fields(element: Any) -> str:
    rows = "".join(
        f'<tr><td style="width: 11em">{html.escape(field.get("label", ""))}</td>'
        f"<td>{_text(field)}</td></tr>"
        for field in element.iter("field")
    )
    return f'<table class="fields">{rows}</table>'


def _grid(element: Any) -> str:
    weights = [float(weight) for weight in element.get("widths", "").split()]
    columns = "".join(f'<col style="width: {100 * w / sum(weights):.1f}%">' for w in weights)
    rows = []
    for row in element.iter("row"):
        cells = "".join(
            f'<td class="{cell.get("align", "")}">{_text(cell)}</td>' for cell in row.iter("cell")
        )
        rows.append(f'<tr class="{row.get("role", "")}">{cells}</tr>')
    return f'<table class="grid"><colgroup>{columns}</colgroup>{"".join(rows)}</table>'


def _list(element: Any) -> str:
    items = "".join(
        f"<li>{html.escape(item.get('label', ''))}　{_text(item)}</li>"
        for item in element.iter("item")
    )
    return f"<ol>{items}</ol>"


def _p(element: Any) -> str:
    align = element.get("align")
    style = align if align in ("center", "right") else ("" if element.get("indent") else "indent")
    return f'<p class="{style}">{_text(element)}</p>'


def _children(element: Any) -> str:
    return "".join(_html(child) for child in element)


HTML_OF: dict[str, Callable[[Any], str]] = {
    "number": lambda e: f'<p class="right">{_text(e)}</p>',
    "date": lambda e: f'<p class="right">{_text(e)}</p>',
    "addressee": lambda e: f'<div class="addressee">{_lines(e)}</div>',
    "issuer": lambda e: f'<div class="issuer">{_lines(e)}</div>',
    "title": lambda e: f"<h1>{_text(e)}</h1>",
    "p": _p,
    "fields": _fields,
    "section": lambda e: (
        f"<section><h2>{html.escape(e.get('title', ''))}</h2>{_children(e)}</section>"
    ),
    "keep": lambda e: f'<div style="break-inside: avoid">{_children(e)}</div>',
    "list": _list,
    "table": _grid,
    "end": lambda e: f'<p class="right">{_text(e)}</p>',
    "box": lambda e: (
        f'<div class="box"><h3>{html.escape(e.get("title", ""))}</h3>{_children(e)}</div>'
    ),
    "contact": lambda e: f'<div class="contact">{_lines(e)}</div>',
    "space": lambda e: '<div style="height: 1.7em"></div>',
}


def _html(element: Any) -> str:
    return HTML_OF[element.tag](element)


def html_from_markup(markup: str) -> str:
    """The same letter as HTML, for WeasyPrint."""
    from letters.layout import parse

    root = parse(markup)
    head = '<!doctype html><html lang="ja"><meta charset="utf-8">'
    return f"{head}<body>{_children(root)}</body></html>"


@dataclass
class Timer:
    letters: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    sizes: list[int] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    chunks: list[float] = field(default_factory=list)

    def add(self, phase: str, seconds: float) -> None:
        self.phases[phase] = self.phases.get(phase, 0.0) + seconds

    def as_dict(self) -> dict[str, Any]:
        count = self.letters or 1
        return {
            "letters": self.letters,
            "rate": self.letters / self.wall if self.wall else 0.0,
            "ms": 1000 * self.wall / count,
            "cpu_ms": 1000 * self.cpu / count,
            "phases_ms": {name: 1000 * value / count for name, value in self.phases.items()},
            "kib": sum(self.sizes) / len(self.sizes) / 1024 if self.sizes else 0.0,
            "pages": sorted(set(self.pages)),
            "chunk_rates": sorted(self.chunks),
        }


def _font_embedded(font: Any) -> bool:
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _inspect(pdf: bytes) -> tuple[int, bool]:
    """Pages, and whether every font is embedded (object streams hide both from a byte search)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    return len(reader.pages), bool(fonts) and all(_font_embedded(font) for font in fonts)


class Reportlab:
    name = "reportlab"

    def __init__(self) -> None:
        from letters import layout, rendering

        self.layout, self.rendering = layout, rendering

    def letter(self, context: dict[str, Any], timer: Timer) -> bytes:
        started = perf_counter()
        markup = self.rendering.letter_markup(KIND, LANGUAGE, context)
        parsed = perf_counter()
        root = self.layout.parse(markup)
        story = self.layout.story_of(root)
        built = perf_counter()
        pdf = self.layout.pdf_from_story(root, story)
        finished = perf_counter()
        timer.add("Django template → markup", parsed - started)
        timer.add("markup → flowables", built - parsed)
        timer.add("layout, drawing, PDF and font subsets", finished - built)
        return pdf


class Weasyprint:
    name = "WeasyPrint"

    def __init__(self) -> None:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        from letters import rendering
        from letters.typeset import FONT_FILE

        self.html_class, self.rendering = HTML, rendering
        self.fonts = FontConfiguration()
        self.css = CSS(
            string=STYLESHEET.replace("FONT_URL", FONT_FILE.as_uri()), font_config=self.fonts
        )

    def letter(self, context: dict[str, Any], timer: Timer) -> bytes:
        started = perf_counter()
        page = html_from_markup(self.rendering.letter_markup(KIND, LANGUAGE, context))
        converted = perf_counter()
        document = self.html_class(string=page, base_url=str(ROOT)).render(
            stylesheets=[self.css], font_config=self.fonts
        )
        laid_out = perf_counter()
        pdf = document.write_pdf()
        finished = perf_counter()
        timer.add("Django template → markup → HTML", converted - started)
        timer.add("HTML/CSS parsing and layout", laid_out - converted)
        timer.add("PDF and font subsets", finished - laid_out)
        return pdf


class WeasyprintFresh(Weasyprint):
    """WeasyPrint as usually called: a new font configuration and stylesheet for each letter."""

    name = "WeasyPrint, per-letter setup"

    def letter(self, context: dict[str, Any], timer: Timer) -> bytes:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from letters.typeset import FONT_FILE

        started = perf_counter()
        self.fonts = FontConfiguration()
        stylesheet = STYLESHEET.replace("FONT_URL", FONT_FILE.as_uri())
        self.css = CSS(string=stylesheet, font_config=self.fonts)
        timer.add("font configuration and stylesheet", perf_counter() - started)
        return super().letter(context, timer)


ENGINES = (Reportlab, Weasyprint, WeasyprintFresh)
NAMES = tuple(engine.name for engine in ENGINES)


def _timed(engine: Any, contexts: Sequence[dict[str, Any]], timer: Timer) -> None:
    wall, cpu = perf_counter(), process_time()
    outputs = [engine.letter(context, timer) for context in contexts]
    elapsed = perf_counter() - wall
    timer.wall += elapsed
    timer.chunks.append(len(contexts) / elapsed)
    timer.cpu += process_time() - cpu
    timer.letters += len(contexts)
    timer.sizes += [len(pdf) for pdf in outputs]
    timer.pages += [_inspect(pdf)[0] for pdf in outputs[:3]]


def _cold(make: Callable[[], Any], context: dict[str, Any]) -> tuple[Any, float, bytes]:
    started = perf_counter()
    engine = make()
    pdf = engine.letter(context, Timer())
    return engine, 1000 * (perf_counter() - started), pdf


def _profile(engine: Any, contexts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Shares of reportlab's time, by the functions that own a stage (cumulative)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for context in contexts:
        engine.letter(context, Timer())
    profiler.disable()
    stats: dict = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    cumulative: dict[tuple[str, str], float] = {}
    for (filename, _line, name), value in stats.items():
        key = (Path(filename).name, name)
        cumulative[key] = cumulative.get(key, 0.0) + value[3]
    total = cumulative.get(("letters.py", "letter"), 0.0) or 1.0
    stages = [
        ("Django template rendering", ("rendering.py", "letter_markup")),
        ("font subsets: build, compress, embed", ("typeset.py", "addObjects")),
        ("writing the PDF, font subsets included", ("layout.py", "save")),
        ("drawing grids and the appeal box", ("grid.py", "draw")),
        ("Japanese line breaking (kinsoku)", ("typeset.py", "break_lines")),
        ("text to PDF strings (per-subset encoding)", ("textobject.py", "_formatText")),
    ]
    return [{"stage": label, "share": cumulative.get(key, 0.0) / total} for label, key in stages]


def run(options: Options) -> dict[str, Any]:
    """The measurement, in this process (meant to be a fresh one)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    rng = random.Random(options.seed)
    contexts = [grant_context(number, rng) for number in range(1, options.letters + 1)]
    result: dict[str, Any] = {"options": options.__dict__, "cold_ms": {}, "embedded": {}}
    engines = {}
    for make in ENGINES:
        try:
            engine, cold, pdf = _cold(make, contexts[0])
        except (ImportError, OSError) as error:
            result.setdefault("errors", {})[make.name] = f"{type(error).__name__}: {error}"
            continue
        engines[make.name] = engine
        result["cold_ms"][make.name] = cold
        result["embedded"][make.name] = _inspect(pdf)[1]
    timers = {name: Timer() for name in engines}
    for round_ in range(options.rounds):
        chunk = contexts[round_ :: options.rounds]
        for name, engine in engines.items():
            count = (
                len(chunk) if name == "reportlab" else max(1, options.weasyprint // options.rounds)
            )
            _timed(engine, chunk[:count], timers[name])
    result["engines"] = {name: timer.as_dict() for name, timer in timers.items()}
    reportlab = engines["reportlab"]
    result["profile"] = _profile(reportlab, contexts[: options.profile])
    result["load_average"] = list(os.getloadavg())
    return result


def bench_letters(options: Options) -> dict[str, Any]:
    """Run the worker in a fresh interpreter and return its figures."""
    with tempfile.TemporaryDirectory(prefix="kofu-letters-") as workdir:
        out = Path(workdir) / "letters.json"
        command = [sys.executable, "-m", "bench.letters", "--out", str(out)]
        for name, value in options.__dict__.items():
            command += [f"--{name}", str(value)]
        completed = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603
        if completed.returncode != 0:
            raise RuntimeError(f"bench.letters exited with status {completed.returncode}")
        return json.loads(out.read_text())


def summary_line(result: dict[str, Any]) -> str:
    rates = ", ".join(
        f"{name} {engine['rate']:.1f} letters/s" for name, engine in result["engines"].items()
    )
    ratio = _ratio(result, NAMES[1])
    return f"letters: {rates}" + (f"; reportlab/WeasyPrint {ratio:.1f}×" if ratio else "")


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in PACKAGES:
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} not installed")
    return ", ".join(found)


def _row(label: str, engines: dict[str, Any], render: Callable[[dict[str, Any]], str]) -> str:
    cells = [render(engines[name]) if name in engines else "—" for name in NAMES]
    return f"| {label} | {' | '.join(cells)} |"


def _ratio(result: dict[str, Any], name: str) -> float | None:
    engines = result["engines"]
    return engines["reportlab"]["rate"] / engines[name]["rate"] if name in engines else None


def _summary(result: dict[str, Any]) -> tuple[str, str]:
    engines = result["engines"]
    reportlab = engines["reportlab"]["rate"]
    ratio, plain = _ratio(result, NAMES[1]), _ratio(result, NAMES[2])
    met = reportlab >= TARGET_RATE and (ratio or 0) >= TARGET_RATIO
    verdict = (
        f"**reportlab {reportlab:.1f} letters/s; "
        + (f"{ratio:.1f}× WeasyPrint with its setup shared" if ratio else "WeasyPrint not measured")
        + (f", {plain:.1f}× WeasyPrint set up per letter" if plain else "")
        + f".** Target ≥ {TARGET_RATE:.0f} letters/s and ≥ {TARGET_RATIO:.0f}× WeasyPrint "
        + "(against its faster setup): "
        + ("met." if met else "**not met**.")
    )
    if ratio and ratio < TARGET_RATIO:
        needed = TARGET_RATIO * engines[NAMES[1]]["rate"]
        verdict += (
            f" WeasyPrint renders this letter at {engines[NAMES[1]]['rate']:.1f}/s here; "
            f"{TARGET_RATIO:.0f}× would take {needed:.0f} letters/s from reportlab."
        )
    cold, embedded = result["cold_ms"], result["embedded"]
    rows = [
        "| | " + " | ".join(NAMES) + " |",
        "|---|" + "---:|" * len(NAMES),
        _row("**letters/s per process**", engines, lambda e: f"**{e['rate']:.1f}**"),
        _row(
            "letters/s in each chunk, slowest – fastest",
            engines,
            lambda e: f"{e['chunk_rates'][0]:.1f} – {e['chunk_rates'][-1]:.1f}",
        ),
        _row("letters timed", engines, lambda e: str(e["letters"])),
        _row("wall ms per letter", engines, lambda e: f"{e['ms']:.1f}"),
        _row("CPU ms per letter", engines, lambda e: f"{e['cpu_ms']:.1f}"),
        _row("PDF size, KiB (mean)", engines, lambda e: f"{e['kib']:.0f}"),
        _row("pages", engines, lambda e: ", ".join(map(str, e["pages"]))),
        "| first letter in a fresh process, ms (font load, template compile) | "
        + " | ".join(f"{cold[name]:.0f}" if name in cold else "—" for name in NAMES)
        + " |",
        "| every font embedded (checked with pypdf) | "
        + " | ".join(
            ("yes" if embedded[name] else "**no**") if name in embedded else "—" for name in NAMES
        )
        + " |",
    ]
    return verdict, "\n".join(rows)


def _phases(result: dict[str, Any]) -> str:
    lines = ["| engine | stage | ms per letter |", "|---|---|---:|"]
    for name, engine in result["engines"].items():
        lines += [f"| {name} | {stage} | {ms:.2f} |" for stage, ms in engine["phases_ms"].items()]
    return "\n".join(lines)


def _profile_table(result: dict[str, Any]) -> str:
    lines = [
        "| stage (cProfile, cumulative; stages overlap) | share of reportlab's time |",
        "|---|---:|",
    ]
    lines += [f"| {row['stage']} | {row['share']:.0%} |" for row in result["profile"]]
    return "\n".join(lines)


WHAT_WAS_DONE = """\
**How reportlab got here** (letters/s measured on this machine while developing, varied grant
decisions unless noted; the machine's speed drifts by ±15% from run to run). A plain platypus
build (markup Paragraphs with `wordWrap="CJK"`, `Table`, reportlab's `TTFont`) made 36/s on the
fixed test letter; `rl-accel`, reportlab's C accelerators (the `reportlab[accel]` extra), 42/s.
Plain-text paragraphs that skip reportlab's markup parser and break Japanese lines with their
own kinsoku rules from a cached width table, and plain-string table cells, 62/s. A first font
subset that is the same in every Japanese letter — the 246 characters the templates print
(`letters.typeset.PRELOAD`), without reportlab's block of 96 ASCII glyphs — so that its font
program is built and compressed once per process, each letter building only a small second
subset of its own characters (names, addresses): 86/s. Slicing the glyph tables out of the
7.8 MB font file once instead of per subset: 91/s. One-line texts drawn as strings, glyph widths
formatted in one call, `KeepTogether` measured without deep-copying the frame: about 105/s.
`letters.grid.Grid` instead of reportlab's `Table` for the computation tables and the numbered
items (one text object per grid instead of one per cell, no per-cell style commands), and a
plain ruled box for the appeal-rights text: about 130/s. Every letter still embeds only subsets
of the font, and the same input still gives the same bytes.

WeasyPrint is measured twice: with one `FontConfiguration` and one parsed stylesheet for all its
letters (its fastest use, the ratio's reference), and set up per letter as
`HTML(...).write_pdf()` is usually called."""


def render_section(result: dict[str, Any], machine: dict[str, str], command: str, when: str) -> str:
    """The whole "Letters" section, header included."""
    options = result["options"]
    verdict, table = _summary(result)
    intro = (
        f"Measured {when} with `{command}`, in one fresh process: the grant decision notice "
        f"(交付決定通知書, Japanese, 2 pages with the computation table, conditions and 教示) for "
        f"{options['letters']} different applications (names, addresses, 2–6 trainees and sums "
        "vary, so each letter has its own font subset), reportlab through `letters.rendering` "
        "and WeasyPrint from HTML made from the same letter markup (`bench.letters`), with the "
        f"same IPAex Mincho file (`@font-face`), in {options['rounds']} alternating chunks. All "
        "include the Django template. The machine is shared: the load average (1, 5, 15 min) "
        "after the run "
        f"was {', '.join(f'{value:.2f}' for value in result['load_average'])}."
    )
    machine_line = (
        f"**Machine.** {machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory']} RAM, "
        f"{machine['system']}; Python {machine['python']}; {_versions()}."
    )
    parts = [
        HEADER,
        intro,
        machine_line,
        verdict,
        table,
        "**Where the time goes** (per letter, timed run):",
        _phases(result),
        _profile_table(result),
        WHAT_WAS_DONE,
    ]
    for name, error in result.get("errors", {}).items():
        parts.append(f"{name} could not run: {error}.")
    return "\n\n".join(parts) + "\n"


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.letters", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    defaults = Options()
    for name, value in defaults.__dict__.items():
        parser.add_argument(f"--{name}", type=int, default=value)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    options = Options(**{name: getattr(args, name) for name in Options().__dict__})
    args.out.write_text(json.dumps(run(options), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
