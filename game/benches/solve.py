"""`adventure bench solve`: how fast the solver proves the bundled story, and how it does on TextWorld games.

Keys: solve_s_bundled (seconds to search assets/stories/oasis.yaml completely), states_bundled,
shortest_win_bundled (commands), walkthrough_len_bundled, softlocks_bundled; over tw-make games of all
five generators (`--per-generator` of each, taken by name from `--games`, made there with tw-make when
too few are present, or `--make N` more first): tw_solved_share (games where the solver finds a win,
over games tried; a game whose import fails counts as not solved) and tw_shortest_over_walkthrough (the
median of the solver's win length over the length of TextWorld's own walkthrough), tw_shortest_proved_share
(games whose win the search proved shortest: searched completely, or taken first by A* before a limit),
tw_win_found_s_max (the longest time to that proof), and notes (what was measured, and why any figure is
null). Every figure comes from this run.

Left out: model figures (the solver uses no model) and repeated timing (one search per story; the
machine's load shows in the seconds).
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from agent.files import write_text_atomic
from game.benches.textworld import GENERATORS

BUNDLED = "oasis"


def generator_of(path: Path) -> str:
    """tw-make games made here are named INDEX_GENERATOR (game.benches.textworld.game_settings)."""
    return path.stem.split("_", 1)[-1]


def pick_games(games_dir: Path, per_generator: int) -> list[Path]:
    by_gen: dict[str, list[Path]] = {}
    for path in sorted(games_dir.glob("*.json")):
        by_gen.setdefault(generator_of(path), []).append(path)
    return [p for gen in GENERATORS for p in by_gen.get(gen.replace("tw-", ""), [])[:per_generator]]


def make_games(games_dir: Path, count: int, first_index: int = 7000) -> list[str]:
    """Make `count` tw-make games (generators in turn); the failures, as lines for the notes."""
    from tqdm import tqdm

    from game.benches.textworld import game_settings, make_game

    failures = []
    for index in tqdm(range(first_index, first_index + count), desc="tw-make", unit="game", file=sys.stderr):
        name, generator, args = game_settings(index)
        try:
            make_game(games_dir, name, generator, args, timeout=120)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:  # tw-make failed: left out, and said so
            failures.append(f"tw-make {name}: {type(exc).__name__}: {str(exc)[-120:]}")
            print(failures[-1], file=sys.stderr)
    return failures


def solve_textworld(path: Path, max_states: int, max_seconds: float) -> dict:
    from game.solver.search import solve
    from game.stories.loader import StoryInvalid
    from game.textworld.diff import read_game
    from game.textworld.story_files import open_story

    theirs = len((read_game(path).get("metadata") or {}).get("walkthrough") or [])
    try:
        story = open_story(path)
    except StoryInvalid as exc:
        return {"game": path.name, "imported": False, "error": str(exc.problems[0])}
    result = solve(story, max_states=max_states, max_seconds=max_seconds)
    return {"game": path.name, "imported": True, "won": result.win is not None, "complete": result.complete,
            "win_len": len(result.win) if result.win is not None else None, "tw_walkthrough_len": theirs,
            "states": result.states, "seconds": round(result.seconds, 2), "softlocks": result.softlocks,
            "shortest_proved": result.shortest_proved, "spoiling_moves_not_tried": result.spoiled,
            "win_found_s": round(result.win_found_s, 2) if result.win_found_s is not None else None}


def run(games_dir: Path, per_generator: int, max_states: int, max_seconds: float, made_notes: list[str]) -> dict:
    from game.solver.search import solve
    from game.stories.loader import load_story, resolve_story_path

    notes = list(made_notes)
    bundled = solve(load_story(resolve_story_path(BUNDLED)), max_states=max_states * 4, max_seconds=600,
                    progress=True)
    if not bundled.complete:
        notes.append(f"bundled story: {bundled.stopped}; its softlock count is unknown")
    games = pick_games(games_dir, per_generator)
    from tqdm import tqdm

    rows = [solve_textworld(p, max_states, max_seconds) for p in tqdm(games, desc="solving", unit="game",
                                                                     file=sys.stderr)]
    won = [r for r in rows if r.get("won")]
    ratios = [r["win_len"] / r["tw_walkthrough_len"] for r in won if r["tw_walkthrough_len"]]
    gens = sorted({generator_of(p) for p in games})
    notes.append(f"{len(rows)} tw-make games from {games_dir} ({per_generator} per generator: {', '.join(gens)}); "
                 f"limits per game {max_states} states, {max_seconds:g} s; "
                 f"{sum(not r['imported'] for r in rows)} failed to import, "
                 f"{sum(r['imported'] and not r['complete'] for r in rows)} searches cut short "
                 f"({sum(r['imported'] and not r['complete'] and bool(r['shortest_proved']) for r in rows)} of them "
                 "after A* proved a shortest win: softlocks unknown there), "
                 f"{sum(bool(r.get('spoiling_moves_not_tried')) for r in rows)} games where moves that spoil the "
                 "meal were not tried (losses and softlocks only they reach are not counted), "
                 f"{sum(bool(r.get('softlocks')) and r['complete'] for r in rows)} games with softlocks")
    if not ratios:
        notes.append("tw_shortest_over_walkthrough is null: no game was won with a TextWorld walkthrough to compare")
    unsolved = [f"{r['game']} "
                f"({'import failed' if not r['imported'] else 'cut short' if not r['complete'] else 'no win'})"
                for r in rows if not r.get("won")]
    if unsolved:
        notes.append("not solved: " + ", ".join(unsolved))
    return {
        "solve_s_bundled": round(bundled.seconds, 1),
        "states_bundled": bundled.states,
        "shortest_win_bundled": len(bundled.win) if bundled.win is not None else None,
        "walkthrough_len_bundled": bundled.walkthrough_len,
        "softlocks_bundled": bundled.softlocks if bundled.complete else None,
        "tw_solved_share": round(len(won) / len(rows), 3) if rows else None,
        "tw_shortest_over_walkthrough": round(statistics.median(ratios), 3) if ratios else None,
        "tw_shortest_proved_share": round(sum(bool(r.get("shortest_proved")) for r in rows) / len(rows), 3)
        if rows else None,
        "tw_win_found_s_max": max((r["win_found_s"] for r in rows if r.get("win_found_s") is not None), default=None),
        "tw_games": len(rows),
        "tw_solve_s_median": round(statistics.median(r["seconds"] for r in rows if r["imported"]), 2)
        if any(r["imported"] for r in rows) else None,
        "notes": "; ".join(notes),
    }


def register(subparsers, bench_subparsers) -> None:
    bench = bench_subparsers.add_parser("solve", help="solver speed on the bundled story, wins on tw-make games")
    bench.add_argument("--json", metavar="OUT", help="write the figures as one JSON object")
    bench.add_argument("--games", metavar="DIR", default="runs/intent-games",
                       help="tw-make games (GAME.json); missing ones are made there")
    bench.add_argument("--make", type=int, default=0, metavar="N", help="first make N more tw-make games into --games")
    bench.add_argument("--per-generator", type=int, default=5, help="games of each of the five generators")
    bench.add_argument("--max-states", type=int, default=200_000, help="per TextWorld game")
    bench.add_argument("--max-seconds", type=float, default=60.0, help="per TextWorld game")
    bench.set_defaults(func=cmd_bench_solve)


def cmd_bench_solve(args) -> int:
    games_dir = Path(args.games)
    made: list[str] = []
    if args.make:
        made += make_games(games_dir, args.make)
    short = len(GENERATORS) * args.per_generator - len(pick_games(games_dir, args.per_generator))
    if short > 0:  # too few games there (or no directory): make enough of every generator
        print(f"{games_dir}: making tw-make games ({short} missing)", file=sys.stderr)
        made += make_games(games_dir, len(GENERATORS) * args.per_generator, first_index=7000)
    started = time.perf_counter()
    result = run(games_dir, args.per_generator, args.max_states, args.max_seconds, made)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(args.json, text + "\n")
    return 0
