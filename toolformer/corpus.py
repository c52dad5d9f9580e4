"""Stage 1: a seeded corpus of texts where tools help, plus texts where they do not.

Training kinds (each record: id, split, kind, tool, text, and answer/answer_at where the text has one):
  * merchant  — trades in the story's style: prices, quantities, change, totals (Calculator);
  * problem   — word problems of many shapes, orders and phrasings, some with a distractor number
                (Calculator; toolformer/corpus_problems.py, with shape, template and the worked `expr`);
  * calendar  — today's weekday/date/month/year and days ahead, with the text's own `today`
                (Calendar; toolformer/corpus_dates.py);
  * lore      — facts of the invented lore (LoreSearch over `lore_entries`; toolformer/corpus_lore.py);
  * plain_narration, plain_dialogue, plain_numbers, narration — texts where no tool helps (no tool;
                toolformer/corpus_plain.py): numbers there are labels and plain facts, never sums.
Held-out split (drawn first, the same whatever the training sizes): fresh merchant problems (new numbers,
same templates), an SVAMP/ASDiv-style set written from templates no training text uses (it measures
transfer, not memorisation), and narration.
Texts without a worked expression pass the paper's Calculator pre-filter (`calculator_prefilter`).

Deliberately left out: real game transcripts (`--extra FILE` appends any JSONL of {"text": ...} records)
and downloaded benchmarks (every template here is our own).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from agent.tools import calculate

from .corpus_dates import make_date_text
from .corpus_lore import lore_entries, lore_facts, make_lore_text
from .corpus_plain import make_plain
from .corpus_problems import make_problem

TOWNS = ["Sandmere", "Qarth Vale", "Old Harran", "Ember Ford", "Saltmarch", "Duskhollow", "Mirewick", "Azra"]
BUYERS = ["Mira", "Tomas", "the old pilgrim", "a young scout", "Captain Ysolde", "Brother Anselm", "Kade", "Lio"]
MERCHANTS = ["the spice merchant", "Hakim the trader", "the blacksmith", "a caravan master", "the weaver",
             "old Nessa", "the salt seller", "the innkeeper"]
GOODS = [("bolt of silk", "bolts of silk"), ("jar of honey", "jars of honey"), ("iron nail", "iron nails"),
         ("water skin", "water skins"), ("lamp", "lamps"), ("dagger", "daggers"), ("rope", "ropes"),
         ("sack of dates", "sacks of dates"), ("candle", "candles"), ("map", "maps"), ("arrow", "arrows"),
         ("loaf of bread", "loaves of bread")]
COINS = ["gold", "silver", "copper"]
NAMES_A = ["Orrin", "Vela", "Tamsin", "Corvo", "Ilsa", "Barak", "Wren", "Sefa", "Dorian", "Yara", "Hollis", "Zeno"]
PLACES = ["the ruins of Kel", "the salt caves", "the Whispering Gate", "the oasis well", "the Red Tower",
          "the sunken library", "the bone bridge", "the glass dunes"]
THINGS = ["riddle stone", "silver bell", "clay lantern", "moon compass", "ash banner", "copper key"]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _pick(rng: random.Random, seq):
    return seq[rng.randrange(len(seq))]


@dataclass
class _Problem:
    text: str
    answer: str
    answer_at: int  # character offset of " <answer>" in text (eval prompt = text[:answer_at])


def _problem(head: str, answer: str, tail: str) -> _Problem:
    return _Problem(f"{head} {answer}{tail}", answer, len(head))


# ---------------------------------------------------------------- merchant (train + held-out)
def _merchant(rng: random.Random) -> _Problem:
    b, m, t = _pick(rng, BUYERS), _pick(rng, MERCHANTS), _pick(rng, TOWNS)
    one, many = _pick(rng, GOODS)
    c = _pick(rng, COINS)
    kind = rng.randrange(6)
    if kind == 0:
        q, p = rng.randint(3, 29), rng.randint(11, 97)
        return _problem(f"At the bazaar of {t}, {b} buys {q} {many} from {m} at {p} {c} each. "
                        f"The total is", calculate(f"{q}*{p}"), f" {c}.")
    if kind == 1:
        price = rng.randint(12, 180)
        paid = rng.choice([x for x in (50, 100, 200, 250, 500) if x > price])
        return _problem(f"{_cap(b)} pays {m} {paid} {c} for a {one} that costs {price} {c}, "
                        f"and gets back", calculate(f"{paid}-{price}"), f" {c} in change.")
    if kind == 2:
        a, d = rng.randint(14, 480), rng.randint(12, 390)
        return _problem(f"The caravan carries {a} {many}; at {t} it loads {d} more, so now it carries",
                        calculate(f"{a}+{d}"), f" {many}.")
    if kind == 3:
        a = rng.randint(60, 900)
        d = rng.randint(11, a - 5)
        return _problem(f"{_cap(m)} had {a} {many} and sold {d} of them at {t}, which left",
                        calculate(f"{a}-{d}"), f" {many}.")
    if kind == 4:
        n = rng.randint(2, 9)
        each = rng.randint(7, 85)
        return _problem(f"{n} travellers share a bill of {n * each} {c} at the inn of {t}; each of them pays",
                        calculate(f"{n * each}/{n}"), f" {c}.")
    q, p, r = rng.randint(2, 15), rng.randint(6, 45), rng.randint(10, 99)
    return _problem(f"{_cap(b)} buys {q} {many} at {p} {c} each and a saddle for {r} {c}, "
                    f"paying a total of", calculate(f"{q}*{p}+{r}"), f" {c}.")


# ---------------------------------------------------------------- SVAMP/ASDiv style (held-out only)
def _svamp(rng: random.Random) -> _Problem:
    """Different templates and vocabulary from anything in training."""
    names = ["Jack", "Lena", "Omar", "Priya", "Sam", "Nora", "Eli", "Maya"]
    n = _pick(rng, names)
    kind = rng.randrange(6)
    if kind == 0:
        a, d = rng.randint(15, 95), rng.randint(12, 60)
        return _problem(f"{n} had {a} marbles. Then {n} found {d} more marbles. How many marbles does {n} "
                        f"have now? The answer is", calculate(f"{a}+{d}"), ".")
    if kind == 1:
        a = rng.randint(40, 150)
        d = rng.randint(12, a - 3)
        return _problem(f"There were {a} birds in a tree. {d} of them flew away. How many birds are left in "
                        f"the tree? The answer is", calculate(f"{a}-{d}"), ".")
    if kind == 2:
        q, p = rng.randint(3, 19), rng.randint(12, 48)
        return _problem(f"A box holds {p} crayons. How many crayons are in {q} boxes? The answer is",
                        calculate(f"{q}*{p}"), ".")
    if kind == 3:
        k, each = rng.randint(3, 9), rng.randint(6, 30)
        return _problem(f"{n} shares {k * each} stickers equally among {k} friends. How many stickers does "
                        f"each friend get? The answer is", calculate(f"{k * each}/{k}"), ".")
    if kind == 4:
        a, b = rng.randint(120, 600), rng.randint(110, 500)
        return _problem(f"A school has {a} girls and {b} boys. How many students are in the school? "
                        f"The answer is", calculate(f"{a}+{b}"), ".")
    p, q, r = rng.randint(11, 40), rng.randint(3, 12), rng.randint(20, 90)
    return _problem(f"A book costs {p} dollars and {n} buys {q} books and a bag for {r} dollars. How much "
                    f"does {n} spend? The answer is", calculate(f"{p}*{q}+{r}"), ".")


# ---------------------------------------------------------------- calendar, lore, narration
def build_lore(seed: int = 7) -> list[tuple[str, str]]:
    """The world's lore entries (title, text): invented, so a model cannot know them."""
    rng = random.Random(seed)
    entries = []
    for place in PLACES:
        who, thing, town = _pick(rng, NAMES_A), _pick(rng, THINGS), _pick(rng, TOWNS)
        year = rng.randint(640, 1190)
        entries.append((place.replace("the ", "").title(),
                        f"{place.capitalize()} was built by {who} of {town} in the year {year}; "
                        f"the {thing} is kept there."))
    return entries


