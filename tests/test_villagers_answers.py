"""News salience, answers from memory and the level of detail, with the scripted test double (no model)."""
from __future__ import annotations

import re

import pytest

from agent.scripted import ScriptedBackend
from agent.villagers.answers import (
    DONT_KNOW,
    answer_from_memory,
    first_person,
    grounded,
    when_phrase,
)
from agent.villagers.memory import MemoryRecord
from agent.villagers.salience import combine, news_floor
from agent.villagers.script import VillageInvalid, parse_village_text
from agent.villagers.simulation import Village

VILLAGE = """\
format: 1
id: three
title: Three
start: 2026-05-04T08:00:00
places:
  - {id: well, name: Well}
  - {id: hut, name: Hut}
villagers:
  - {id: ana, name: Ana, age: 30, occupation: baker, home: well,
     routine: [{at: "06:00", place: well, activity: drawing water}]}
  - {id: ben, name: Ben, age: 40, occupation: smith, home: well,
     routine: [{at: "06:00", place: well, activity: mending a bucket}, {at: "10:00", place: hut, activity: resting}]}
  - {id: cy, name: Cy, age: 50, occupation: hermit, home: hut,
     routine: [{at: "06:00", place: hut, activity: meditating}]}
news:
  - {about: [Zarqa, twins], importance: 8}
  - {about: [bread prices], importance: 6, cares: [ben]}
"""
FACT = "Hassan's camel Zarqa gave birth to twins."


def low_rater(prompt, opts):
    """Test double: a model that rates everything 1 (the 135M model's verdict on the planted party)."""
    if "rate each observation" in prompt:
        items = re.findall(r"^(\d+)\. ", prompt, re.M)
        return "".join(f"{n}: 1\n" for n in items)[2:]
    return "Good day."


def record(rid, kind, text, created, importance=5, owner="ana"):
    return MemoryRecord(rid, owner, kind, text, created, created, importance)


# --- salience -------------------------------------------------------------------------------
def test_news_floor_matches_word_starts_for_those_who_care():
    script = parse_village_text(VILLAGE)
    assert news_floor(script, "cy", "Ana told me: the twins of Zarqa are born") == 8
    assert news_floor(script, "cy", "Betwixt the palms") == 0  # "twins" must start a word
    assert news_floor(script, "ben", "The BREAD   prices rose") == 6
    assert news_floor(script, "ana", "The bread prices rose") == 0  # Ana does not care
    assert combine(8, 1) == 8 and combine(3, 9) == 9  # the model only raises


def test_news_naming_an_unknown_villager_is_one_error_with_its_line():
    bad = VILLAGE.replace("cares: [ben]", "cares: [dan]")
    with pytest.raises(VillageInvalid) as err:
        parse_village_text(bad, "v.yaml")
    assert len(err.value.problems) == 1
    assert "v.yaml:17: news.1.cares.0" in str(err.value) and "unknown villager 'dan'" in str(err.value)


def test_marked_news_spreads_out_of_sight_though_the_model_rates_it_1():
    backend = ScriptedBackend(responder=low_rater)
    village = Village(parse_village_text(VILLAGE), backend, seed=0, detail="lod")
    village.populate()
    planted = village.plant("ana", FACT)
    assert planted.importance == 8  # the author's floor, not the model's 1
    village.run(1)
    assert village.knows("ben", "zarqa"), "Ana meets Ben at the well and tells him"
    assert not village.knows("cy", "zarqa")  # Cy is alone at the hut
    heard = village.knows("ben", "zarqa")[0]
    assert heard.kind == "chat" and heard.importance == 8  # hearsay is news too, so it travels on
    assert village.meter.total_calls() == 0  # nobody in the player's sight: no model call all hour
    village.run(2)  # Ben walks to the hut at 10:00 and passes it on
    assert village.knows("cy", "zarqa") and village.knows("cy", "zarqa")[0].text.startswith("Ben told me")


def test_the_same_day_in_full_detail_spends_model_calls():
    village = Village(parse_village_text(VILLAGE), ScriptedBackend(responder=low_rater), seed=0, detail="full")
    village.populate()
    village.run(1)
    assert village.meter.total_calls() > 0


def test_only_villagers_in_sight_spend_calls():
    backend = ScriptedBackend(responder=low_rater)
    village = Village(parse_village_text(VILLAGE), backend, seed=0, detail="lod")
    village.populate()
    village.set_focus(["cy"])
    village.run(1)
    assert set(village.meter.calls) == {"cy"}


# --- answers ------------------------------------------------------------------------------------
def test_memories_are_told_in_the_first_person_with_when():
    start, now = 8 * 60, 15 * 60
    assert when_phrase(start, now, start) == ""  # known before the story began
    assert when_phrase(9 * 60, now, start) == "this morning" and when_phrase(14 * 60, now, start) == "this afternoon"
    assert when_phrase(9 * 60, now + 1440, start) == "yesterday"
    hearsay = record(1, "chat", "Ben told me: Ana, have you heard? Someone lost a bracelet by the reeds.", 9 * 60)
    assert first_person(hearsay, now, start) == "Ben told me this morning: Someone lost a bracelet by the reeds."
    seen = record(2, "event", "Cy walks to the Hut.", 14 * 60)
    assert first_person(seen, now, start) == "This afternoon I saw this: Cy walks to the Hut."
    assert first_person(record(3, "event", "At the Well: the bucket broke.", 9 * 60), now, start) == \
        "This morning, at the Well: the bucket broke."


