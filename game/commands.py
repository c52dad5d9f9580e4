"""`adventure story check|schema`, `adventure run` and `adventure bench game`.

`run` is headless play: it reads commands (one per line from `--commands
FILE`, or the story's own walkthrough with `--walkthrough`), plays them
through a GameSession with the real model backend, and writes one JSON
object per turn (to `--jsonl OUT`, else stdout). There is deliberately no
option for the scripted test double: tests build sessions with it directly,
the CLI always talks to a real model (`--no-narration` skips prose only;
ranking of free text still uses the model).

With `--save` on a save that already has turns, `run` resumes it and brings
`--jsonl OUT` level with the save before playing on: OUT is appended to, a
trailing half-written line is dropped, and every turn the save recorded after
OUT's last `record` is written from the save's own copy of its result (a turn
killed before its prose has `narration_source` "pending"). So after a kill at
any moment the save, its turn log and the JSONL agree on the last turn.

Errors go to stderr. Exit codes: 0 ok (for `run --walkthrough`: the game was
won; a model that failed is reported on stderr and the game goes on with the
engine's text), 1 invalid input (story or walkthrough problems), 2 an
unreadable, locked or unwritable file, or a model that cannot be loaded,
3 (`run --compare`) the two transcripts differ.

`run --compare OLD.jsonl` plays OLD's inputs (or `--commands` /
`--walkthrough`) and prints the first turn where this run's engine results
differ from OLD's; `run --compare OLD.jsonl NEW.jsonl` compares two logs
without playing. Which fields count is `game.play.transcript_compare`'s to say.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from agent.backend import ModelError
from agent.files import write_text_atomic
from agent.runtime import add_model_arguments, backend_from_args
from game.play.saves import SaveError
from game.stories.loader import StoryInvalid, check_files, story_json_schema
from game.textworld.story_files import open_named_story, open_story

log = logging.getLogger(__name__)


def register(subparsers, bench_subparsers) -> None:
    from agent.villagers import cli as villagers_cli

    # The villagers' commands, with the game's story loader so `villagers check` checks a script's story links.
    villagers_cli.register(subparsers, bench_subparsers, story_loader=open_named_story)
    story = subparsers.add_parser("story", help="check story files and print their JSON Schema")
    story_sub = story.add_subparsers(dest="story_command", metavar="WHAT", required=True)
    check = story_sub.add_parser("check", help="report every problem in story files as FILE:LINE: field: message")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--solve", action="store_true", help="also search every reachable state: the shortest win, "
                       "softlocks, losses, what is never reached (exit 3 cut short, 4 no win, 5 softlocks)")
    check.add_argument("--max-states", type=int, default=500_000, help="with --solve: stop after this many states")
    check.add_argument("--max-seconds", type=float, default=300.0, help="with --solve: stop after this long")
    check.add_argument("--all-actions", action="store_true", help="with --solve: try every action the engine "
                       "lists (no pruning, no eager moves; small stories only)")
    check.set_defaults(func=cmd_story_check)
    schema = story_sub.add_parser("schema", help="print the story format's JSON Schema")
    schema.set_defaults(func=cmd_story_schema)
    from game.stories.scaffold import (
        register as register_story_new,  # adventure story new NAME
    )

    register_story_new(story_sub)
    tw = story_sub.add_parser("import-textworld", help="convert a TextWorld game (.json from tw-make) into a story")
    tw.add_argument("game", metavar="GAME.json")
    tw.add_argument("-o", "--output", metavar="STORY.yaml", help="write here (default: stdout)")
    tw.set_defaults(func=cmd_import_textworld)

    run = subparsers.add_parser("run", help="play commands headless and log one JSON object per turn")
    run.add_argument("story", nargs="?", help="story file, TextWorld GAME.json or bundled name (default: oasis)")
    source = run.add_mutually_exclusive_group()  # one of these or --compare (checked in cmd_run)
    source.add_argument("--commands", metavar="FILE", help="one command per line ('-' for stdin)")
    source.add_argument("--walkthrough", action="store_true", help="play the story's own walkthrough")
    run.add_argument("--compare", nargs="+", metavar="OLD.jsonl", help="print the first turn where this run "
                     "differs from OLD (engine text, action, room, inventory, score, state; not the prose) and exit "
                     "3 if it does; plays OLD's inputs unless --commands/--walkthrough is given. "
                     "`--compare OLD.jsonl NEW.jsonl` compares two logs without playing")
    run.add_argument("--jsonl", metavar="OUT", help="write the turns here (default: stdout)")
    run.add_argument("--save", metavar="DB", help="SQLite save file (default: a fresh temporary one)")
    run.add_argument("--no-narration", action="store_true", help="skip model prose (engine text only)")
    run.add_argument("--villagers", action="store_true", help="bring the story's village to life (game.play.village)")
    run.add_argument("--max-tokens", type=int, default=None, help="narration length limit per turn "
                     "(default: the narrator's measured setting)")
    run.add_argument("--narration", choices=("model", "engine", "auto"), default="auto",
                     help="model: checked model prose beside the engine's text; engine: the engine's text only; "
                          "auto (default): a probe of the model picks (cached per model file)")
    add_model_arguments(run, shipped_lora=True)
    run.set_defaults(func=cmd_run)

    bench = bench_subparsers.add_parser("game", help="engine speed, narration TTFT drift, ranked intent time")
    bench.add_argument("--json", metavar="OUT", help="write the figures as one JSON object")
    bench.add_argument("--turns", type=int, default=100, help="length of the long game for the TTFT ratio")
    add_model_arguments(bench)
    bench.set_defaults(func=cmd_bench_game)

    from game.benches.narration import register_bench

    register_bench(bench_subparsers)


def cmd_story_check(args: argparse.Namespace) -> int:
    if args.solve:
        from game.solver.report import check_and_solve

        return check_and_solve(args.files, max_states=args.max_states, max_seconds=args.max_seconds,
                               exhaustive=args.all_actions)
    return check_files(args.files, open_story, lambda story: (
        f"{len(story.rooms)} rooms, {len(story.items)} items, {len(story.riddles)} riddles, "
        f"walkthrough of {len(story.walkthrough)} commands wins"), StoryInvalid)


def cmd_import_textworld(args: argparse.Namespace) -> int:
    """Convert, then validate the result like any story (its walkthrough must win) before writing it."""
    from game.textworld.importer import import_textworld, story_yaml_text

    try:
        story, data = import_textworld(args.game)
    except StoryInvalid as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    text = story_yaml_text(data, args.game)
    if args.output:
        write_text_atomic(args.output, text)
        print(f"{args.output}: {len(story.rooms)} rooms, {len(story.items)} items, {len(story.quests)} quests, "
              f"max score {story.max_score()}; the walkthrough wins", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_story_schema(args: argparse.Namespace) -> int:
    print(story_json_schema())
    return 0


def _read_commands(args: argparse.Namespace, story):
    """The commands: a list, or for `--commands -` the lines of stdin as they arrive (a pipe can drive a game)."""
    if args.walkthrough:
        return list(story.walkthrough)
    if args.commands == "-":
        return (line.rstrip("\n") for line in sys.stdin if not line.lstrip().startswith("#"))
    with open(args.commands, encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle if not line.lstrip().startswith("#")]


def cmd_run(args: argparse.Namespace) -> int:
    from game.play.session import GameSession
    from game.play.transcript_compare import (
        TranscriptInvalid,
        compare_files,
        load_turns,
    )

    compare = args.compare or []
    if len(compare) > 2 or not (compare or args.commands or args.walkthrough):
        print("error: give --commands FILE, --walkthrough or --compare OLD.jsonl (at most two files)",
              file=sys.stderr)
        return 1
    try:
        if len(compare) == 2:
            code, report = compare_files(compare[0], compare[1])
            print(report)
            return 3 if code else 0
        old_turns = load_turns(compare[0]) if compare else None
        story = open_named_story(args.story)
        if compare and not (args.commands or args.walkthrough):
            commands = [turn["input"] for turn in old_turns]
        else:
            commands = _read_commands(args, story)
    except (StoryInvalid, TranscriptInvalid) as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        backend = backend_from_args(args)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    save = Path(args.save) if args.save else Path(tempfile.mkdtemp(prefix="adventure-run-")) / f"{story.id}.sqlite"
    out, turns, played = sys.stdout, 0, []
    try:
        with backend:
            session = GameSession.start(story, backend, save_path=save, narrate=not args.no_narration,
                                        max_tokens=args.max_tokens, villagers=args.villagers,
                                        narration=args.narration)
            last = session.resumed_from
            if last is not None:
                print(f"resumed {save} after turn {last['id']}: > {last['input']}", file=sys.stderr)
            if args.jsonl:  # opened only now: a refused save never truncates its log
                out = _open_jsonl(Path(args.jsonl), session.store if last is not None else None)
            session.probe_narration()
            print(session.narration_note, file=sys.stderr)
            result = session.opening()
            for command in commands:
                turns += 1
                result = session.submit(command)
                session.advance_village()  # headless: the village catches up before the next command
                played.append(result.to_dict())
                out.write(json.dumps(played[-1], ensure_ascii=False) + "\n")
                out.flush()
                if result.quit:
                    break
            session.close()
    except (SaveError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"{turns} turns; {'won' if result.won else 'lost' if result.lost else 'not finished'}; "
          f"score {result.score}/{result.max_score}; state {result.state_hash}", file=sys.stderr)
    if compare:
        code, report = compare_files(compare[0], played, new_name="this run")
        print(report, file=sys.stderr)
        if code:
            return 3
    if args.walkthrough and not result.won:
        return 1
    return 0


def _open_jsonl(path: Path, store):
    """The run's JSONL: a fresh file, or (resuming `store`) the old one brought level with the save."""
    if store is None or not path.exists():
        return open(path, "w", encoding="utf-8")
    data = path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]  # a line cut short by a kill is dropped, then rewritten below
    if len(complete) != len(data):
        print(f"{path}: dropped a half-written last line", file=sys.stderr)
    last_record = 0
    for line in reversed(complete.splitlines()):
        try:
            last_record = int(json.loads(line).get("record") or 0)
            break
        except (ValueError, AttributeError) as exc:  # not one of our turn lines: the one before may be
            log.warning("%s: a line that is no turn record, passed over: %s", path, exc)
            continue
    os.truncate(path, len(complete))
    out = open(path, "a", encoding="utf-8")
    # an empty log (killed during its first turn) gets every recorded turn; one of an older format, none
    missing = store.results_after(last_record) if last_record or not complete.strip() else []
    for record, result in missing:
        result["record"] = record
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    if missing:
        print(f"{path}: wrote {len(missing)} turn(s) the save recorded after its last line", file=sys.stderr)
    out.flush()
    return out


def cmd_bench_game(args: argparse.Namespace) -> int:
    from game.benches.game import run_bench

    try:
        backend = backend_from_args(args)
    except ModelError as exc:  # the engine figures need no model: measured without it
        log.warning("bench game without a model: %s", exc)
        print(f"error: {exc}", file=sys.stderr)
        backend = None
    figures = run_bench(backend, turns=args.turns)
    text = json.dumps(figures, indent=2)
    if args.json:
        write_text_atomic(args.json, text + "\n")
    print(text)
    return 0