def _narration(rng: random.Random) -> str:
    place, thing, t = _pick(rng, PLACES), _pick(rng, THINGS), _pick(rng, TOWNS)
    return _pick(rng, [
        f"The wind howls over the dunes as you reach {place}. A {thing} glints in the sand.",
        f"You step into {place}. Torches flicker and somewhere water drips on stone.",
        f"The road to {t} winds between red cliffs. A hawk circles high above the caravan.",
        f"At dusk the market of {t} falls quiet, and the smell of bread drifts from the ovens.",
        f"A riddle is carved above the gate of {place}: it speaks of wind, straw, cloud and fire.",
        f"The old pilgrim hums a song about {t} and the stars that guide lost travellers home.",
    ])


# ---------------------------------------------------------------- pre-filter (paper)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")


def calculator_prefilter(text: str) -> bool:
    """Paper: >= 3 numbers where one results from +,-,*,/ of two others, or '=', 'equals',
    'total of' before a number."""
    if re.search(r"(=|\bequals\b|\btotal of\b)\s*\d", text):
        return True
    nums = [float(n) for n in _NUMBER.findall(text)][:30]
    if len(nums) < 3:
        return False
    for i, a in enumerate(nums):
        for j, b in enumerate(nums):
            if i == j:
                continue
            for r in (a + b, a - b, a * b, a / b if b else None):
                if r is not None and any(abs(r - v) < 0.006 for k, v in enumerate(nums) if k not in (i, j)):
                    return True
    return False


