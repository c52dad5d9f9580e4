"""Stage 2: where would a call help, and which calls does the model propose there?

For each text x and its tool: evaluate P(x)'s demonstrations once (KV cache
kept for every text), then ONE forward pass over the text gives
p_i = p(" [" | P(x), x_<i) at every position. Positions with p_i > tau_s, at
most the top k, become call sites; at each, m calls are sampled in one batch
branching from the sliced cache, until a token with "]" or "->" closes the
call. Unclosed samples and ones that do not parse are dropped (and counted).

Settings are per tool (`prompts.SAMPLING`, overridable per tool from the CLI:
`--tau-s Calendar=0.01`); `min_sites` samples a tool's top-ranked positions even
below its tau_s (Calendar and LoreSearch: 1), so a tool whose call site is
ranked first at a low probability is still sampled.
Choices beyond the paper, all cheap and stated: call sites are only word
starts (a token beginning with a space), so a call is inserted as
" [call] word"; the tool's name and "(" are fed after " [" instead of being
sampled, since P(x) is per tool anyway; a tool that takes no input (Calendar,
`fixed_input` in its settings) gets its one possible call at each site without
sampling (sampled Calendar calls mostly ran on past the ")" and never closed).

Deliberately left out: sampling several tools in one prompt, nucleus/top-k
sampling (plain temperature sampling as in the paper).
"""
from __future__ import annotations

import sys
import time
import zlib
from collections import Counter

import torch

from . import kv
from .calls import CallParseError, parse_call
from .model import call_token_ids, encode
from .prompts import SAMPLING, prompt_for, prompt_prefix, sampling_for


def token_pieces(tokenizer, ids: list[int]) -> list[str]:
    return [tokenizer.decode([t], clean_up_tokenization_spaces=False) for t in ids]


class Sampler:
    def __init__(self, model, tokenizer, seed: int = 0, temperature: float = 1.0) -> None:
        self.model, self.tok = model, tokenizer
        self.device = next(model.parameters()).device
        self.open_id = call_token_ids(tokenizer)[" ["]
        self.temperature = temperature
        self.gen = torch.Generator(device="cpu").manual_seed(seed)
        self._demo_cache: dict[str, tuple[list, int]] = {}
        vocab = tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))
        self.closing = torch.tensor([("]" in (v or "")) or (v or "").endswith("->") for v in vocab])

    @torch.no_grad()
    def _forward(self, ids: list[int], cache=None):
        x = torch.tensor([ids], device=self.device)
        return self.model(input_ids=x, past_key_values=cache, use_cache=True)

    def demo_cache(self, tool: str):
        if tool not in self._demo_cache:
            ids = encode(self.tok, prompt_prefix(tool))
            out = self._forward(ids)
            self._demo_cache[tool] = (kv.tensors(out.past_key_values), len(ids))
        return self._demo_cache[tool]

    @torch.no_grad()
    def positions(self, tool: str, text: str):
        """(cache pairs of P(x)+x, index where x starts, x ids, p_i per x index, char offset per x index)."""
        demo, demo_len = self.demo_cache(tool)
        prefix, x = prompt_for(tool, text)
        ctx_ids = encode(self.tok, prefix[len(prompt_prefix(tool)):])  # "x\nOutput:"
        x_ids = encode(self.tok, x)
        pieces = token_pieces(self.tok, x_ids)
        if "".join(pieces) != x:
            return None  # tokens do not map back onto characters; skip the text
        out = self._forward(ctx_ids + x_ids, kv.build(demo))
        logp = torch.log_softmax(out.logits[0].float(), dim=-1)[:, self.open_id]
        start = demo_len + len(ctx_ids)  # cache index of x_0
        # p_i for inserting before x_i: predicted at the position of x_{i-1} (or the last prompt token)
        p = logp[len(ctx_ids) - 1: len(ctx_ids) - 1 + len(x_ids)].exp().tolist()
        chars, offset = [], -1  # offsets in `text` (x has one leading space)
        for piece in pieces:
            chars.append(offset)
            offset += len(piece)
        return kv.tensors(out.past_key_values), start, x_ids, pieces, p, chars

    @torch.no_grad()
    def sample_sites(self, pairs, lengths: list[int], tool: str, m: int, max_new: int) -> list[list[str | None]]:
        """m sampled call bodies ("Tool(input)") at each site; site g branches after cache[:lengths[g]].

        All sites of a group share one batch: each row gets its cache slice left-padded (masked) to a
        common length and its own position ids. The forced " [Tool(" is evaluated once per site,
        then repeated m times. Rows that closed stop growing; None = never closed.
        """
        n_sites, width = len(lengths), max(lengths)
        data, mask = [], torch.zeros((n_sites, width), dtype=torch.long)
        for g, length in enumerate(lengths):
            mask[g, width - length:] = 1
        for keys, values in pairs:
            ks = keys.new_zeros((n_sites, keys.shape[1], width, keys.shape[3]))
            vs = values.new_zeros((n_sites, values.shape[1], width, values.shape[3]))
            for g, length in enumerate(lengths):
                ks[g, :, width - length:] = keys[0, :, :length]
                vs[g, :, width - length:] = values[0, :, :length]
            data.append((ks, vs))
        forced = [self.open_id] + encode(self.tok, f"{tool}(")
        start = torch.tensor(lengths)[:, None]
        ids = torch.tensor([forced] * n_sites)
        mask = torch.cat([mask, torch.ones_like(ids)], 1)
        out = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device),
                         position_ids=(start + torch.arange(len(forced))).to(self.device),
                         past_key_values=kv.build(data), use_cache=True)
        # repeat every site m times
        pairs_m = [(k.repeat_interleave(m, 0), v.repeat_interleave(m, 0)) for k, v in kv.tensors(out.past_key_values)]
        cache = kv.build(pairs_m)
        mask = mask.repeat_interleave(m, 0)
        pos = start.repeat_interleave(m, 0) + len(forced)
        logits = out.logits[:, -1].float().cpu().repeat_interleave(m, 0)
        rows = n_sites * m
        done = torch.zeros(rows, dtype=torch.bool)
        generated: list[list[int]] = [[] for _ in range(rows)]
        for step in range(max_new):
            probs = torch.softmax(logits / max(self.temperature, 1e-5), -1)
            nxt = torch.multinomial(probs, 1, generator=self.gen).squeeze(1)
            for row in range(rows):
                if not done[row]:
                    generated[row].append(int(nxt[row]))
            done |= self.closing[nxt]
            if bool(done.all()) or step == max_new - 1:
                break
            mask = torch.cat([mask, torch.ones((rows, 1), dtype=torch.long)], 1)
            out = self.model(input_ids=nxt[:, None].to(self.device), attention_mask=mask.to(self.device),
                             position_ids=(pos + step).to(self.device), past_key_values=cache, use_cache=True)
            cache = out.past_key_values
            logits = out.logits[:, -1].float().cpu()
        bodies: list[list[str | None]] = []
        for g in range(n_sites):
            site = []
            for row in range(g * m, (g + 1) * m):
                text = f"{tool}(" + self.tok.decode(generated[row], clean_up_tokenization_spaces=False)
                site.append(text if done[row] else None)
            bodies.append(site)
        return bodies


