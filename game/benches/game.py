"""`adventure bench game`: engine speed, narration TTFT drift over a long game, ranked intent time.

Figures (JSON keys):
  engine_p50_ms, engine_p99_ms   parse + validate + apply + invariants + choices for
                                 each deterministic command of the walkthrough, repeated
  ttft_turn1_s, ttft_turn100_s,  time to the first narration token on the first and the
  ttft_turn100_over_turn1        last turn of a long game narrated every turn (the first
                                 turn pays for the cold system prompt; the ratio shows
                                 whether the prompt grows with the game: target <= 1.3)
  intent_ranked_ms_median        resolving free text that only the model can rank
Raw samples sit under "raw"; a figure that could not be measured is null and
"notes" says why. Narration is capped at 24 tokens here: TTFT does not depend
on the cap, and it keeps the long game short.

Deliberately left out: image generation and villagers (their own benchmarks).
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from agent.backend import Backend
from game.stories.loader import DEFAULT_STORY, load_story
from game.understanding.intent import resolve
from game.understanding.parser import parse
from game.understanding.replay import replay
from game.world.choices import build_choices
from game.world.engine import Engine

ENGINE_REPEATS = 20
# Wandering after the walkthrough's last step before the win, to make a long game.
WANDER = ["out", "look", "down", "up", "in", "x altar", "out", "east", "west", "north", "south", "wait"]
RANKED_INPUTS = [
    ("west", "have a look at the old box"), ("west", "chat with the old man"),
    ("south", "speak with the boy about fire"), ("east", "pick that shiny thing up"),
    ("north", "i would like that lamp"), ("north", "what do you sell"),
]


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def engine_times(story) -> list[float]:
    times = []
    for _ in range(ENGINE_REPEATS):
        engine = Engine(story)
        steps = replay(story, engine=engine)
        while True:  # each step timed from before its parse to after the choices it leaves
            started = time.perf_counter()
            if next(steps, None) is None:
                break
            build_choices(engine)
            times.append((time.perf_counter() - started) * 1000)
    return times


def long_game(story, turns: int) -> list[str]:
    commands = list(story.walkthrough[:-1])  # stop one placement short of the win
    while len(commands) < turns:
        commands += WANDER
    return commands[:turns]


def run_bench(backend: Backend | None, turns: int = 100) -> dict:
    from game.play.session import GameSession

    story = load_story(DEFAULT_STORY)
    notes = []
    samples = engine_times(story)
    figures: dict = {
        "engine_p50_ms": round(statistics.median(samples), 3),
        "engine_p99_ms": round(_percentile(samples, 99), 3),
        "engine_samples": len(samples),
        "ttft_turn1_s": None, "ttft_turn100_s": None, "ttft_turn100_over_turn1": None,
        "intent_ranked_ms_median": None,
    }
    raw: dict = {"engine_ms": [round(s, 3) for s in samples]}
    if backend is None:
        notes.append("no model could be loaded: narration and ranking figures not measured")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            session = GameSession.start(story, backend, save_path=Path(tmp) / "bench.sqlite", max_tokens=24)
            ttfts = []
            for command in long_game(story, turns):
                result = session.submit(command)
                ttfts.append(result.timings.get("ttft_s"))
            session.close()
        raw["ttft_s"] = ttfts
        first, last = ttfts[0], ttfts[-1]
        if first and last:
            figures.update(ttft_turn1_s=round(first, 4), ttft_turn100_s=round(last, 4),
                           ttft_turn100_over_turn1=round(last / first, 3))
            warm = [t for t in ttfts[1:] if t]
            figures["ttft_warm_median_s"] = round(statistics.median(warm), 4) if warm else None
            if turns != 100:
                notes.append(f"the long game had {turns} turns, not 100")
        else:
            notes.append("the first or last turn was not narrated (refused action?)")
        ranked_ms = []
        for room_command, text in RANKED_INPUTS:
            engine = Engine(story)
            engine.perform(parse(story, engine.state, room_command).action)
            intent = resolve(text, engine, build_choices(engine), backend)
            if intent.how in ("ranked", "clarify") and intent.scores:
                ranked_ms.append(intent.ms)
        raw["intent_ranked_ms"] = [round(m, 2) for m in ranked_ms]
        if ranked_ms:
            figures["intent_ranked_ms_median"] = round(statistics.median(ranked_ms), 2)
        figures["model"] = backend.name if backend else "?"
    figures["notes"] = notes
    figures["raw"] = raw
    return figures
