"""The varied corpus: every generator's answer re-derived independently, and the corpus's variety in figures.

Word problems are solved a second way, from the numbers of the text itself (the distractor sentence removed) with
one rule per template, and their worked expression is run through the Calculator; Calendar answers are re-derived
from the text's `today` with datetime; LoreSearch answers must be in the entry a search for the text's subject
returns.
"""
from __future__ import annotations

import collections
import datetime as dt
import random
import re
from fractions import Fraction as F

import pytest

from agent.text_search import LoreIndex
from agent.tools import calculate
from toolformer.corpus import build_corpus, build_lore, calculator_prefilter
from toolformer.corpus_dates import TEMPLATES as DATE_TEMPLATES
from toolformer.corpus_dates import make_date_text
from toolformer.corpus_lore import lore_entries, lore_facts, make_lore_text
from toolformer.corpus_plain import make_plain
from toolformer.corpus_problems import TEMPLATES, make_problem
from toolformer.corpus_words import fmt

SEEDS = range(4)
_NUM = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")

# one rule per template, over the numbers of the question text in reading order (distractor removed)
SOLVE = {
    "add_more": lambda n, t: n[0] + n[1], "in_all": lambda n, t: n[0] + n[1], "take_left": lambda n, t: n[0] - n[1],
    "needs_more": lambda n, t: n[0] - n[1], "compare_more": lambda n, t: abs(n[0] - n[1]),
    "longer_than_wide": lambda n, t: n[0] - n[1], "taller": lambda n, t: n[0] - n[1],
    "times_as_many": lambda n, t: n[0] * n[1], "each_in_all": lambda n, t: n[0] * n[1],
    "rows_of": lambda n, t: n[0] * n[1], "share_each": lambda n, t: n[0] / n[1], "groups_of": lambda n, t: n[0] / n[1],
    "speed": lambda n, t: n[0] * n[1], "wages": lambda n, t: n[0] * n[1], "unit_price": lambda n, t: n[1] / n[0],
    "fill_time": lambda n, t: n[1] / n[0], "change": lambda n, t: n[1] - n[0],
    "change_many": lambda n, t: n[2] - n[0] * n[1], "spend_left": lambda n, t: n[0] - n[1] - n[2],
    "clock_span": lambda n, t: (n[2] * 60 + n[3]) - (n[0] * 60 + n[1]), "days_hours": lambda n, t: n[0] * 24 + n[1],
    "years_between": lambda n, t: n[1] - n[0], "practice_hours": lambda n, t: (n[0] + n[1] + n[2]) / 60,
    "fraction_of": lambda n, t: n[0] * n[1] / n[2] if "friend get" in t else n[0] - n[0] * n[1] / n[2],
    "percent_of": lambda n, t: n[0] * n[1] / 100,
    "discount": lambda n, t: n[0] - n[0] * n[1] / 100 if "reduction" in t else n[0] * n[1] / 100,
    "gain_then_lose": lambda n, t: n[0] + n[1] - n[2], "used_and_more": lambda n, t: n[0] - n[1] - n[2],
    "boxes_plus_loose": lambda n, t: n[0] * n[1] + n[2], "pool_and_share": lambda n, t: (n[0] + n[1]) / n[2],
    "shopping_two": lambda n, t: n[0] * n[1] + n[2] * n[3], "shopping_change": lambda n, t: n[3] - n[0] * n[1] - n[2],
    "more_than_other": lambda n, t: n[0] + n[0] + n[1],
    "perimeter": lambda n, t: 2 * (n[0] + n[1]) if "fence" in t else n[0] * n[1],
    "three_step_weekly": lambda n, t: n[0] * n[1] - n[2] - n[3],
}


def test_every_template_has_an_independent_solver():
    assert set(SOLVE) == set(TEMPLATES)


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_problem_answers_agree_with_the_text_and_the_calculator(template):
    for seed in SEEDS:
        rng = random.Random(seed)
        for _ in range(12):
            p = make_problem(rng, template, distractor_rate=0.5)
            assert p.text[p.answer_at:].startswith(f" {p.answer}"), p
            assert calculate(p.expr) == p.answer, p  # the worked expression, through the Calculator's parser
            question = p.text[: p.answer_at]
            for sentence in p.distractors:
                assert sentence in question
                question = question.replace(sentence, "")  # solved without the distractor's number
            numbers = [F(x) for x in _NUM.findall(question)]
            assert fmt(F(SOLVE[template](numbers, question))) == p.answer, (p.text, numbers)


