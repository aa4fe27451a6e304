"""The charts of the README, drawn from the newest release: membership by state, and events.

matplotlib draws them: it renders SVG and PNG offline with no browser, its wheels carry their
own fonts (DejaVu Sans) and FreeType, and with a fixed hash salt, no date and text drawn as
paths its output is the same bytes on every machine with the locked toolchain.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from cstobuild.coverage import BODIES, _rows
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.dates import YearLocator, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.typing import RcKeyType

from csto_dataset.membership import (
    PRECEDENCE,
    STATUS_COLOURS,
    interval_coverage,
    release_last_day,
)
from csto_dataset.models import Event

Row = dict[str, Any]

FIRST_DAY = dt.date(1992, 1, 1)
SESSION_COLOUR = "#0072B2"
ANNOUNCED_COLOUR = "#56B4E9"
OUTCOME_COLOURS = {"granted": "#009E73", "refused": "#D55E00", "unknown": "#999999"}
FADE_STEPS = 24
# points above (+) or below (-) a request where its state is written: four levels, so that
# requests a few months apart keep their labels apart
REQUEST_LABEL_OFFSETS = (10, -11, 20, -21)
STYLE: dict[RcKeyType, Any] = {
    "svg.hashsalt": "csto-dataset",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def chart_files(release: Path, folder: Path) -> dict[Path, bytes]:
    """Each chart of `release` as SVG and PNG, by the path it is written to under `folder`."""
    files: dict[Path, bytes] = {}
    for name, draw, size in (
        ("membership", membership_chart, (10, 4.2)),
        ("events", events_chart, (10, 5.2)),
    ):
        files.update(_render(partial(draw, release), size, name, folder))
    return files


def cut_off(release: Path) -> dt.date:
    """The last day the release covers: the day `membership_status` warns after."""
    return release_last_day(lambda name: (release / name).open("rb"), release.name)


def membership_chart(release: Path, figure: Figure) -> None:
    """A row per state: formal statuses as solid bars, declared ones hatched beneath them."""
    end = cut_off(release)
    names = {r["id"]: r["name"] for r in _rows(release, "states")}
    intervals = _rows(release, "memberships")
    first_start: dict[str, dt.date] = {}
    for row in intervals:
        state = row["state_id"]
        first_start[state] = min(row["start_earliest"], first_start.get(state, dt.date.max))
    states = sorted(first_start, key=lambda s: (first_start[s], names[s]))
    axes = figure.add_axes((0.13, 0.2, 0.85, 0.72))
    for row in intervals:
        y = states.index(row["state_id"])
        lane = (y - 0.34, 0.44) if row["basis"] == "formal" else (y + 0.14, 0.22)
        _draw_interval(axes, row, lane, end)
    axes.set_yticks(range(len(states)), [names[s] for s in states])
    axes.set_ylim(len(states) - 0.5, -0.6)
    _time_axis(axes, end)
    statuses = [s for s in PRECEDENCE if any(r["status"] == s for r in intervals)]
    handles = [Patch(color=STATUS_COLOURS[s], label=s.replace("_", " ")) for s in statuses]
    handles += [
        Patch(facecolor="white", edgecolor="#444444", label="formal (upper bar)"),
        Patch(facecolor="white", edgecolor="#444444", hatch="////", label="declared (lower bar)"),
        Patch(color="#444444", alpha=0.35, label="day not known"),
        Patch(color="#444444", alpha=0.12, label="end not known (fades)"),
    ]
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=5)
    axes.set_title(f"Membership of the Collective Security Treaty / CSTO, 1992 to {end:%d %b %Y}")


def events_chart(release: Path, figure: Figure) -> None:
    """Council sessions by body, requests for assistance by outcome, deployments and missions."""
    end = cut_off(release)
    events = sorted(
        (r for r in _rows(release, "events") if r["date_earliest"] is not None),
        key=lambda r: (_middle(r), r["id"]),
    )
    states: dict[str, list[str]] = {}
    for link in _rows(release, "event_states"):
        states.setdefault(link["event_id"], []).append(link["state_id"])
    # the requests lane has room above and below for the requesting states' codes
    lanes = {name: float(y) for y, name in enumerate(BODIES.values())}
    lanes["Requests for assistance"] = 4.6
    lanes["Deployments and missions"] = 6.2
    axes = figure.add_axes((0.31, 0.22, 0.67, 0.7))
    requests = 0
    for row in events:
        standing = Event.standing_of(row)
        if (
            row["kind"] == "council_session"
            and row["organization_id"] in BODIES
            and standing != "cancelled"
        ):
            y = lanes[BODIES[row["organization_id"]]]
            colour = ANNOUNCED_COLOUR if standing == "announced" else SESSION_COLOUR
            _mark(axes, row, y, colour, "|", filled=True)
        elif row["kind"] == "request_for_assistance":
            y = lanes["Requests for assistance"]
            _mark(axes, row, y, OUTCOME_COLOURS[row["outcome"] or "unknown"], "o", filled=True)
            axes.annotate(
                "/".join(sorted(states.get(row["id"], []))),
                (_x(_middle(row)), y),
                xytext=(0, REQUEST_LABEL_OFFSETS[requests % len(REQUEST_LABEL_OFFSETS)]),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=7,
            )
            requests += 1
        elif row["kind"] in ("deployment", "mission"):
            y = lanes["Deployments and missions"]
            _mark(axes, row, y, "#CC79A7", "D", filled=row["kind"] == "deployment")
    axes.set_yticks(list(lanes.values()), list(lanes))
    axes.set_ylim(6.8, -0.6)
    _time_axis(axes, end)
    handles = [
        Line2D(
            [], [], color=SESSION_COLOUR, marker="|", linestyle="", markersize=10, label="session"
        ),
        Line2D(
            [],
            [],
            color=ANNOUNCED_COLOUR,
            marker="|",
            linestyle="",
            markersize=10,
            label="session known only from its announcement",
        ),
        *(
            Line2D([], [], color=c, marker="o", linestyle="", label=f"request {outcome}")
            for outcome, c in OUTCOME_COLOURS.items()
        ),
        Line2D([], [], color="#CC79A7", marker="D", linestyle="", label="deployment"),
        Line2D(
            [], [], color="#CC79A7", marker="D", linestyle="", fillstyle="none", label="mission"
        ),
        Line2D([], [], color="#444444", linewidth=3, alpha=0.35, label="day not known"),
    ]
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.4, -0.08), ncol=3)
    axes.set_title(
        f"Council sessions, requests for assistance (by requesting state), deployments and "
        f"missions, 1992 to {end:%d %b %Y}",
        loc="right",
    )


def _draw_interval(axes: Axes, row: Row, lane: tuple[float, float], end: dt.date) -> None:
    """An interval: sure days solid, days its dates leave open pale, an unknown end fading."""
    y, height = lane
    colour = STATUS_COLOURS[row["status"]]
    hatch = None if row["basis"] == "formal" else "////"

    def span(first: dt.date, last: dt.date, alpha: float) -> None:
        if last < first:
            return
        left = _x(first)
        width = _x(last + dt.timedelta(days=1)) - left
        axes.add_patch(
            Rectangle(
                (left, y),
                width,
                height,
                facecolor=colour,
                alpha=alpha,
                hatch=hatch,
                edgecolor="white" if hatch else "none",
                linewidth=0,
            )
        )

    covered = interval_coverage(row)
    assert covered is not None, "only intervals placed in time are drawn"
    span(covered.possible_from, covered.sure_from - dt.timedelta(days=1), 0.35)
    if covered.sure_until is None:  # ongoing
        span(covered.sure_from, end, 1.0)
        return
    span(covered.sure_from, covered.sure_until, 1.0)
    if covered.possible_until is not None:
        span(covered.sure_until + dt.timedelta(days=1), covered.possible_until, 0.35)
    else:  # an end no source gives: the possible days fade towards the cut-off
        for first, last, alpha in _fade(covered.sure_until + dt.timedelta(days=1), end):
            span(first, last, alpha)


def _fade(first: dt.date, last: dt.date) -> Iterator[tuple[dt.date, dt.date, float]]:
    """Consecutive spans from `first` to `last` whose opacity falls towards nothing."""
    days = (last - first).days + 1
    for step in range(FADE_STEPS):
        start = first + dt.timedelta(days=days * step // FADE_STEPS)
        stop = first + dt.timedelta(days=days * (step + 1) // FADE_STEPS - 1)
        yield start, stop, 0.6 * (1 - step / FADE_STEPS)


def _mark(axes: Axes, row: Row, y: float, colour: str, marker: str, *, filled: bool) -> None:
    """An event as a marker on its day; a date known only to the month or year adds a bar."""
    if row["date_earliest"] != row["date_latest"]:
        axes.plot(
            [_x(row["date_earliest"]), _x(row["date_latest"])],
            [y, y],
            color="#444444",
            alpha=0.35,
            linewidth=3,
            solid_capstyle="butt",
        )
    axes.plot(
        [_x(_middle(row))],
        [y],
        marker=marker,
        color=colour,
        markersize=8 if marker == "|" else 6,
        fillstyle="full" if filled else "none",
        linestyle="",
    )


def _middle(row: Row) -> dt.date:
    first: dt.date = row["date_earliest"]
    last: dt.date = row["date_latest"]
    return first + (last - first) / 2


def _x(day: dt.date) -> float:
    """The position of `day` on a time axis."""
    return float(date2num(day))  # type: ignore[no-untyped-call]


def _time_axis(axes: Axes, end: dt.date) -> None:
    axes.set_xlim(_x(FIRST_DAY), _x(end + dt.timedelta(days=120)))
    axes.axvline(_x(end), color="#444444", linestyle="--", linewidth=0.8)
    axes.xaxis.set_major_locator(YearLocator(2))  # type: ignore[no-untyped-call]
    axes.xaxis.axis_date()
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)


def _render(
    draw: Callable[[Figure], None], size: tuple[float, float], name: str, folder: Path
) -> Iterator[tuple[Path, bytes]]:
    """`name`.svg and `name`.png of the figure `draw` fills, free of dates and random ids."""
    with rc_context(STYLE):
        figure = Figure(figsize=size)
        draw(figure)
        svg, png = io.BytesIO(), io.BytesIO()
        figure.savefig(svg, format="svg", metadata={"Date": None})
        figure.savefig(png, format="png", dpi=150, metadata={"Software": None})
    yield folder / f"{name}.svg", svg.getvalue()
    yield folder / f"{name}.png", png.getvalue()
