"""AppTest: the Purchase Predictor page profiles, trains in the cutoff framing, states its verdict,
shows the share forecast and the horizon curve, explains and predicts at a cutoff."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT

PAGE = str(PROJECT_ROOT / "pages" / "2_Purchase_Predictor.py")


def _app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=240)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_profile_train_verdict_shares_horizon_and_predictions(demo_dir):
    at = _app().run()
    assert not at.exception
    assert any("synthetic demo events" in i.value for i in at.info)
    metrics = _metrics(at)
    assert metrics["Customers"] == "3,000" and int(metrics["Apparel purchases"].replace(",", "")) > 10_000
    assert any("largest category, shoes" in c.value for c in at.caption)
    at.number_input(key="pp_rounds").set_value(40)
    at.number_input(key="pp_lr").set_value(0.3)
    at.button(key="pp_train").click().run()
    assert not at.exception and not at.error
    assert at.success and "Trained and saved model" in " ".join(s.value for s in at.success)
    # the verdict, in words, before anything else on the page (the first screen) and again in the results
    model_id = at.selectbox[0].value.rsplit("/", 1)[-1]
    # the boxes escape Markdown (category names come from the events): compare the text a reader sees
    boxes = [
        b.value.replace("\\", "") for b in (*at.success, *at.info, *at.warning) if "best baseline" in b.value
    ]
    assert len(boxes) == 2 and model_id in boxes[0] and boxes[0] == boxes[1]
    ev_acc = float(_metrics(at)["Accuracy"])
    assert f"accuracy {ev_acc:.3f}" in boxes[0] and "95% interval" in boxes[0]
    assert "On this data the model is good for ranking who buys" in boxes[0]
    assert any("Cutoff framing" in c.value and "(T, T+14 days]" in c.value for c in at.caption)
    table = at.table[0].value
    assert {"shoes", "sock", "jeans"} <= set(table["category"]) and "F1 most browsed" in table.columns
    # the per-category table follows the headline's rule: "wins" only with the interval above 0
    for _, row in table.iterrows():
        lo, hi = (float(v) for v in row["95% interval"].strip("[]").split(","))
        assert row["verdict"] == ("wins" if lo > 0 else "loses" if hi < 0 else "level")
    metrics = _metrics(at)
    assert 0 < float(metrics["Share MAE, model"]) < 0.1 and 0 < float(metrics["Share MAE, naive"]) < 0.1
    assert float(metrics["Who-buys ROC-AUC"]) > 0.8 and float(metrics["Lift in the top 20%"]) > 2
    said = " ".join(m.value for m in at.markdown)
    assert "of customers by score hold" in said and "at random 20%" in said
    assert "Category shares follow" in said and "backtest share error" in said
    assert "How many buy what: the volume forecast" in [s.value for s in at.subheader]

    at.button(key="pp_horizon").click().run()
    assert not at.exception and not at.error
    curve = next(d.value for d in at.dataframe if "horizon_days" in d.value.columns)
    assert list(curve["horizon_days"]) == [3, 7, 14, 30]
    done = curve[curve["note"] == ""]
    assert len(done) >= 3 and (done["n_test"] > 100).all() and done["model"].between(0, 1).all()
    assert set(done["verdict"]) <= {"beats", "level", "worse"} and done["who-buys AUC"].between(0.5, 1).all()

    at.button(key="pp_predict").click().run()
    assert not at.exception
    assert _metrics(at)["Customers scored"] == "3,000"
    predictions = at.dataframe[-1].value
    assert list(predictions.columns) == [
        "user_id",
        "last_category",
        "predicted_category",
        "confidence",
        "top3",
        "p_buy",
    ]
    assert predictions["p_buy"].is_monotonic_decreasing
    at.date_input(key="pp_at").set_value(dt.date(2019, 11, 1)).run()
    at.button(key="pp_predict").click().run()
    metrics = _metrics(at)
    assert metrics["Cutoff"] == "2019-11-01" and 0 < int(metrics["Customers scored"].replace(",", "")) < 3000


def test_bad_server_paths_and_tiny_data_get_clear_messages(demo_dir, shared_data):
    at = _app().run()
    at.radio(key="pp_source").set_value("Server path").run()
    assert at.info  # asks for a path and stops
    at.text_input(key="pp_path").set_value("/nowhere/events-*.csv").run()
    assert not at.exception and "matches no" in at.error[0].value
    at.text_input(key="pp_path").set_value(str(shared_data / "rees46" / "2019-Oct-first1000.csv")).run()
    assert not at.exception and not at.error
    assert not any("synthetic demo events" in i.value for i in at.info)
    assert _metrics(at)["Apparel events"] == "27"
    at.button(key="pp_train").click().run()
    assert not at.exception
    assert "too little data to form any example" in at.error[0].value
