"""Shared fixtures: isolated settings, demo data, the shared evaluation data, a real app server
and a headless Debian Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from core import PROJECT_ROOT
from core.demo import ensure_demo_data
from tests.support.shared import SHARED_DATA, free_port

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
_INTEGRATION_VARS = [
    "REDDIT_CLIENT_ID",
    "REDDIT_CLIENT_SECRET",
    "REDDIT_API_URL",
    "GROQ_API_KEY",
    "GROQ_BASE_URL",
    "GROQ_MODEL",
    "BFL_API_KEY",
    "BFL_API_URL",
]


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No test sees the developer's keys, and outputs go to a throwaway data folder."""
    saved = {k: os.environ.pop(k) for k in _INTEGRATION_VARS if k in os.environ}
    data = tmp_path_factory.mktemp("trendstudio-data")
    old_data = os.environ.get("TRENDSTUDIO_DATA")
    os.environ["TRENDSTUDIO_DATA"] = str(data)
    os.environ.setdefault("U2NET_HOME", str(PROJECT_ROOT / "weights"))
    yield data
    os.environ.update(saved)
    if old_data is None:
        os.environ.pop("TRENDSTUDIO_DATA", None)
    else:
        os.environ["TRENDSTUDIO_DATA"] = old_data


@pytest.fixture(autouse=True)
def _keep_main_module() -> Iterator[None]:
    """AppTest runs a page as `__main__` and leaves it there; a process pool started later (spawn or
    forkserver) would then re-run that page in every worker, in bare mode. Put the real one back."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return ensure_demo_data(PROJECT_ROOT / "data" / "demo")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present on this machine")
    return SHARED_DATA


@contextmanager
def launch_app(
    log_path: Path, *extra: str, port: int | None = None, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`streamlit run Home.py` on a free 127.0.0.1 port (plus `extra` options) until the block ends."""
    port = port or free_port()
    log = open(log_path, "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(PROJECT_ROOT / "Home.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *extra,
        ],
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env or os.environ.copy(),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    try:
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("streamlit did not start: " + log_path.read_text())
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def app_url(demo_dir: Path, _isolated_environment: Path) -> Iterator[str]:
    """The real app, started with `streamlit run` on a free port, as a user would reach it."""
    with launch_app(_isolated_environment / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is missing; `make test` installs it")
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, tmp_path: Path):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()
