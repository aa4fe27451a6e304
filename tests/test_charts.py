"""The README's charts: drawn from the release, the same bytes on every render, honest about
what the sources leave open, and never a dependency of the installed package."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from cstobuild.charts import chart_files, cut_off, membership_chart
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from csto_dataset import DATA_VERSION

NAMES = {"membership.svg", "membership.png", "events.svg", "events.png"}


@pytest.fixture(scope="module")
def release(root: Path) -> Path:
    return root / "build" / "releases" / DATA_VERSION


@pytest.fixture(scope="module")
def rendered(release: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, bytes]:
    return chart_files(release, tmp_path_factory.mktemp("charts"))


def test_every_chart_comes_as_svg_and_png(rendered: dict[Path, bytes]) -> None:
    assert {p.name for p in rendered} == NAMES
    for path, data in rendered.items():
        magic = b"\x89PNG" if path.suffix == ".png" else b"<?xml"
        assert data.startswith(magic)


def test_a_render_in_another_process_gives_the_same_bytes(
    rendered: dict[Path, bytes], release: Path, tmp_path: Path, root: Path
) -> None:
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, 'build')\n"
        "from cstobuild.charts import chart_files\n"
        f"for path, data in chart_files(Path({str(release)!r}), Path({str(tmp_path)!r})).items():\n"
        "    path.write_bytes(data)\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=root, check=True)
    for path, data in rendered.items():
        assert (tmp_path / path.name).read_bytes() == data, path.name


def test_the_svg_holds_no_date(rendered: dict[Path, bytes]) -> None:
    for path, data in rendered.items():
        if path.suffix == ".svg":
            assert b"<dc:date>" not in data


def test_a_changed_interval_changes_the_membership_chart(
    release: Path, rendered: dict[Path, bytes], tmp_path: Path
) -> None:
    changed = Path(shutil.copytree(release, tmp_path / "release"))
    table = pq.ParquetFile(changed / "memberships.parquet").read()
    status = table.column("status")
    frozen = pc.if_else(pc.equal(table.column("id"), "blr-member-1994-04-20"), "suspended", status)
    table = table.set_column(table.schema.get_field_index("status"), "status", frozen)
    pq.write_table(table, changed / "memberships.parquet")
    redrawn = chart_files(changed, tmp_path / "charts")
    by_name = {p.name: d for p, d in rendered.items()}
    assert redrawn[tmp_path / "charts" / "membership.svg"] != by_name["membership.svg"]
    assert redrawn[tmp_path / "charts" / "events.svg"] == by_name["events.svg"]


def opacity_on(figure: Figure, state: str, day: dt.date) -> list[float]:
    """The opacity of each bar drawn in `state`'s row over `day`."""
    from matplotlib.dates import date2num

    axes = figure.axes[0]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    row = labels.index(state)
    x = date2num(day)
    return [
        p.get_alpha() or 1.0
        for p in axes.patches
        if isinstance(p, Rectangle)
        and row - 0.5 < p.get_y() < row + 0.5
        and p.get_x() <= x <= p.get_x() + p.get_width()
    ]


def test_an_unknown_end_fades_and_an_ongoing_status_lasts(release: Path) -> None:
    figure = Figure()
    membership_chart(release, figure)
    end = cut_off(release)
    assert opacity_on(figure, "Russia", end) == [1.0]
    # Afghanistan's observer status (granted in 2013, end not sourced) is not drawn as lasting
    fading = [
        opacity_on(figure, "Afghanistan", day)
        for day in (dt.date(2014, 6, 1), dt.date(2020, 1, 1), end)
    ]
    assert [len(f) for f in fading] == [1, 1, 1]
    assert 1.0 > fading[0][0] > fading[1][0] > fading[2][0] and fading[2][0] < 0.1
    # Azerbaijan's membership ended on 20 April 1999: nothing is drawn after it
    assert opacity_on(figure, "Azerbaijan", dt.date(1999, 4, 22)) == []


def test_declared_statuses_are_drawn_apart_from_formal_ones(release: Path) -> None:
    figure = Figure()
    membership_chart(release, figure)
    axes = figure.axes[0]
    hatched = {p.get_facecolor() for p in axes.patches if p.get_hatch()}
    solid = [p for p in axes.patches if not p.get_hatch()]
    assert hatched and solid
    # Armenia: formally a member in 2025, declared frozen beneath it
    assert len(opacity_on(figure, "Armenia", dt.date(2025, 6, 1))) == 2


def test_the_installed_package_does_not_import_matplotlib() -> None:
    code = (
        "import sys, csto_dataset\n"
        "csto_dataset.load(); csto_dataset.membership_status('2020-01-01')\n"
        "print('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_the_readme_shows_the_charts_first(root: Path) -> None:
    readme = (root / "README.md").read_text(encoding="utf-8")
    first_chart = readme.index("](docs/charts/membership.svg)")
    assert first_chart < readme.index("```python")
    assert "](docs/charts/events.svg)" in readme
