"""Per-language fusion and calibration: one threshold stands for each language's own threshold,
and the shipped ranker carries a fit for each first-class language."""

from __future__ import annotations

import numpy as np

from factwatch.analysers.claim_match import FEATURES, RANKER_PATH, Ranker


def _rows(dense: list[float], lex: list[float]) -> np.ndarray:
    rows = np.zeros((len(dense), len(FEATURES)), dtype=np.float32)
    rows[:, FEATURES.index("dense")] = dense
    rows[:, FEATURES.index("lex")] = lex
    return rows


def _ranker() -> Ranker:
    fr = {
        "lex_weight": 0.0,
        "slope": 20.0,
        "intercept": -17.0,
        "threshold": 0.6,
        "margin_slope": 5.0,
        "margin_floor": 0.8,
    }
    return Ranker(0.2, 30.0, -27.0, threshold=0.9, margin_slope=3.0, per_lang={"fr": fr})


def test_language_fit_is_used_and_threshold_maps() -> None:
    r = _ranker()
    fr = r.for_lang("fr")
    assert fr.lex_weight == 0.0 and fr.threshold == r.threshold
    own = Ranker(0.0, 20.0, -17.0, threshold=0.6, margin_slope=5.0, margin_floor=0.8)
    rng = np.random.default_rng(0)
    for _ in range(200):
        rows = _rows(list(rng.uniform(0.6, 1.0, 5)), list(rng.uniform(0, 1, 5)))
        shifted, plain = fr.probability(rows), own.probability(rows)
        # same decisions as the language's own threshold, same order
        assert ((shifted >= r.threshold) == (plain >= own.threshold)).all()
        assert (np.argsort(-shifted) == np.argsort(-plain)).all()


def test_other_languages_use_the_joint_fit() -> None:
    r = _ranker()
    assert r.for_lang("de") is r and r.for_lang(None) is r


def test_json_round_trip_keeps_languages(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    path = tmp_path / "r.json"
    path.write_text(json.dumps(_ranker().to_json()))
    back = Ranker.load(path)
    assert back.per_lang["fr"]["threshold"] == 0.6


def test_shipped_ranker_is_fitted_per_first_class_language() -> None:
    shipped = Ranker.load(RANKER_PATH)
    assert {"en", "fr", "vi"} <= set(shipped.per_lang)
    for lang in ("en", "fr", "vi"):
        p = shipped.per_lang[lang]
        # fused score and margin together: a candidate's score rises with its fused score
        assert p["slope"] + p["margin_slope"] > 0 and 0 < p["threshold"] < 1
        assert p["info"]["posts"] >= 700  # fitted on that language's train posts
