"""The batch runner on real images through the real pipeline: resume, atomic report, ZIPs, bounded
in-flight work, one bad file never stopping the others, and the Dask path on a LocalCluster."""

from __future__ import annotations

import concurrent.futures as cf
import csv
import os
import threading
import zipfile
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from PIL import Image

from core.imaging import batch, workers
from core.imaging.batch import plan_batch, run_batch
from core.imaging.batch_report import ReportWriter, read_report
from core.imaging.batch_types import BatchError
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.pipeline import PROCEDURAL, REPORT_FIELDS, write_report

OPTIONS = EnhanceOptions(preset="original")  # keeps the small test images small: fast


@pytest.fixture(scope="module")
def images(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three small product photos (downscaled demo images) and nothing else."""
    folder = tmp_path_factory.mktemp("inputs")
    for name in ("dress", "jeans", "shoes"):
        Image.open(demo_dir / "images" / f"{name}.jpg").resize((192, 192)).save(folder / f"{name}.jpg")
    return folder


def _report(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def _run(sources, out: Path, options: EnhanceOptions = OPTIONS, **kw):
    plan = plan_batch(sources, out, options=options, force=kw.pop("force", False))
    return run_batch(plan, options, workers=kw.pop("workers", 1), **kw)


def test_batch_writes_outputs_and_a_report_and_a_bad_file_fails_alone(images, tmp_path):
    corrupt = tmp_path / "broken.jpg"
    corrupt.write_bytes((images / "dress.jpg").read_bytes()[:300])  # truncated JPEG
    seen: list[tuple[str, int, int]] = []
    result = _run(
        [images, corrupt, tmp_path / "missing.png"],
        tmp_path / "out",
        progress=lambda row, i, n: seen.append((row["status"], i, n)),
    )
    rows = _report(result.report_path)
    assert list(rows[0]) == list(REPORT_FIELDS)
    by_file = {Path(r["file"]).name: r for r in rows}
    assert {k: v["status"] for k, v in by_file.items()} == {
        "missing.png": "failed",
        "dress.jpg": "done",
        "jeans.jpg": "done",
        "shoes.jpg": "done",
        "broken.jpg": "failed",
    }
    assert by_file["missing.png"]["error"] == "file not found"
    assert by_file["broken.jpg"]["error"]  # the pipeline's reason, not empty
    for name in ("dress", "jeans", "shoes"):
        out = tmp_path / "out" / by_file[f"{name}.jpg"]["output"]
        assert by_file[f"{name}.jpg"]["output"] == out.name and out.stem == name and out.stat().st_size > 0
        assert float(by_file[f"{name}.jpg"]["seconds"]) > 0
    # one progress call per processed image, counting up to the number of images to do
    assert [(i, n) for _, i, n in seen] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert (result.done, result.failed) == (3, 2)
    assert not (tmp_path / "out" / batch.STAGING_NAME).exists()


def test_rerun_skips_complete_outputs_redoes_missing_and_failed_and_force_redoes_all(images, tmp_path):
    out = tmp_path / "out"
    first = _run([images], out)
    assert first.done == 3
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}

    again = plan_batch([images], out)
    assert again.todo == [] and len(again.kept) == 3
    # a deleted output and a previously failed row are redone; complete ones are not touched
    (out / read_report(out / "report.csv")["jeans.jpg"]["output"]).unlink()
    rows = _report(out / "report.csv")
    rows[0]["status"], rows[0]["error"] = "failed", "simulated"
    write_report(rows, out / "report.csv")
    plan = plan_batch([images], out)
    assert sorted(Path(i.label).name for i in plan.todo) == ["dress.jpg", "jeans.jpg"]
    result = run_batch(plan, OPTIONS, workers=1)
    assert result.skipped == 1 and result.done == 3
    shoes_out = out / read_report(out / "report.csv")["shoes.jpg"]["output"]
    assert shoes_out.stat().st_mtime_ns == mtimes[shoes_out.name]

    forced = plan_batch([images], out, force=True)
    assert len(forced.todo) == 3 and forced.kept == []


def test_rerun_with_other_options_redoes_only_what_was_made_differently(images, tmp_path):
    out = tmp_path / "out"
    _run([images / "dress.jpg", images / "jeans.jpg"], out)
    square = EnhanceOptions(preset="instagram-square")
    assert len(plan_batch([images], out, options=OPTIONS).todo) == 1  # only shoes is new
    plan = plan_batch([images], out, options=square)
    assert len(plan.todo) == 3 and plan.kept == []  # made with another preset: redone
    _run([images / "jeans.jpg"], out, options=square)
    assert sorted(Path(i.label).name for i in plan_batch([images], out, options=square).todo) == [
        "dress.jpg",
        "shoes.jpg",
    ]
    # without options the plan resumes by files alone, as before
    assert len(plan_batch([images], out).kept) == 2


def test_interrupted_run_keeps_what_was_written_and_resume_finishes_it(images, tmp_path):
    out = tmp_path / "out"

    def stop_after_first(row, i, n):
        if i == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run([images], out, progress=stop_after_first)
    rows = _report(out / "report.csv")
    assert len(rows) >= 1 and all(r["status"] == "done" for r in rows)
    assert all((out / r["output"]).stat().st_size > 0 for r in rows)
    # no temporary or partial files were left behind
    assert not [p for p in out.rglob("*") if p.suffix in (".tmp", ".part") or p.name == batch.STAGING_NAME]
    plan = plan_batch([images], out)
    assert len(plan.kept) == len(rows) and len(plan.todo) == 3 - len(rows)
    assert run_batch(plan, OPTIONS, workers=1).done == 3


def test_report_merges_other_inputs_and_a_crash_while_writing_keeps_the_old_one(
    images, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    _run([images / "dress.jpg"], out)
    _run([images / "shoes.jpg"], out)
    before = (out / "report.csv").read_bytes()
    rows = _report(out / "report.csv")
    assert [Path(r["file"]).name for r in rows] == ["dress.jpg", "shoes.jpg"]  # describes the whole folder

    def crash(src, dst):
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk unplugged"):
        _run([images / "jeans.jpg"], out)
    monkeypatch.undo()
    assert (out / "report.csv").read_bytes() == before  # never half a report
    assert not [p for p in out.iterdir() if p.suffix in (".tmp", ".part")]  # no temp files left


def test_zip_members_are_processed_and_refusals_reported(images, tmp_path):
    archive = tmp_path / "catalogue.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(images / "dress.jpg", "tops/dress.jpg")
        zf.write(images / "jeans.jpg", "../../escape.jpg")
        zf.writestr("readme.txt", "hello")
    result = _run([archive], tmp_path / "out")
    rows = {r["file"]: r for r in _report(result.report_path)}
    assert rows["catalogue.zip/tops-dress.jpg"]["status"] == "done"  # named by the ZIP, not its server path
    assert "zip-slip" in rows["catalogue.zip/../../escape.jpg"]["error"]
    assert rows["catalogue.zip/readme.txt"]["error"].startswith("not an image")
    assert (result.done, result.failed) == (1, 2)
    assert not (tmp_path / "escape.jpg").exists()


def test_same_file_name_in_two_folders_gets_two_outputs(images, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    Image.open(images / "jeans.jpg").transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(other / "dress.jpg")
    result = _run([images / "dress.jpg", other / "dress.jpg"], tmp_path / "out")
    outputs = sorted(Path(r["output"]).stem for r in result.rows)
    assert outputs == ["dress", "dress-2"]
    assert [r["file"] for r in result.rows] == ["dress.jpg", "other/dress.jpg"]


def test_output_folder_must_differ_from_the_input_folder_but_may_live_inside_it(images, tmp_path):
    with pytest.raises(BatchError, match="separate output folder"):
        plan_batch([images], images)
    with pytest.raises(BatchError, match="separate output folder"):
        plan_batch([images / "dress.jpg"], images)
    folder = tmp_path / "shoot"
    (folder / "enhanced").mkdir(parents=True)
    (folder / ".cache").mkdir()
    for sub in ("", "enhanced/", ".cache/"):
        (folder / f"{sub}a.jpg").write_bytes((images / "dress.jpg").read_bytes())
    (folder / "notes.txt").write_text("not a photo")
    plan = plan_batch([folder], folder / "enhanced")  # earlier outputs, hidden folders, non-images: skipped
    assert [i.label for i in plan.todo] == ["a.jpg"]  # relative to the folder given


class _CountingExecutor(cf.Executor):
    """Wraps a thread pool and records the most futures ever outstanding at once."""

    def __init__(self) -> None:
        self._pool = cf.ThreadPoolExecutor(2)
        self._lock = threading.Lock()
        self.outstanding = self.peak = self.submitted = 0

    def submit(self, fn, *args, **kwargs):
        with self._lock:
            self.outstanding += 1
            self.submitted += 1
            self.peak = max(self.peak, self.outstanding)
        fut = self._pool.submit(fn, *args, **kwargs)
        fut.add_done_callback(self._done)
        return fut

    def _done(self, _fut) -> None:
        with self._lock:
            self.outstanding -= 1

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def test_work_is_streamed_with_a_bounded_number_in_flight(images, tmp_path):
    sources = []
    for i in range(5):
        path = tmp_path / "in" / f"p{i}.jpg"
        path.parent.mkdir(exist_ok=True)
        Image.open(images / "shoes.jpg").resize((96, 96)).rotate(i * 10).save(path)
        sources.append(path)
    plan = plan_batch(sources, tmp_path / "out")
    executor = _CountingExecutor()
    job = batch._Job(plan, OPTIONS, None, None, ReportWriter(plan, "test"), None)
    job.stream(executor, slots=2)
    executor.shutdown()
    assert executor.submitted == 5 and executor.peak <= 2
    assert job.finished == 5


def _session_fingerprint() -> tuple[int, int, str | None]:
    import time

    from core.imaging.masking import get_session

    time.sleep(0.3)  # long enough for both workers to take tasks
    return os.getpid(), id(get_session()), os.environ.get("OMP_NUM_THREADS")


def test_process_pool_workers_create_their_session_once_and_share_the_cores(images, tmp_path):
    pool, slots = workers.local_executor(2, 10)
    try:
        prints = [f.result() for f in [pool.submit(_session_fingerprint) for _ in range(6)]]
    finally:
        pool.shutdown()
    assert slots == 4
    pids = {pid for pid, *_ in prints}
    assert len(pids) == 2 and os.getpid() not in pids
    for pid in pids:  # one session per worker process, reused for every task
        assert len({sid for p, sid, _ in prints if p == pid}) == 1
    assert {threads for *_, threads in prints} == {str(max(1, workers.default_workers() // 2))}
    result = run_batch(plan_batch([images], tmp_path / "out"), OPTIONS, workers=2)
    assert (result.done, result.failed) == (3, 0)


def test_dask_localcluster_runs_the_same_batch(images, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        result = run_batch(
            plan_batch([images], tmp_path / "out"), OPTIONS, dask_address=cluster.scheduler_address
        )
    assert result.done == 3 and result.failed == 0
    outputs = [tmp_path / "out" / r["output"] for r in result.rows]
    assert sorted(p.stem for p in outputs) == ["dress", "jeans", "shoes"] and all(
        p.is_file() for p in outputs
    )


def test_unreachable_dask_scheduler_is_a_clear_error():
    with pytest.raises(workers.ClusterError, match="could not reach the Dask scheduler at tcp://127.0.0.1:9"):
        workers.dask_client("tcp://127.0.0.1:9", timeout="1s")


class _CrashingExecutor(cf.ThreadPoolExecutor):
    """Runs tasks in a thread, except that the task for `victim` ends as if its worker process died."""

    def __init__(self, victim: str) -> None:
        super().__init__(1)
        self.victim = victim

    def submit(self, fn, item, *args, **kwargs):
        if item.label == self.victim:
            fut: cf.Future = cf.Future()
            fut.set_exception(BrokenProcessPool("a child process terminated abruptly"))
            return fut
        return super().submit(fn, item, *args, **kwargs)


def test_a_dead_worker_fails_only_its_image_and_a_fresh_pool_does_the_rest(images, tmp_path):
    plan = plan_batch([images], tmp_path / "out")
    victim = plan.todo[0].label
    pools = [_CrashingExecutor(victim)]

    def rebuild():
        pools.append(cf.ThreadPoolExecutor(1))
        return pools[-1], 1

    report = ReportWriter(plan, "test")
    job = batch._Job(plan, OPTIONS, None, PROCEDURAL, report, None)
    job.stream(pools[0], slots=1, rebuild=rebuild)
    report.flush()
    rows = {Path(r["file"]).name: r for r in _report(tmp_path / "out" / "report.csv")}
    assert len(pools) == 2  # the broken pool was replaced once
    assert rows[Path(victim).name]["status"] == "failed"
    assert "worker process died" in rows[Path(victim).name]["error"]
    assert sorted(n for n, r in rows.items() if r["status"] == "done") == sorted(
        Path(i.label).name for i in plan.todo[1:]
    )


def test_settings_key_follows_a_background_generators_signature() -> None:
    """A FLUX-style generator exposes `signature` as a property: a new prompt must redo the outputs."""
    from core.imaging.batch import settings_key

    class Generator:
        def __init__(self, prompt: str) -> None:
            self.prompt = prompt

        @property
        def signature(self) -> str:
            return self.prompt

        def __call__(self, layer, scene):
            return layer

    options = EnhanceOptions()
    assert settings_key(options, None, Generator("linen at dawn")) != settings_key(
        options, None, Generator("marble")
    )
    assert settings_key(options, None, Generator("marble")) == settings_key(
        options, None, Generator("marble")
    )
