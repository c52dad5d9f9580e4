"""`adventure bench narration`: narrate hundreds of turns and measure what the grounding check lets through.

Turns (about `--turns`, 300 by default), made by the engine before any narration:
  walkthrough  the bundled story's walkthrough; its first half is the DEV split the narrator's
               prompt and decoding settings were tuned on, everything else is held out
  random       random valid actions (`Engine.valid_actions()`) on the bundled story, seeded
  textworld    5 games made by `tw-make` (cooking, simple, custom, treasure hunter, coin collector),
               imported, each played along its walkthrough and then at random
Every narration runs through the check (game.narration.grounding) as it streams. Figures (flat JSON):
  shown_violations_per_100_turns  violating sentences that reached the player, per 100 turns,
                                  re-checked with the checker AND with `crude_problems`, an
                                  independent check (story names / digits not in the engine's
                                  text, call syntax, an unfinished sentence), so it is not the
                                  checker grading itself
  raw_violations_per_100_turns    sentences the model produced that the check rejected
  model_prose_kept_share          model sentences shown / produced (prose_turn_share: turns with prose)
  fact_coverage                   turns whose shown text (prose + the engine's text, as the UI shows
                                  both) names the turn's main change; prose_fact_coverage: prose alone
  narration_call_rate_toolfree    tool-free turns on which the model started a call ("[" or "Tool(")
  tool_turns, tool_turn_calls_completed   turns where a tool may apply, and the calls run on them
  narration_first_sentence_ms_p50 from the request to the first shown sentence (turns with prose)
plus the same with dev_ / heldout_ prefixes, rejection counts by reason (rejected_<reason>), and
`notes`. `--samples OUT.jsonl` writes every turn (facts, raw text, shown text, rejections).

Deliberately left out: judging prose quality beyond the check (no model grades the prose), and
tw-make's own generation time.
"""
from __future__ import annotations

import json
import random
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from agent.files import write_text_atomic
from game.narration.grounding import (
    REASONS,
    Lexicon,
    build_facts,
    check_sentence,
    split_sentences,
)
from game.world.events import Event, facts_text
from game.world.model import Story

TW_GAMES = (("cook", "tw-cooking", ["--recipe", "1", "--take", "1", "--go", "6", "--open", "--cook", "--cut"]),
            ("simple", "tw-simple", ["--rewards", "dense", "--goal", "detailed"]),
            ("custom", "custom", ["--world-size", "5", "--nb-objects", "10", "--quest-length", "5"]),
            ("treasure", "tw-treasure_hunter", ["--level", "5"]),
            ("coins", "tw-coin_collector", ["--level", "5"]))
MAIN_BY_ID = ("taken", "dropped", "put", "bought", "sold", "opened", "closed", "unlocked", "locked", "lit",
              "extinguished", "eaten", "drunk", "cut", "cooked", "burned", "examined", "read", "coins", "talked")


@dataclass
class Turn:
    source: str  # walkthrough / random / textworld
    split: str  # dev / heldout
    story: Story
    command: str
    events: list[Event]
    state: object  # the WorldState after the action


@dataclass
class Tally:
    turns: int = 0
    raw_violations: int = 0
    shown_violations: int = 0
    produced: int = 0
    kept: int = 0
    prose_turns: int = 0
    covered: int = 0
    coverable: int = 0
    prose_covered: int = 0
    toolfree: int = 0
    toolfree_calls: int = 0
    tool_turns: int = 0
    tool_turn_calls: int = 0
    first_ms: list[float] = field(default_factory=list)
    reasons: dict = field(default_factory=dict)

    def figures(self, prefix: str = "") -> dict:
        per100 = 100 / self.turns if self.turns else 0
        return {
            f"{prefix}turns": self.turns,
            f"{prefix}shown_violations_per_100_turns": round(self.shown_violations * per100, 2),
            f"{prefix}raw_violations_per_100_turns": round(self.raw_violations * per100, 2),
            f"{prefix}model_prose_kept_share": round(self.kept / self.produced, 3) if self.produced else None,
            f"{prefix}prose_turn_share": round(self.prose_turns / self.turns, 3) if self.turns else None,
            f"{prefix}fact_coverage": round(self.covered / self.coverable, 3) if self.coverable else None,
            f"{prefix}prose_fact_coverage": round(self.prose_covered / self.coverable, 3) if self.coverable else None,
            f"{prefix}narration_call_rate_toolfree":
                round(self.toolfree_calls / self.toolfree, 3) if self.toolfree else None,
            f"{prefix}tool_turns": self.tool_turns,
            f"{prefix}tool_turn_calls_completed": self.tool_turn_calls,
            f"{prefix}narration_first_sentence_ms_p50":
                round(statistics.median(self.first_ms)) if self.first_ms else None,
        }


