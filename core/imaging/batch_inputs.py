"""Batch inputs: expand folders, files and ZIPs (through the ZIP guard) into labelled files, and
what counts as a complete earlier output."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from core.imaging.batch_types import BatchPlan, Row, failed_row
from core.imaging.zipsafe import IMAGE_SUFFIXES, ArchiveError, ZipLimits, safe_extract


def expand_sources(
    sources: Sequence[Path], out_dir: Path, staging: Path, plan: BatchPlan, limits: ZipLimits
) -> Iterable[tuple[str, Path]]:
    """(label, file) for every image under `sources`; missing files and refused ZIP members become
    rows of `plan.refused` (the output folder and hidden files are never inputs)."""
    out = out_dir.resolve()
    for src in map(Path, sources):
        if src.is_dir():
            for path in sorted(p for p in src.rglob("*") if p.is_file()):
                rel = path.relative_to(src)
                if out in path.resolve().parents or any(part.startswith(".") for part in rel.parts):
                    continue
                if path.suffix.lower() == ".zip":
                    yield from _unzip(path, staging, plan, limits, rel.as_posix())
                elif path.suffix.lower() in IMAGE_SUFFIXES:
                    yield rel.as_posix(), path
        elif not src.exists():
            plan.refused.append(failed_row(src.name, "file not found"))
        elif src.suffix.lower() == ".zip":
            yield from _unzip(src, staging, plan, limits, src.name)
        else:  # an explicit file is always tried: a non-image fails with the decoder's reason
            yield src.name, src


def _unzip(
    archive: Path, staging: Path, plan: BatchPlan, limits: ZipLimits, label: str
) -> Iterable[tuple[str, Path]]:
    dest = staging / label.replace("/", "-").removesuffix(".zip")
    if dest.exists():
        shutil.rmtree(dest)
    try:
        extracted = safe_extract(archive, dest, limits)
    except ArchiveError as exc:
        plan.refused.append(failed_row(label, str(exc)))
        return
    for refused in extracted.refused:
        plan.refused.append(failed_row(f"{label}/{refused.name}", refused.reason))
    for path in extracted.files:
        yield f"{label}/{path.name}", path


def unique_stem(path: Path, stems: set[str], staging: Path) -> Path:
    """Outputs are named by input stem: give a second `a.jpg` from another folder its own name."""
    stem, n = path.stem, 2
    while stem.lower() in stems:
        stem = f"{path.stem}-{n}"
        n += 1
    stems.add(stem.lower())
    if stem == path.stem:
        return path
    alias = staging / "aliases" / f"{stem}{path.suffix}"
    alias.parent.mkdir(parents=True, exist_ok=True)
    alias.unlink(missing_ok=True)
    alias.symlink_to(path.resolve())
    return alias


def is_complete(row: Row, out_dir: Path) -> bool:
    """Whether an earlier row's output is on disk and non-empty (a rerun may skip it)."""
    output = out_dir / (row.get("output") or "")
    return (
        row.get("status") == "done"
        and bool(row.get("output"))
        and output.is_file()
        and output.stat().st_size > 0
    )
