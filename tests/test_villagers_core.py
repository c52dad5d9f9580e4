"""Villager core: retrieval scoring (hand-computed), importance fallback, reflection evidence, plan validation."""
from __future__ import annotations

import pytest

from agent.scripted import ScriptedBackend
from agent.villagers.memory import (
    ImportanceRater,
    MemoryRecord,
    MemoryStream,
    parse_ratings,
    rule_importance,
)
from agent.villagers.planning import PlanError, Planner, validate_plan
from agent.villagers.reflection import Reflector, parse_insights
from agent.villagers.retrieval import Retriever, bm25_scores, minmax
from agent.villagers.script import Settings, Weights, load_village


class VectorBackend(ScriptedBackend):
    """Scripted double with hand-set embeddings, so relevance is known exactly."""

    def __init__(self, vectors):
        super().__init__()
        self.vectors = vectors

    def embed(self, text):
        return self.vectors[text]


def _records():
    return [
        MemoryRecord(1, "v", "event", "A", created=0, last_access=600, importance=2),
        MemoryRecord(2, "v", "event", "B", created=0, last_access=540, importance=8),
        MemoryRecord(3, "v", "event", "C", created=0, last_access=0, importance=5),
    ]


VECTORS = {"q": [1.0, 0.0], "A": [0.0, 1.0], "B": [1.0, 0.0], "C": [0.6, 0.8]}


def test_retrieval_scores_match_hand_computed_values():
    # recency: 0.995^0 = 1, 0.995^1 = 0.995, 0.995^10 = 0.95111013 -> normalised 1, 0.89772..., 0
    # importance 2, 8, 5 -> 0, 1, 0.5; relevance (cosine) 0, 1, 0.6 -> 0, 1, 0.6
    retriever = Retriever(VectorBackend(VECTORS), Settings(), mode="embedding")
    scored = {s.record.id: s for s in retriever.score(_records(), "q", now=600)}
    assert scored[1].recency == pytest.approx(1.0)
    assert scored[2].recency == pytest.approx(0.897729, abs=1e-6)
    assert scored[3].recency == pytest.approx(0.0)
    assert [scored[i].importance for i in (1, 2, 3)] == pytest.approx([0.0, 1.0, 0.5])
    assert [scored[i].relevance for i in (1, 2, 3)] == pytest.approx([0.0, 1.0, 0.6])
    assert [scored[i].score for i in (1, 2, 3)] == pytest.approx([1.0, 2.897729, 1.1], abs=1e-6)


def test_retrieval_weights_and_touch():
    settings = Settings(weights=Weights(recency=0.5, importance=3, relevance=2), retrieve_n=2)
    records = _records()
    top = Retriever(VectorBackend(VECTORS), settings, mode="embedding").retrieve(records, "q", now=600)
    # 0.5*0.897729 + 3 + 2 = 5.448865 ; C: 1.5 + 1.2 = 2.7 ; A: 0.5
    assert [s.record.id for s in top] == [2, 3]
    assert top[0].score == pytest.approx(5.448865, abs=1e-6) and top[1].score == pytest.approx(2.7)
    assert [r.last_access for r in records] == [600, 600, 600]  # the top two were touched, A was already 600


def test_constant_component_normalises_to_half():
    assert minmax([3.0, 3.0]) == [0.5, 0.5]
    assert minmax([1.0, 3.0, 2.0]) == [0.0, 1.0, 0.5]


def test_bm25_relevance_is_zero_without_shared_terms():
    records = [MemoryRecord(i, "v", "event", t, 0, 0, 1) for i, t in
               enumerate(["a silver bracelet by the reeds", "Nadia sells lamps", "the reeds are green"], 1)]
    scores = bm25_scores(records, "bracelet near the reeds")
    assert scores[1] == 0.0 and scores[0] > scores[2] > 0.0


def test_importance_parses_grammar_shaped_answer_and_falls_back_per_item():
    assert parse_ratings("1: 3\n2: 10\n3: 0\n", 3) == [3, 10, None]
    rater = ImportanceRater(ScriptedBackend(responses=["1: 9\nnonsense"]))
    texts = ["The well rope snaps.", "Nadia is sweeping the stall."]
    assert rater.rate(texts) == [9, rule_importance(texts[1])]
    assert rater.fallbacks == 1 and rater.model_ratings == 1


@pytest.mark.parametrize("answer", ["", "lol ten!!", "<|im_end|>", "1: 99\n2: -3"])
def test_garbage_ratings_fall_back_to_rules(answer):
    rater = ImportanceRater(ScriptedBackend(responses=[answer]))
    texts = ["A stranger stole the caravan's gold.", "Tarek is resting."]
    assert rater.rate(texts) == [rule_importance(t) for t in texts] == [7, 1]
    assert rater.fallbacks == 2


