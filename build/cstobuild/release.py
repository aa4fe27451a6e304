"""Build a release in a staging folder, check it, and only then put it in place."""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import filecmp
import gc
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from cstobuild import artifacts, generated
from cstobuild.checks import check_curated, record_warnings
from cstobuild.columns import release_tables
from cstobuild.id_rules import released_ids
from cstobuild.immutability import check_against_index, content_differences
from cstobuild.layout import Layout
from cstobuild.problems import RecordsError, RecordWarning
from cstobuild.records import Curated, read_curated
from cstobuild.release_info import ReleaseInfo
from cstobuild.retired import check_reuse, ids_by_release
from cstobuild.rulebook import rule
from cstobuild.setting import Setting
from cstobuild.stages import UNMEASURED, Stages
from cstobuild.verify import verify_release

from csto_dataset._index import version_key
from csto_dataset.release_diff import Snapshot, compare

ARCHIVE_VARIABLE = "CSTO_SOURCE_ARCHIVE"


class ReleaseError(Exception):
    """The built release failed a check, or would change an immutable release."""


def archive_folder() -> Path | None:
    """The folder of archived source texts named by CSTO_SOURCE_ARCHIVE, if set."""
    value = os.environ.get(ARCHIVE_VARIABLE)
    if not value:
        return None
    folder = Path(value)
    if not folder.is_dir():
        raise ReleaseError(f"{ARCHIVE_VARIABLE}={value!r} is not a folder")
    return folder


def curate(layout: Layout, archive: Path | None, stages: Stages = UNMEASURED) -> Curated:
    """Read and check every record; raise RecordsError listing all problems.

    What only warrants a warning (see `record_warnings`) is issued as a `RecordWarning`.
    """
    curated, problems = read_curated(layout.records, stages)
    info = ReleaseInfo.read(layout.release_toml)
    setting = Setting(
        cutoff=dt.date.fromisoformat(info.cutoff),
        released_ids=released_ids(layout.releases),
        archive=archive,
    )
    with stages.stage("cross-record checks"):
        problems += check_curated(curated, setting)
        registry, registry_problems = layout.retired()
        problems += [p.under(rule("retired-ids")) for p in registry_problems]
        reused = check_reuse(curated, registry, ids_by_release(layout.releases))
        problems += [p.under(rule("retired-ids")) for p in reused]
    if problems:
        raise RecordsError(problems)
    for warning in record_warnings(curated, setting):
        warnings.warn(str(warning), RecordWarning, stacklevel=2)
    return curated


def render(curated: Curated, info: ReleaseInfo, folder: Path) -> None:
    """Write every file of the release into `folder`, one table at a time."""
    resources = []
    for table in release_tables():
        csv_file, parquet_file = artifacts.write_table(table, curated, folder)
        resources.append(artifacts.resource(table, csv_file, parquet_file))
    descriptor = artifacts.package_descriptor(info, resources, curated)
    (folder / "datapackage.json").write_bytes(artifacts.json_bytes(descriptor))


def build(layout: Layout, archive: Path | None, stages: Stages = UNMEASURED) -> Path:
    """Build, check and publish the release named in build/release.toml; return its folder."""
    info = ReleaseInfo.read(layout.release_toml)
    check_against_index(layout.releases, layout.package / "releases.json")
    curated = curate(layout, archive, stages)
    layout.releases.mkdir(parents=True, exist_ok=True)
    staging = _staging_folder(layout.releases, f".staging-{info.version}-")
    try:
        with stages.stage("writing"):
            render(curated, info, staging)
        # Every record is in the files now: free them before validating those. The records
        # and the values derived from them refer to each other (`Curated.computed`), so only a
        # collection frees them, and a full one may not come for a long while.
        del curated
        gc.collect()
        _give_back_memory()
        with stages.stage("release validation (frictionless and own checks)"):
            verify_release(staging)
        _give_back_memory()
        target = layout.releases / info.version
        with stages.stage("comparison with the releases"):
            if target.exists():
                _require_identical(target, staging, info.version)
                shutil.rmtree(staging)
            else:
                _require_version_rise(layout, staging, info.version)
                staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _give_back_memory()
    with stages.stage("embedding and generated files"):
        _embed_newest(layout)
        generated.write_all(layout)
    return target


def _give_back_memory() -> None:
    """Return to the system what the last stage freed: Arrow's allocator and the C library's
    keep freed memory for later use, and the next stage's peak would come on top of it."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # glibc only
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _require_identical(target: Path, staging: Path, version: str) -> None:
    changed = content_differences(target, staging)
    if changed:
        raise ReleaseError(
            f"release {version} already exists in {target} and is immutable, but the records "
            f"now give different files ({', '.join(changed)}). Raise `version` in "
            f"build/release.toml and describe the change in CHANGELOG.md."
        )


def _require_version_rise(layout: Layout, staging: Path, version: str) -> None:
    """The new version rises above the previous release by what the change needs."""
    key = version_key(version)
    if key is None:
        raise ReleaseError(f"version {version!r} in build/release.toml is not MAJOR.MINOR.PATCH")
    folders = [p for p in layout.releases.iterdir() if p.is_dir() and version_key(p.name)]
    earlier = [p for p in folders if (version_key(p.name) or ()) < key]
    if not earlier:
        return
    registry, _ = layout.retired()
    previous = Snapshot.read(max(earlier, key=lambda p: version_key(p.name) or ()))
    problem = compare(previous, Snapshot.read(staging), registry).version_problem(version)
    if problem is not None:
        raise ReleaseError(f"{problem}\nNothing was written.")


def _embed_newest(layout: Layout) -> None:
    """Copy the newest release into the package, swapping folders so no reader sees half."""
    newest = generated.newest_release(layout.releases)
    if layout.embedded.is_dir() and _same_files(layout.embedded, newest):
        return
    staging = _staging_folder(layout.package, ".data-")
    try:
        for path in sorted(newest.iterdir()):
            shutil.copyfile(path, staging / path.name)
        old = layout.package / ".data-old"
        if layout.embedded.exists():
            layout.embedded.rename(old)
        staging.rename(layout.embedded)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _staging_folder(parent: Path, prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    folder.chmod(0o755)  # mkdtemp makes it private; a release folder is for everyone to read
    return folder


def _same_files(one: Path, other: Path) -> bool:
    names = sorted(p.name for p in one.iterdir() if p.is_file())
    if names != sorted(p.name for p in other.iterdir() if p.is_file()):
        return False
    return all(filecmp.cmp(one / name, other / name, shallow=False) for name in names)
