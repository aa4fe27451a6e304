"""The release workflow: valid for GitHub, and uploading exactly the files the loader downloads.

The workflow cannot run here; its asset step's shell script is run with a stand-in `gh` that
records what it was asked to upload, and that is compared with the release index.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from csto_dataset import DATA_VERSION
from csto_dataset._download import base_url
from csto_dataset._index import find_release, read_index
from csto_dataset.citation import release_citation

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"
RELEASE_WORKFLOW = WORKFLOWS / "release.yml"
# gh's `release create` options that take a value (the rest of the arguments are assets).
GH_VALUE_OPTIONS = {"--title", "-t", "--notes", "-n", "--notes-file", "-F", "--target"}
FAKE_GH = '#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_ARGUMENTS"\n'


def check_jsonschema(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *map(str, arguments)],
        capture_output=True,
        text=True,
    )


def asset_step_script(workflow: str) -> str:
    """The shell script of the step with id `assets` (the one that uploads release files)."""
    jobs = yaml.safe_load(workflow)["jobs"]
    steps = [step for job in jobs.values() for step in job["steps"] if step.get("id") == "assets"]
    assert len(steps) == 1, "the workflow needs exactly one step with id: assets"
    script: str = steps[0]["run"]
    return script


def uploaded(workflow: str, tag: str, root: Path, tmp_path: Path) -> tuple[str, list[str]]:
    """Run the asset step as GitHub would for `tag`: the release it creates and its assets."""
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    (fake / "gh").write_text(FAKE_GH)
    (fake / "gh").chmod(0o755)
    arguments = tmp_path / "gh-arguments"
    environment = os.environ | {
        "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}",
        "TAG": tag,
        "GH_TOKEN": "not-a-token",
        "GH_ARGUMENTS": str(arguments),
    }
    subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", asset_step_script(workflow)],
        cwd=root,
        env=environment,
        check=True,
    )
    words = arguments.read_text().splitlines()
    assert words[:2] == ["release", "create"], words
    assert "--draft" not in words, "Zenodo archives published releases only"
    release, assets, rest = words[2], [], iter(words[3:])
    for word in rest:
        if word in GH_VALUE_OPTIONS:
            next(rest)
        elif not word.startswith("-"):
            assets.append(Path(word.split("#", 1)[0]).name)  # `file#label`: the label is display
    return release, assets


def asset_problems(workflow: str, root: Path, tmp_path: Path) -> list[str]:
    """How the workflow's uploads differ from what `load(version=DATA_VERSION)` downloads."""
    tag = f"data-v{DATA_VERSION}"
    release, assets = uploaded(workflow, tag, root, tmp_path)
    repository = release_citation(DATA_VERSION).url
    problems = []
    if base_url(DATA_VERSION, None) != f"{repository}/releases/download/{release}/":
        problems.append(f"release {release!r} is not where the loader downloads from")
    expected = {file.name for file in find_release(read_index(), DATA_VERSION).files}
    if missing := expected - set(assets):
        problems.append(f"not uploaded: {sorted(missing)}")
    if extra := set(assets) - expected:
        problems.append(f"not in the release index: {sorted(extra)}")
    if len(assets) != len(set(assets)):
        problems.append("an asset name is uploaded twice")
    return problems


def test_every_workflow_is_valid_against_githubs_workflow_schema() -> None:
    workflows = sorted(WORKFLOWS.glob("*.yml"))
    assert RELEASE_WORKFLOW in workflows
    result = check_jsonschema("--builtin-schema", "vendor.github-workflows", *workflows)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_workflow_with_a_misspelt_key_fails_the_schema(tmp_path: Path) -> None:
    broken = tmp_path / "release.yml"
    broken.write_text(RELEASE_WORKFLOW.read_text().replace("runs-on:", "run-on:", 1))
    result = check_jsonschema("--builtin-schema", "vendor.github-workflows", broken)
    assert result.returncode != 0


def test_the_workflow_uploads_exactly_the_files_the_loader_downloads(
    root: Path, tmp_path: Path
) -> None:
    assert asset_problems(RELEASE_WORKFLOW.read_text(), root, tmp_path) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("/*\n", "/*.parquet\n"), "not uploaded"),  # the CSV files and the descriptor left out
        (('build/releases/"$version"/*', "schemas/*"), "not in the release index"),
        (('create "$TAG"', 'create "v$version"'), "not where the loader downloads from"),
        (("/*\n", "/* README.md\n"), "not in the release index"),
    ],
)
def test_a_workflow_naming_a_wrong_asset_or_release_fails(
    root: Path, tmp_path: Path, change: tuple[str, str], problem: str
) -> None:
    workflow = RELEASE_WORKFLOW.read_text()
    assert change[0] in workflow
    problems = asset_problems(workflow.replace(change[0], change[1]), root, tmp_path)
    assert any(problem in p for p in problems), problems


def test_pypi_is_published_by_trusted_publishing_without_a_token() -> None:
    workflow = RELEASE_WORKFLOW.read_text()
    job = yaml.safe_load(workflow)["jobs"]["pypi"]
    assert job["permissions"] == {"id-token": "write"}
    assert [s["uses"] for s in job["steps"]][-1].startswith("pypa/gh-action-pypi-publish@")
    assert "secrets." not in workflow and "password" not in workflow
