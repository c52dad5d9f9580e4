"""The village simulation with the scripted double: stop/resume, garbage output, budget, knowledge."""
from __future__ import annotations

import json
import random
import zlib

import pytest

from agent.scripted import ScriptedBackend
from agent.villagers.persistence import StateError, VillageStore, snapshot
from agent.villagers.planning import Action
from agent.villagers.script import load_village, parse_village_text
from agent.villagers.simulation import Village
from tests._village_texts import TWO


def stateless_responder(prompt, opts):
    """Depends on the prompt only, so a resumed run sees the same answers as an uninterrupted one."""
    h = zlib.crc32(prompt.encode())
    if "rate each observation" in prompt:
        n = prompt.count("\n") + 1
        return "".join(f"{i}: {1 + (h + 3 * i) % 10}\n" for i in range(1, min(n, 25)))
    if "one line per hour" in prompt:
        return "10:00 village_square: gossiping by the well\n"
    return f"Fine weather today, number {h % 7}."


def test_stop_and_resume_is_exact(tmp_path):
    script = load_village("oasis")
    straight = Village(script, ScriptedBackend(responder=stateless_responder), seed=3)
    events_straight = straight.populate() + straight.run(3)

    path = tmp_path / "v.sqlite"
    first = Village(script, ScriptedBackend(responder=stateless_responder), seed=3)
    with VillageStore(path) as store:
        events = first.populate()
        store.save(first, events)
        for _ in range(5):
            store.save(first, first.step())
    resumed = Village(script, ScriptedBackend(responder=stateless_responder), seed=99)
    with VillageStore(path) as store:
        store.load(resumed)
        for _ in range(7):
            store.save(resumed, resumed.step())
        logged = store.events()
    assert resumed.seed == 3
    assert snapshot(resumed) == snapshot(straight)
    assert logged == [json.loads(json.dumps(e, sort_keys=True)) for e in events_straight]
    assert any(e["kind"] == "chat" for e in logged)


def test_state_from_another_script_is_refused(tmp_path):
    script = load_village("oasis")
    village = Village(script, ScriptedBackend(responder=stateless_responder))
    with VillageStore(tmp_path / "v.sqlite") as store:
        store.save(village, village.populate())
        store.db.execute("UPDATE meta SET value = '0' WHERE key = 'format'")
        store.db.commit()
        with pytest.raises(StateError, match="format 0"):
            store.load(Village(script, None))
        store.db.execute("UPDATE meta SET value = '1' WHERE key = 'format'")
        store.db.execute("UPDATE meta SET value = 'abc' WHERE key = 'script_hash'")
        store.db.commit()
        with pytest.raises(StateError, match="another version of the script"):
            store.load(Village(script, None))


class GarbageBackend(ScriptedBackend):
    """Answers with junk, nothing, or an exception; ranks with NaNs or the wrong length."""

    def __init__(self):
        super().__init__(responder=self._junk)
        self.rng = random.Random(7)

    def _junk(self, prompt, opts):
        pick = self.rng.randrange(5)
        if pick == 0:
            raise RuntimeError("backend died")
        return ["", "<|im_end|><|im_end|>", "}{][ 99: -1 ::", "\u0000\u0001 ?? 12:00 atlantis: swimming"][pick - 1]

    def rank(self, prefix, options, role="rank"):
        pick = self.rng.randrange(3)
        if pick == 0:
            raise RuntimeError("rank died")
        return [float("nan")] * len(options) if pick == 1 else [0.0]


def test_garbage_model_output_falls_back_and_never_crashes():
    village = Village(load_village("oasis"), GarbageBackend(), seed=1)
    village.populate()
    events = village.run(14)
    assert village.rater.fallbacks > 0 and village.planner.fallbacks > 0 and village.talk.fallbacks > 0
    places = {p.id for p in village.script.places}
    assert all(s.place in places for s in village.states.values())
    assert any(e["kind"] == "chat" for e in events)
    assert all(e["text"] for e in events)


def test_simulation_rejects_actions_at_unknown_places():
    village = Village(load_village("oasis"), ScriptedBackend(responder=stateless_responder))
    village.populate()
    village.step()
    fixed = village._validate("nadia", Action(village.clock, "atlantis", "do", "swimming"))
    assert fixed.place in {p.id for p in village.script.places} and fixed.text != "swimming"
    village.states["farah"].place = next(p.id for p in village.script.places if p.id != "bazaar")
    gone = village._validate("nadia", Action(village.clock, "bazaar", "talk", "talk with Ghost", "farah"))
    assert gone.kind == "do"  # farah is elsewhere: no talk with her at the bazaar


def test_budget_holds_for_the_bundled_village():
    village = Village(load_village("oasis"), ScriptedBackend(responder=stateless_responder), seed=2)
    village.populate()
    village.run(16)
    per_hour = {vid: village.meter.calls[vid] / 16 for vid in village.states}
    assert max(per_hour.values()) <= 5.0 + 5.0 / 16  # the rule allows one hour of credit up front
    assert village.meter.total_calls() / (16 * len(village.states)) <= 5.0




def goat_matters(prompt, opts):
    if "rate each observation" in prompt:
        import re

        items = re.findall(r"^(\d+)\. (.*)$", prompt, re.M)
        return "".join(f"{n}: {9 if 'goat' in text else 2}\n" for n, text in items)
    return stateless_responder(prompt, opts)


def test_villagers_know_only_what_they_perceived_or_were_told():
    village = Village(parse_village_text(TWO), ScriptedBackend(responder=goat_matters), seed=0)
    village.populate()
    village.step()  # 08:00: the event is planted in Ana; Cy witnesses it at the hut
    assert village.knows("ana", "blue goat") and village.knows("cy", "blue goat")
    assert not village.knows("ben", "blue goat")
    village.run(1)
    heard = village.knows("ben", "blue goat")
    assert heard and all(r.kind == "chat" for r in heard)  # Ben learned it by being told, at the well
    assert all("Ben" not in r.text for r in village.states["cy"].stream.records)  # Cy never met Ben
