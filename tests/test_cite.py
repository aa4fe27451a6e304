"""cite(): every data release's citation, in three formats, from one generated source."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cstobuild.citation_files import CFF_HEADER, CitationError
from cstobuild.generated import stale_files
from cstobuild.layout import Layout

import csto_dataset
from csto_dataset import (
    DATA_VERSION,
    UnknownFormatError,
    VersionNotFoundError,
    citation,
    cite,
    load,
    versions,
)

DOI = "10.5281/zenodo.1234567"
TITLE = (
    "CSTO dataset: statements, states, memberships and initiatives of the Collective Security "
    "Treaty Organization"
)


@pytest.fixture
def index_with_a_doi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The package's citations, as the build writes them once Zenodo has minted 0.1.0's DOI."""
    citations = citation.read_citations()
    citations["0.1.0"]["doi"] = DOI
    path = tmp_path / "citations.json"
    path.write_text(json.dumps({"citations": citations}))
    monkeypatch.setattr(citation, "CITATIONS_PATH", path)


def test_the_text_citation_names_authors_year_title_version_and_url() -> None:
    assert cite() == (
        f"csto-dataset contributors (2026). {TITLE}. Data release {DATA_VERSION}. "
        "https://github.com/csto-dataset/csto-dataset"
    )


def test_each_release_is_cited_as_its_own_descriptor_and_load_cite_it(root: Path) -> None:
    for info in versions():
        descriptor = root / "build" / "releases" / info.version / "datapackage.json"
        assert cite(info.version) == json.loads(descriptor.read_text())["citation"]
    assert cite() == load(backend="pyarrow").citation


def test_the_bibtex_entry_is_keyed_by_version_and_keeps_the_title_case() -> None:
    entry = cite("0.2.0", format="bibtex")
    assert entry.startswith("@misc{csto_dataset_0_2_0,\n")
    assert "  author = {{csto-dataset contributors}},\n" in entry
    assert f"  title = {{{{{TITLE}}}}},\n" in entry
    assert "  year = {2026},\n  version = {0.2.0},\n" in entry
    assert "  url = {https://github.com/csto-dataset/csto-dataset},\n" in entry
    assert "doi" not in entry
    assert entry.endswith("}\n")


def test_citation_cff_is_the_cff_citation_of_the_embedded_release(root: Path) -> None:
    assert (root / "CITATION.cff").read_text(encoding="utf-8") == CFF_HEADER + cite(format="cff")


def test_the_cff_citation_of_every_release_is_valid_citation_file_format(tmp_path: Path) -> None:
    files = []
    for info in versions():
        path = tmp_path / f"{info.version}.cff"
        path.write_text(cite(info.version, format="cff"), encoding="utf-8")
        files.append(str(path))
    schema = ["--builtin-schema", "vendor.citation-file-format"]
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *schema, *files],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'version: "0.1.0"\n' in Path(files[-1]).read_text()


@pytest.mark.usefixtures("index_with_a_doi")
def test_a_release_with_a_doi_is_cited_by_it_in_every_format() -> None:
    assert cite("0.1.0").endswith(f"Data release 0.1.0. https://doi.org/{DOI}")
    assert f"  doi = {{{DOI}}},\n" in cite("0.1.0", format="bibtex")
    assert f'\ndoi: "{DOI}"\n' in cite("0.1.0", format="cff")
    assert "doi" not in cite("0.2.0", format="cff")


def test_an_unknown_version_or_format_is_refused_with_the_choices() -> None:
    available = ", ".join(info.version for info in versions())
    with pytest.raises(VersionNotFoundError, match=re.escape(f"available: {available}")):
        cite("0.0.9")
    with pytest.raises(UnknownFormatError, match="valid formats: text, bibtex, cff"):
        cite(format="ris")  # type: ignore[arg-type]


def test_cite_needs_neither_pydantic_yaml_nor_pandas() -> None:
    code = (
        "import sys, csto_dataset; csto_dataset.cite(format='cff'); "
        "print([m for m in ('pydantic', 'yaml', 'pandas', 'pyarrow') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
    assert "cite" in csto_dataset.__all__


@pytest.fixture
def tree(tmp_path: Path, root: Path) -> Path:
    """What the generated-files check reads, with the releases linked, not copied."""
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "releases").symlink_to(root / "build" / "releases")
    for name in ("release.toml", "retired_ids.toml", "dois.toml"):
        if (root / "build" / name).exists():
            shutil.copy(root / "build" / name, tmp_path / "build" / name)
    for name in ("README.md", "COVERAGE.md", "CHANGELOG.md", "CITATION.cff", ".zenodo.json"):
        shutil.copy(root / name, tmp_path / name)
    shutil.copytree(root / "docs", tmp_path / "docs")
    shutil.copytree(root / "csto_dataset", tmp_path / "csto_dataset")
    shutil.copytree(root / "schemas", tmp_path / "schemas")
    shutil.copytree(root / "r" / "inst", tmp_path / "r" / "inst")
    assert stale_files(Layout(tmp_path)) == []
    return tmp_path


def test_an_edited_citation_cff_or_zenodo_json_is_out_of_date(tree: Path) -> None:
    cff = tree / "CITATION.cff"
    cff.write_text(cff.read_text().replace('version: "', 'version: "9'))
    zenodo = tree / ".zenodo.json"
    zenodo.write_text(zenodo.read_text().replace('"dataset"', '"software"'))
    assert stale_files(Layout(tree)) == [cff, zenodo]


def test_a_registered_doi_puts_citations_json_and_citation_cff_out_of_date(tree: Path) -> None:
    # .zenodo.json stays: it describes the release Zenodo archives, which then mints the DOI.
    (tree / "build" / "dois.toml").write_text(f'"{DATA_VERSION}" = "{DOI}"\n')
    assert sorted(stale_files(Layout(tree))) == sorted(
        [
            tree / "csto_dataset" / "citations.json",
            tree / "CITATION.cff",
            tree / "r" / "inst" / "extdata" / "citations.json",  # the R package's copy
        ]
    )


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('"9.9.9" = "10.5281/zenodo.1"', "not a released version"),
        ('"0.1.0" = "zenodo-1"', "not a DOI"),
    ],
)
def test_a_doi_for_no_release_or_a_malformed_doi_is_refused(
    tree: Path, line: str, problem: str
) -> None:
    (tree / "build" / "dois.toml").write_text(line + "\n")
    with pytest.raises(CitationError, match=problem):
        stale_files(Layout(tree))
