"""Report charts with matplotlib (Agg, no pyplot state): SVG for the PDF, PNG for the DOCX.

Both formats are byte-for-byte repeatable: the SVG ids come from a fixed ``svg.hashsalt`` and
carry no date; the PNG carries a fixed Software entry and nothing else; text is drawn as
paths with matplotlib's bundled DejaVu Sans, so no font on the machine changes the picture.
matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

from fractions import Fraction
from io import BytesIO
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from slagen.report.attainment import PriorityFigures, TrendPoint

__all__ = ["attainment_chart", "attainment_words", "trend_chart", "trend_words"]

WORLD_CLASS, AVERAGE = 90, 75
_RC = {
    "svg.hashsalt": "slagen-report",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_COLOURS = {"response": "#3b6ea5", "resolution": "#e39b2d", "overall": "#444444"}


def _number(value: Fraction | None) -> float:
    return float(value) if value is not None else float("nan")


def _save(figure) -> tuple[bytes, bytes]:
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    with rc_context(_RC):
        svg, png = BytesIO(), BytesIO()
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": "slagen"})
        figure.savefig(png, format="png", dpi=200, metadata={"Software": "slagen"})
    return svg.getvalue(), png.getvalue()


def _figure(width_in: float, height_in: float):
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context(_RC):
        figure = Figure(figsize=(width_in, height_in), layout="constrained")
        axes = figure.add_subplot()
    return figure, axes


def _bands(axes) -> None:
    axes.axhline(WORLD_CLASS, color="#2e7d32", linewidth=0.8, linestyle="--")
    axes.axhline(AVERAGE, color="#9e9e9e", linewidth=0.8, linestyle=":")
    axes.text(1.0, WORLD_CLASS, " world-class 90%", transform=axes.get_yaxis_transform(), va="center",
              fontsize=7, color="#2e7d32")
    axes.text(1.0, AVERAGE, " average 75%", transform=axes.get_yaxis_transform(), va="center", fontsize=7,
              color="#616161")


def attainment_chart(priorities: Sequence["PriorityFigures"]) -> tuple[bytes, bytes]:
    """Response and resolution attainment per priority, against the field's bands: (svg, png)."""
    from matplotlib import rc_context

    with rc_context(_RC):
        figure, axes = _figure(6.3, 3.0)
        labels = [f"{p.id}\n{p.name}" for p in priorities]
        xs = range(len(priorities))
        width = 0.36
        for offset, kind in ((-width / 2, "response"), (width / 2, "resolution")):
            values = [_number(getattr(p, kind).attainment) for p in priorities]
            bars = axes.bar([x + offset for x in xs], [0 if v != v else v for v in values], width,
                            label=kind.capitalize(), color=_COLOURS[kind])
            for bar, value in zip(bars, values):
                axes.text(bar.get_x() + bar.get_width() / 2, (0 if value != value else value) + 1.5,
                          "n/a" if value != value else f"{value:.0f}%", ha="center", va="bottom", fontsize=7)
        _bands(axes)
        axes.set_xticks(list(xs), labels)
        axes.set_ylim(0, 110)
        axes.set_ylabel("Targets met (%)")
        axes.legend(loc="lower left", fontsize=7, frameon=False, ncols=2)
        return _save(figure)


def _percent(value: float) -> str:
    # the label each bar carries (a whole percent), so the words and the picture agree
    return "n/a" if value != value else f"{value:.0f}%"


_BANDS_WORDS = f"against the world-class band at {WORLD_CLASS}% and the average at {AVERAGE}%"


def attainment_words(priorities: Sequence["PriorityFigures"]) -> str:
    """The attainment chart in words: its alternative text for screen readers."""
    bars = "; ".join(f"{p.id} {p.name}: response {_percent(_number(p.response.attainment))}, "
                     f"resolution {_percent(_number(p.resolution.attainment))}" for p in priorities)
    return f"Bar chart of the targets met per priority, {_BANDS_WORDS}. {bars}."


def trend_words(points: Sequence["TrendPoint"]) -> str:
    """The trend chart in words: its alternative text for screen readers."""
    months = "; ".join(f"{p.month}: response {_percent(_number(p.response))}, resolution "
                       f"{_percent(_number(p.resolution))}, overall {_percent(_number(p.overall))}" for p in points)
    return f"Line chart of the targets met month by month, {_BANDS_WORDS}. {months}."


def trend_chart(points: Sequence["TrendPoint"]) -> tuple[bytes, bytes]:
    """Attainment month by month: (svg, png)."""
    from matplotlib import rc_context

    with rc_context(_RC):
        figure, axes = _figure(6.3, 2.8)
        months = [p.month for p in points]
        for kind in ("response", "resolution", "overall"):
            axes.plot(months, [_number(getattr(p, kind)) for p in points], marker="o", markersize=3.5,
                      linewidth=1.4 if kind != "overall" else 2.0, label=kind.capitalize(), color=_COLOURS[kind])
        _bands(axes)
        axes.set_ylim(0, 105)
        axes.set_ylabel("Targets met (%)")
        axes.tick_params(axis="x", labelrotation=0 if len(points) <= 8 else 45)
        axes.legend(loc="lower left", fontsize=7, frameon=False, ncols=3)
        return _save(figure)