def sample_record(sampler: Sampler, rec: dict, settings: dict | None = None) -> dict:
    """Candidate calls for one corpus record."""
    tool = rec["tool"]
    s = sampling_for(tool, settings)
    found = sampler.positions(tool, rec["text"])
    result = {k: rec[k] for k in ("id", "kind", "tool", "text", "answer", "answer_at", "today") if k in rec}
    result.update(candidates=[], n_samples=0, n_unclosed=0, n_unparsable=0)
    if found is None:
        result["skipped"] = "tokens do not map back onto the text"
        return result
    pairs, start, x_ids, pieces, p, chars = found
    ranked = sorted((i for i in range(1, len(x_ids)) if pieces[i].startswith(" ")), key=lambda i: -p[i])
    # positions over the tool's tau_s, at most k; the top `min_sites` ones are sampled whatever their p_i
    sites = [i for n, i in enumerate(ranked) if p[i] > s["tau_s"] or n < s.get("min_sites", 0)][: s["k"]]
    sites = sorted(sites)
    if s.get("fixed_input") is not None:  # a tool without input (Calendar): where is the only choice; no sampling
        for i in sites:
            result["n_samples"] += 1
            result["candidates"].append({"pos": chars[i], "p": round(p[i], 5), "tool": tool,
                                         "input": s["fixed_input"], "n": 1})
        return result
    group = max(1, int(s.get("group", 4)))
    all_bodies = []
    for g in range(0, len(sites), group):
        all_bodies += sampler.sample_sites(pairs, [start + i for i in sites[g: g + group]], tool, s["m"], s["max_new"])
    for i, bodies in zip(sites, all_bodies):
        counts: Counter = Counter()
        for body in bodies:
            result["n_samples"] += 1
            if body is None:
                result["n_unclosed"] += 1
                continue
            try:
                call = parse_call(body, (tool,))
            except CallParseError:
                result["n_unparsable"] += 1
                continue
            counts[call.input] += 1
        for arg, n in counts.items():
            result["candidates"].append({"pos": chars[i], "p": round(p[i], 5), "tool": tool, "input": arg, "n": n})
    return result


def run_sample(model, tokenizer, records, out_path, seed: int = 0, settings: dict | None = None,
               limit_per_tool: dict | None = None, progress: bool = True) -> dict:
    """Sample candidates for every tool record; appends to `out_path` so an interrupted run resumes."""
    import json
    from pathlib import Path

    from tqdm import tqdm

    from .jsonl import STAGE_LINE_CHARS, drop_unfinished_line, read_jsonl

    out_path = Path(out_path)
    drop_unfinished_line(out_path)  # an interrupted append: that record is sampled again
    done_ids = {(r.get("id"), r.get("text")) for r in read_jsonl(out_path, max_chars=STAGE_LINE_CHARS)} \
        if out_path.exists() else set()
    todo = [r for r in records if r.get("tool") in SAMPLING and (r["id"], r["text"]) not in done_ids]
    sampler = Sampler(model, tokenizer, seed=seed)
    t0, n_cand = time.perf_counter(), 0
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("a", encoding="utf-8") as handle:
        for rec in tqdm(todo, desc="sample", disable=not progress, file=sys.stderr):
            sampler.gen.manual_seed(seed * 1_000_003 + zlib.crc32(rec["id"].encode()))
            res = sample_record(sampler, rec, settings)
            n_cand += len(res["candidates"])
            handle.write(json.dumps(res) + "\n")
            handle.flush()
    return {"texts": len(todo), "resumed_from": len(done_ids), "candidates": n_cand,
            "seconds": round(time.perf_counter() - t0, 1)}
