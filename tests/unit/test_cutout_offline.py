"""rembg cuts out a demo image offline with the provisioned u2netp weights."""

import os

import numpy as np
import pytest
from PIL import Image

from core.provision import WEIGHTS_DIR, configure_rembg


def test_rembg_u2netp_cuts_out_demo_image_offline(demo_dir, monkeypatch):
    if not (WEIGHTS_DIR / "u2netp.onnx").exists():
        pytest.skip("model not provisioned (make setup does it)")
    configure_rembg()
    assert os.environ["U2NET_HOME"] == str(WEIGHTS_DIR)
    import pooch

    def no_download(*a, **k):
        raise AssertionError("rembg tried to download a model")

    monkeypatch.setattr(pooch, "retrieve", no_download)
    from rembg import new_session, remove

    session = new_session("u2netp")
    img = Image.open(demo_dir / "images" / "shoes.jpg")
    mask = np.asarray(remove(img, session=session, only_mask=True)) > 127
    truth = np.asarray(Image.open(demo_dir / "masks" / "shoes.png")) > 127
    iou = (mask & truth).sum() / (mask | truth).sum()
    assert iou > 0.9
