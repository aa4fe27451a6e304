"""docs/cookbook.md: every snippet runs, and prints the output the page shows under it."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from csto_dataset import DATA_VERSION, load

COOKBOOK = Path(__file__).resolve().parent.parent / "docs" / "cookbook.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
LANGUAGES = {"python", "r"}


class Recipe(NamedTuple):
    title: str
    language: str
    code: str
    expected: str | None


def recipes(text: str) -> list[Recipe]:
    """Each code block of `text`, with the heading above it and the text block after it."""
    found: list[Recipe] = []
    blocks = list(FENCE.finditer(text))
    for index, block in enumerate(blocks):
        language, body = block.group(1), block.group(2)
        if language == "text":
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        expected = None
        if (
            following is not None
            and following.group(1) == "text"
            and not text[block.end() : following.start()].strip()
        ):
            expected = following.group(2)
        headings = re.findall(r"^## (.+)$", text[: block.start()], re.MULTILINE)
        found.append(Recipe(headings[-1] if headings else "", language, body, expected))
    return found


RECIPES = recipes(COOKBOOK.read_text(encoding="utf-8"))


def same_output(printed: str) -> str:
    return "\n".join(line.rstrip() for line in printed.strip("\n").splitlines())


def test_the_cookbook_has_the_recipes_the_issue_asks_for() -> None:
    assert {r.language for r in RECIPES} == LANGUAGES
    assert len(RECIPES) >= 7
    assert all(r.expected is not None for r in RECIPES)


def test_the_recipe_reader_pairs_code_with_its_output() -> None:
    text = "## One\n\n```python\nprint(1)\n```\n\n```text\n1\n```\n\n## Two\n\n```r\nx\n```\n"
    assert recipes(text) == [
        Recipe("One", "python", "print(1)\n", "1\n"),
        Recipe("Two", "r", "x\n", None),
    ]


@pytest.mark.parametrize(
    "recipe", [r for r in RECIPES if r.language == "python"], ids=lambda r: r.title
)
def test_a_python_recipe_prints_what_the_page_shows(recipe: Recipe) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(recipe.code, f"{COOKBOOK}: {recipe.title}", "exec"), {})
    assert recipe.expected is not None
    assert same_output(printed.getvalue()) == same_output(recipe.expected)


def rscript() -> str:
    """The Rscript program: CI must have it (the test fails); elsewhere the test is skipped."""
    found = shutil.which("Rscript")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Rscript is missing: .ci/run installs r-base-core and r-cran-jsonlite")
        pytest.skip(
            "Rscript not found: apt-get install r-base-core r-cran-jsonlite to run the R recipe"
        )
    return found


@pytest.mark.parametrize("recipe", [r for r in RECIPES if r.language == "r"], ids=lambda r: r.title)
@pytest.mark.parametrize("folder", ["release", "csv export", "parquet export"])
def test_the_r_recipe_reads_the_release_with_its_types(
    recipe: Recipe, root: Path, tmp_path: Path, folder: str
) -> None:
    program = rscript()
    script = tmp_path / "recipe.R"
    script.write_text(recipe.code, encoding="utf-8")
    release = root / "build" / "releases" / DATA_VERSION
    if folder != "release":
        release = tmp_path / "export"
        fmt = folder.split()[0]
        command = [sys.executable, "-m", "csto_dataset", "export", "--format", fmt, str(release)]
        subprocess.run(command, check=True, capture_output=True)
    result = subprocess.run(
        [program, "--vanilla", str(script)], cwd=release, capture_output=True, text=True
    )
    if folder == "parquet export":  # the recipe needs CSV files, and says so
        assert result.returncode != 0
        assert "this recipe reads CSV: csto-dataset export --format csv DIR" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    assert recipe.expected is not None
    assert same_output(result.stdout) == same_output(recipe.expected)
    # what the output shows: ids keep their zeros, dates are Date, a missing end is NA
    assert " 051 " in result.stdout
    assert "start_earliest: Date" in result.stdout
    assert "end_earliest  : Date, format: NA" in result.stdout


def test_the_readme_opening_example_runs(root: Path) -> None:
    readme = (root / "README.md").read_text(encoding="utf-8")
    example = next(r for r in recipes(readme) if r.language == "python")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example.code, "README.md", "exec"), {})
    rows = len(load("statements"))
    assert f"[{rows} rows x 3 columns]" in printed.getvalue()


def test_every_python_block_of_the_readme_runs(root: Path) -> None:
    readme = (root / "README.md").read_text(encoding="utf-8")
    blocks = [r for r in recipes(readme) if r.language == "python"]
    assert len(blocks) >= 3
    for block in blocks:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(block.code, "README.md", "exec"), {})
