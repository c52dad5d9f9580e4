"""No generated training text shares a 6-word sequence with the hand-written dev set or the held-out SVAMP-style set.

Texts are compared after lowercasing and masking every number (so "7 apples" and "12 apples" are the same words):
a shared 6-gram would mean a template copies a dev problem's wording, and the dev figure would then measure
memorisation. The dev set is read here and nowhere in the pipeline; a failure names the shared words and the
generator's template, not the dev item.
"""
from __future__ import annotations

import random
import re

import yaml

from toolformer.corpus import _merchant, build_corpus, build_lore
from toolformer.corpus_dates import make_date_text
from toolformer.corpus_lore import lore_facts, make_lore_text
from toolformer.corpus_plain import make_plain
from toolformer.corpus_problems import TEMPLATES, make_problem
from toolformer.handwritten import HANDWRITTEN

N = 6


def ngrams(text: str) -> set[tuple[str, ...]]:
    masked = re.sub(r"\d+(?:[.,:/]\d+)*", " 0 ", text.lower())
    words = re.findall(r"[a-z0-9']+", masked)
    return {tuple(words[i: i + N]) for i in range(len(words) - N + 1)}


def generated(seeds=range(6), per_seed=400) -> list[tuple[str, str]]:
    """(template, text) from every training generator, many seeds, every problem template."""
    out = []
    facts = lore_facts(build_lore())
    for seed in seeds:
        rng = random.Random(seed)
        for name in TEMPLATES:
            for _ in range(per_seed // 20):
                p = make_problem(rng, name, distractor_rate=0.5)
                out.append((f"problem.{name}", p.text))
        for _ in range(per_seed):
            kind, name, text = make_plain(rng)
            out.append((f"{kind}.{name}", text))
            d = make_date_text(rng)
            out.append((f"calendar.{d.template}", d.text))
            t = make_lore_text(rng, facts)
            out.append((f"lore.{t.template}", t.text))
            out.append(("merchant", _merchant(rng).text))
    train, _, _ = build_corpus(0)
    out += [(r.get("template", r["kind"]), r["text"]) for r in train]
    return out


def _collisions(reference: set[tuple[str, ...]], texts: list[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for template, text in texts:
        shared = ngrams(text) & reference
        if shared:
            found.setdefault(template, " ".join(sorted(shared)[0]))
    return found


def test_no_generated_text_shares_a_6gram_with_the_handwritten_dev_set():
    problems = yaml.safe_load(HANDWRITTEN.read_text(encoding="utf-8"))["problems"]
    reference = set().union(*(ngrams(str(p["question"])) for p in problems))
    assert len(reference) > 1000
    assert _collisions(reference, generated()) == {}


def test_no_training_text_shares_a_6gram_with_the_heldout_svamp_style_set():
    _, heldout, _ = build_corpus(0)
    svamp = [r["text"] for r in heldout if r["kind"] == "svamp"]
    assert svamp
    # the held-out cue " The answer is <n>." is shared by design; compare the problems before it
    reference = set().union(*(ngrams(t[: t.rfind(" The answer is")]) for t in svamp))
    assert _collisions(reference, generated(seeds=range(2))) == {}