# ---------------------------------------------------------------- assemble
# the shipped adapter's corpus (1,240 texts: 620 with a tool, 600 without, so restraint is learned from the data)
DEFAULT_SIZES = {"merchant": 60, "problems": 400, "calendar": 80, "lore": 80, "plain": 600, "narration": 20,
                 "heldout_merchant": 60, "heldout_svamp": 40, "heldout_narration": 20}


def build_corpus(seed: int = 0, sizes: dict | None = None) -> tuple[list[dict], list[dict], list[tuple[str, str]]]:
    """(train records, held-out records, lore entries); the same seed gives the same corpus.

    The held-out split is drawn first, from its own templates (merchant: same templates, fresh numbers; svamp:
    templates no training text uses), so it is the same set whatever the training sizes are."""
    sizes = {**DEFAULT_SIZES, **(sizes or {})}
    rng = random.Random(seed)
    facts = lore_facts(build_lore())
    seen: set[str] = set()
    train, heldout = [], []

    def add(out, kind, tool, text: str, **fields):
        if text in seen:
            return False
        if tool == "Calculator" and "expr" not in fields and not calculator_prefilter(text):
            return False  # texts without a worked expression must look like arithmetic (the paper's pre-filter)
        seen.add(text)
        rec = {"id": f"{'t' if out is train else 'h'}{len(out):05d}", "split": "train" if out is train else "heldout",
               "kind": kind, "tool": tool, "text": text, **fields}
        out.append(rec)
        return True

    def fill(out, kind, n, make):
        made, tries = 0, 0
        while made < n and tries < n * 50:
            tries += 1
            made += bool(make(out, kind))

    def answered(p) -> dict:
        return {"answer": p.answer, "answer_at": p.answer_at}

    # held-out first so its numbers are never in training
    fill(heldout, "merchant", sizes["heldout_merchant"],
         lambda o, k: add(o, k, "Calculator", (p := _merchant(rng)).text, **answered(p)))
    fill(heldout, "svamp", sizes["heldout_svamp"],
         lambda o, k: add(o, k, "Calculator", (p := _svamp(rng)).text, **answered(p)))
    fill(heldout, "narration", sizes["heldout_narration"], lambda o, k: add(o, k, None, _narration(rng)))
    fill(train, "merchant", sizes["merchant"],
         lambda o, k: add(o, k, "Calculator", (p := _merchant(rng)).text, **answered(p)))

    def problem(o, k):
        p = make_problem(rng)
        return add(o, k, "Calculator", p.text, **answered(p), shape=p.shape, template=p.template, expr=p.expr,
                   distractors=list(p.distractors))

    def calendar(o, k):
        d = make_date_text(rng)
        return add(o, k, "Calendar", d.text, **answered(d), template=d.template, today=d.today)

    def lore(o, k):
        t = make_lore_text(rng, facts)
        return add(o, k, "LoreSearch", t.text, **answered(t), template=t.template, title=t.title)

    def plain(o, k):
        kind, template, text = make_plain(rng)
        return add(o, kind, None, text, template=template)

    fill(train, "problem", sizes["problems"], problem)
    fill(train, "calendar", sizes["calendar"], calendar)
    fill(train, "lore", sizes["lore"], lore)
    fill(train, "plain", sizes["plain"], plain)
    fill(train, "narration", sizes["narration"], lambda o, k: add(o, k, None, _narration(rng)))
    rng.shuffle(train)
    for n, rec in enumerate(train):  # ids in file order, so `sample --limit N` takes the first N of a mixed corpus
        rec["id"] = f"t{n:05d}"
    return train, heldout, lore_entries(facts)
