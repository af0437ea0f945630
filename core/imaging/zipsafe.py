"""Extract the images from a user's ZIP without trusting anything the archive says.

A catalogue arrives as a ZIP; the archive may be hostile (zip-slip `../` names, absolute paths,
symlinks, archives inside the archive, a zip bomb whose headers lie about sizes) or just messy
(PDFs and spreadsheets next to the photos). Every member is either extracted under `dest` as a flat,
unique file name or refused with a reason a person understands; one bad member never stops the
rest. Sizes are counted while streaming, so a member that lies in its header is still capped.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from core.errors import TrendStudioError
from core.filenames import short_name

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff"})
ARCHIVE_SUFFIXES = frozenset({".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".zst", ".jar"})
# leading bytes of the image formats we accept (offset, signature)
_IMAGE_MAGIC: tuple[tuple[int, bytes], ...] = (
    (0, b"\xff\xd8\xff"),  # JPEG
    (0, b"\x89PNG\r\n\x1a\n"),
    (0, b"GIF87a"),
    (0, b"GIF89a"),
    (8, b"WEBP"),
    (0, b"BM"),
    (0, b"II*\x00"),  # TIFF little-endian
    (0, b"MM\x00*"),  # TIFF big-endian
)
_ARCHIVE_MAGIC: tuple[bytes, ...] = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",
    b"BZh",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",
)
_JUNK = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
_CHUNK = 1 << 16


class ArchiveError(TrendStudioError):
    """The upload is not a readable ZIP at all (as opposed to single bad members)."""


@dataclass(frozen=True)
class ZipLimits:
    """Caps that keep one upload from filling the disk or the queue."""

    max_files: int = 2000
    max_total_bytes: int = 2 * 1024**3
    max_member_bytes: int = 200 * 1024**2


@dataclass(frozen=True)
class Refused:
    """A member that was not extracted, and why (in words for the user)."""

    name: str
    reason: str


@dataclass
class Extraction:
    files: list[Path] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    total_bytes: int = 0


def _path_problem(name: str) -> str | None:
    """Why a member name is unsafe to place on disk, or None."""
    unified = name.replace("\\", "/")
    if unified.startswith("/") or re.match(r"^[A-Za-z]:", unified):
        return "absolute path refused: archive members must be relative"
    if ".." in PurePosixPath(unified).parts:
        return "path escapes the extraction folder ('..' in the name): refused as a zip-slip attack"
    if "\x00" in name:
        return "member name contains a NUL byte: refused"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _flat_name(name: str, taken: set[str]) -> str:
    """`shoes/red.jpg` -> `shoes-red.jpg`; numbered if that name is already used."""
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".")]
    flat = short_name("-".join(re.sub(r"[^\w.\- ]+", "_", p) for p in parts) or "image")
    stem, suffix = os.path.splitext(flat)
    candidate, n = flat, 2
    while candidate.lower() in taken:
        candidate = f"{stem}-{n}{suffix}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def _content_problem(head: bytes) -> str | None:
    if any(head.startswith(sig) for sig in _ARCHIVE_MAGIC):
        return "nested archive refused: extract it first and upload its images"
    if not any(head[off : off + len(sig)] == sig for off, sig in _IMAGE_MAGIC):
        return "not an image: the content is not JPEG, PNG, WebP, GIF, BMP or TIFF"
    return None


def _copy_capped(src: BinaryIO, dst: BinaryIO, cap: int) -> int | None:
    """Copy at most `cap` bytes; None if the member holds more (its header may lie)."""
    written = 0
    while block := src.read(_CHUNK):
        written += len(block)
        if written > cap:
            return None
        dst.write(block)
    return written


def safe_extract(archive: Path | BinaryIO, dest: Path, limits: ZipLimits | None = None) -> Extraction:
    """Extract the image members of `archive` into `dest` (flat names); refuse the rest with reasons.

    Raises ArchiveError only when the file is not a ZIP at all.
    """
    limits = limits or ZipLimits()
    dest.mkdir(parents=True, exist_ok=True)
    result = Extraction()
    taken = {p.name.lower() for p in dest.iterdir()}
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        label = getattr(archive, "name", archive)
        raise ArchiveError(f"{label} is not a readable ZIP archive ({exc}); upload a .zip of images") from exc
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir() and not _JUNK.search(i.filename)]
        for info in members[: limits.max_files]:
            reason = _member_problem(info) or _extract_one(zf, info, dest, taken, limits, result)
            if reason is not None:
                result.refused.append(Refused(info.filename, reason))
        if len(members) > limits.max_files:  # one line, not one per entry: the count itself may be the attack
            result.refused.append(
                Refused(
                    f"{len(members) - limits.max_files} more files",
                    f"file-count cap reached: at most {limits.max_files} files per archive were read; split the archive",
                )
            )
    return result


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Refusals decided from the member's name and header alone (before reading any bytes)."""
    reason = _path_problem(info.filename)
    if reason:
        return reason
    if _is_symlink(info):
        return "symbolic link refused: only regular image files are extracted"
    if info.flag_bits & 0x1:
        return "encrypted member refused: upload an unencrypted ZIP"
    suffix = PurePosixPath(info.filename.replace("\\", "/")).suffix.lower()
    if suffix in ARCHIVE_SUFFIXES:
        return "nested archive refused: extract it first and upload its images"
    if suffix not in IMAGE_SUFFIXES:
        return f"not an image ({suffix or 'no extension'}): only {', '.join(sorted(IMAGE_SUFFIXES))} are processed"
    return None


def _extract_one(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    dest: Path,
    taken: set[str],
    limits: ZipLimits,
    result: Extraction,
) -> str | None:
    """Stream one member to disk under both caps; return a refusal reason or None."""
    remaining = limits.max_total_bytes - result.total_bytes
    cap = min(limits.max_member_bytes, remaining)
    if info.file_size > cap:
        return _size_reason(limits, remaining, info.file_size)
    target = dest / _flat_name(info.filename, taken)
    part = target.with_name(target.name + ".part")
    try:
        with zf.open(info) as src, open(part, "wb") as out:
            head = src.read(32)
            problem = _content_problem(head)
            if problem:
                return problem
            out.write(head)
            written = _copy_capped(src, out, cap - len(head))
        if written is None:
            return _size_reason(limits, remaining, None)
        os.replace(part, target)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        return f"damaged member, could not be read ({exc})"
    finally:
        part.unlink(missing_ok=True)
    result.files.append(target)
    result.total_bytes += written + len(head)
    return None


def _size_reason(limits: ZipLimits, remaining: int, declared: int | None) -> str:
    if remaining < limits.max_member_bytes:
        return (
            f"total uncompressed size cap reached ({limits.max_total_bytes / 1024**2:.0f} MB per archive): "
            "possible zip bomb; split the archive"
        )
    size = f" ({declared / 1024**2:.0f} MB)" if declared is not None else ""
    return (
        f"member too large{size}: at most {limits.max_member_bytes / 1024**2:.0f} MB uncompressed per image"
    )
