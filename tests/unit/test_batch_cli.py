"""`python -m core enhance` as a batch: folders, ZIPs, resume, --force, exit status, --dask."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from core.cli import main


@pytest.fixture()
def catalogue(demo_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("dress", "shoes"):
        Image.open(demo_dir / "images" / f"{name}.jpg").resize((160, 160)).save(folder / f"{name}.jpg")
    (folder / "broken.jpg").write_bytes((folder / "dress.jpg").read_bytes()[:400])
    archive = tmp_path / "more.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(folder / "shoes.jpg", "sale/shoes.jpg")
        zf.writestr("/etc/evil.jpg", "x")
    return folder, archive


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "report.csv", newline="") as fh:
        return {r["file"]: r for r in csv.DictReader(fh)}


def test_enhance_batch_resume_and_force(catalogue, tmp_path, capsys):
    folder, archive = catalogue
    out = tmp_path / "out"
    args = ["enhance", str(folder), str(archive), "--out", str(out), "--preset", "original", "--workers", "1"]
    assert main(args) == 1  # two inputs failed, the others were still made
    rows = _rows(out)
    assert {Path(k).name: r["status"] for k, r in rows.items()} == {
        "evil.jpg": "failed",
        "broken.jpg": "failed",
        "dress.jpg": "done",
        "shoes.jpg": "done",
        "sale-shoes.jpg": "done",
    }
    assert rows[f"{archive.name}//etc/evil.jpg"]["error"].startswith("absolute path refused")
    assert sorted(p.name for p in out.glob("*.png")) == ["dress.png", "sale-shoes.png", "shoes.png"]
    captured = capsys.readouterr()
    assert "[4/4]" in captured.out + captured.err and "3 done, 2 failed" in captured.out

    stamp = (out / "dress.png").stat().st_mtime_ns
    assert main(args) == 1
    assert "skipping 3 already made with these settings" in capsys.readouterr().out
    assert (out / "dress.png").stat().st_mtime_ns == stamp

    (folder / "broken.jpg").unlink()
    assert main([*args, "--force", "--workers", "2"]) == 1  # the ZIP's refused member still fails
    assert (out / "dress.png").stat().st_mtime_ns > stamp
    assert "[3/3]" in capsys.readouterr().out


def test_enhance_rejects_zero_workers_and_output_inside_input(catalogue, capsys):
    folder, _ = catalogue
    with pytest.raises(SystemExit) as exc:
        main(["enhance", str(folder), "--out", str(folder.parent / "o"), "--workers", "0"])
    assert exc.value.code == 2 and "at least 1" in capsys.readouterr().err
    assert main(["enhance", str(folder), "--out", str(folder)]) == 1
    assert "separate output folder" in capsys.readouterr().err


def test_enhance_on_a_dask_localcluster(catalogue, tmp_path):
    distributed = pytest.importorskip("distributed")
    folder, _ = catalogue
    (folder / "broken.jpg").unlink()
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        code = main(
            [
                "enhance",
                str(folder),
                "--out",
                str(tmp_path / "out"),
                "--preset",
                "instagram-square",
                "--dask",
                cluster.scheduler_address,
            ]
        )
    assert code == 0
    outputs = sorted((tmp_path / "out").glob("*.jpg"))
    assert [p.name for p in outputs] == ["dress.jpg", "shoes.jpg"]
    assert all(Image.open(p).size == (1080, 1080) for p in outputs)


def test_enhance_says_when_the_preset_replaces_the_style(catalogue, tmp_path, capsys):
    folder, _ = catalogue
    (folder / "broken.jpg").unlink()
    out = tmp_path / "amazon"
    assert (
        main(
            [
                "enhance",
                str(folder / "dress.jpg"),
                "--out",
                str(out),
                "--style",
                "marble",
                "--preset",
                "amazon",
                "--workers",
                "1",
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "pure white" in err and "replaced" in err  # told before the work, not only in report.csv
    assert _rows(out)["dress.jpg"]["background"] == "white"  # the report names what was produced

    assert (
        main(
            [
                "enhance",
                str(folder / "dress.jpg"),
                "--out",
                str(tmp_path / "web"),
                "--style",
                "marble",
                "--preset",
                "web",
                "--workers",
                "1",
            ]
        )
        == 0
    )
    assert "pure white" not in capsys.readouterr().err
    assert _rows(tmp_path / "web")["dress.jpg"]["background"] == "marble"
