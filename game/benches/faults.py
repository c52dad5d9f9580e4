"""`adventure bench faults`: saves, files and servers under real faults (issue 21), as one JSON object.

Each figure comes from real processes (`python -m game.cli ...`), never from mocks:
  concurrent_save_refused     1 if a second `adventure run` on a save that a first one is playing exits 2
                              naming the file and the first one's process id
  yaml_bomb_s                 seconds `parse_story_text` takes to refuse a 9-level alias bomb (432 bytes)
  kill_trials, kill_consistent  `kill -9` at a random moment of a narrated walkthrough (the embedded model),
                              then a resuming run with no commands: consistent when the save's head state,
                              its last turn record and the JSONL's last line name the same turn and state,
                              and the resumed run says which turn it resumed after
  dead_server_first_error_s   from launching a 10-turn run against a socket that accepts and never answers
                              to the first stderr line naming the server
  dead_server_run_s_10_turns  that run's wall time
  tampered_save_detected      1 if a save whose head state was edited (gold 6 -> 9) is refused as damaged

The helpers (`SilentServer`, `alias_bomb`, `agreement`, `adventure`) are shared with tests/test_faults*.py.

Deliberately left out: faults of the disk itself (full disk, I/O errors), power loss (kill -9 leaves the
OS page cache intact), and servers that answer slowly but do answer (that is `--timeout`'s job).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from agent.files import write_text_atomic

ROOT = Path(__file__).resolve().parents[2]


def adventure(*args: str) -> list[str]:
    """The argv of an `adventure` subcommand run in a fresh interpreter."""
    return [sys.executable, "-m", "game.cli", *args]


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts every connection and never sends a byte."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.held: list[socket.socket] = []
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()

    def __enter__(self) -> "SilentServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def alias_bomb(levels: int = 9) -> str:
    """A YAML 'billion laughs': each level lists the previous one nine times."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def agreement(save: Path, jsonl: Path) -> dict:
    """What the save's head, its last turn record and the JSONL's last complete line say about the last turn."""
    conn = sqlite3.connect(f"file:{save}?mode=ro", uri=True)
    try:
        head = int(conn.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0])
        head_hash = conn.execute("SELECT state_hash FROM timeline WHERE idx = ?", (head,)).fetchone()[0]
        row = conn.execute("SELECT id, input, result FROM transcript ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()] if jsonl.exists() else []
    last = lines[-1] if lines else None
    record = None if row is None else {"id": row[0], "input": row[1], "state_hash": json.loads(row[2])["state_hash"]}
    if record is None:
        consistent = last is None and head == 0
    else:
        consistent = (last is not None and last["record"] == record["id"] and last["input"] == record["input"]
                      and last["state_hash"] == record["state_hash"] == head_hash)
    return {"head": head, "head_hash": head_hash, "record": record, "jsonl_last": None if last is None else
            {k: last[k] for k in ("record", "input", "state_hash", "narration_source")}, "consistent": consistent}


def concurrent_save_refused(workdir: Path) -> dict:
    save, out = workdir / "shared.sqlite", workdir / "first.jsonl"
    first = subprocess.Popen(adventure("run", "--commands", "-", "--no-narration", "--save", str(save),
                                       "--jsonl", str(out)), stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=ROOT)
    try:
        first.stdin.write("look\n")
        first.stdin.flush()
        deadline = time.time() + 60
        while not (out.exists() and out.read_text(encoding="utf-8").strip()) and time.time() < deadline:
            time.sleep(0.05)
        second = subprocess.run(adventure("run", "--commands", os.devnull, "--no-narration", "--save", str(save)),
                                capture_output=True, text=True, cwd=ROOT, timeout=120)
    finally:
        first.stdin.close()
        first.wait(timeout=60)
    refused = second.returncode == 2 and str(save) in second.stderr and f"process {first.pid}" in second.stderr
    return {"concurrent_save_refused": int(refused), "concurrent_second_stderr": second.stderr.strip()[-300:]}


def yaml_bomb_seconds() -> dict:
    from game.stories.loader import StoryInvalid, parse_story_text

    started = time.perf_counter()
    try:
        parse_story_text(alias_bomb(9), "bomb.yaml")
        message = "accepted"
    except StoryInvalid as exc:
        message = str(exc.problems[0])
    return {"yaml_bomb_s": round(time.perf_counter() - started, 4), "yaml_bomb_message": message}


def kill_trial(workdir: Path, n: int, delay: float, model_args: list[str]) -> dict:
    save, out = workdir / f"kill{n}.sqlite", workdir / f"kill{n}.jsonl"
    proc = subprocess.Popen(adventure("run", "--walkthrough", "--save", str(save), "--jsonl", str(out),
                                      "--narration", "model", *model_args),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    time.sleep(delay)
    proc.kill()  # SIGKILL: no handler, no cleanup
    proc.wait()
    if not save.exists():
        return {"trial": n, "delay_s": delay, "killed_before_save": True, "consistent": True}
    resumed = subprocess.run(adventure("run", "--commands", os.devnull, "--no-narration", "--save", str(save),
                                       "--jsonl", str(out), *model_args),
                             capture_output=True, text=True, cwd=ROOT, timeout=300)
    found = agreement(save, out)
    last = found["record"]
    shows = last is None or f"> {last['input']}" in resumed.stderr
    turns = len(out.read_text(encoding="utf-8").splitlines()) if out.exists() else 0
    return {"trial": n, "delay_s": round(delay, 2), "turns": turns, "resume_rc": resumed.returncode,
            "resume_shows_last_turn": shows, **found, "consistent": found["consistent"] and shows
            and resumed.returncode == 0}


def dead_server(workdir: Path) -> dict:
    from game.stories.loader import DEFAULT_STORY, load_story

    commands = workdir / "ten.txt"
    commands.write_text("\n".join(load_story(DEFAULT_STORY, check_walkthrough=False).walkthrough[:10]) + "\n",
                        encoding="utf-8")
    with SilentServer() as server:
        started = time.perf_counter()
        proc = subprocess.Popen(adventure("run", "--commands", str(commands), "--server", server.url,
                                          "--narration", "model", "--jsonl", str(workdir / "dead.jsonl")),
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT)
        first, lines = None, []
        for line in proc.stderr:
            lines.append(line.rstrip())
            if first is None and server.url in line:
                first = time.perf_counter() - started
        proc.wait(timeout=300)
        total = time.perf_counter() - started
    return {"dead_server_first_error_s": None if first is None else round(first, 2),
            "dead_server_run_s_10_turns": round(total, 2), "dead_server_rc": proc.returncode,
            "dead_server_stderr_lines_naming_it": sum(server.url in line for line in lines)}


def tampered_save(workdir: Path) -> dict:
    save = workdir / "tampered.sqlite"
    subprocess.run(adventure("run", "--commands", os.devnull, "--no-narration", "--save", str(save)),
                   capture_output=True, cwd=ROOT, timeout=120, check=True)
    conn = sqlite3.connect(save)
    with conn:
        conn.execute("UPDATE timeline SET state = replace(state, '\"gold\":6', '\"gold\":9')")
    conn.close()
    resumed = subprocess.run(adventure("run", "--commands", os.devnull, "--no-narration", "--save", str(save)),
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    detected = resumed.returncode == 2 and "damaged" in resumed.stderr
    return {"tampered_save_detected": int(detected), "tampered_stderr": resumed.stderr.strip()[-300:]}


def run_faults(trials: int = 10, model_args: list[str] | None = None, seed: int = 0,
               max_delay: float = 25.0) -> dict:
    rng = random.Random(seed)
    workdir = Path(tempfile.mkdtemp(prefix="adventure-faults-"))
    figures: dict = {}
    figures.update(concurrent_save_refused(workdir))
    figures.update(yaml_bomb_seconds())
    results = [kill_trial(workdir, n, rng.uniform(2.0, max_delay), model_args or []) for n in range(trials)]
    figures.update({"kill_trials": len(results), "kill_consistent": sum(r["consistent"] for r in results)})
    figures.update(dead_server(workdir))
    figures.update(tampered_save(workdir))
    figures["kill_details"] = results
    figures["cpu_count"] = os.cpu_count()
    return figures


def register(subparsers, bench_subparsers) -> None:
    bench = bench_subparsers.add_parser("faults", help="saves, files and servers under real faults (kill -9, "
                                                       "two writers, alias bombs, a server that never answers)")
    bench.add_argument("--json", metavar="OUT", help="write the figures as one JSON object")
    bench.add_argument("--trials", type=int, default=10, help="kill -9 trials (default 10)")
    bench.add_argument("--max-delay", type=float, default=25.0, help="latest kill, seconds after launch")
    bench.add_argument("--seed", type=int, default=0)
    bench.add_argument("--model", metavar="PATH", help="GGUF for the narrated kill trials (default: embedded)")
    bench.add_argument("--threads", type=int, help="CPU threads for the narrated kill trials")
    bench.set_defaults(func=cmd_bench_faults)


def cmd_bench_faults(args: argparse.Namespace) -> int:
    model_args = (["--model", args.model] if args.model else []) + (
        ["--threads", str(args.threads)] if args.threads else [])
    figures = run_faults(args.trials, model_args, args.seed, args.max_delay)
    text = json.dumps(figures, indent=2)
    if args.json:
        write_text_atomic(args.json, text + "\n")
    print(text)
    return 0
