"""The one upload-saving policy: own names, numbered clashes, identical bytes reused, no paths or globs."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.imaging.zipsafe import safe_extract
from ui.uploads import save_uploads


@dataclass
class Fake:
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def test_uploads_keep_their_names_and_never_overwrite_another_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    first = save_uploads(
        [Fake("shoes.jpg", b"1"), Fake("../../shoes.jpg", b"2"), Fake("x*[1].csv", b"3")], folder
    )
    assert [p.name for p in first] == ["shoes.jpg", "shoes-2.jpg", "x__1_.csv"]
    assert all(p.parent == folder for p in first) and first[1].read_bytes() == b"2"
    again = save_uploads([Fake("shoes.jpg", b"2"), Fake("shoes.jpg", b"4"), Fake("..", b"5")], folder)
    assert [p.name for p in again] == ["shoes-2.jpg", "shoes-3.jpg", "upload"]  # same bytes: the same file
    assert first[0].read_bytes() == b"1" and sorted(p.name for p in folder.iterdir()) == [
        "shoes-2.jpg",
        "shoes-3.jpg",
        "shoes.jpg",
        "upload",
        "x__1_.csv",
    ]


def test_a_300_character_name_is_shortened_not_an_oserror(tmp_path: Path) -> None:
    long_csv = "events-" + "x" * 300 + ".csv.gz"
    other = "events-" + "x" * 300 + "-two.csv.gz"  # same beginning, another file
    accents = "é" * 300 + ".jpg"  # 600 bytes of UTF-8
    paths = save_uploads([Fake(long_csv, b"1"), Fake(other, b"2"), Fake(accents, b"3")], tmp_path / "up")
    assert [p.read_bytes() for p in paths] == [b"1", b"2", b"3"]
    assert all(len(p.name.encode()) <= 180 for p in paths) and len(set(paths)) == 3
    assert paths[0].name.startswith("events-xxx") and paths[0].name.endswith(".csv.gz")
    assert paths[2].name.endswith(".jpg") and paths[2].name.startswith("éé")
    assert save_uploads([Fake(long_csv, b"1")], tmp_path / "up") == paths[:1]  # same bytes: reused


def test_a_long_zip_member_name_is_shortened(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("/".join(["folder" + "y" * 90] * 4) + "/shoe.png", png)
    result = safe_extract(io.BytesIO(buf.getvalue()), tmp_path / "x")
    (path,) = sorted((tmp_path / "x").iterdir())
    assert path.suffix == ".png" and len(path.name.encode()) <= 180 and path.read_bytes() == png
    assert not result.refused
