"""`adventure bench textworld`: generate TextWorld games, import them, win them, and play them differentially.

For each game of a spread over TextWorld's generators (`custom` with varied
world size, objects and quest length; `tw-simple`, `tw-coin_collector`,
`tw-treasure_hunter`, `tw-cooking`), `tw-make` writes the game, the importer
converts it, its walkthrough is played in both engines, and K random
"valid-looking" command sequences are compared step by step
(game.textworld.diff).

Figures (JSON keys): games (made by tw-make; settings it rejects or cannot make
within --make-timeout are counted apart as <generator>_tw_make_failed / _timeout),
imported_share, won_share (our walkthrough wins
with TextWorld's score), step_agreement (agreeing steps / steps over every
sequence), full_agreement_share (games whose every sequence agrees at every
step), plus per-generator counts under "by_generator" and the disagreement
classes (verb + differing fields) under "disagreement_classes".

Needs the `textworld` extra (tw-make and the Inform 7 compiler ship in its wheel).

Deliberately left out: timing figures (generation dominates and says nothing
about the engine).
"""
from __future__ import annotations

import collections
import json
import random
import subprocess
import sys
from pathlib import Path

from agent.files import write_text_atomic

GENERATORS = ("custom", "tw-simple", "tw-coin_collector", "tw-treasure_hunter", "tw-cooking")


def tw_make_path() -> str:
    beside = Path(sys.executable).with_name("tw-make")
    if beside.exists():
        return str(beside)
    import shutil

    found = shutil.which("tw-make")
    if not found:
        raise RuntimeError("tw-make not found: install the textworld extra "
                           "(pip install -e '.[textworld]' in the project)")
    return found


def game_settings(index: int, generators: tuple[str, ...] = GENERATORS) -> tuple[str, str, list[str]]:
    """(name, generator, tw-make arguments) for the index-th game of the spread: generators in turn,
    settings drawn from a generator seeded by the index (so a spread is reproducible)."""
    generator = generators[index % len(generators)]
    rng = random.Random(index)
    seed = 1000 + index
    if generator == "custom":
        size, objects, length = rng.randint(1, 10), rng.randint(0, 20), rng.randint(1, 8)
        args = ["--world-size", str(size), "--nb-objects", str(objects), "--quest-length", str(length)]
        if rng.random() < 0.5:
            args.append("--include-adj")
        if rng.random() < 0.3:
            args += ["--nb-parallel-quests", "2"]
    elif generator == "tw-simple":
        args = ["--rewards", rng.choice(["dense", "balanced", "sparse"]), "--goal",
                rng.choice(["detailed", "brief", "none"])]
    elif generator == "tw-coin_collector":
        args = ["--level", str(rng.choice([1, 2, 5, 10, 25, 50, 75, 100]))]  # TextWorld 1.7 makes <= 100 rooms
    elif generator == "tw-treasure_hunter":
        args = ["--level", str(rng.randint(1, 30))]
    else:  # tw-cooking
        args = ["--recipe", str(rng.randint(1, 3)), "--take", str(rng.randint(0, 3)), "--go",
                str(rng.choice([1, 6, 9, 12]))] + [f"--{o}" for o in ("open", "cook", "cut", "drop")
                                                   if rng.random() < 0.6]
    name = f"{index:04d}_{generator.replace('tw-', '')}"
    return name, generator, args + ["--seed", str(seed)]


