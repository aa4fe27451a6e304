"""The build: reproducible, validated, immutable, and in step with the models."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import lay_out_sandbox
from cstobuild.generated import stale_files
from cstobuild.immutability import ImmutableReleaseError
from cstobuild.layout import Layout
from cstobuild.release import ReleaseError, build
from cstobuild.verify import VerificationError, verify_release

from csto_dataset import DATA_VERSION


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of the current records in a sandbox."""
    sandbox = lay_out_sandbox(tmp_path_factory.mktemp("built"))
    build(Layout(sandbox), None)
    return sandbox


def test_the_committed_release_is_what_the_records_build(built: Path, root: Path) -> None:
    fresh = files_of(built / "build" / "releases" / DATA_VERSION)
    assert fresh == files_of(root / "build" / "releases" / DATA_VERSION)


def test_building_twice_gives_byte_identical_files(built: Path) -> None:
    release = built / "build" / "releases" / DATA_VERSION
    before = files_of(release)
    shutil.rmtree(release)
    (built / "csto_dataset" / "releases.json").unlink()  # as if never released
    build(Layout(built), None)
    assert files_of(release) == before


def test_a_release_written_and_verified_in_small_chunks_holds_the_same_values(
    tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tables are written a chunk of rows at a time and verified a batch at a time; a table
    longer than a chunk (here every table of more than 50 rows) gives the same CSV bytes and
    the same Parquet values, in several row groups."""
    import pyarrow.parquet as pq
    from cstobuild import artifacts, verify

    monkeypatch.setattr(artifacts, "CHUNK_ROWS", 50)
    monkeypatch.setattr(verify, "BATCH_ROWS", 70)
    release = build(Layout(lay_out_sandbox(tmp_path)), None)
    committed = root / "build" / "releases" / DATA_VERSION
    for path in sorted(committed.glob("*.csv")):
        assert (release / path.name).read_bytes() == path.read_bytes(), path.name
    statements = pq.ParquetFile(release / "statements.parquet")
    assert statements.metadata.num_row_groups > 1
    for path in sorted(committed.glob("*.parquet")):
        assert pq.read_table(release / path.name).equals(pq.read_table(path)), path.name


def test_a_difference_past_the_first_batch_fails_verification(
    tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cstobuild import verify

    monkeypatch.setattr(verify, "BATCH_ROWS", 100)
    release = shutil.copytree(root / "build" / "releases" / DATA_VERSION, tmp_path / "r")
    lines = (release / "statements.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(n for n in range(400, len(lines)) if ",paraphrase," in lines[n])
    lines[row] = lines[row].replace(",paraphrase,", ",direct_quote,", 1)
    (release / "statements.csv").write_text("".join(lines), encoding="utf-8")
    assert verify._csv_matches_parquet(release, _resource(release, "statements")) == [
        "statements.csv and statements.parquet hold different values"
    ]


def _resource(release: Path, name: str) -> dict[str, object]:
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    resource: dict[str, object] = next(r for r in descriptor["resources"] if r["name"] == name)
    return resource


def test_the_package_embeds_the_newest_release(root: Path) -> None:
    assert files_of(root / "csto_dataset" / "data") == files_of(
        root / "build" / "releases" / DATA_VERSION
    )


def test_schemas_index_and_data_dictionary_are_up_to_date(root: Path) -> None:
    assert stale_files(Layout(root)) == []


def test_the_release_passes_frictionless_and_the_own_checks(root: Path) -> None:
    verify_release(root / "build" / "releases" / DATA_VERSION)


def test_a_flipped_parquet_byte_fails_verification(tmp_path: Path, root: Path) -> None:
    release = shutil.copytree(root / "build" / "releases" / DATA_VERSION, tmp_path / "r")
    target = release / "statements.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(VerificationError, match=r"statements\.parquet: sha256 [0-9a-f]{64}, the"):
        verify_release(release)


def test_a_csv_that_breaks_its_schema_fails_verification(tmp_path: Path, root: Path) -> None:
    release = shutil.copytree(root / "build" / "releases" / DATA_VERSION, tmp_path / "r")
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    states = release / "states.csv"
    states.write_text(
        states.read_text(encoding="utf-8").replace(",KZK,", ",kzk,"), encoding="utf-8"
    )
    data = states.read_bytes()
    for resource in descriptor["resources"]:
        if resource["name"] == "states":
            resource["bytes"] = len(data)
            resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    (release / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(VerificationError) as caught:
        verify_release(release)
    assert "frictionless: states" in str(caught.value)
    assert "states.csv and states.parquet hold different values" in str(caught.value)


def test_a_broken_foreign_key_fails_verification(tmp_path: Path, root: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    release = shutil.copytree(root / "build" / "releases" / DATA_VERSION, tmp_path / "r")
    target = release / "event_states.parquet"
    table = pq.read_table(target)
    states = table.column("state_id").to_pylist()
    states[0] = "XYZ"
    pq.write_table(table.set_column(1, "state_id", pa.array(states)), target)
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    data = target.read_bytes()
    for resource in descriptor["resources"]:
        if resource["name"] == "event_states":
            resource["parquet"]["bytes"] = len(data)
            resource["parquet"]["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    (release / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(VerificationError) as caught:
        verify_release(release)
    assert "event_states.parquet: state_id values not in states.id: ['XYZ']" in str(caught.value)


def test_a_released_version_cannot_be_rebuilt_with_other_data(built: Path) -> None:
    people = built / "build" / "records" / "people" / "rus.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("President of Russia", "President"),
        encoding="utf-8",
    )
    release = built / "build" / "releases" / DATA_VERSION
    before = files_of(release)
    with pytest.raises(ReleaseError, match=f"release {DATA_VERSION} already exists"):
        build(Layout(built), None)
    assert files_of(release) == before
    assert not list(release.parent.glob(".staging-*"))


def test_every_resource_declares_schema_keys_and_hashes(root: Path) -> None:
    descriptor = json.loads(
        (root / "build" / "releases" / DATA_VERSION / "datapackage.json").read_text(
            encoding="utf-8"
        )
    )
    assert descriptor["version"] == DATA_VERSION
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    for resource in descriptor["resources"]:
        assert resource["hash"].startswith("sha256:")
        assert resource["parquet"]["hash"].startswith("sha256:")
        assert resource["schema"]["primaryKey"]
    topics = next(r for r in descriptor["resources"] if r["name"] == "statement_topics")
    (topic,) = [f for f in topics["schema"]["fields"] if f["name"] == "topic"]
    assert "collective_defence" in topic["constraints"]["enum"]
    assert topic["categories"] == topic["constraints"]["enum"]
    assert topics["schema"]["foreignKeys"] == [
        {"fields": ["statement_id"], "reference": {"resource": "statements", "fields": ["id"]}}
    ]


def _as_written_by_another_pyarrow(release: Path) -> None:
    """Rewrite a release as pyarrow 25.0.1 writes it: the same data, the footer names 25.0.1.

    A recorded difference: built with pyarrow 25.0.1, each Parquet file differs from 26.0.1's
    in exactly this version string, and the descriptor in those files' sizes and hashes.
    """
    descriptor_path = release / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        path = release / resource["parquet"]["path"]
        data = path.read_bytes()
        written_by = re.search(rb"parquet-cpp-arrow version \d+\.\d+\.\d+", data)
        assert written_by is not None
        other = data.replace(written_by.group(), b"parquet-cpp-arrow version 25.0.1")
        assert other != data
        path.write_bytes(other)
        resource["parquet"]["hash"] = "sha256:" + hashlib.sha256(other).hexdigest()
    descriptor_path.write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")


def test_a_rebuild_under_another_pyarrow_passes_and_leaves_released_files(
    sandbox: Path, root: Path
) -> None:
    release = sandbox / "build" / "releases" / DATA_VERSION
    shutil.copytree(root / "build" / "releases" / DATA_VERSION, release)
    _as_written_by_another_pyarrow(release)
    before = files_of(release)
    build(Layout(sandbox), None)
    assert files_of(release) == before


def test_a_changed_released_file_fails_naming_the_file(sandbox: Path, root: Path) -> None:
    shutil.copytree(root / "build" / "releases", sandbox / "build" / "releases", dirs_exist_ok=True)
    shutil.copy(root / "csto_dataset" / "releases.json", sandbox / "csto_dataset")
    people = sandbox / "build" / "releases" / "0.1.0" / "people.csv"
    people.write_bytes(people.read_bytes().replace(b"Vladimir Putin", b"Vladimir Putin "))
    with pytest.raises(ImmutableReleaseError, match=r"0\.1\.0/people\.csv: changed since release"):
        build(Layout(sandbox), None)
    assert not (sandbox / "csto_dataset" / "data").exists()


def test_the_build_toolchain_is_locked_with_hashes(root: Path) -> None:
    lock = (root / "requirements" / "dev.lock").read_text(encoding="utf-8")
    for package in ("pyarrow", "frictionless", "pydantic", "pyyaml", "hatchling"):
        pinned = re.search(rf"^{package}==\S+ \\\n    --hash=sha256:[0-9a-f]{{64}}", lock, re.M)
        assert pinned, f"{package} is not pinned with a hash in requirements/dev.lock"
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/dev.lock" in ci
