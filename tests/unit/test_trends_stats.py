"""Momentum, significance, onset and scene derivation on hand-made numbers."""

import numpy as np

from core.trends import stats
from core.trends.report import DEFAULT_SCENE, ColorTrend, Meta, TermTrend, TrendReport
from core.trends.scene import derive_scene


def test_recent_split_uses_the_configured_fraction_with_a_floor():
    assert stats.recent_split(26, 0.3, 2) == 18  # last 8 weeks are recent
    assert stats.recent_split(4, 0.3, 2) == 2
    assert stats.recent_split(1, 0.3, 2) == 0  # nothing to compare


def test_momentum_p_value_and_onset_on_a_step_change():
    totals = np.full(20, 100.0)
    rising = np.array([2.0] * 12 + [12.0] * 8)
    flat = np.full(20, 5.0)
    term = np.vstack([rising, flat])
    split = stats.recent_split(20, 0.3, 2)
    assert split == 14
    mom = stats.momentum(term, totals, split, prior=0.0)
    early = (2 * 12 + 12 * 2) / 1400  # weeks 12-13 already stepped up
    assert np.isclose(mom[0], 0.12 / early - 1) and np.isclose(mom[1], 0.0)
    p = stats.rising_p_value(term, totals, split)
    assert p[0] < 1e-10 and 0.4 < p[1] < 0.6
    assert stats.onset_week(rising, totals) == 12
    assert stats.onset_week(np.array([3.0]), np.array([100.0])) == 0


def test_scene_prefers_rising_colours_and_falls_back_to_defaults():
    report = TrendReport(
        meta=Meta(posts=10, analyzer="offline"),
        colors=[
            ColorTrend(name="black", hex="#111111", share=0.4, momentum=0.0, posts=40),
            ColorTrend(name="butter yellow", hex="#f6e08a", share=0.3, momentum=2.0, posts=30),
            ColorTrend(name="navy", hex="#1d2a44", share=0.3, momentum=-0.5, posts=30),
        ],
        materials=[TermTrend(name="suede", share=1.0, momentum=1.0, posts=12)],
        styles=[TermTrend(name="minimalist", share=1.0, momentum=0.0, posts=9)],
        scene=DEFAULT_SCENE,
    )
    scene = derive_scene(report)
    assert scene.colors == ["#f6e08a", "#111111", "#1d2a44"]
    assert scene.environment == DEFAULT_SCENE.environment and scene.lighting == DEFAULT_SCENE.lighting
    assert scene.textures == ["suede"] and scene.mood == "calm, clean"
    assert "butter yellow" in scene.prompt and "suede" in scene.prompt
    empty = derive_scene(TrendReport(meta=Meta(posts=0, analyzer="offline"), scene=DEFAULT_SCENE))
    assert empty.colors == DEFAULT_SCENE.colors and empty.textures == DEFAULT_SCENE.textures