def make_game(out_dir: Path, name: str, generator: str, args: list[str], timeout: float = 600) -> Path:
    """Run tw-make; the `.z8` path (its `.json` sits beside it). Reuses a game already made.
    Raises subprocess.TimeoutExpired when tw-make itself searches for a quest longer than `timeout`."""
    z8 = out_dir / f"{name}.z8"
    if z8.exists() and z8.with_suffix(".json").exists():
        return z8
    out_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([tw_make_path(), generator, *args, "--output", str(z8), "-f", "--silent"],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or not z8.exists():
        raise RuntimeError(f"tw-make {generator} {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return z8


def evaluate_game(z8: Path, walks: int, steps: int) -> dict:
    from game.stories.loader import StoryInvalid
    from game.textworld.diff import compare_game, random_commands, textworld_walkthrough
    from game.textworld.importer import load_textworld

    try:
        story = load_textworld(z8.with_suffix(".json"))
    except StoryInvalid as exc:
        return {"imported": False, "error": str(exc.problems[0])}
    walk = compare_game(z8, textworld_walkthrough(z8) or story.walkthrough, story)
    comparisons = [walk] + [compare_game(z8, random_commands(z8, steps, seed), story) for seed in range(walks)]
    return {
        "imported": True,
        "won": walk.ours_won and walk.theirs_won and walk.score == walk.theirs_score,
        "score_ours": walk.score,
        "steps": sum(c.steps for c in comparisons),
        "agreeing_steps": sum(c.agreeing_steps for c in comparisons),
        "full_agreement": all(c.full_agreement for c in comparisons),
        "disagreements": [d for c in comparisons for d in c.disagreements],
    }


def disagreement_class(record: dict) -> str:
    verb = record["command"].split()[0] if record["command"] else "?"
    return f"{verb}: {'+'.join(record['fields'])}"


def run_bench(games: int, workdir: Path, walks: int = 3, steps: int = 40,
              generators: tuple[str, ...] = GENERATORS, make_timeout: float = 300) -> dict:
    from tqdm import tqdm

    by_generator: dict[str, collections.Counter] = {g: collections.Counter() for g in generators}
    classes: collections.Counter = collections.Counter()
    examples: dict[str, dict] = {}
    import_errors: collections.Counter = collections.Counter()
    make_errors: collections.Counter = collections.Counter()
    steps_total = agreeing = 0
    for index in tqdm(range(games), desc="textworld games", unit="game"):
        name, generator, args = game_settings(index, generators)
        counts = by_generator[generator]
        counts["tried"] += 1
        try:
            z8 = make_game(workdir, name, generator, args, timeout=make_timeout)
        except subprocess.TimeoutExpired:  # TextWorld's own generator, not our engine: counted apart
            counts["tw_make_timeout"] += 1
            continue
        except RuntimeError as exc:  # likewise: tw-make rejected its own settings
            counts["tw_make_failed"] += 1
            make_errors[str(exc).strip().splitlines()[-1][-160:]] += 1
            continue
        result = evaluate_game(z8, walks, steps)
        if not result["imported"]:
            import_errors[result["error"].split(": ", 2)[-1][:160]] += 1
            continue
        counts["imported"] += 1
        counts["won"] += bool(result["won"])
        counts["full_agreement"] += bool(result["full_agreement"])
        steps_total += result["steps"]
        agreeing += result["agreeing_steps"]
        for record in result["disagreements"]:
            key = disagreement_class(record)
            classes[key] += 1
            examples.setdefault(key, {"game": name, **record})
    tried = sum(c["tried"] - c["tw_make_timeout"] - c["tw_make_failed"] for c in by_generator.values())
    imported = sum(c["imported"] for c in by_generator.values())
    return {
        "games": tried,
        "imported_share": imported / tried if tried else None,
        "won_share": sum(c["won"] for c in by_generator.values()) / tried if tried else None,
        "step_agreement": agreeing / steps_total if steps_total else None,
        "full_agreement_share":
            sum(c["full_agreement"] for c in by_generator.values()) / imported if imported else None,
        "by_generator": {g: dict(c) for g, c in by_generator.items()},
        "disagreement_classes": dict(classes.most_common()),
        "disagreement_examples": examples,
        "import_errors": dict(import_errors.most_common()),
        "tw_make_errors": dict(make_errors.most_common()),
        "notes": f"{walks} random walks of up to {steps} steps per game besides the walkthrough",
    }


def flat_figures(figures: dict) -> dict:
    """The `--json` object: one flat level of numbers (and `notes`)."""
    flat = {k: figures[k] for k in ("games", "imported_share", "won_share", "step_agreement",
                                    "full_agreement_share")}
    for generator, counts in figures["by_generator"].items():
        key = generator.replace("tw-", "")
        for what in ("tried", "tw_make_timeout", "tw_make_failed", "imported", "won", "full_agreement"):
            flat[f"{key}_{what}"] = counts.get(what, 0)
    flat["disagreement_class_count"] = len(figures["disagreement_classes"])
    classes = "; ".join(f"{k} x{v}" for k, v in figures["disagreement_classes"].items()) or "none"
    errors = "; ".join(f"{k} x{v}" for k, v in figures["import_errors"].items()) or "none"
    made = "; ".join(f"{k} x{v}" for k, v in figures["tw_make_errors"].items()) or "none"
    flat["notes"] = (f"{figures['notes']}. games counts what tw-make made; <generator>_tried also counts its "
                     f"failures and timeouts. Disagreement classes: {classes}. Import errors: {errors}. "
                     f"tw-make errors: {made}.")
    return flat


def cmd_bench_textworld(args) -> int:
    try:
        tw_make_path()
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    workdir = Path(args.workdir)
    figures = run_bench(args.games, workdir, walks=args.walks, steps=args.steps, make_timeout=args.make_timeout)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        write_text_atomic(args.json, json.dumps(flat_figures(figures), indent=2) + "\n")
    return 0


def register(subparsers, bench_subparsers) -> None:
    bench = bench_subparsers.add_parser("textworld", help="import tw-make games, win them, compare step by step")
    bench.add_argument("--games", type=int, default=200, help="how many games (generators in turn)")
    bench.add_argument("--walks", type=int, default=3, help="random command sequences per game")
    bench.add_argument("--steps", type=int, default=40, help="length of each random sequence")
    bench.add_argument("--workdir", default="textworld-games", help="where tw-make writes (games are reused)")
    bench.add_argument("--make-timeout", type=float, default=300,
                       help="seconds tw-make may search for a quest (a game over it is counted apart)")
    bench.add_argument("--json", metavar="OUT", help="write the figures as one JSON object")
    bench.set_defaults(func=cmd_bench_textworld)
