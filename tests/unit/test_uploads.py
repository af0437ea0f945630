"""The one upload-saving policy: own names, numbered clashes, identical bytes reused, no paths or globs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
