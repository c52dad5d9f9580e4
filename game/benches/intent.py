"""`adventure bench intent`: how often free text becomes the right action, the wrong one, or a question.

Two kinds of data, each with a development part (thresholds, synonyms and
frames may be chosen on it) and a held-out part (never looked at while tuning):

  hand       lines as people type them for the bundled story
             (tests/data/intent/oasis_dev.yaml ... oasis_dev9.yaml, nine writers,
             for development; oasis_heldout.yaml, held out), written by
             people who did not write the lexicon; each line is typed at a
             point of the walkthrough and expects canonical commands, `ask`
             (the game must not act) or `refuse` (nothing may change)
  generated  TextWorld games made by tw-make (all five generators); each
             walkthrough step re-worded by a template of
             tests/data/intent/tw_paraphrases.yaml (and the dev-only
             tw_paraphrases_dev2.yaml ... _dev8.yaml) plus noise (typos, no
             articles, capitals, punctuation). Development games use the dev
             templates, held-out games (never used for tuning) the held-out ones.
             A line of several commands is judged as the session plays it: understood
             whole first (game.understanding.whole_line), then each in turn.

A line is *understood* when the world ends where the canonical commands take
it (and, for looking verbs that change nothing, the same thing was looked at:
reading and examining one thing count as the same look);
*wrong* when the world changed into something else or another thing was
looked at; *asked* when the game asked back and changed nothing.

JSON keys: intent_understood, intent_wrong, intent_asked (held-out generated
steps), hand_understood, hand_wrong, hand_asked (held-out hand lines), the same
with a `_dev` suffix, intent_ms_p50, intent_ms_p95 (per line, all layers),
deterministic_ms_p95 (lines no model was asked about), settled_by_* (which layer
settled each held-out line), hand_dev_by_file (each development writer), counts, and notes.
`--split dev` runs development data only: no held-out line or game is loaded.

Deliberately left out: training an intent adapter (see docs/BENCHMARKS.md).
"""
from __future__ import annotations

import json
import logging
import random
import re
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from agent.backend import Backend
from agent.files import write_text_atomic
from game.play.session import GameSession
from game.stories.loader import DEFAULT_STORY, load_story
from game.understanding.intent import Context, resolve
from game.understanding.replay import replay
from game.understanding.splitting import split_commands
from game.understanding.whole_line import not_understood
from game.world.engine import Engine

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "intent"
LOOKING = ("examine", "read", "look", "inventory", "talk", "lore", "wait")


@dataclass
class Row:
    part: str  # hand_dev, hand_heldout, gen_dev, gen_heldout
    say: str
    expect: str
    outcome: str  # understood, wrong, asked
    layer: str
    ms: float
    got: str
    category: str = ""
    p_best: float | None = None
    margin: float | None = None
    source: str = ""  # the hand file a line came from


def _judge(expected_hash: str, expected_last: str | None, before_hash: str, after_hash: str, got: str | None,
           expect_ask: bool) -> str:
    if expect_ask:
        return "understood" if after_hash == before_hash and got is None else "wrong"
    if after_hash != expected_hash:
        return "asked" if after_hash == before_hash and got is None else "wrong"
    if expected_last and expected_last.split()[0] in LOOKING and got != expected_last:
        if got and _same_look(got, expected_last):
            return "understood"
        return "asked" if got is None else "wrong"
    return "understood"


def _same_look(got: str, expected: str) -> bool:
    """Reading and examining the same thing are one look ("what's on the mural?"): neither changes anything."""
    looks = ("examine ", "read ")
    strip = lambda phrase: next((phrase[len(v):] for v in looks if phrase.startswith(v)), None)  # noqa: E731
    return strip(got) is not None and strip(got) == strip(expected)


# --- hand-written lines for the bundled story --------------------------------------------------------
def hand_rows(part: str, path: Path, backend: Backend | None, limit: int | None = None) -> list[Row]:
    story = load_story(DEFAULT_STORY)
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))[:limit]
    rows = []
    from tqdm import tqdm

    for entry in tqdm(entries, desc=part, unit="line"):
        with tempfile.TemporaryDirectory() as tmp:
            reference = _session_at(story, None, Path(tmp) / "r.sqlite", entry)
            before = reference.state_hash
            expect = str(entry["expect"]).strip()
            expected_last = None
            if expect not in ("ask", "refuse"):
                for command in expect.split(";"):
                    result = reference.submit(command.strip())
                    expected_last = result.action
            expected_hash = reference.state_hash
            reference.close()
            player = _session_at(story, backend, Path(tmp) / "p.sqlite", entry)
            result = player.submit(str(entry["say"]))
            player.close()
        if expect == "refuse":
            outcome = "understood" if result.state_hash == before else "wrong"
        else:
            outcome = _judge(expected_hash, expected_last, before, result.state_hash, result.action,
                             expect == "ask")
        p_best, margin = _confidence(result.ranked)
        rows.append(Row(part, str(entry["say"]), expect, outcome, result.understood_by or result.how,
                        result.timings.get("intent_ms", 0.0), result.action or result.facts[:80],
                        entry.get("category", ""), p_best, margin, path.name))
    return rows


