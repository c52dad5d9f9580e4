"""The sampler on a tiny model: p_i for every position from one pass, grouped sampling equals per-site sampling."""
from __future__ import annotations

import pytest
import torch
from _toolformer_tiny import CharTokenizer, tiny_model

from toolformer.model import encode
from toolformer.prompts import prompt_for
from toolformer.sample import Sampler, sample_record


@pytest.fixture(scope="module")
def sampler():
    return Sampler(tiny_model(), CharTokenizer(), seed=0)


@pytest.mark.slow
def test_p_i_from_one_pass_equals_separate_passes(sampler):
    text = "A total of 91 gold."
    pairs, start, x_ids, pieces, p, chars = sampler.positions("Calculator", text)
    assert "".join(pieces) == " " + text and chars[x_ids.index(ord("9")) - 1] == text.index(" 91")
    prefix, x = prompt_for("Calculator", text)
    full = encode(sampler.tok, prefix) + x_ids
    for i in (1, 5, len(x_ids) - 1):
        with torch.no_grad():
            logits = sampler.model(input_ids=torch.tensor([full[: len(full) - len(x_ids) + i]])).logits[0, -1]
        assert p[i] == pytest.approx(float(torch.softmax(logits, -1)[1]), rel=1e-3, abs=1e-7)


@pytest.mark.slow
def test_grouped_sites_match_single_sites_greedy(sampler):
    sampler.temperature = 1e-6  # greedy: results must not depend on grouping / padding
    try:
        pairs, start, x_ids, *_ = sampler.positions("Calculator", "He pays 7 times 13, so 91 gold.")
        sites = [start + 3, start + 9, start + 14]
        single = [sampler.sample_sites(pairs, [s], "Calculator", 2, 6)[0] for s in sites]
        grouped = sampler.sample_sites(pairs, sites, "Calculator", 2, 6)
        assert grouped == single
    finally:
        sampler.temperature = 1.0


def test_sample_record_counts_every_sample(sampler):
    rec = {"id": "t1", "tool": "Calculator", "text": "He buys 3 lamps at 4 gold, a total of 12 gold."}
    out = sample_record(sampler, rec, {"k": 3, "m": 4, "max_new": 5})
    assert out["n_samples"] == 12  # k sites x m samples
    assert out["n_unclosed"] + out["n_unparsable"] + sum(c["n"] for c in out["candidates"]) == 12
    assert all(c["pos"] >= 0 and rec["text"][c["pos"]] == " " for c in out["candidates"])