def test_distractors_and_orders_vary():
    rng = random.Random(0)
    problems = [make_problem(rng) for _ in range(600)]
    with_distractor = sum(bool(p.distractors) for p in problems) / len(problems)
    assert 0.2 < with_distractor < 0.4
    question_first = sum(p.text.startswith(("How", "What", "By how")) for p in problems) / len(problems)
    statement = sum(" answer" not in p.text[: p.answer_at] and "Answer:" not in p.text and "comes to" not in p.text
                    for p in problems) / len(problems)
    assert question_first > 0.2 and statement > 0.2


@pytest.mark.parametrize("template", sorted(DATE_TEMPLATES))
def test_calendar_answers_follow_from_today(template):
    for seed in SEEDS:
        rng = random.Random(seed)
        for _ in range(10):
            d = make_date_text(rng, template)
            today = dt.date.fromisoformat(d.today)
            head = d.text[: d.answer_at]
            ahead = re.search(r"in (\d+) days|(\d+) days from today", head)
            n = int(next(g for g in ahead.groups() if g)) if ahead else (2 if "day after tomorrow" in head else 1)
            expected = {
                "say_today": f"{today:%A}, {today:%B} {today.day}, {today.year}",
                "weekday_only": f"{today:%A}", "question_weekday": f"{today:%A}", "month_only": f"{today:%B}",
                "year_only": str(today.year), "date_without_weekday": f"{today:%B} {today.day}, {today.year}",
                "days_ahead_weekday": f"{today + dt.timedelta(days=n):%A}",
                "days_ahead_date": f"{today + dt.timedelta(days=n):%B} {(today + dt.timedelta(days=n)).day}",
                "yesterday": f"{today - dt.timedelta(days=1):%A}",
            }[template]
            assert d.answer == expected and d.text[d.answer_at:].startswith(f" {expected}"), d


def test_lore_answers_are_in_the_entry_a_search_finds():
    facts = lore_facts(build_lore())
    entries = lore_entries(facts)
    index = LoreIndex(entries)
    text_of = dict(entries)
    assert len(entries) >= 30 and len({f["kind"] for f in facts}) == 5
    templates = set()
    for seed in SEEDS:
        rng = random.Random(seed)
        for _ in range(40):
            t = make_lore_text(rng, facts)
            templates.add(t.template)
            assert t.answer in text_of[t.title], t
            assert t.text[t.answer_at:].startswith(f" {t.answer}")
            assert index.search(t.title)[0][0] == t.title  # a call naming the subject gets the entry
    assert len(templates) >= 15


def test_plain_texts_need_no_tool():
    rng = random.Random(0)
    plain = [make_plain(rng) for _ in range(400)]
    assert {k for k, _, _ in plain} == {"plain_narration", "plain_dialogue", "plain_numbers"}
    with_numbers = [t for k, _, t in plain if k == "plain_numbers"]
    assert all(_NUM.search(t) for t in with_numbers)
    # numbers are labels or stated counts: never three numbers one of which follows from two others
    assert not any(calculator_prefilter(t) for _, _, t in plain)


def test_the_default_corpus_has_variety_figures():
    train, heldout, lore = build_corpus(0)
    kinds = collections.Counter(r["kind"] for r in train)
    tools = collections.Counter(r["tool"] for r in train)
    problems = [r for r in train if r["kind"] == "problem"]
    assert len({r["template"] for r in problems}) == len(TEMPLATES) >= 30
    assert len({r["shape"] for r in problems}) >= 14
    assert tools["Calendar"] >= 40 and tools["LoreSearch"] >= 40
    assert len({r["template"] for r in train if r["tool"] == "Calendar"}) == len(DATE_TEMPLATES)
    tool_free = tools[None] / len(train)
    assert 0.25 <= tool_free <= 0.5
    assert kinds["plain_numbers"] >= 60
    # every training text distinct, and none of them in the held-out split
    assert len({r["text"] for r in train}) == len(train)
    assert {r["text"] for r in train}.isdisjoint(r["text"] for r in heldout)


def test_the_heldout_split_does_not_depend_on_training_sizes():
    assert build_corpus(0)[1] == build_corpus(0, {"problems": 5, "plain": 3, "calendar": 2})[1]