# --- turns -----------------------------------------------------------------------------------
def _play(story: Story, actions, source: str, split_at: int | None = None) -> list[Turn]:
    from game.world.engine import Engine

    engine, turns = Engine(story), []
    for n, (command, action, outcome) in enumerate(actions(engine)):  # each performed on `engine` already
        if outcome is None or outcome.refused or action.verb == "inventory":
            continue
        split = "dev" if split_at is not None and n < split_at else "heldout"
        turns.append(Turn(source, split, story, command, outcome.events, engine.state.model_copy(deep=True)))
    return turns


def walkthrough_actions(story: Story, limit: int):
    from game.understanding.replay import replay

    def gen(engine):
        for step in replay(story, story.walkthrough[:limit], engine):
            if step.ended:
                return
            yield step.command, step.parsed.action, step.outcome
    return gen


def random_actions(count: int, seed: int):
    def gen(engine):
        rng = random.Random(seed)
        for _ in range(count):
            if engine.state.outcome != "playing":
                return
            options = [a for a in engine.valid_actions() if a.verb != "inventory"]
            if not options:
                return
            action = rng.choice(options)
            yield action.phrase(engine.story), action, engine.perform(action)
    return gen


def textworld_turns(per_game: int, workdir: Path, notes: list[str]) -> list[Turn]:
    from game.benches.textworld import make_game, tw_make_path
    from game.stories.loader import StoryInvalid
    from game.textworld.importer import load_textworld

    try:
        tw_make_path()
    except RuntimeError as exc:
        notes.append(f"no TextWorld games: {exc}")
        return []
    turns = []
    for name, generator, args in TW_GAMES:
        try:
            z8 = make_game(workdir, f"narr_{name}", generator, args + ["--seed", "7"], timeout=300)
            story = load_textworld(z8.with_suffix(".json"))
        except (RuntimeError, subprocess.TimeoutExpired, StoryInvalid) as exc:
            notes.append(f"TextWorld game {name} left out: {str(exc)[:160]}")
            continue
        walk = _play(story, walkthrough_actions(story, min(len(story.walkthrough), per_game // 2)), "textworld")
        rand = _random_turns(story, per_game - len(walk), "textworld", seed=len(turns))
        notes.append(f"TextWorld {generator} ({len(story.rooms)} rooms): "
                     f"{len(walk)} walkthrough + {len(rand)} random turns")
        turns += walk + rand
    return turns


def _random_turns(story: Story, count: int, source: str, seed: int = 0) -> list[Turn]:
    """`count` turns of random valid actions; a game that ends (won, lost, stuck) is started again."""
    turns: list[Turn] = []
    for attempt in range(count):  # every game yields at least one turn, or the story cannot be played at random
        if len(turns) >= count:
            break
        more = _play(story, random_actions(count - len(turns), seed=seed + attempt), source)
        if not more:
            break
        turns += more
    return turns[:count]


def build_turns(total: int, workdir: Path, notes: list[str], dev_only: bool = False) -> list[Turn]:
    from game.stories.loader import DEFAULT_STORY, load_story

    story = load_story(DEFAULT_STORY, check_walkthrough=False)
    half = len(story.walkthrough) // 2
    if dev_only:
        return _play(story, walkthrough_actions(story, half), "walkthrough", split_at=half)
    walk_n = min(len(story.walkthrough), max(1, round(total * 0.16)))
    turns = _play(story, walkthrough_actions(story, walk_n), "walkthrough", split_at=half)
    tw = textworld_turns(max(2, round(total * 0.34) // len(TW_GAMES)), workdir, notes)
    rand = _random_turns(story, max(0, total - len(turns) - len(tw)), "random")
    return turns + rand + tw


# --- judging -----------------------------------------------------------------------------------
def main_change(story: Story, events: list[Event]) -> list[str]:
    """Words that name the turn's main change (from the events' typed data), lowercase."""
    def names(some_id) -> list[str]:
        kind = story.kind_of(some_id) if isinstance(some_id, str) else None
        if kind is None or kind == "quest":
            return []
        thing = {"room": story.room, "door": story.door, "item": story.item, "character": story.character,
                 "riddle": story.riddle}[kind](some_id)
        return [re.sub(r"^(the|a|an) ", "", n.lower()) for n in [thing.name, *getattr(thing, "aliases", [])]]

    for event in events:
        if event.kind == "moved":
            return names(event.data.get("to"))
        if event.kind in MAIN_BY_ID and event.data.get("id"):
            return names(event.data["id"])
        if event.kind in ("riddle_solved", "riddle_again", "riddle"):
            return names(event.data.get("riddle"))
        if event.kind in ("room", "dark"):
            return names(event.data.get("room"))
        if event.kind == "lore":
            return [event.data.get("title", "").lower()]
    return []


def crude_problems(story: Story, shown: str, engine_text: str) -> list[str]:
    """An independent, crude check of shown prose (shares no code with game.narration.grounding)."""
    problems, known = [], engine_text.lower()
    lowered = shown.lower()
    for thing in [*story.rooms, *story.items, *story.characters, *story.doors, *story.riddles]:
        name = re.sub(r"^(the|a|an) ", "", thing.name.lower())
        if re.search(r"\b" + re.escape(name) + r"\b", lowered) and name not in known:
            problems.append(f"name not in the facts: {name}")
    known_digits = set(re.findall(r"\d+", known))
    problems += [f"number not in the facts: {d}" for d in re.findall(r"\d+", shown) if d not in known_digits]
    if any(mark in shown for mark in ("[", "]", "->", "<|")):
        problems.append("call or template syntax")
    if shown.strip() and not re.search(r"[.!?][\"'”’)]*$", shown.strip()):
        problems.append("unfinished sentence")
    return problems


def judge_turn(turn: Turn, narration, lexicon: Lexicon, tally: Tally) -> dict:
    from game.world import queries as q
    from game.world.actions import describe_room

    facts = build_facts(turn.story, turn.events, turn.state, lexicon)
    engine_text = facts_text(turn.events)
    room_text = describe_room(turn.story, turn.state).message
    carried = " ".join(turn.story.item(i).name for i in q.held(turn.story, turn.state))
    prose = narration.text if narration.source == "model" else ""
    recheck, earlier = [], []
    for sentence in split_sentences(prose + " ")[0]:
        verdict = check_sentence(sentence, facts, earlier, lexicon)
        earlier.append(sentence)
        if verdict:
            recheck.append(verdict.to_dict())
    crude = crude_problems(turn.story, prose, f"{engine_text}\n{room_text}\n{carried}") if prose else []
    tally.turns += 1
    tally.raw_violations += len(narration.rejected)
    tally.shown_violations += len(recheck) + len(crude)
    tally.produced += narration.sentences
    tally.kept += narration.kept
    tally.prose_turns += bool(prose)
    for r in narration.rejected:
        tally.reasons[r.reason] = tally.reasons.get(r.reason, 0) + 1
    change = main_change(turn.story, turn.events)
    if change:
        tally.coverable += 1
        shown_all = (prose + "\n" + engine_text).lower()
        tally.covered += any(c and c in shown_all for c in change)
        tally.prose_covered += any(c and c in prose.lower() for c in change)
    if not narration.tools_allowed:
        tally.toolfree += 1
        tally.toolfree_calls += narration.calls_started > 0
    else:
        tally.tool_turns += 1
        tally.tool_turn_calls += len(narration.tool_calls)
    if prose and narration.first_sentence_s is not None:
        tally.first_ms.append(narration.first_sentence_s * 1000)
    return {"source": turn.source, "split": turn.split, "command": turn.command, "facts": engine_text,
            "raw": narration.raw, "shown": prose, "source_of_text": narration.source,
            "rejected": [r.to_dict() for r in narration.rejected], "recheck": recheck, "crude": crude,
            "tools_allowed": narration.tools_allowed, "calls_started": narration.calls_started,
            "first_sentence_ms": round((narration.first_sentence_s or 0) * 1000), "error": narration.error}


def run_bench(backend, total: int = 300, workdir: Path | None = None, dev_only: bool = False,
              samples: Path | None = None, **narrator_kw) -> dict:
    from tqdm import tqdm

    from game.narration.narrator import Narrator

    notes: list[str] = []
    workdir = workdir or Path.home() / ".cache" / "adventure" / "narration-bench-games"
    turns = build_turns(total, workdir, notes, dev_only=dev_only)
    tallies = {"": Tally(), "dev_": Tally(), "heldout_": Tally()}
    narrators: dict[int, tuple] = {}
    out = open(samples, "w", encoding="utf-8") if samples else None
    started = time.perf_counter()
    try:
        for n, turn in enumerate(tqdm(turns, desc="narrated turns", unit="turn")):
            if id(turn.story) not in narrators:
                holder = {}
                narrator = Narrator(backend, turn.story, state=lambda h=holder: h["state"], **narrator_kw)
                narrators[id(turn.story)] = (narrator, holder)
            narrator, holder = narrators[id(turn.story)]
            holder["state"] = turn.state
            narration = narrator.narrate([], turn.command, turn.events, seed=n)
            record = judge_turn(turn, narration, narrator.lexicon, tallies[""])
            judge_turn(turn, narration, narrator.lexicon, tallies[turn.split + "_"])
            if out:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if out:
            out.close()
    figures = {}
    for prefix, tally in tallies.items():
        figures.update(tally.figures(prefix))
    figures.update({f"rejected_{r}": tallies[""].reasons.get(r, 0) for r in REASONS})
    by_source: dict[str, int] = {}
    for turn in turns:
        by_source[turn.source] = by_source.get(turn.source, 0) + 1
    figures.update({f"turns_{k}": v for k, v in by_source.items()})
    figures["model"] = backend.name if backend else "?"
    lora = backend.lora_path if backend else None
    figures["lora"] = Path(lora).name if lora else None
    figures["seconds"] = round(time.perf_counter() - started, 1)
    settings = {k: getattr(next(iter(narrators.values()))[0], k) for k in ("max_tokens", "temperature",
                                                                          "max_sentences")} if narrators else {}
    figures.update({f"narrator_{k}": v for k, v in settings.items()})
    notes.append("dev = the first half of the bundled walkthrough (the settings were tuned on it); heldout = the "
                 "rest: the walkthrough's second half, random valid actions, TextWorld games")
    figures["notes"] = "; ".join(notes)
    return figures


def cmd_bench_narration(args) -> int:
    from agent.backend import ModelError
    from agent.runtime import backend_from_args

    try:
        backend = backend_from_args(args)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    kw = {k: v for k, v in (("temperature", args.temperature), ("max_tokens", args.max_tokens)) if v is not None}
    with backend:
        figures = run_bench(backend, args.turns, Path(args.workdir) if args.workdir else None,
                            dev_only=args.dev, samples=Path(args.samples) if args.samples else None, **kw)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        write_text_atomic(args.json, text + "\n")
    return 0


def register_bench(bench_subparsers) -> None:
    from agent.runtime import add_model_arguments

    bench = bench_subparsers.add_parser("narration", help="narrate ~300 turns through the grounding check")
    bench.add_argument("--json", metavar="OUT", help="write the figures as one flat JSON object")
    bench.add_argument("--turns", type=int, default=300, help="about how many narrated turns")
    bench.add_argument("--dev", action="store_true", help="only the DEV turns (the walkthrough's first half)")
    bench.add_argument("--samples", metavar="OUT.jsonl", help="write every turn (facts, raw, shown, rejections)")
    bench.add_argument("--workdir", help="where tw-make writes its games (reused)")
    bench.add_argument("--temperature", type=float, help="override the narrator's temperature")
    bench.add_argument("--max-tokens", type=int, help="override the narrator's token limit")
    add_model_arguments(bench, shipped_lora=True)
    bench.set_defaults(func=cmd_bench_narration)
