"""GGUF adapter export round trip (names, shapes, metadata, q/k permutation) and refusal of foreign adapters."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from _toolformer_tiny import tiny_model, write_base_gguf

from agent.adapters import FP_KEY, check_adapter, fingerprint
from agent.backend import ModelError
from agent.gguf_header import model_info
from toolformer.export import HF_TO_GGUF, export_adapter, llama_permute


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from peft import LoraConfig, get_peft_model, get_peft_model_state_dict

    tmp = tmp_path_factory.mktemp("export")
    base = write_base_gguf(tmp / "base.gguf")
    targets = [m.split(".")[1] for m in HF_TO_GGUF]
    model = get_peft_model(tiny_model(), LoraConfig(r=4, lora_alpha=8, target_modules=targets))
    torch.manual_seed(1)
    for name, p in model.named_parameters():
        if "lora_B" in name:
            p.data.normal_()
    state = get_peft_model_state_dict(model)
    out = tmp / "adapter.gguf"
    info = export_adapter(state, 8, base, out, fingerprint(base), dtype="f32")
    return tmp, base, out, state, info


@pytest.mark.slow
def test_metadata_and_tensor_layout(exported):
    from gguf import GGUFReader

    _tmp, base, out, state, info = exported
    assert info["tensors"] == 2 * 2 * 7 and info["rank"] == 4
    meta = model_info(out)
    assert meta["arch"] == "llama" and meta["type"] == "adapter"
    assert meta["fields"]["adapter.type"] == "lora"
    assert meta["fields"]["adapter.lora.alpha"] == pytest.approx(8.0)
    assert meta["fields"][FP_KEY] == fingerprint(base)
    shapes = meta["shapes"]
    assert set(shapes) == {f"blk.{layer}.{n}.weight.lora_{ab}"
                           for layer in range(2) for n in HF_TO_GGUF.values() for ab in "ab"}
    # ggml order: lora_a ne = [n_in, r], lora_b ne = [r, n_out]
    assert shapes["blk.0.attn_q.weight.lora_a"] == [32, 4] and shapes["blk.0.attn_q.weight.lora_b"] == [4, 32]
    assert shapes["blk.1.attn_k.weight.lora_b"] == [4, 16] and shapes["blk.1.ffn_down.weight.lora_a"] == [64, 4]
    tensors = {t.name: np.array(t.data) for t in GGUFReader(str(out)).tensors}
    a = state["base_model.model.model.layers.1.mlp.up_proj.lora_A.weight"].numpy()
    np.testing.assert_allclose(tensors["blk.1.ffn_up.weight.lora_a"], a)
    b_q = state["base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"].numpy()
    np.testing.assert_allclose(tensors["blk.0.attn_q.weight.lora_b"], llama_permute(b_q, 4))
    b_k = state["base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight"].numpy()
    np.testing.assert_allclose(tensors["blk.0.attn_k.weight.lora_b"], llama_permute(b_k, 2))
    b_v = state["base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight"].numpy()
    np.testing.assert_allclose(tensors["blk.0.attn_v.weight.lora_b"], b_v)  # v is not permuted


def test_permutation_is_a_row_permutation():
    w = np.arange(32 * 3, dtype=np.float32).reshape(32, 3)
    p = llama_permute(w, 4)
    assert sorted(map(tuple, p.tolist())) == sorted(map(tuple, w.tolist()))
    assert not np.array_equal(p, w)


def test_adapter_accepted_for_its_model(exported):
    _tmp, base, out, _state, _info = exported
    assert check_adapter(out, base)["tensors"] == 28


def test_adapter_for_another_model_is_refused(exported):
    tmp, _base, out, _state, _info = exported
    other = write_base_gguf(tmp / "other.gguf", hidden=48, heads=4, kv_heads=2)
    with pytest.raises(ModelError, match="made for base model base.gguf.*--no-lora"):
        check_adapter(out, other)


def test_not_an_adapter_is_refused(exported, tmp_path):
    _tmp, base, _out, _state, _info = exported
    with pytest.raises(ModelError, match="not a LoRA adapter"):
        check_adapter(base, base)  # a model file, not an adapter
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a gguf at all")
    with pytest.raises(ModelError, match="LoRA adapter: .*junk.gguf is not a GGUF file"):
        check_adapter(junk, base)
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(out_bytes := _out.read_bytes()[:64])
    assert out_bytes.startswith(b"GGUF")
    with pytest.raises(ModelError, match="not a readable GGUF adapter"):
        check_adapter(cut, base)  # a GGUF header cut short


def test_unexpected_tensor_refused(exported, tmp_path):
    _tmp, base, _out, _state, _info = exported
    with pytest.raises(ModelError, match="unexpected tensor"):
        export_adapter({"base_model.model.lm_head.weight": torch.zeros(2, 2)}, 8, base, tmp_path / "x.gguf", "f")
