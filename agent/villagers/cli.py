"""`adventure villagers check|schema|run|ask`.

- check SCRIPT...: every problem as FILE:LINE: field: message (exit 1 if any);
- schema: the village format's JSON Schema;
- run SCRIPT --hours N [--jsonl OUT] [--seed S] [--state DB] [--fresh]: a
  headless simulation with a progress bar; the state lives in SQLite (default
  $ADVENTURE_SAVE_DIR/villages/<id>.sqlite, else ~/.local/share/adventure/
  villages/) and a second run resumes where the first stopped, exactly;
  one JSON line per event (time, villager, kind, text, calls, tokens);
  a summary (calls per villager per game hour, wall time per game hour) on
  stderr at the end;
- ask SCRIPT NAME "question": interview a villager from the saved state
  (nothing is saved back, so asking never changes the simulation).

Like the game's commands there is no option for the scripted test double:
tests build villages with it directly; the CLI always talks to a real model.

- replay OUT.jsonl [--villager ID] [--kind KIND] [--summary]: the event log
  readably, and calls/tokens per villager per game hour (agent.villagers.replay);
- eval [SCRIPT] [--json OUT] [--hours H] [--sizes 5,10,25] (also `adventure bench
  villagers`): diffusion, recall
  with ablations and cost figures (agent.villagers.eval); `--parts scale`
  starts llama-server itself and runs the village on it and in-process
  (agent.villagers.scale; `adventure model build-server` builds it once).

A model that becomes unavailable (a server that stopped answering) stops `run`
after the step in flight, without saving that step, and `eval` after the part
in flight, each with one line on stderr and exit code 2; nothing waits on it.

Deliberately left out: the player.
Exit codes: 0 ok, 1 script problems, 2 usage / model / state errors.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from agent.backend import ModelError
from agent.runtime import add_model_arguments, backend_from_args

from .script import VillageInvalid, format_time, load_village, village_json_schema


def register(subparsers, bench_subparsers, *, story_loader=None) -> None:
    """`story_loader(name)`: the story a script's `story:` names, so its rooms and characters are checked
    (the game passes its loader; this package knows nothing of stories)."""
    root = subparsers.add_parser("villagers", help="scripted AI villagers: check, simulate, interview")
    root.set_defaults(story_loader=story_loader)
    sub = root.add_subparsers(dest="villagers_command", metavar="WHAT", required=True)
    check = sub.add_parser("check", help="report every problem in village scripts as FILE:LINE: field: message")
    check.add_argument("files", nargs="+", metavar="SCRIPT")
    check.set_defaults(func=cmd_check)
    schema = sub.add_parser("schema", help="print the village format's JSON Schema")
    schema.set_defaults(func=lambda args: print(village_json_schema()) or 0)

    run = sub.add_parser("run", help="simulate the village headless (resumes a saved state)")
    run.add_argument("script", help="village script, or a bundled name ('oasis')")
    run.add_argument("--hours", type=float, required=True, help="game hours to simulate (15-minute steps)")
    run.add_argument("--jsonl", metavar="OUT", help="write one JSON object per event here (appends on resume)")
    run.add_argument("--seed", type=int, default=0, help="seed for sampled utterances (a fresh state only)")
    run.add_argument("--state", metavar="DB", help="SQLite state file (default: per script id in the save dir)")
    run.add_argument("--fresh", action="store_true", help="start over instead of resuming")
    run.add_argument("--resume", action="store_true",
                     help="go on from the saved state, and fail if there is none (resuming is the default anyway)")
    run.add_argument("--detail", choices=("full", "lod"), default="full",
                     help="full (default): every villager plans, acts and talks with the model; lod: as in `play` "
                          "with no player in sight, villagers follow rules and spend no model call")
    run.add_argument("--relevance", choices=("embedding", "bm25", "hybrid"), help="override the script's setting")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument("--workers", type=int, help="concurrent model requests (default: 8 with --server, else 1)")
    add_model_arguments(run)
    run.set_defaults(func=cmd_run)

    ask = sub.add_parser("ask", help="ask a villager a question from the saved state")
    ask.add_argument("script")
    ask.add_argument("name", help="villager id or name")
    ask.add_argument("question")
    ask.add_argument("--state", metavar="DB")
    add_model_arguments(ask)
    ask.set_defaults(func=cmd_ask)

    replay = sub.add_parser("replay", help="print a run's JSONL event log readably, with a cost summary")
    replay.add_argument("jsonl", metavar="OUT.jsonl")
    replay.add_argument("--villager", action="append", metavar="ID", help="only this villager (repeatable)")
    replay.add_argument("--kind", action="append", metavar="KIND",
                        help="only this kind: plan, action, chat... (repeatable)")
    replay.add_argument("--summary", action="store_true", help="only the summary")
    replay.set_defaults(func=cmd_replay)

    _eval_arguments(sub.add_parser("eval",
                                   help="diffusion, recall (with ablations) and cost figures, as one flat JSON"))
    _eval_arguments(bench_subparsers.add_parser("villagers",
                                                help="the villagers eval (same as `adventure villagers eval`)"))


def _eval_arguments(ev) -> None:
    ev.add_argument("script", nargs="?", default="oasis", help="village script (default: the bundled oasis)")
    ev.add_argument("--json", metavar="OUT", help="write the figures here (after each part)")
    ev.add_argument("--hours", type=float, default=24.0, help="game hours per simulated day (default 24)")
    ev.add_argument("--sizes", default="5,10,25", help="village sizes for the cost trend (default 5,10,25)")
    ev.add_argument("--parts", default="diffusion,recall,cost", help="which parts (default all)")
    ev.add_argument("--questions", type=int, default=4, help="recall questions per villager")
    ev.add_argument("--seed", type=int, default=0)
    ev.add_argument("--resume", action="store_true", help="keep the figures already in --json and measure the rest")
    ev.add_argument("--quiet", action="store_true", help="no progress bars")
    ev.add_argument("--parallel", type=int, default=8, help="llama-server slots for --parts scale (default 8)")
    ev.add_argument("--window-hours", type=float, default=2.0,
                    help="game hours of the full-detail comparison in --parts scale (default 2)")
    ev.add_argument("--detail", choices=("full", "lod"), default="lod",
                    help="lod (default, as in `play`): villagers out of the player's sight follow rules; "
                         "full: everyone uses the model all day")
    add_model_arguments(ev)
    ev.set_defaults(func=cmd_eval)


def _scale(args, script, backend, figures: dict) -> dict:
    """The scale part: starts llama-server itself (agent.llama_server) beside the in-process backend."""
    from agent.llama_server import LlamaServer, ServerError
    from agent.model_files import resolve_model_path
    from agent.openai_backend import OpenAICompatBackend

    from .scale import scale_part

    if args.server:
        raise ModelError("--parts scale compares llama-server with the in-process model and starts the server "
                         "itself: leave out --server")
    try:
        with LlamaServer(resolve_model_path(args.model), parallel=args.parallel, threads=args.threads,
                         log_path=Path(args.json).with_suffix(".server.log") if args.json else None) as server:
            return scale_part(script, backend, lambda: OpenAICompatBackend(server.url, timeout_s=args.timeout),
                              figures, args.json, window_hours=args.window_hours, seed=args.seed,
                              progress=not args.quiet, resume=args.resume)
    except ServerError as exc:
        raise ModelError(str(exc)) from None


def default_state_path(script_id: str) -> Path:
    base = os.environ.get("ADVENTURE_SAVE_DIR")
    root = Path(base) if base else Path.home() / ".local" / "share" / "adventure"
    return root / "villages" / f"{script_id}.sqlite"


def cmd_check(args) -> int:
    from agent.yaml_source import check_files

    story_loader = getattr(args, "story_loader", None)
    return check_files(args.files, lambda name: load_village(name, story_loader), lambda script: (
        f"{len(script.villagers)} villagers, {len(script.places)} places, {len(script.events)} events"),
        VillageInvalid)


def _load(args):
    try:
        return load_village(args.script, getattr(args, "story_loader", None))
    except VillageInvalid as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None


def cmd_run(args) -> int:
    from .eval import require_model
    from .persistence import StateError, VillageStore
    from .simulation import Village

    script = _load(args)
    if script is None:
        return 1
    if args.hours <= 0:
        print("--hours must be positive", file=sys.stderr)
        return 2
    state_path = Path(args.state or default_state_path(script.id))
    if args.resume and (args.fresh or not state_path.exists()):
        print("--resume: " + ("--fresh starts over; use one of them" if args.fresh else
                              f"no saved state in {state_path}"), file=sys.stderr)
        return 2
    try:
        backend = backend_from_args(args)
    except ModelError as exc:
        print(exc, file=sys.stderr)
        return 2
    store = VillageStore(state_path)
    village = Village(script, backend, seed=args.seed, relevance=args.relevance, workers=args.workers,
                      detail=args.detail)
    resumed = store.exists() and not args.fresh
    try:
        if resumed:
            store.load(village)
            if args.relevance:
                village.retriever.mode = args.relevance
            first = []
        else:
            store.clear()
            first = village.populate()
            require_model(backend)
            store.save(village, first)
    except StateError as exc:
        print(exc, file=sys.stderr)
        return 2
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = open(args.jsonl, "a" if resumed else "w", encoding="utf-8") if args.jsonl else None
    calls_before, clock_before = village.meter.total_calls(), village.clock
    steps = int(round(args.hours * 4))
    started = time.perf_counter()
    try:
        from tqdm import tqdm

        bar = tqdm(total=steps, unit="step", disable=args.quiet, file=sys.stderr,
                   desc=f"{script.title} from {format_time(village.clock)}")
        for event in first:
            _write(out, event)
        for _ in range(steps):
            events = village.step()
            require_model(backend)  # a step told by fallbacks is not saved
            store.save(village, events)
            for event in events:
                _write(out, event)
            bar.set_postfix_str(f"{format_time(village.clock)} calls {village.meter.total_calls():.0f}")
            bar.update(1)
        bar.close()
    except KeyboardInterrupt:
        print(f"stopped at {format_time(village.clock)}; run again to resume", file=sys.stderr)
        return 130
    except ModelError as exc:
        print(f"error: {exc} at {format_time(village.clock)}; run again to resume", file=sys.stderr)
        return 2
    finally:
        if out:
            out.close()
        store.close()
        backend.close()
    wall = time.perf_counter() - started
    hours = (village.clock - clock_before) / 60
    n = len(script.villagers)
    calls = village.meter.total_calls() - calls_before
    summary = {"game_hours": hours, "villagers": n, "model_calls": round(calls, 1),
               "calls_per_villager_hour": round(calls / (n * hours), 3) if hours else None,
               "wall_s_per_game_hour": round(wall / hours, 2) if hours else None,
               "importance_model_ratings": village.rater.model_ratings, "importance_fallbacks": village.rater.fallbacks,
               "plan_fallbacks": village.planner.fallbacks,
               "utterance_fallbacks": village.talk.fallbacks, "topic_guards": village.talk.topic_guards,
               "clock": format_time(village.clock), "resumed": resumed,
               "by_role": {k: [v[0], round(v[1], 1)] for k, v in sorted(village.meter.by_role.items())}}
    print(json.dumps(summary), file=sys.stderr)
    return 0


def _write(out, event: dict) -> None:
    if out is not None:
        out.write(json.dumps(event, ensure_ascii=False) + "\n")
        out.flush()


def cmd_ask(args) -> int:
    from .persistence import StateError, VillageStore
    from .simulation import Village

    script = _load(args)
    if script is None:
        return 1
    person = script.villager(args.name)
    if person is None:
        print(f"no villager {args.name!r} (villagers: {', '.join(v.name for v in script.villagers)})",
              file=sys.stderr)
        return 2
    path = Path(args.state) if args.state else default_state_path(script.id)
    if not path.exists():
        print(f"no saved village at {path}; run `adventure villagers run {args.script} --hours 1` first",
              file=sys.stderr)
        return 2
    try:
        backend = backend_from_args(args)
    except ModelError as exc:
        print(exc, file=sys.stderr)
        return 2
    with VillageStore(path) as store:
        village = Village(script, backend)
        try:
            store.load(village)
        except StateError as exc:
            print(exc, file=sys.stderr)
            return 2
    answer = village.ask(person.id, args.question)
    print(f"{person.name}: {answer.text}")
    print(f"  ({'the model, checked against' if answer.source == 'model' else 'the words of'} these memories)"
          if answer.ids else "  (no memory covers the question)")
    records = {r.id: r for r in village.states[person.id].stream.records}
    for rid in answer.ids:
        print(f"  [{rid}] {records[rid].text}")
    backend.close()
    return 0


def cmd_replay(args) -> int:
    from .replay import ReplayError, format_event, read_events, select, summarize

    try:
        events = list(read_events(args.jsonl))
    except ReplayError as exc:
        print(exc, file=sys.stderr)
        return 2
    chosen = list(select(events, set(args.villager or ()), set(args.kind or ())))
    if not args.summary:
        for event in chosen:
            print(format_event(event))
    print(json.dumps(summarize(events)), file=sys.stderr if not args.summary else sys.stdout)
    return 0


def cmd_eval(args) -> int:
    from .eval import run_eval

    script = _load(args)
    if script is None:
        return 1
    try:
        sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
        parts = tuple(p.strip() for p in args.parts.split(",") if p.strip())
    except ValueError:
        print(f"--sizes must be numbers separated by commas, not {args.sizes!r}", file=sys.stderr)
        return 2
    unknown = set(parts) - {"diffusion", "recall", "cost", "scale"}
    if unknown or args.hours <= 0 or any(n < 1 for n in sizes):
        print(f"bad --parts/--hours/--sizes ({', '.join(sorted(unknown)) or 'values must be positive'})",
              file=sys.stderr)
        return 2
    try:
        backend = backend_from_args(args)
    except ModelError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        figures = run_eval(script, backend, args.json, [p for p in parts if p != "scale"], args.hours, sizes,
                           args.seed, args.questions, resume=args.resume, progress=not args.quiet, detail=args.detail)
        if "scale" in parts:
            figures = _scale(args, script, backend, figures)
    except ModelError as exc:
        print(f"error: {exc}" + ("; the parts measured before are in " + args.json if args.json else ""),
              file=sys.stderr)
        return 2
    finally:
        backend.close()
    if not args.json:
        print(json.dumps(figures, indent=1))
    return 0
