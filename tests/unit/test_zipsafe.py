"""The ZIP guard: every attack is refused with its own reason and the good images still come out."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from core.imaging.zipsafe import ArchiveError, ZipLimits, safe_extract


def _png(size: int = 8, colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buf, "PNG")
    return buf.getvalue()


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 10)).save(buf, "JPEG")
    return buf.getvalue()


def _zip(tmp_path: Path, members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    path = tmp_path / "upload.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def _reasons(result) -> dict[str, str]:
    return {r.name: r.reason for r in result.refused}


def _extract(tmp_path: Path, members, limits: ZipLimits | None = None):
    dest = tmp_path / "out"
    return dest, safe_extract(_zip(tmp_path, members), dest, limits)


def test_good_images_extracted_flat_and_unique(tmp_path):
    dest, result = _extract(
        tmp_path,
        [
            ("a.png", _png()),
            ("shoes/a.png", _png()),
            ("b.JPG", _jpeg()),
            ("__MACOSX/._a.png", b"junk"),
            ("dir/", b""),
        ],
    )
    names = sorted(p.name for p in result.files)
    assert names == ["a.png", "b.JPG", "shoes-a.png"]
    assert result.refused == []
    assert sorted(p.name for p in dest.iterdir()) == names  # nothing partial left behind
    assert Image.open(dest / "shoes-a.png").size == (8, 8)


def test_zip_slip_is_refused_and_nothing_escapes(tmp_path):
    dest, result = _extract(
        tmp_path,
        [
            ("../../evil.png", _png()),
            ("ok/../../x.png", _png()),
            ("..\\win.png", _png()),
            ("good.png", _png()),
        ],
    )
    reasons = _reasons(result)
    assert set(reasons) == {"../../evil.png", "ok/../../x.png", "..\\win.png"}
    assert all("zip-slip" in r for r in reasons.values())
    assert [p.name for p in result.files] == ["good.png"]
    assert not (tmp_path / "evil.png").exists() and not (tmp_path / "x.png").exists()
    assert sorted(p.name for p in tmp_path.rglob("*.png")) == ["good.png"]


def test_absolute_paths_are_refused(tmp_path):
    _, result = _extract(
        tmp_path, [("/etc/evil.png", _png()), ("C:/temp/evil.png", _png()), ("fine.png", _png())]
    )
    reasons = _reasons(result)
    assert set(reasons) == {"/etc/evil.png", "C:/temp/evil.png"}
    assert all(r.startswith("absolute path") for r in reasons.values())
    assert [p.name for p in result.files] == ["fine.png"]


def test_nested_archives_refused_by_name_and_by_content(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("x.png", _png())
    _, result = _extract(
        tmp_path,
        [
            ("inner.zip", inner.getvalue()),
            ("disguised.png", inner.getvalue()),
            ("photos.tar.gz", b"\x1f\x8b\x08\x00rest"),
            ("ok.png", _png()),
        ],
    )
    reasons = _reasons(result)
    assert set(reasons) == {"inner.zip", "disguised.png", "photos.tar.gz"}
    assert all(r.startswith("nested archive") for r in reasons.values())
    assert [p.name for p in result.files] == ["ok.png"]


def test_non_images_refused_by_extension_and_by_content(tmp_path):
    dest, result = _extract(
        tmp_path,
        [
            ("notes.txt", b"hello"),
            ("specs.pdf", b"%PDF-1.7"),
            ("fake.jpg", b"this is not a jpeg at all"),
            ("real.jpg", _jpeg()),
        ],
    )
    reasons = _reasons(result)
    assert reasons["notes.txt"].startswith("not an image (.txt)")
    assert reasons["specs.pdf"].startswith("not an image (.pdf)")
    assert reasons["fake.jpg"].startswith("not an image: the content")
    assert [p.name for p in result.files] == ["real.jpg"]
    assert not (dest / "fake.jpg").exists() and not list(dest.glob("*.part"))


def test_total_uncompressed_cap_stops_a_zip_bomb(tmp_path):
    # a highly compressible "image": a PNG signature followed by megabytes of zeros
    bomb = b"\x89PNG\r\n\x1a\n" + bytes(3 * 1024 * 1024)
    limits = ZipLimits(max_total_bytes=4 * 1024 * 1024, max_member_bytes=4 * 1024 * 1024)
    archive = _zip(tmp_path, [("small.png", _png()), ("bomb1.png", bomb), ("bomb2.png", bomb)])
    assert archive.stat().st_size < 100_000  # it really is a bomb: tiny on disk
    result = safe_extract(archive, tmp_path / "out", limits)
    assert [p.name for p in result.files] == ["small.png", "bomb1.png"]
    (refused,) = result.refused
    assert refused.name == "bomb2.png" and "total uncompressed size cap" in refused.reason
    assert result.total_bytes <= limits.max_total_bytes


def test_member_whose_header_lies_about_its_size_is_refused_as_damaged(tmp_path):
    data = b"\x89PNG\r\n\x1a\n" + bytes(2 * 1024 * 1024)
    archive = _zip(tmp_path, [("liar.png", data)])
    raw = bytearray(archive.read_bytes())
    # patch the declared uncompressed size (local header and central directory) down to 100 bytes
    real = len(data).to_bytes(4, "little")
    assert raw.count(real) == 2
    raw = raw.replace(real, (100).to_bytes(4, "little"))
    archive.write_bytes(bytes(raw))
    limits = ZipLimits(max_total_bytes=10 * 1024 * 1024, max_member_bytes=1024 * 1024)
    result = safe_extract(archive, tmp_path / "out", limits)
    assert result.files == []
    (refused,) = result.refused
    assert refused.name == "liar.png"
    assert refused.reason.startswith("damaged member, could not be read (Bad CRC-32")
    assert not list((tmp_path / "out").iterdir())


def test_file_count_cap_reads_no_further_and_says_how_many_were_left(tmp_path):
    members = [(f"img{i}.png", _png()) for i in range(5)]
    _, result = _extract(tmp_path, [("notes.txt", b"x"), *members], ZipLimits(max_files=3))
    assert [p.name for p in result.files] == ["img0.png", "img1.png"]
    assert [r.name for r in result.refused] == ["notes.txt", "3 more files"]
    assert result.refused[1].reason.startswith("file-count cap reached: at most 3 files per archive")


def test_symlink_member_refused(tmp_path):
    link = zipfile.ZipInfo("link.png")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    _, result = _extract(tmp_path, [(link, b"/etc/passwd"), ("ok.png", _png())])
    assert _reasons(result) == {"link.png": "symbolic link refused: only regular image files are extracted"}
    assert [p.name for p in result.files] == ["ok.png"]


def test_not_a_zip_is_a_clear_error(tmp_path):
    bad = tmp_path / "photos.zip"
    bad.write_bytes(b"definitely not a zip")
    with pytest.raises(ArchiveError, match="not a readable ZIP"):
        safe_extract(bad, tmp_path / "out")
