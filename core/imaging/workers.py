"""Where batch work runs: a local process pool sized to the cores, or an existing Dask cluster.

Either way each worker creates its rembg session once, before its first image (a pool initializer
locally, a worker setup callback on Dask), and the local workers share the cores instead of each
starting one onnxruntime/OpenCV thread per core.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import sys
import time
import types
from collections.abc import Iterator
from typing import Any

from core.errors import TrendStudioError


class ClusterError(TrendStudioError):
    """The Dask scheduler given with --dask cannot be reached."""


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def init_worker(threads: int | None) -> None:
    """Pool initializer: create this process's rembg session once, before the first image."""
    import numba

    if threads:  # share the cores between workers instead of every worker using all of them
        os.environ["OMP_NUM_THREADS"] = str(threads)  # rembg sizes onnxruntime's thread pools from it
        import cv2

        cv2.setNumThreads(threads)
        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    from core.imaging.masking import get_session

    get_session()  # configures rembg's model folder itself


def local_executor(workers: int | None, total: int) -> tuple[cf.Executor, int]:
    """An executor for `total` images and how many to keep in flight. One worker: a thread in this
    process (no start-up cost). More: a process pool, the cores shared evenly between the workers."""
    cores = default_workers()
    n = max(1, min(workers or cores, total))
    if n == 1:
        return cf.ThreadPoolExecutor(1, initializer=init_worker, initargs=(None,)), 2
    with _plain_main():
        pool = cf.ProcessPoolExecutor(
            max_workers=n, mp_context=_mp_context(), initializer=init_worker, initargs=(max(1, cores // n),)
        )
        cf.wait([pool.submit(_started) for _ in range(n)])  # every worker starts now, under a plain __main__
    return pool, 2 * n


def _started() -> None:
    time.sleep(0.05)  # busy long enough that each warm-up task gets a worker of its own


@contextlib.contextmanager
def _plain_main() -> Iterator[None]:
    """Streamlit runs each page as `__main__`; a worker process re-imports its parent's `__main__`, so it
    would run the whole page again in bare mode (slow, and a screenful of "missing ScriptRunContext"
    warnings). Workers are started while `__main__` is an empty module instead."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def _mp_context() -> multiprocessing.context.BaseContext:
    """Forkserver: workers fork from a clean single-threaded server that has imported the pipeline
    once (fast start, shared pages, safe in threaded parents such as Streamlit); spawn elsewhere."""
    import numba  # noqa: F401  (this process's threading layer is fixed now, from its own environment)

    # workers (one image at a time) run the edge decontamination's parallel loops on numba's own work
    # queue: with GNU OpenMP (numba's default here) the pool's processes abort ("fork() called from a
    # process already using GNU OpenMP")
    os.environ["NUMBA_THREADING_LAYER"] = "workqueue"
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["core.imaging.batch", "rembg"])
    return ctx


def dask_client(address: str, timeout: str = "10s") -> Any:
    """A Client for an existing cluster; every worker creates its rembg session once on joining."""
    from distributed import Client

    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(
            f"could not reach the Dask scheduler at {address} ({exc}); start one with "
            "`dask scheduler` and `dask worker ADDRESS`, or drop --dask to run locally"
        ) from exc
    client.register_worker_callbacks(setup=_dask_worker_setup)
    return client


def _dask_worker_setup() -> None:
    """Dask's counterpart of the pool initializer (a worker's thread count is the cluster's business)."""
    init_worker(None)
