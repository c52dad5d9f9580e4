"""LoRA training on a tiny model: checkpoints, resume after an interruption, foreign checkpoints refused."""
from __future__ import annotations

import json

import pytest
import torch
from _toolformer_tiny import CharTokenizer, tiny_model

from agent.backend import ModelError
from toolformer.train import TrainConfig, train_lora

TEXTS = [f"He pays a total of [Calculator({a}*{b}) -> {a * b}] {a * b} gold." for a, b in
         [(3, 4), (5, 6), (7, 8), (9, 2), (4, 4), (6, 7)]]
CFG = dict(rank=2, alpha=4, epochs=2, batch_size=3, save_every=2, lr=5e-3, max_len=64)


def _adapter(model):
    return {k: v.detach().clone() for k, v in model.named_parameters() if "lora_" in k}


@pytest.mark.slow
def test_resume_after_interruption_matches_uninterrupted_run(tmp_path):
    tok = CharTokenizer()
    full_model = tiny_model()
    full = train_lora(full_model, tok, TEXTS, tmp_path / "full", TrainConfig(**CFG), "fp", progress=False)
    assert full["finished"] and full["steps"] == 4
    assert (tmp_path / "full" / "adapter" / "adapter_model.safetensors").exists()
    meta = json.loads((tmp_path / "full" / "adapter" / "training.json").read_text())
    assert meta["base_fingerprint"] == "fp" and len(meta["losses"]) == 4

    # interrupted after 3 steps: the last checkpoint is step 2, so at most save_every steps are lost
    first = train_lora(tiny_model(), tok, TEXTS, tmp_path / "cut", TrainConfig(**CFG), "fp", progress=False,
                       stop_after=3)
    assert not first["finished"] and not (tmp_path / "cut" / "adapter").exists()
    assert torch.load(tmp_path / "cut" / "checkpoint.pt", weights_only=False)["step"] == 2
    resumed_model = tiny_model()
    second = train_lora(resumed_model, tok, TEXTS, tmp_path / "cut", TrainConfig(**CFG), "fp", progress=False)
    assert second["finished"] and second["steps"] == 4
    a, b = _adapter(full_model), _adapter(resumed_model)
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(a[key], b[key], atol=1e-5, rtol=1e-4)
    assert any(float(v.abs().max()) > 0 for k, v in b.items() if "lora_B" in k)  # it did learn something


def test_checkpoint_from_another_base_model_is_refused(tmp_path):
    tok = CharTokenizer()
    train_lora(tiny_model(), tok, TEXTS, tmp_path, TrainConfig(**CFG), "model-A", progress=False, stop_after=2)
    with pytest.raises(ModelError, match="made for base model .*--no-resume"):
        train_lora(tiny_model(), tok, TEXTS, tmp_path, TrainConfig(**CFG), "model-B", progress=False)


def test_no_training_texts_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="kept no calls"):
        train_lora(tiny_model(), CharTokenizer(), [], tmp_path, TrainConfig(**CFG), "fp", progress=False)
