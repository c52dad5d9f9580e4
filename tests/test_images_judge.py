"""The judge of `adventure images eval`: trained on real composites only, resumable, its figures honest (held-out
composites), and `evaluate` reports every generated figure beside the judge's ceiling."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from game.images.dataset import SceneSampler
from game.images.judge import (
    HELD_OUT_STREAM,
    TRAIN_STREAM,
    bundled_judge_dir,
    export_judge,
    held_out_accuracy,
    judge_images,
    load_judge,
    train_judge,
)
from game.images.pipeline import bundled_model_dir, tiny_test_pipeline
from game.images.vocabulary import LEGACY_SETTINGS, OBJECT_NAMES, TIME_NAMES, caption

pytestmark = pytest.mark.timeout(300)
TINY = dict(size=16, batch=8, width=4, horizon=6, checkpoint_every=2, quiet=True)


def test_judge_training_resumes_exactly_and_round_trips(tmp_path):
    whole = train_judge(tmp_path / "whole", 4, **TINY)
    train_judge(tmp_path / "split", 2, **TINY)
    split = train_judge(tmp_path / "split", 4, **TINY)
    a, b = whole.state_dict(), split.state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    with pytest.raises(ValueError, match="made with"):
        train_judge(tmp_path / "whole", 6, **{**TINY, "width": 8})
    out = export_judge(whole, tmp_path / "judge", {"held_out_accuracy": {"setting": 0.5}})
    again = load_judge(out)
    scenes = SceneSampler(16, 3, split="all").batch(12, 0)
    images = [s.image for s in scenes]
    assert again.size == 16 and again.record["held_out_accuracy"] == {"setting": 0.5}
    for k, v in judge_images(whole, images)[1].items():  # fp16 weights: the same answers, nearly always
        assert (judge_images(again, images)[1][k] == v).mean() >= 0.9
    big = [np.kron(i, np.ones((2, 2, 1), np.float32)) for i in images]  # a 32-pixel picture is resized to 16
    assert judge_images(again, big)[0].shape == (12, 64)
    with pytest.raises(FileNotFoundError, match="adventure images judge"):
        load_judge(tmp_path / "nothing")


def test_held_out_composites_are_not_training_images():
    assert TRAIN_STREAM != HELD_OUT_STREAM
    train = SceneSampler(32, TRAIN_STREAM, split="all").batch(16, 0)
    held = SceneSampler(32, HELD_OUT_STREAM, split="all").batch(16, 0)
    assert not any(np.array_equal(a.image, b.image) for a in train for b in held)


@pytest.mark.slow
def test_evaluate_reports_each_figure_beside_the_judges_ceiling(tmp_path):
    from game.images.evaluate import evaluate

    judge = train_judge(tmp_path / "j", 2, **TINY)
    figures, images, prompts = evaluate(tiny_test_pipeline(), judge, per_setting=2, steps=2, quiet=True,
                                        settings=LEGACY_SETTINGS[:3])
    for key in ("setting_accuracy", "object_accuracy", "time_accuracy", "judge_setting_ceiling",
                "judge_object_ceiling", "judge_time_ceiling", "fid_generated", "fid_real_vs_real"):
        assert isinstance(figures[key], float), key
    assert figures["samples"] == len(images) == len(prompts) == 6 and figures["settings"] == 3
    assert figures["resolution"] == 8 and figures["judge_size"] == 16


@pytest.mark.slow
def test_the_development_pairs_are_never_held_out_ones(tmp_path):
    from game.images.dataset import held_out_pairs
    from game.images.evaluate import evaluate

    judge = train_judge(tmp_path / "j", 2, **TINY)
    settings = LEGACY_SETTINGS[:3]
    held = {p for p in held_out_pairs(0) if p[0] in settings}
    for pairs in ("held-out", "trained"):
        figures, _, prompts = evaluate(tiny_test_pipeline(), judge, per_setting=4, steps=2, quiet=True,
                                       settings=settings, pairs=pairs)
        said = set(prompts)
        asked = {(s, o) for s in settings for o in OBJECT_NAMES for t in TIME_NAMES if caption(s, t, [o]) in said}
        assert asked and (asked <= held if pairs == "held-out" else not asked & held), pairs
    with pytest.raises(ValueError, match="pairs must be"):
        evaluate(tiny_test_pipeline(), judge, per_setting=1, steps=1, quiet=True, settings=settings, pairs="all")


def test_bundled_judge_figures_hold_on_fresh_held_out_composites():
    judge = load_judge(bundled_judge_dir())
    record = judge.record
    assert record["held_out_images"] >= 1000 and set(record["held_out_accuracy"]) == {"setting", "time", "object"}
    fresh = held_out_accuracy(judge, judge.size, count=300, seed=1)  # other composites than the recorded ones
    for k, value in record["held_out_accuracy"].items():
        assert abs(fresh[k] - value) < 0.06, (k, fresh[k], value)
    total = sum(p.stat().st_size for p in bundled_model_dir().rglob("*") if p.is_file())
    assert total <= 25 * 1024 * 1024
    assert json.loads((bundled_judge_dir() / "judge.json").read_text())["size"] == judge.size