def _session_at(story, backend, path: Path, entry: dict) -> GameSession:
    session = GameSession.start(story, backend, save_path=path, resume=False, narrate=False)
    for command in story.walkthrough[: int(entry.get("at", 0))]:
        session.submit(command)
    # the walkthrough only sets the scene: "it" refers to what the player typed, "back" to where they walked
    session.context = Context(came_from=session.context.came_from)
    for command in entry.get("before", []) or []:
        session.submit(str(command))
    return session


def _confidence(ranked: list[tuple[str, float]]) -> tuple[float | None, float | None]:
    if not ranked:
        return None, None
    best = ranked[0][1]
    return best, best - (ranked[1][1] if len(ranked) > 1 else 0.0)


# --- generated lines over TextWorld games -----------------------------------------------------------------
# the first holds the dev and held-out halves; the others more dev re-wordings, each by other writers
TEMPLATE_FILES = ("tw_paraphrases.yaml", "tw_paraphrases_dev2.yaml", "tw_paraphrases_dev3.yaml",
                  "tw_paraphrases_dev4.yaml", "tw_paraphrases_dev5.yaml", "tw_paraphrases_dev6.yaml",
                  "tw_paraphrases_dev7.yaml", "tw_paraphrases_dev8.yaml", "tw_paraphrases_dev9.yaml",
                  "tw_paraphrases_dev10.yaml", "tw_paraphrases_dev11.yaml", "tw_paraphrases_dev12.yaml")


def load_templates(names: Sequence[str] = TEMPLATE_FILES) -> dict:
    """The template files merged by canonical command (a missing file is skipped, and said so)."""
    merged: dict[str, dict] = {}
    for name in names:
        path = DATA / name
        if not path.exists():
            print(f"note: {path} not found; its templates are left out")
            continue
        for shape, spec in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if shape == "noise" or not isinstance(spec, dict):
                continue
            entry = merged.setdefault(spec["canonical"], {"canonical": spec["canonical"], "paraphrases": []})
            entry["paraphrases"] += spec["paraphrases"]
    return merged


def shape_patterns(templates: dict) -> list[tuple[str, re.Pattern, dict]]:
    out = []
    for shape, spec in templates.items():
        if shape == "noise" or not isinstance(spec, dict):
            continue
        canonical = spec["canonical"]
        regex = "^" + re.escape(canonical).replace(r"\{x\}", "(?P<x>.+?)").replace(r"\{y\}", "(?P<y>.+?)") \
            .replace(r"\{d\}", "(?P<d>north|south|east|west|up|down|in|out)") + "$"
        out.append((shape, re.compile(regex), spec))
    out.sort(key=lambda s: -len(s[2]["canonical"]))  # "take {x} from {y}" before "take {x}"
    return out


def reword(command: str, shapes, split: str, rng: random.Random) -> str | None:
    for _, regex, spec in shapes:
        match = regex.match(command)
        if match is None:
            continue
        options = [p["text"] for p in spec["paraphrases"] if p.get("split", "dev") == split]
        if not options:
            return None
        return add_noise(rng.choice(options).format(**match.groupdict()), rng)
    return None


def add_noise(text: str, rng: random.Random) -> str:
    """What players' fingers do: a typo in a longer word, missing articles, capitals, punctuation."""
    words = text.split()
    if rng.random() < 0.3:
        long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if long:
            i = rng.choice(long)
            w, j = words[i], rng.randrange(1, len(words[i]) - 2)
            kind = rng.choice(["swap", "drop", "double"])
            words[i] = (w[:j] + w[j + 1] + w[j] + w[j + 2:] if kind == "swap" else
                        w[:j] + w[j + 1:] if kind == "drop" else w[:j] + w[j] + w[j:])
    if rng.random() < 0.3:
        words = [w for w in words if w.lower() not in ("the", "a", "an")] or words
    text = " ".join(words)
    if rng.random() < 0.2:
        text = text.capitalize()
    if rng.random() < 0.2:
        text += rng.choice(["!", ".", "?", " ..."])
    return text


