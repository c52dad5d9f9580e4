"""Real-model checks (marked `model`): the shipped adapter fits the default model and changes it."""
from __future__ import annotations

import pytest

from toolformer import SHIPPED_ADAPTER, shipped_adapter_for

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def default_model():
    from agent.model_files import default_model_path

    try:
        return default_model_path()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"default model not installed: {exc}")


def test_call_tokens_are_single_existing_tokens(default_model):
    from toolformer.model import call_token_ids, load_tokenizer

    ids = call_token_ids(load_tokenizer(default_model))
    assert len(set(ids.values())) == 3


@pytest.mark.skipif(not SHIPPED_ADAPTER.exists(), reason="no adapter shipped yet")
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
