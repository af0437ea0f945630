"""Many users at once: N browser sessions each open the Enhancement Studio and enhance an uploaded photo
while one more session trains a purchase model; every action is timed and compared with one user alone.

    .venv/bin/python -m benchmarks.load               # 8 users + 1 trainer (needs Debian chromium)
    .venv/bin/python -m benchmarks.load --users 3     # a quicker check

Prints JSON: p50/p95 seconds per action alone and under load (and their ratio), whether every session
succeeded, the peak memory (RSS) of the app server, and how many cores the server kept busy under load
and how long its threads sat runnable waiting for a CPU (large: the slowdown is contention for the
cores, shared here with the browsers and anything else running, not one session blocking the others). Starts its own app on a free 127.0.0.1 port
with a throwaway data folder; all traffic stays on this machine. The figures depend on what else runs:
on a shared machine, compare the ratio measured in the same run rather than absolute seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil
from playwright.async_api import Page, async_playwright, expect

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ["dress.jpg", "jacket.jpg", "jeans.jpg", "shoes.jpg", "skirt.jpg", "tshirt.jpg"]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 300_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_app(data: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "TRENDSTUDIO_DATA": str(data), "U2NET_HOME": str(ROOT / "weights")}
    for key in ("BFL_API_KEY", "GROQ_API_KEY", "REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET"):
        env.pop(key, None)  # offline: nothing paid, nothing external
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "Home.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(data / "streamlit.log", "w"),  # noqa: SIM115 (the server outlives this function)
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the app did not start: " + (data / "streamlit.log").read_text())


class _PeakRSS:
    """Samples the server's resident memory (with any child processes) every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.proc = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                pass
            self._stop.wait(0.2)

    def __enter__(self) -> _PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _runqueue_wait_s(pid: int) -> float:
    """Seconds the server's threads spent runnable but waiting for a CPU (Linux schedstat; 0 elsewhere)."""
    total = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(stat.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e9


async def _idle(page: Page) -> None:
    await page.wait_for_timeout(300)
    await expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=TIMEOUT_MS)


async def _enhancer(browser, url: str, photo: Path, times: dict[str, list[float]]) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    step = "open the Studio"
    try:
        t0 = time.perf_counter()
        await page.goto(f"{url}/Enhancement_Studio")
        await expect(page.get_by_text("Quality report")).to_be_visible(timeout=TIMEOUT_MS)
        await _idle(page)
        times["open studio (demo photo enhanced)"].append(time.perf_counter() - t0)

        step = "choose Upload"
        await page.get_by_text("Upload", exact=True).first.click()
        await _idle(page)
        step = "upload the photo"
        t0 = time.perf_counter()
        async with page.expect_file_chooser() as chooser:
            await (
                page.get_by_role("region", name="Product photo")
                .get_by_role("button", name="Upload", exact=True)
                .click()
            )
        await (await chooser.value).set_files(str(photo))
        step = "enhance it"  # the new photo's own caption: this run, not the demo photo's result, is showing
        await expect(page.get_by_text(f"Before · {photo.name}")).to_be_visible(timeout=TIMEOUT_MS)
        await _idle(page)
        await expect(page.get_by_text("Quality report")).to_be_visible(timeout=TIMEOUT_MS)
        if await page.locator('[data-testid="stException"]').count():
            raise RuntimeError("the page showed an exception")
        times["upload + enhance a photo"].append(time.perf_counter() - t0)
    except Exception as exc:
        shot = Path(tempfile.gettempdir()) / f"trendstudio-load-{photo.stem}-{id(page)}.png"
        await page.screenshot(path=str(shot))
        raise RuntimeError(f"{photo.name}: {step} failed ({type(exc).__name__}); screenshot {shot}") from exc
    finally:
        await context.close()


