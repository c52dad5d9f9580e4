"""`adventure bench village-turns`: does the player's turn wait for a 25-villager village?

The bundled story's walkthrough is played twice with the engine's own text
(no model prose, so the figure is the turn's own cost): once with no village,
once with the story's village scaled to `--villagers` (25) living beside the
game. As in the TUI, the village catches up with the game clock in a
background thread after each turn (`GameSession.advance_village`), while the
next turn is already being played; the villagers in the player's room are the
village's focus and spend model calls (level of detail), so the real model
competes with the turn for the CPU exactly as in `play`.

The player's pause between turns (`--think-s`, 0.5 s) is slept in both
set-ups: without it the 47 turns take a third of a second and the village
could not take a step among them.

JSON keys: `turn_p95_ms_with_25_villagers_over_none` (p95 turn time with the
village over without), `turn_p95_ms_none`, `turn_p95_ms_with_villagers`,
`turn_median_ms_none`, `turn_median_ms_with_villagers`, `turns`,
`village_steps`, `village_model_calls`, `think_s`, `notes`.

Deliberately left out: the TUI's own drawing time (measured by `adventure
bench tui`) and conversations with villagers (they answer from memory under
the village lock, so a question asked during a village step waits for it).
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from agent.files import write_text_atomic


def register(subparsers, bench_subparsers) -> None:
    from agent.runtime import add_model_arguments

    bench = bench_subparsers.add_parser("village-turns", help="turn time with a 25-villager village beside the game")
    bench.add_argument("--json", metavar="OUT", help="write the figures as one flat JSON object")
    bench.add_argument("--villagers", type=int, default=25, help="village size (default 25)")
    bench.add_argument("--rounds", type=int, default=3, help="walkthrough plays per set-up (default 3)")
    bench.add_argument("--think-s", type=float, default=0.5,
                       help="the player's pause between turns (default 0.5 s), in which the village goes on")
    add_model_arguments(bench)
    bench.set_defaults(func=cmd_bench)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def play_walkthrough(backend, size: int, save: Path, think_s: float = 0.0) -> tuple[list[float], int, float]:
    """Turn times (ms) of one walkthrough, village steps and the village's model calls; the village (if `size`)
    advances in a thread between turns."""
    from agent.villagers.eval import scaled_script
    from agent.villagers.script import load_village
    from game.play.session import GameSession
    from game.play.village import GameVillage, bundled_village_for

    session = GameSession.start("oasis", backend, save_path=save, resume=False, narration="engine",
                                villagers=False)
    steps, calls = 0, 0.0
    if size:
        script = scaled_script(load_village(bundled_village_for(session.story.id)), size)
        session.village = GameVillage(script, backend, session.store.path)
    times: list[float] = []
    worker: threading.Thread | None = None
    try:
        for command in session.story.walkthrough:
            started = time.perf_counter()
            session.submit(command)
            times.append((time.perf_counter() - started) * 1000)
            time.sleep(think_s)  # the player reads and types; a village step may still be running at the next turn
            if session.village is not None and (worker is None or not worker.is_alive()):
                worker = threading.Thread(target=session.advance_village, daemon=True)
                worker.start()
        if worker is not None:
            worker.join()
        if session.village is not None:
            steps = (session.village.village.clock - session.village.village.start) // 15
            meter = session.village.village.meter
            calls = meter.total_calls() if meter is not None else 0.0
    finally:
        session.close()
    return times, steps, calls


def cmd_bench(args) -> int:
    from agent.backend import ModelError
    from agent.runtime import backend_from_args

    try:
        backend = backend_from_args(args)
    except ModelError as exc:
        print(exc, file=sys.stderr)
        return 2
    none: list[float] = []
    village: list[float] = []
    steps, calls = 0, 0.0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for round_ in range(args.rounds):
                none += play_walkthrough(backend, 0, Path(tmp) / f"none-{round_}.sqlite", args.think_s)[0]
                times, round_steps, round_calls = play_walkthrough(backend, args.villagers,
                                                                   Path(tmp) / f"village-{round_}.sqlite", args.think_s)
                village += times
                steps += round_steps
                calls += round_calls
                print(f"round {round_ + 1}/{args.rounds}: p95 {p95(none):.1f} ms without, "
                      f"{p95(village):.1f} ms with {args.villagers} villagers", file=sys.stderr)
    finally:
        backend.close()
    one, five, _ = os.getloadavg()
    figures = {"turn_p95_ms_with_25_villagers_over_none": p95(village) / p95(none),
               "turn_p95_ms_none": p95(none), "turn_p95_ms_with_villagers": p95(village),
               "turn_median_ms_none": statistics.median(none),
               "turn_median_ms_with_villagers": statistics.median(village),
               "turns": len(village), "village_steps": steps, "villagers": args.villagers,
               "village_model_calls": calls,
               "think_s": args.think_s,
               "notes": f"walkthrough x {args.rounds} per set-up, engine narration, {args.think_s:g} s between turns, "
                        f"village stepped in a thread after each turn as in the TUI (steps and calls summed over "
                        f"rounds); load average {one:.1f}/{five:.1f} on {os.cpu_count()} cores"}
    text = json.dumps(figures, indent=1)
    if args.json:
        write_text_atomic(args.json, text + "\n")
    print(text)
    return 0
