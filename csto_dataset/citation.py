"""`cite()`: how to cite one data release, as text, BibTeX or CITATION.cff.

Every release's citation is an entry of citations.json (shipped in the package), which the
build writes from that release's own datapackage.json and the DOI minted for it
(build/dois.toml). The build generates CITATION.cff and .zenodo.json from the same entries,
with `cff()`. Citations are kept apart from the release index, whose entries never change
once released: a DOI is minted after its release.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from csto_dataset._index import find_release, read_index
from csto_dataset._release import DATA_VERSION
from csto_dataset.errors import CstoDatasetError, UnknownFormatError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

# None: the citations.json inside the package. Tests point this at a fixture.
CITATIONS_PATH: Path | None = None

CitationFormat = Literal["text", "bibtex", "cff"]
CFF_MESSAGE = "If you use this dataset, please cite the data release you used, as below."


class Citation(NamedTuple):
    """What a citation of one data release holds, as the release index records it."""

    version: str
    authors: tuple[str, ...]
    title: str
    date_released: str
    """The day the release was built (YYYY-MM-DD)."""
    url: str
    doi: str | None
    """The DOI minted for this release (Zenodo), once it exists."""
    license: str
    keywords: tuple[str, ...]
    abstract: str

    @property
    def year(self) -> str:
        return self.date_released[:4]

    @classmethod
    def from_entry(cls, version: str, entry: dict[str, Any]) -> Citation:
        """The citation from one release's `citation` object in the index."""
        return cls(
            version=version,
            authors=tuple(entry["authors"]),
            title=entry["title"],
            date_released=entry["date_released"],
            url=entry["url"],
            doi=entry.get("doi"),
            license=entry["license"],
            keywords=tuple(entry["keywords"]),
            abstract=entry["abstract"],
        )


def cite(version: str | None = None, format: CitationFormat = "text") -> str:
    """How to cite data release `version` (None: the embedded one) in `format`.

    "text" is one line to paste into a reference list, "bibtex" a BibTeX entry and "cff" a
    CITATION.cff document. All give authors, title, data version, year, URL and the DOI once
    one has been minted. Reads only files shipped in the package: never the network.
    """
    formatter = FORMATTERS.get(format)
    if formatter is None:
        raise UnknownFormatError(
            f"unknown citation format {format!r}; valid formats: {', '.join(FORMATTERS)}"
        )
    return formatter(release_citation(version or DATA_VERSION))


def release_citation(version: str) -> Citation:
    """The citation of a released version; VersionNotFoundError for any other."""
    find_release(read_index(), version)  # the error names the versions there are
    try:
        return Citation.from_entry(version, read_citations()[version])
    except (KeyError, TypeError) as error:
        raise CstoDatasetError(
            f"the package's citations.json has no complete citation for {version} ({error}); "
            "reinstall the package: pip install -U csto-dataset"
        ) from None


def read_citations() -> dict[str, Any]:
    """Every release's citation object, by version."""
    if CITATIONS_PATH is None:
        from importlib import resources

        data = resources.files("csto_dataset").joinpath("citations.json").read_bytes()
    else:
        data = CITATIONS_PATH.read_bytes()
    citations: dict[str, Any] = json.loads(data)["citations"]
    return citations


def text(citation: Citation) -> str:
    """One line: authors (year). title. Data release X.Y.Z. DOI link, or the URL without one."""
    link = f"https://doi.org/{citation.doi}" if citation.doi else citation.url
    authors = ", ".join(citation.authors)
    return f"{authors} ({citation.year}). {citation.title}. Data release {citation.version}. {link}"


def bibtex(citation: Citation) -> str:
    """A BibTeX @misc entry keyed csto_dataset_X_Y_Z."""
    key = "csto_dataset_" + citation.version.replace(".", "_")
    fields = [
        ("author", " and ".join(f"{{{_latex(a)}}}" for a in citation.authors)),
        ("title", f"{{{_latex(citation.title)}}}"),
        ("year", citation.year),
        ("version", citation.version),
        ("note", f"Data release {citation.version}"),
        ("url", citation.url),
    ]
    if citation.doi:
        fields.append(("doi", citation.doi))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{key},\n{body}}}\n"


def cff(citation: Citation) -> str:
    """A CITATION.cff document (Citation File Format 1.2.0)."""
    lines = [
        "cff-version: 1.2.0",
        f"message: {_quoted(CFF_MESSAGE)}",
        "type: dataset",
        f"title: {_quoted(citation.title)}",
        "authors:",
        *(f"  - name: {_quoted(author)}" for author in citation.authors),
        f"version: {_quoted(citation.version)}",
    ]
    if citation.doi:
        lines.append(f"doi: {_quoted(citation.doi)}")
    lines += [
        f"date-released: {_quoted(citation.date_released)}",
        f"license: {citation.license}",
        f"repository-code: {_quoted(citation.url)}",
        f"abstract: {_quoted(citation.abstract)}",
        "keywords:",
        *(f"  - {_quoted(keyword)}" for keyword in citation.keywords),
    ]
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[[Citation], str]] = {"text": text, "bibtex": bibtex, "cff": cff}


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string escapes are a subset of YAML's)."""
    return json.dumps(value, ensure_ascii=False)


_LATEX_SPECIAL = {c: "\\" + c for c in "&%$#_{}"} | {
    "~": r"\~{}",
    "^": r"\^{}",
    "\\": r"\textbackslash{}",
}


def _latex(value: str) -> str:
    return "".join(_LATEX_SPECIAL.get(c, c) for c in value)