def test_rating_backend_error_is_not_a_crash():
    def boom(prompt, opts):
        raise RuntimeError("model fell over")

    rater = ImportanceRater(ScriptedBackend(responder=boom))
    assert rater.rate(["Layla bakes bread."]) == [rule_importance("Layla bakes bread.")]


def _stream():
    stream = MemoryStream("farah")
    texts = ["I found a bracelet.", "Nadia buys trinkets.", "The bracelet is silver.", "Nadia pays in gold."]
    for i, text in enumerate(texts):
        stream.add(MemoryRecord(10 + i, "farah", "event", text, created=100 + i, last_access=100 + i, importance=5))
    return stream


def test_reflection_keeps_only_insights_with_existing_evidence():
    def responder(prompt, opts):
        if "salient high-level questions" in prompt:
            return "What can I sell to Nadia?\n"
        return ("I could sell the bracelet to Nadia (because of 1, 2)\n"
                "The moon is cheese (because of 99)\n"
                "Nadia values silver (because of 3, 42)\n")

    stream = _stream()
    reflector = Reflector(ScriptedBackend(responder=responder), Retriever(None, Settings()))
    next_ids = iter(range(100, 110))
    thoughts = reflector.reflect("Farah", stream, now=200, new_id=lambda: next(next_ids))
    # numbered 1..4 = records in creation order: ids 10, 11, 12, 13
    assert [(t.text, t.evidence) for t in thoughts] == [
        ("I could sell the bracelet to Nadia", (10, 11)), ("Nadia values silver", (12,))]
    assert all(t.kind == "thought" and t.id in (100, 101) for t in thoughts)
    assert stream.records[-1].evidence == (12,)


def test_a_failing_reflection_model_falls_back_to_the_memories_and_says_so(caplog):
    def boom(prompt, opts):
        raise RuntimeError("model fell over")

    reflector = Reflector(ScriptedBackend(responder=boom), Retriever(None, Settings()))
    stream = _stream()
    with caplog.at_level("WARNING", logger="agent.villagers.reflection"):
        thoughts = reflector.reflect("Farah", stream, now=200, new_id=lambda: 100)
    assert thoughts == [] and reflector.fallbacks == 2  # questions from the memories, then no insight
    assert "reflection call failed (RuntimeError: model fell over)" in caplog.text


def test_parse_insights_drops_citations_of_missing_records():
    stream = _stream()
    numbered = stream.records[:2]
    known = {10}  # record 11 "was deleted"
    assert [(i.text, i.evidence) for i in parse_insights("Bracelets sell well (because of 1, 2)", numbered, known)] \
        == [("Bracelets sell well", (10,))]
    assert parse_insights("Bracelets sell well (because of 2)", numbered, known) == []


def test_plan_with_unknown_place_is_rejected():
    script = load_village("oasis")
    nadia = script.villager("nadia")
    with pytest.raises(PlanError, match="moon_base"):
        validate_plan([(9, "moon_base", "flying")], script, nadia)
    assert validate_plan([(9, "bazaar", "selling rugs")], script, nadia)[0].place == "bazaar"
    with pytest.raises(PlanError, match="waking day"):
        validate_plan([(3, "bazaar", "selling rugs at night")], script, nadia)


def test_day_plan_falls_back_to_routine_on_invalid_model_plan():
    script = load_village("oasis")
    nadia = script.villager("nadia")
    bad = Planner(ScriptedBackend(responses=["09:00 moon_base: flying\n"]), script)
    plan = bad.day_plan(nadia, 1, [])
    assert bad.fallbacks == 1 and plan.blocks[9].place == "bazaar" and plan.blocks[9].source == "routine"
    good = Planner(ScriptedBackend(responses=["09:00 village_square: shouting her prices\n"]), script)
    plan = good.day_plan(nadia, 1, [])
    assert good.fallbacks == 0 and (plan.blocks[9].place, plan.blocks[9].source) == ("village_square", "model")
    assert plan.blocks[14].place == "bazaar"  # hours the model left out follow the routine


def test_ranked_actions_are_only_valid_ones():
    script = load_village("oasis")
    planner = Planner(ScriptedBackend(), script)
    from agent.villagers.planning import routine_block

    nadia, farah = script.villager("nadia"), script.villager("farah")
    actions = planner.choose(nadia, routine_block(nadia, 9), [farah])
    assert {a.kind for a in actions} == {"do", "use", "talk", "rest"}
    assert {a.place for a in actions} == {"bazaar"}
    assert [a.target for a in actions if a.kind == "talk"] == ["farah"]
    assert {a.target for a in actions if a.kind == "use"} == set(script.place("bazaar").objects)