def generated_rows(part: str, games: list[Path], split: str, backend: Backend | None, seed: int = 0,
                   max_steps: int = 30, templates: Sequence[str] = TEMPLATE_FILES) -> list[Row]:
    from tqdm import tqdm

    from game.stories.loader import StoryInvalid
    from game.textworld.importer import load_textworld

    shapes = shape_patterns(load_templates(templates))
    rng = random.Random(seed)
    rows = []
    for game in tqdm(games, desc=part, unit="game"):
        try:
            story = load_textworld(game)
        except StoryInvalid as exc:
            log.warning("%s left out of the generated rows: %s", game.name, exc.problems[0])
            continue
        engine = Engine(story)
        for step in replay(story, story.walkthrough[:max_steps], engine):  # `engine` is after the step
            if step.ended:
                break
            command, canonical = step.command, step.parsed
            said = reword(command, shapes, split, rng)
            if said is None or canonical.status != "ok":
                continue
            expected = engine  # the world the canonical command left
            trial = Engine(story, step.before.model_copy(deep=True))
            context, ms = Context(), 0.0
            parts = split_commands(said, story) or [said]
            checked = time.perf_counter()
            stop = not_understood(parts, trial, [], context)  # as the session does
            ms += (time.perf_counter() - checked) * 1000
            for command_part in [] if stop is not None else parts:
                intent = resolve(command_part, trial, [], backend, context=context)
                ms += intent.ms
                if intent.action is None or trial.perform(intent.action).refused:
                    break
            intent = stop or intent
            intent.ms = ms
            got = intent.action.phrase(story) if intent.action else None
            outcome = _judge(expected.state_hash(), canonical.action.phrase(story), step.before.state_hash(),
                             trial.state_hash(), got, False)
            p_best, margin = _confidence(intent.scores)
            rows.append(Row(part, said, command, outcome, intent.layer or intent.how, intent.ms,
                            got or intent.message[:80], story.id, p_best, margin))
    return rows


# --- figures ----------------------------------------------------------------------------------------------
def share(rows: list[Row], outcome: str) -> float | None:
    return round(sum(r.outcome == outcome for r in rows) / len(rows), 4) if rows else None


def figures(rows: list[Row], notes: str) -> dict:
    parts = {p: [r for r in rows if r.part == p] for p in ("hand_dev", "hand_heldout", "gen_dev", "gen_heldout")}
    out: dict = {}
    for prefix, part in (("intent", "gen_heldout"), ("hand", "hand_heldout")):
        for outcome in ("understood", "wrong", "asked"):
            out[f"{prefix}_{outcome}"] = share(parts[part], outcome)
            out[f"{prefix}_{outcome}_dev"] = share(parts[part.replace("heldout", "dev")], outcome)
        out[f"{prefix}_lines"] = len(parts[part])
        out[f"{prefix}_lines_dev"] = len(parts[part.replace("heldout", "dev")])
    times = sorted(r.ms for r in rows)
    out["intent_ms_p50"] = round(statistics.median(times), 2) if times else None
    out["intent_ms_p95"] = round(times[int(0.95 * (len(times) - 1))], 2) if times else None
    quick = sorted(r.ms for r in rows if r.layer != "model" and r.p_best is None)
    out["deterministic_ms_p95"] = round(quick[int(0.95 * (len(quick) - 1))], 2) if quick else None
    for name in sorted({r.source for r in parts["hand_dev"]}):  # each development writer on its own
        mine = [r for r in parts["hand_dev"] if r.source == name]
        out.setdefault("hand_dev_by_file", {})[name] = {
            **{o: share(mine, o) for o in ("understood", "wrong", "asked")}, "lines": len(mine)}
    held = parts["gen_heldout"] + parts["hand_heldout"]
    for layer in sorted({r.layer for r in held}):
        out[f"settled_by_{layer}"] = sum(r.layer == layer for r in held)
    out["notes"] = notes
    return out


HAND_SETS = (("dev", "oasis_dev.yaml"), ("dev", "oasis_dev2.yaml"), ("dev", "oasis_dev3.yaml"),
             ("dev", "oasis_dev4.yaml"), ("dev", "oasis_dev5.yaml"), ("dev", "oasis_dev6.yaml"),
             ("dev", "oasis_dev7.yaml"), ("dev", "oasis_dev8.yaml"),
             ("dev", "oasis_dev9.yaml"), ("dev", "oasis_dev10.yaml"),
             ("dev", "oasis_dev11.yaml"), ("dev", "oasis_dev12.yaml"), ("dev", "oasis_dev13.yaml"),
             ("dev", "oasis_dev14.yaml"),
             ("heldout", "oasis_heldout.yaml"))


