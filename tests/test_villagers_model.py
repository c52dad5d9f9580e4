"""One short real-model run of a tiny village (the embedded default model; marked `model`)."""
from __future__ import annotations

import pytest

from agent.villagers.script import parse_village_text
from agent.villagers.simulation import Village

TINY = """\
format: 1
id: tiny_model
title: Tiny
start: 2026-05-04T08:00:00
places:
  - {id: well, name: Well, objects: [bucket]}
villagers:
  - {id: ana, name: Ana, age: 30, occupation: baker, home: well,
     memories: [A traveller lost a silver bracelet by the well.],
     routine: [{at: "06:00", place: well, activity: drawing water}]}
  - {id: ben, name: Ben, age: 40, occupation: smith, home: well,
     routine: [{at: "06:00", place: well, activity: mending a bucket}]}
"""


@pytest.mark.model
def test_tiny_village_hour_with_the_real_model():
    from agent.llama_backend import LlamaCppBackend

    backend = LlamaCppBackend(n_ctx=2048, n_threads=1)  # one thread: far faster on a shared 2-core machine
    try:
        village = Village(parse_village_text(TINY), backend, seed=0)
        village.populate()
        events = village.run(1)
        assert {e["villager"] for e in events if e["kind"] == "action"} == {"ana", "ben"}
        for vid in ("ana", "ben"):
            assert village.meter.calls[vid] <= 5 * 2  # budget rule: 5 per hour plus one hour of credit
        answer = village.ask("ben", "What was lost by the well?")
        assert answer.text.strip() and set(answer.ids) <= {r.id for r in village.states["ben"].stream.records}
        assert answer.source in ("model", "memory") if answer.ids else answer.text == "I don't know."
    finally:
        backend.close()
