"""The Predictor's server-path source reads only under the import root, never the data/sessions tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.predictor.errors import EventSchemaError
from core.predictor.events import connect, load_events
from core.predictor.server_path import ServerPathError, server_path_enabled, server_sources
from core.settings import Settings, load_settings

HEADER = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n"
ROW = "2019-10-01 00:00:00 UTC,purchase,1,2,apparel.shoes,b,9.99,7,s\n"


def _settings(tmp_path: Path, root: Path | None) -> Settings:
    base = load_settings(env={"TRENDSTUDIO_DATA": str(tmp_path / "data")})
    config = {**base.config, "settings": {"predictor": {"import_root": str(root) if root else ""}}}
    return base.model_copy(update={"config": config})


@pytest.fixture()
def tree(tmp_path: Path) -> dict[str, Path]:
    root = tmp_path / "imports"
    (root / "2019").mkdir(parents=True)
    (root / "2019" / "oct.csv").write_text(HEADER + ROW)
    other = tmp_path / "data" / "sessions" / "someone-else" / "uploads" / "events"
    other.mkdir(parents=True)
    (other / "theirs.csv").write_text(HEADER + ROW)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.csv").write_text("password,token\nhunter2,abc\n")
    return {"root": root, "other": other, "tmp": tmp_path}


def test_paths_under_the_root_are_read(tree, tmp_path: Path) -> None:
    settings = _settings(tmp_path, tree["root"])
    assert server_sources("2019/oct.csv", settings, team=True) == [tree["root"] / "2019" / "oct.csv"]
    assert server_sources(str(tree["root"] / "*" / "*.csv"), settings, team=True) == [
        tree["root"] / "2019" / "oct.csv"
    ]
    assert server_sources("2019", settings, team=True)  # a folder


@pytest.mark.parametrize(
    "typed",
    [
        "../data/sessions/*/uploads/events/*.csv",  # a glob escaping the root into other sessions
        "../data/sessions/someone-else/uploads/events/theirs.csv",
        "/etc/passwd",
        "2019/../../elsewhere/secret.csv",
        "../**/*.csv",
        "2019/**/../../../data/**/*.csv",
    ],
)
def test_anything_outside_the_root_is_refused(tree, tmp_path: Path, typed: str) -> None:
    with pytest.raises(ServerPathError, match="outside the import root|'..' is refused in a glob"):
        server_sources(typed, _settings(tmp_path, tree["root"]), team=True)


def test_a_symlink_out_of_the_root_is_refused(tree, tmp_path: Path) -> None:
    (tree["root"] / "link.csv").symlink_to(tree["other"] / "theirs.csv")
    (tree["root"] / "linkdir").symlink_to(tree["other"], target_is_directory=True)
    settings = _settings(tmp_path, tree["root"])
    for typed in ("link.csv", "linkdir", "linkdir/*.csv", "*.csv"):
        with pytest.raises(ServerPathError, match="outside the import root"):
            server_sources(typed, settings, team=True)


def test_the_data_tree_is_refused_even_inside_the_root(tree, tmp_path: Path) -> None:
    settings = _settings(tmp_path, tmp_path)  # a root that contains the data folder
    with pytest.raises(ServerPathError, match="data folder"):
        server_sources("data/sessions/*/uploads/events/*.csv", settings, team=True)
    with pytest.raises(ServerPathError, match="data folder"):
        server_sources(".", settings, team=True)  # a folder holding it: every file is checked


def test_without_a_root_a_team_server_has_no_server_path(tree, tmp_path: Path) -> None:
    settings = _settings(tmp_path, None)
    assert not server_path_enabled(settings, team=True) and server_path_enabled(settings, team=False)
    with pytest.raises(ServerPathError, match="off on this shared server"):
        server_sources(str(tree["root"] / "2019" / "oct.csv"), settings, team=True)
    # one person on their own machine: any path but the data folder
    assert server_sources(str(tree["root"] / "2019" / "oct.csv"), settings, team=False)
    with pytest.raises(ServerPathError, match="data folder"):
        server_sources(str(tree["other"] / "*.csv"), settings, team=False)


def test_a_missing_column_error_names_columns_not_contents(tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("password,token-hunter2\nhunter2,abc\n")
    with pytest.raises(EventSchemaError) as err:
        load_events(connect(), [secret])
    message = str(err.value)
    assert "missing columns event_time, event_type, category_code, price, user_id" in message
    assert "hunter2" not in message and "password" not in message and "2 column(s) found" in message


def test_a_root_that_is_not_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ServerPathError, match="not a folder"):
        server_sources("x.csv", _settings(tmp_path, tmp_path / "missing"), team=True)
    shutil.rmtree(tmp_path, ignore_errors=True)