async def _trainer(browser, url: str, times: dict[str, list[float]]) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        await page.goto(f"{url}/Purchase_Predictor")
        await expect(page.get_by_text("Apparel purchases", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
        await _idle(page)
        t0 = time.perf_counter()
        await page.get_by_role("button", name="Train model").click()
        await expect(page.get_by_text("Trained and saved model")).to_be_visible(timeout=TIMEOUT_MS)
        await _idle(page)
        times["train a model"].append(time.perf_counter() - t0)
    finally:
        await context.close()


async def _round(
    url: str, users: int, train: bool, uploads: Path, *, one_at_a_time: bool = False
) -> tuple[dict[str, list[float]], list[str]]:
    times: dict[str, list[float]] = {
        "open studio (demo photo enhanced)": [],
        "upload + enhance a photo": [],
        "train a model": [],
    }
    uploads.mkdir(exist_ok=True)
    photos = []
    for i in range(users):  # a name of its own, so the page's caption tells the upload's result apart
        name = PHOTOS[i % len(PHOTOS)]
        photos.append(uploads / f"upload-{i}-{name}")
        photos[-1].write_bytes((ROOT / "data" / "demo" / "images" / name).read_bytes())
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        jobs = [_enhancer(browser, url, p, times) for p in photos] + (
            [_trainer(browser, url, times)] if train else []
        )
        if one_at_a_time:
            results = [await asyncio.gather(job, return_exceptions=True) for job in jobs]
            results = [r[0] for r in results]
        else:
            results = await asyncio.gather(*jobs, return_exceptions=True)
        await browser.close()
    errors = [
        f"{type(r).__name__}: {str(r).splitlines()[0]}" for r in results if isinstance(r, BaseException)
    ]
    return times, errors


def _stats(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(values), "p50_s": round(statistics.median(values), 2), "p95_s": round(p95, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8, help="concurrent enhancing sessions (default 8)")
    args = parser.parse_args()
    if not (ROOT / "data" / "demo" / "images" / PHOTOS[0]).is_file():
        raise SystemExit(
            "demo photos missing: run `python -m core demo-data --out data/demo` (or make run) first"
        )
    with tempfile.TemporaryDirectory(prefix="trendstudio-load-") as tmp:
        proc, url = _start_app(Path(tmp))
        try:
            server = psutil.Process(proc.pid)
            with _PeakRSS(proc.pid) as alone_mem:
                alone, alone_errors = asyncio.run(
                    _round(url, 1, True, Path(tmp) / "uploads", one_at_a_time=True)
                )
            cpu0, wait0 = sum(server.cpu_times()[:2]), _runqueue_wait_s(proc.pid)
            with _PeakRSS(proc.pid) as load_mem:
                t0 = time.perf_counter()
                loaded, errors = asyncio.run(_round(url, args.users, True, Path(tmp) / "uploads"))
                wall = time.perf_counter() - t0
            server_cpu = sum(server.cpu_times()[:2]) - cpu0
            server_wait = _runqueue_wait_s(proc.pid) - wait0
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    actions = {}
    for action in alone:
        a, b = _stats(alone[action]), _stats(loaded[action])
        ratio = round(b["p50_s"] / a["p50_s"], 2) if a.get("p50_s") and b.get("p50_s") else None
        actions[action] = {"alone": a, "under_load": b, "p50_ratio": ratio}
    expected = args.users * 2 + 1
    done = sum(len(v) for v in loaded.values())
    print(
        json.dumps(
            {
                "users": args.users,
                "plus_one_training": True,
                "cpus": os.cpu_count(),
                "all_succeeded": not errors and not alone_errors and done == expected,
                "actions_done": done,
                "actions_expected": expected,
                "errors": errors + alone_errors,
                "wall_s_under_load": round(wall, 1),
                "server_cpu_s_under_load": round(server_cpu, 1),
                "server_cores_busy_under_load": round(server_cpu / wall, 2),
                "server_threads_waiting_for_a_cpu_s": round(server_wait, 1),
                "machine_load_average_1m": round(os.getloadavg()[0], 1),
                "actions": actions,
                "peak_rss_mb": {
                    "one_user": round(alone_mem.peak / 2**20),
                    "under_load": round(load_mem.peak / 2**20),
                },
                "note": "shared machine: absolute seconds are noisy; compare the ratios measured in this run",
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