def test_grounding_rejects_invented_words_bare_yeses_and_refusals():
    memories = ["Ben told me: Hassan's camel Zarqa gave birth to twins."]
    backing = memories + ["Have you heard news about Hassan's camel?"]
    assert grounded("Yes, Zarqa gave birth to twins.", backing, memories)
    assert not grounded("Yes, Zarqa had triplets in Cairo.", backing, memories)  # invented
    assert not grounded("Yes, I heard about it.", backing, memories)  # says nothing a memory says
    assert not grounded("I'm sorry, as an AI I cannot know camels.", backing, memories)


@pytest.fixture
def ana():
    return parse_village_text(VILLAGE).villagers[0]


def test_an_invented_answer_is_replaced_by_the_memory(ana):
    memories = [record(7, "chat", "Ben told me: Ana, have you heard? Hassan's camel Zarqa gave birth to twins.", 600)]
    liar = ScriptedBackend(responses=["Yes! Zarqa had triplets and the caravan is leaving for Cairo."])
    answer = answer_from_memory(liar, ana, "Have you heard any news about Hassan's camel?", memories, None, 700, 480)
    assert answer.source == "memory" and answer.ids == [7]
    assert answer.text == "Ben told me this morning: Hassan's camel Zarqa gave birth to twins."


def test_a_dead_model_leaves_the_memory_to_answer_and_says_so(ana, caplog):
    def dead(prompt, opts):
        raise ConnectionError("server gone")

    memories = [record(7, "chat", "Ben told me: Ana, have you heard? Hassan's camel Zarqa gave birth to twins.", 600)]
    with caplog.at_level("WARNING", logger="agent.villagers.answers"):
        answer = answer_from_memory(ScriptedBackend(responder=dead), ana, "Any news about Hassan's camel?",
                                    memories, None, 700, 480)
    assert answer.source == "memory" and answer.ids == [7]
    assert answer.text == "Ben told me this morning: Hassan's camel Zarqa gave birth to twins."
    assert "the model failed (ConnectionError: server gone)" in caplog.text


def test_a_grounded_model_answer_is_kept(ana):
    memories = [record(7, "chat", "Ben told me: Hassan's camel Zarqa gave birth to twins.", 600)]
    honest = ScriptedBackend(responses=["Ben told me Zarqa gave birth to twins."])
    answer = answer_from_memory(honest, ana, "Any news about Hassan's camel?", memories, None, 700, 480)
    assert (answer.source, answer.text) == ("model", "Ben told me Zarqa gave birth to twins.")


def test_no_covering_memory_means_i_dont_know_without_asking_the_model(ana):
    memories = [record(1, "event", "Hassan is the caravan guide who brings me lamp oil.", 480)]
    backend = ScriptedBackend(responses=["Yes, the camel had twins."])
    answer = answer_from_memory(backend, ana, "Have you heard any news about Hassan's camel?", memories, None, 700, 480)
    assert (answer.text, answer.source, answer.ids) == (DONT_KNOW, "unknown", [])
    assert backend.calls == []


def test_a_question_about_nothing_in_particular_gets_the_news(ana):
    news = record(4, "event", "At the Well: the bucket broke.", 600, importance=7)
    answer = answer_from_memory(None, ana, "What news do you have?", [], news, 700, 480)
    assert answer.text == "This morning, at the Well: the bucket broke." and answer.ids == [4]


def test_village_answers_are_checked_end_to_end():
    backend = ScriptedBackend(responder=low_rater)
    village = Village(parse_village_text(VILLAGE), backend, seed=0, detail="lod")
    village.populate()
    village.plant("ana", FACT)
    village.run(1)
    backend.responder = lambda prompt, opts: "Yes, the camel had triplets."  # a model that invents
    told = village.ask("ben", "Have you heard any news about Hassan's camel?")
    assert told.source == "memory" and "Zarqa gave birth to twins" in told.text and told.text.startswith("Ana told me")
    assert village.ask("cy", "Have you heard any news about Hassan's camel?").text == DONT_KNOW


def test_the_shipped_100_villager_script_is_the_scaled_bundled_village():
    from pathlib import Path

    from agent.villagers.eval import scaled_script
    from agent.villagers.script import load_village

    shipped = load_village(Path(__file__).parents[1] / "agent" / "villagers" / "eval_villages" / "oasis_100.yaml")
    assert len(shipped.villagers) == 100
    assert shipped == scaled_script(load_village("oasis"), 100)


def test_the_asker_is_not_told_its_own_words_as_news():
    village = Village(parse_village_text(VILLAGE), None, seed=0, detail="lod")
    village.populate()
    village.perceive("ana", "The traveller asked me: What do you know about the ruins? I said: I don't know.",
                     kind="chat", rate_now=True, importance=9)
    assert "traveller asked" in village.ask("ana", "What news do you have?").text  # no asker named: it is news
    told = village.ask("ana", "What news do you have?", asker="the traveller")
    assert "traveller" not in told.text
    assert village.ask("ana", "What about the ruins?", asker="the traveller").text == DONT_KNOW
