"""Recall probes: does retrieval bring back the memory a question is about?

A fixed memory stream (facts a villager of the oasis village could hold, mixed
with the routine observations that fill real streams) and questions, each
aimed at one fact. Half of the questions share content words with their
fact ("lexical"), half are paraphrases that share none ("paraphrase"), so
neither embeddings nor BM25 is favoured by construction.

`run_probes(backend, mode)` reports top-1 and top-3 hit rates, for relevance
alone and for the full retrieval score (recency, importance and relevance,
weights 1/1/1, recency and importance drawn from a fixed seed). Used to choose
the default relevance mode; the figures are in docs/BENCHMARKS.md.

Deliberately left out: probes generated from simulation logs (the recall eval
of the next session) and more than one villager's stream.
"""
from __future__ import annotations

import random

from agent.backend import Backend

from .memory import MemoryRecord
from .retrieval import Retriever
from .script import Settings

FACTS = [
    "A traveller lost a silver bracelet by the reeds of the oasis pool.",
    "Nadia sells a brass lantern for 12 gold.",
    "Nadia pays 8 gold for a silver bracelet.",
    "Hassan saw a light moving in the ruins of the temple last night.",
    "The bronze key to the temple is kept in the elder's cedar chest.",
    "Layla will marry at the next full moon and everyone is invited to the feast.",
    "There is a tinderbox in the old leather saddlebag in the stables.",
    "A caravan from Siwa arrives tomorrow and lamp oil will cost more.",
    "The soft sands south of the desert path swallowed a whole caravan.",
    "Sabra the camel bites anyone who walks behind her.",
    "The rope of the stone well snapped and a bucket fell into the water.",
    "A stranger in a grey cloak walked east into the dunes toward the ruins.",
]
# (question, index into FACTS, kind)
QUESTIONS = [
    ("Where was the silver bracelet lost?", 0, "lexical"),
    ("How much does a brass lantern cost?", 1, "lexical"),
    ("What does Nadia pay for a bracelet?", 2, "lexical"),
    ("What did Hassan see in the ruins?", 3, "lexical"),
    ("Where is the bronze key kept?", 4, "lexical"),
    ("Who is going to marry soon?", 5, "lexical"),
    ("How can I make fire to light my way?", 6, "paraphrase"),
    ("When are the merchants from far away coming?", 7, "paraphrase"),
    ("Is it dangerous to leave the road?", 8, "paraphrase"),
    ("Which animal should I be careful with?", 9, "paraphrase"),
    ("What happened to the village's water supply?", 10, "paraphrase"),
    ("Has anyone unfamiliar passed through?", 11, "paraphrase"),
]
FILLER = [
    "{a} is opening the lamp stall at the Bazaar.", "{a} is filling the water jars at the Oasis Pool.",
    "{a} is feeding the camels at the Stables.", "{a} is sitting in the shade by the well.",
    "{a} is harvesting dates at the Oasis Pool.", "{a} is baking bread in the oven.",
    "{a} walks to the Village Square.", "{a} is mending harness at the Stables.",
    "{a} rests at the Mud-brick Houses.", "{a} is counting the day's gold at the Bazaar.",
    "{a} talks with {b} at the Bazaar.", "{a} is studying the old maps.",
]
NAMES = ["Nadia", "Farah", "Tarek", "Hassan", "Layla", "Elder Yusuf"]


def probe_stream(seed: int = 0) -> tuple[list[MemoryRecord], list[int]]:
    rng = random.Random(seed)
    texts = [(t, True) for t in FACTS]
    for template in FILLER:
        for _ in range(3):
            a, b = rng.sample(NAMES, 2)
            texts.append((template.format(a=a, b=b), False))
    rng.shuffle(texts)
    records, fact_ids = [], {}
    for i, (text, is_fact) in enumerate(texts, 1):
        created = rng.randrange(0, 48 * 60)
        importance = rng.randint(3, 8) if is_fact else rng.randint(1, 4)
        records.append(MemoryRecord(i, "probe", "event", text, created, created, importance))
        if is_fact:
            fact_ids[text] = i
    return records, [fact_ids[f] for f in FACTS]


def run_probes(backend: Backend | None, mode: str, seed: int = 0) -> dict:
    records, fact_ids = probe_stream(seed)
    now = 48 * 60
    retriever = Retriever(backend, Settings(), mode=mode)
    out: dict[str, float] = {}
    for scoring in ("relevance", "full"):
        hits = {"top1": 0, "top3": 0, "lexical_top3": 0, "paraphrase_top3": 0}
        for question, index, kind in QUESTIONS:
            scored = retriever.score(records, question, now)
            key = (lambda s: s.relevance) if scoring == "relevance" else (lambda s: s.score)
            ranked = [s.record.id for s in sorted(scored, key=lambda s: (-key(s), s.record.id))]
            target = fact_ids[index]
            hits["top1"] += ranked[0] == target
            hits["top3"] += target in ranked[:3]
            hits[f"{kind}_top3"] += target in ranked[:3]
        n = len(QUESTIONS)
        out.update({f"{scoring}_{k}": v / (n if k.startswith("top") else n / 2) for k, v in hits.items()})
    return out
