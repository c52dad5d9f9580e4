"""Real-model checks (marked `model`): the shipped adapter fits the default model and changes it."""
from __future__ import annotations

import pytest

from agent.adapters import SHIPPED_ADAPTER, shipped_adapter_for

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def default_model():
    from agent.model_files import default_model_path

    return default_model_path()  # a missing default model is a failure, not a skip


def test_call_tokens_are_single_existing_tokens(default_model):
    from toolformer.model import call_token_ids, load_tokenizer

    ids = call_token_ids(load_tokenizer(default_model))
    assert len(set(ids.values())) == 3


def test_shipped_adapter_loads_and_changes_the_model(default_model, tmp_path):
    from _toolformer_tiny import write_base_gguf

    from agent.llama_backend import LlamaCppBackend

    assert shipped_adapter_for(default_model) == SHIPPED_ADAPTER
    assert shipped_adapter_for(write_base_gguf(tmp_path / "other.gguf")) is None
    prompt = "The old pilgrim buys 13 lamps at 22 silver each, paying a total of"
    with LlamaCppBackend(default_model, n_threads=1, n_ctx=256) as base, \
            LlamaCppBackend(default_model, n_threads=1, n_ctx=256, lora_path=SHIPPED_ADAPTER) as tuned:
        a = base.logprobs(prompt, " [Calculator(13*22)")
        b = tuned.logprobs(prompt, " [Calculator(13*22)")
    assert sum(b) > sum(a) + 1.0  # the tuned model expects the call far more than the base model
    with LlamaCppBackend(default_model, n_threads=1, n_ctx=256, lora_path=SHIPPED_ADAPTER,
                         lora_roles=("narrator",)) as game:
        narrator = game.logprobs(prompt, " [Calculator(13*22)", role="narrator")
        intent = game.logprobs(prompt, " [Calculator(13*22)", role="intent")
    assert narrator == pytest.approx(b, abs=1e-3) and intent == pytest.approx(a, abs=1e-3)


def test_play_and_run_use_the_shipped_adapter_unless_told_not_to(default_model, tmp_path):
    from _toolformer_tiny import write_base_gguf

    from agent.backend import ModelError
    from agent.runtime import lora_from_args
    from game.cli import build_parser

    parser = build_parser()
    assert lora_from_args(parser.parse_args(["play"])) == str(SHIPPED_ADAPTER)
    assert lora_from_args(parser.parse_args(["run", "--walkthrough"])) == str(SHIPPED_ADAPTER)
    assert lora_from_args(parser.parse_args(["play", "--no-lora"])) is None
    other = write_base_gguf(tmp_path / "other.gguf")
    assert lora_from_args(parser.parse_args(["play", "--model", str(other)])) is None  # made for another model
    assert lora_from_args(parser.parse_args(["play", "--lora", "mine.gguf"])) == "mine.gguf"
    with pytest.raises(ModelError, match="contradict"):
        lora_from_args(parser.parse_args(["play", "--lora", "mine.gguf", "--no-lora"]))
    # Benchmarks keep measuring the bare model unless asked.
    assert lora_from_args(parser.parse_args(["bench", "game"])) is None
