"""A tiny randomly initialised llama model and a character tokenizer for the Toolformer tests (no downloads)."""
from __future__ import annotations

import numpy as np
import torch


class CharTokenizer:
    """One token per ASCII character, except " [" (id 1) and " ->" (id 2), single tokens as in SmolLM2."""

    pad_token_id = 0
    SPECIAL = {1: " [", 2: " ->"}

    def encode(self, text, add_special_tokens=False):
        ids, i = [], 0
        while i < len(text):
            for tid, piece in self.SPECIAL.items():
                if text.startswith(piece, i):
                    ids.append(tid)
                    i += len(piece)
                    break
            else:
                ids.append(min(ord(text[i]), 127))
                i += 1
        return ids

    def decode(self, ids, clean_up_tokenization_spaces=False):
        return "".join(self.SPECIAL.get(int(i), chr(int(i))) for i in ids)

    def convert_ids_to_tokens(self, ids):
        return [self.SPECIAL.get(int(i), chr(int(i))) for i in ids]

    def __len__(self):
        return 128


def tiny_model(seed: int = 0, hidden: int = 32, heads: int = 4, kv_heads: int = 2, layers: int = 2):
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=128, hidden_size=hidden, intermediate_size=2 * hidden, num_hidden_layers=layers,
                      num_attention_heads=heads, num_key_value_heads=kv_heads, max_position_embeddings=512,
                      tie_word_embeddings=True)
    model = LlamaForCausalLM(cfg).eval()
    model._adventure_path = "tiny"
    return model


def write_base_gguf(path, hidden: int = 32, heads: int = 4, kv_heads: int = 2, layers: int = 2):
    """A stand-in llama GGUF with the right metadata and weight shapes (zeros) for export tests."""
    import gguf

    w = gguf.GGUFWriter(str(path), "llama")
    w.add_block_count(layers)
    w.add_head_count(heads)
    w.add_head_count_kv(kv_heads)
    w.add_embedding_length(hidden)
    head_dim = hidden // heads
    shapes = {"attn_q": (hidden, hidden), "attn_k": (kv_heads * head_dim, hidden),
              "attn_v": (kv_heads * head_dim, hidden), "attn_output": (hidden, hidden),
              "ffn_gate": (2 * hidden, hidden), "ffn_up": (2 * hidden, hidden), "ffn_down": (hidden, 2 * hidden)}
    for layer in range(layers):
        for name, (out, inp) in shapes.items():
            w.add_tensor(f"blk.{layer}.{name}.weight", np.zeros((out, inp), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path