def run(backend: Backend | None, games_dir: Path, *, dev_games: int, limit: int | None = None,
        rows_out: Path | None = None, split: str = "all", hand_files: list[str] | None = None,
        generated: bool = True, templates: Sequence[str] = TEMPLATE_FILES, noise_seed: int = 1) -> dict:
    """`split`: "all", or "dev" for development data only (no held-out line or game is even loaded);
    `hand_files`: only these hand files (by name); `generated`: also the tw-make games, re-worded with
    `templates` (a new writer's file alone: its figure on arrival); `noise_seed`: the development steps' choice
    of template and noise (other seeds: other lines on the same games, a cheap search for wrong deeds)."""
    rows: list[Row] = []
    for part, name in HAND_SETS:
        if (split == "dev" and part != "dev") or (hand_files is not None and name not in hand_files):
            continue
        if (DATA / name).exists():
            rows += hand_rows(f"hand_{part}", DATA / name, backend, limit)
    games = sorted(games_dir.glob("*.json")) if generated else []
    rows += generated_rows("gen_dev", games[:dev_games], "dev", backend, seed=noise_seed, templates=templates)
    if split != "dev":
        rows += generated_rows("gen_heldout", games[dev_games:], "heldout", backend, seed=2, templates=templates)
    if rows_out:
        write_text_atomic(rows_out, "".join(json.dumps(r.__dict__) + "\n" for r in rows))
    dev_count = min(dev_games, len(games))
    held_count = 0 if split == "dev" else len(games) - dev_count
    notes = (f"split {split}; tw-make games in {games_dir}: {dev_count} dev, {held_count} held out run; "
             f"model: {'none' if backend is None else backend.name}")
    return figures(rows, notes)


def register(subparsers, bench_subparsers) -> None:
    from agent.runtime import add_model_arguments

    bench = bench_subparsers.add_parser("intent", help="free-text understanding: understood / wrong / asked")
    bench.add_argument("--json", metavar="OUT", help="write the figures as one JSON object")
    bench.add_argument("--rows", metavar="OUT", help="write every judged line as JSON lines")
    bench.add_argument("--games", metavar="DIR", default="runs/intent-games",
                       help="tw-make games (GAME.json); made with `adventure bench intent --make N`")
    bench.add_argument("--make", type=int, default=0, metavar="N", help="first make N tw-make games into --games")
    bench.add_argument("--first-seed", type=int, default=5000, help="with --make: the first game's seed (other seeds "
                       "make games apart from the default set, e.g. more development games)")
    bench.add_argument("--dev-games", type=int, default=40, help="the first games (by name) are the dev split")
    bench.add_argument("--no-model", action="store_true", help="deterministic layers only (no model ranking)")
    bench.add_argument("--limit", type=int, help="only the first N hand lines of each file (a quick look)")
    bench.add_argument("--split", choices=("all", "dev"), default="all",
                       help="dev: development data only (held-out hand lines and games are never run)")
    bench.add_argument("--hand", metavar="NAMES", help="only these hand files, comma-separated "
                       "(e.g. oasis_dev4.yaml)")
    bench.add_argument("--no-generated", action="store_true", help="hand lines only (no tw-make games)")
    bench.add_argument("--templates", metavar="NAMES", help="only these re-wording template files, "
                       "comma-separated (default: " + ", ".join(TEMPLATE_FILES) + ")")
    bench.add_argument("--noise-seed", type=int, default=1, help="development steps only: which template and "
                       "noise each step gets (other seeds re-word the same games again)")
    add_model_arguments(bench)
    bench.set_defaults(func=cmd_bench_intent)


def cmd_bench_intent(args) -> int:
    from agent.runtime import backend_from_args

    games_dir = Path(args.games)
    if args.make:
        make_games(games_dir, args.make, args.first_seed)
    backend = None if args.no_model else backend_from_args(args)
    started = time.perf_counter()
    hand = [n.strip() for n in args.hand.split(",") if n.strip()] if args.hand else None
    result = run(backend, games_dir, dev_games=args.dev_games, limit=args.limit,
                 rows_out=Path(args.rows) if args.rows else None, split=args.split, hand_files=hand,
                 generated=not args.no_generated,
                 templates=[n.strip() for n in args.templates.split(",")] if args.templates else TEMPLATE_FILES,
                 noise_seed=args.noise_seed)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        write_text_atomic(args.json, text + "\n")
    return 0


def make_games(out: Path, count: int, first_seed: int = 5000) -> None:
    from tqdm import tqdm

    from game.benches.textworld import game_settings, make_game

    for index in tqdm(range(count), desc="tw-make", unit="game"):
        name, generator, args = game_settings(first_seed + index)  # apart from `bench textworld`'s games
        try:
            make_game(out, name, generator, args, timeout=120)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:  # tw-make's own: left out, and said so
            log.warning("tw-make %s left out: %s: %s", name, type(exc).__name__, str(exc)[-160:])
            print(f"tw-make {name}: {type(exc).__name__}: {str(exc)[-160:]}")
