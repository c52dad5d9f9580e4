"""Stage 6: the peft LoRA as a llama.cpp GGUF adapter, and the parity check.

Layout (as llama.cpp's convert_lora_to_gguf.py writes it, re-derived here):
  * general.architecture = the base model's ("llama"), general.type = "adapter",
    adapter.type = "lora", adapter.lora.alpha = lora_alpha (float32);
  * per adapted weight W (HF name model.layers.N.self_attn.q_proj etc.) two
    float32 tensors "blk.N.attn_q.weight.lora_a" (numpy (r, n_in), ggml ne
    [n_in, r]) and "...lora_b" (numpy (n_out, r), ggml ne [r, n_out]);
  * q and k rows are permuted the way llama.cpp's converter permutes those
    weights for its rotary layout (transformers undoes it when loading the GGUF,
    so the PyTorch B matrix is in HF order);
  * our own keys adventure.base.fingerprint / adventure.base.name so that
    `agent.adapters.check_adapter` refuses an adapter made for another model
    with a message that says what to do, before llama.cpp sees it.
llama.cpp scales by alpha / r like peft (no rsLoRA).

Deliberately left out: embeddings / lm_head in the adapter (never trained
here), quantised adapter tensors (a r=8 adapter is ~7 MB in f32, ~3.5 MB f16).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from agent.adapters import FP_KEY, NAME_KEY
from agent.backend import ModelError
from agent.files import replacing
from agent.gguf_header import model_info

HF_TO_GGUF = {
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_PEFT_KEY = re.compile(
    r"(?:base_model\.model\.)?model\.layers\.(\d+)\.(self_attn\.\w+|mlp\.\w+)\.lora_([AB])(?:\.default)?\.weight$")


def llama_permute(w: np.ndarray, n_head: int) -> np.ndarray:
    """Row permutation llama.cpp's converter applies to q/k weights (here: to LoRA B)."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def export_adapter(peft_state: dict, alpha: float, base_model_path: str | os.PathLike,
                   out_path: str | os.PathLike, fingerprint: str, dtype: str = "f32") -> dict:
    """Write the GGUF adapter; returns {tensors, bytes, rank}."""
    import gguf

    info = model_info(base_model_path)
    if info["arch"] != "llama":
        raise ModelError(f"export supports llama-architecture models only, not {info['arch']!r}")
    pairs: dict[str, dict[str, np.ndarray]] = {}
    for key, tensor in peft_state.items():
        m = _PEFT_KEY.search(key)
        if m is None:
            raise ModelError(f"unexpected tensor {key!r} in the LoRA (only attention/MLP projections export)")
        layer, module, ab = m.groups()
        if module not in HF_TO_GGUF:
            raise ModelError(f"no llama.cpp name for {module!r}")
        name = f"blk.{layer}.{HF_TO_GGUF[module]}.weight"
        pairs.setdefault(name, {})[ab] = tensor.detach().float().cpu().numpy()
    np_dtype = np.float16 if dtype == "f16" else np.float32
    out_path = Path(out_path)
    with replacing(out_path) as tmp:
        rank = _write_adapter(gguf.GGUFWriter(str(tmp), "llama"), pairs, info, alpha, fingerprint,
                              Path(base_model_path).name, np_dtype)
    return {"tensors": 2 * len(pairs), "bytes": out_path.stat().st_size, "rank": rank, "alpha": alpha}


def _write_adapter(writer, pairs: dict[str, dict[str, np.ndarray]], info: dict, alpha: float, fingerprint: str,
                   base_name: str, np_dtype) -> int | None:
    """The adapter's metadata and tensors through `writer`; returns the LoRA rank."""
    import gguf

    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
    writer.add_name("adventure toolformer LoRA")
    writer.add_string(FP_KEY, fingerprint)
    writer.add_string(NAME_KEY, base_name)
    rank = None
    for name in sorted(pairs, key=lambda n: (int(n.split(".")[1]), n)):
        a, b = pairs[name].get("A"), pairs[name].get("B")
        if a is None or b is None:
            raise ModelError(f"{name}: LoRA A or B missing")
        base = info["shapes"].get(name)
        if base is None or base[0] != a.shape[1] or base[1] != b.shape[0]:
            raise ModelError(f"{name}: LoRA shapes A{a.shape} B{b.shape} do not fit the model's {base}")
        if ".attn_q." in name:
            b = llama_permute(b, info["n_head"])
        elif ".attn_k." in name:
            b = llama_permute(b, info["n_head_kv"])
        rank = a.shape[0]
        writer.add_tensor(name + ".lora_a", np.ascontiguousarray(a, dtype=np_dtype))
        writer.add_tensor(name + ".lora_b", np.ascontiguousarray(b, dtype=np_dtype))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return rank


def parity(torch_model, tokenizer, model_path, adapter_path: str | None, texts: list[str], n_threads: int = 1) -> dict:
    """Max |log p_torch - log p_llama.cpp| of each next token over `texts` (same token ids in both)."""
    import llama_cpp
    import torch

    from agent.llama_process import apply_buffer_policy

    apply_buffer_policy()
    llm = llama_cpp.Llama(model_path=str(model_path), lora_path=str(adapter_path) if adapter_path else None,
                          logits_all=True, n_ctx=512, n_threads=n_threads, verbose=False)
    diffs = []
    try:
        for text in texts:
            ids = tokenizer.encode(text, add_special_tokens=False)[:256]
            if len(ids) < 2:
                continue
            with torch.no_grad():
                logits = torch_model(input_ids=torch.tensor([ids])).logits[0].float()
            lp_t = torch.log_softmax(logits, -1)[torch.arange(len(ids) - 1), torch.tensor(ids[1:])].numpy()
            llm.reset()
            llm.eval(ids)
            scores = np.asarray(llm.scores[: len(ids)], dtype=np.float64)
            scores -= scores.max(-1, keepdims=True)
            lsm = scores - np.log(np.exp(scores).sum(-1, keepdims=True))
            lp_c = lsm[np.arange(len(ids) - 1), ids[1:]]
            diffs.append(np.abs(lp_t - lp_c))
    finally:
        llm.close()
    allv = np.concatenate(diffs) if diffs else np.zeros(1)
    return {"max_abs": float(allv.max()), "mean_abs": float(allv.mean()), "tokens": int(allv.size)}
