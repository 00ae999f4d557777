"""The dashboard's charts as SVG, drawn on the server with matplotlib (no pyplot, no GUI) in the
project's Japanese font (IPAex Mincho). Glyphs are written as paths, so a browser needs no
Japanese font to show the labels."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np
from django.utils.translation import gettext as _
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

import letters

from .labels import KPI_LABELS, KPI_UNITS, STAGE_SHORT_LABELS, fiscal_year_label
from .report import DashboardReport
from .selectors import STAGES

FONT_FILE = Path(letters.__file__).with_name("fonts") / "ipaexm.ttf"
BAR, LINE, TARGET, MUTED = "#2f6ea5", "#d9822b", "#b3261e", "#c9d3de"
_font_name: str | None = None


def font_name() -> str:
    """Register the Japanese font with matplotlib once per process and style every chart."""
    global _font_name
    if _font_name is None:
        font_manager.fontManager.addfont(str(FONT_FILE))
        _font_name = font_manager.FontProperties(fname=str(FONT_FILE)).get_name()
        matplotlib.rcParams.update(
            {
                "font.family": [_font_name],
                "svg.fonttype": "path",
                "svg.hashsalt": "kofu-kpis",  # the same chart gives the same bytes
                "axes.unicode_minus": False,
                "axes.spines.top": False,
                "axes.spines.right": False,
            }
        )
    return _font_name


def _figure(height: float = 3.6) -> tuple[Figure, Axes]:
    font_name()
    figure = Figure(figsize=(7.2, height), dpi=100, layout="constrained")
    return figure, figure.add_subplot()


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None})
    return buffer.getvalue()


def kpi_chart(report: DashboardReport, key: str) -> bytes:
    """Bars: the KPI by fiscal year. Line: the running count within the target period, against
    the target (dashed) across the period's years."""
    kpi = report.kpis[key]
    figure, axes = _figure()
    years = kpi.years["fiscal_year"].tolist()
    positions = np.arange(len(years))
    axes.bar(positions, kpi.years["count"], color=BAR, label=str(KPI_LABELS[key]))
    if kpi.target:
        first, last = report.period
        inside = [i for i, year in enumerate(years) if first <= year <= last]
        if inside:
            running = kpi.years["count"].iloc[inside].cumsum()
            axes.plot(
                positions[inside], running, color=LINE, marker="o", label=_period_label(report)
            )
            span = [positions[inside[0]] - 0.4, positions[inside[-1]] + 0.4]
            axes.plot(
                span,
                [kpi.target] * 2,
                color=TARGET,
                linestyle="--",
                label=_target_label(kpi.target, key),
            )
    else:
        axes.plot(positions, kpi.years["cumulative"], color=LINE, marker="o", label=_("Cumulative"))
    axes.set_xticks(positions, [fiscal_year_label(year) for year in years])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(str(KPI_UNITS[key]))
    axes.set_title(str(KPI_LABELS[key]))
    figure.legend(loc="outside lower center", fontsize="small", frameon=False, ncols=3)
    return _svg(figure)


def _period_label(report: DashboardReport) -> str:
    first, last = report.period
    return _("Running total, FY%(first)s–%(last)s") % {"first": first, "last": last}


def _target_label(target: int, key: str) -> str:
    return _("Target: %(target)s %(unit)s") % {"target": target, "unit": KPI_UNITS[key]}


def _round_names(report: DashboardReport) -> list[str]:
    return [textwrap.fill(str(name), 14) for name in report.rounds["name"]]


def _grouped_bars(axes: Axes, names: list[str], series: list[tuple[str, list[float], str]]) -> None:
    positions = np.arange(len(names))
    height = 0.8 / max(len(series), 1)
    for index, (label, values, colour) in enumerate(series):
        axes.barh(positions + index * height, values, height, label=label, color=colour)
    axes.set_yticks(positions + height * (len(series) - 1) / 2, names)
    axes.invert_yaxis()
    axes.figure.legend(fontsize="small", frameon=False, loc="outside lower center", ncols=4)


def funnel_chart(report: DashboardReport) -> bytes:
    """Per round: submitted, decided, granted and paid applications."""
    rounds = report.rounds
    figure, axes = _figure(1.6 + 0.9 * max(len(rounds), 1))
    _grouped_bars(
        axes,
        _round_names(report),
        [
            (_("Submitted"), rounds["submitted"].tolist(), MUTED),
            (_("Decided"), rounds["decided"].tolist(), "#7fa7c9"),
            (_("Granted"), rounds["granted"].tolist(), BAR),
            (_("Paid"), rounds["paid"].tolist(), LINE),
        ],
    )
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(_("applications"))
    axes.set_title(_("Applications per round: submitted → decided → paid"))
    return _svg(figure)


def budget_chart(report: DashboardReport) -> bytes:
    """Per round: the budget, the amount granted and the amount paid, in millions of yen."""
    rounds = report.rounds
    figure, axes = _figure(1.6 + 0.8 * max(len(rounds), 1))
    million = 1_000_000
    _grouped_bars(
        axes,
        _round_names(report),
        [
            (_("Budget"), (rounds["budget"] / million).tolist(), MUTED),
            (_("Granted"), (rounds["decided_amount"] / million).tolist(), BAR),
            (_("Paid"), (rounds["paid_amount"] / million).tolist(), LINE),
        ],
    )
    axes.set_xlabel(_("million yen"))
    axes.set_title(_("Budget per round: granted and paid"))
    return _svg(figure)


def stages_chart(report: DashboardReport) -> bytes:
    """Over all rounds: median and 90th percentile of each stage, in days."""
    rows = [row for row in report.stage_rows(0) if row["stage"] in STAGE_KEYS]
    figure, axes = _figure(4.0)
    _grouped_bars(
        axes,
        [str(STAGE_SHORT_LABELS[row["stage"]]) for row in rows],
        [
            (_("Median"), [row.get("p50") or 0 for row in rows], BAR),
            (_("90th percentile"), [row.get("p90") or 0 for row in rows], LINE),
        ],
    )
    axes.set_xlabel(_("days"))
    axes.set_title(_("Processing time per stage (all rounds)"))
    return _svg(figure)


# The stage chart shows the six stages, not the two totals that span them.
STAGE_KEYS = tuple(stage.key for stage in STAGES[:6])

CHARTS: dict[str, Callable[[DashboardReport], bytes]] = {
    "declarations": lambda report: kpi_chart(report, "declarations"),
    "commendations": lambda report: kpi_chart(report, "commendations"),
    "productivity-gains": lambda report: kpi_chart(report, "productivity_gains"),
    "subsidy-users": lambda report: kpi_chart(report, "subsidy_users"),
    "funnel": funnel_chart,
    "budget": budget_chart,
    "stages": stages_chart,
}
