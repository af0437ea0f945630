"""AppTest: the Purchase Predictor page profiles, trains, evaluates, explains and predicts."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT

PAGE = str(PROJECT_ROOT / "pages" / "2_Purchase_Predictor.py")


def _app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=180)


def test_profile_train_results_and_predictions(demo_dir):
    at = _app().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Customers"] == "3,000" and int(metrics["Apparel purchases"].replace(",", "")) > 10_000
    assert any("largest category, shoes" in c.value for c in at.caption)
    at.number_input(key="pp_rounds").set_value(40)
    at.number_input(key="pp_lr").set_value(0.3)
    at.button(key="pp_train").click().run()
    assert not at.exception and not at.error
    assert at.success and "Trained and saved model" in at.success[0].value
    assert "Per-category accuracy" in [s.value for s in at.subheader]
    table = at.table[0].value
    assert {"shoes", "sock", "jeans"} <= set(table["category"])
    assert (table["F1"] > table["F1 markov"]).mean() > 0.8
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Macro-F1"]) > 0.7
    at.button(key="pp_predict").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Customers scored"] == "3,000"
    predictions = at.dataframe[-1].value
    assert list(predictions.columns) == ["user_id", "last_category", "predicted_category", "confidence", "top3"]


def test_bad_server_paths_and_tiny_data_get_clear_messages(demo_dir, shared_data):
    at = _app().run()
    at.radio(key="pp_source").set_value("Server path").run()
    assert at.info  # asks for a path and stops
    at.text_input(key="pp_path").set_value("/nowhere/events-*.csv").run()
    assert not at.exception and "matches no" in at.error[0].value
    at.text_input(key="pp_path").set_value(str(shared_data / "rees46" / "2019-Oct-first1000.csv")).run()
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}["Apparel events"] == "27"
    at.button(key="pp_train").click().run()
    assert not at.exception
    assert "too little data to train" in at.error[0].value
