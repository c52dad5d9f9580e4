"""Issue 21, saves: two writers, kill -9 mid-turn, read-only and damaged files, edited states — real processes.

Every test runs `adventure` in its own interpreter (game.benches.faults.adventure) against real files. Where the
tests run as root, the read-only cases drop CAP_DAC_OVERRIDE from the child's capability bounding set, so file
modes bind it as they bind any user. Not covered here: the narrated kill trials (`adventure bench faults`).
"""
from __future__ import annotations

import ctypes
import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from game.benches.faults import ROOT, adventure, agreement

pytestmark = pytest.mark.slow  # every test here takes seconds (the fast lane leaves them out)

PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def run(*args: str, preexec=None, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(adventure(*args), capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                          preexec_fn=preexec)


def _without_root_override() -> None:
    """In the child: file permissions apply even to root (drop the capabilities that bypass them)."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _wait_for(check, timeout: float = 120.0) -> None:
    deadline = time.time() + timeout
    while not check():
        assert time.time() < deadline, "timed out waiting"
        time.sleep(0.05)


def _started(save: Path, out: Path, *extra: str) -> subprocess.Popen:
    """A game on `save` driven through a pipe, after its first turn is in the JSONL (it holds the save)."""
    proc = subprocess.Popen(adventure("run", "--commands", "-", "--no-narration", "--save", str(save),
                                      "--jsonl", str(out), *extra),
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    proc.stdin.write("look\n")
    proc.stdin.flush()
    _wait_for(lambda: out.exists() and out.read_text(encoding="utf-8").endswith("\n"))
    return proc


def _side_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm", ".lock")))


def _good_save(path: Path) -> None:
    done = run("run", "--commands", os.devnull, "--no-narration", "--save", str(path))
    assert done.returncode == 0, done.stderr


def test_a_second_game_on_a_save_is_refused_naming_the_process(tmp_path):
    save = tmp_path / "game.sqlite"
    first = _started(save, tmp_path / "first.jsonl")
    try:
        second = run("run", "--commands", os.devnull, "--no-narration", "--save", str(save),
                     "--jsonl", str(tmp_path / "second.jsonl"))
        assert second.returncode == 2
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1
        assert str(save) in lines[0] and f"process {first.pid}" in lines[0]
        assert not (tmp_path / "second.jsonl").exists()  # nothing of the refused game was written
        first.stdin.write("go north\n")
    finally:
        first.stdin.close()
        assert first.wait(timeout=60) == 0
    again = run("run", "--commands", os.devnull, "--no-narration", "--save", str(save))
    assert again.returncode == 0, again.stderr
    assert _side_files(tmp_path) == []


def test_a_lock_left_by_a_killed_game_is_taken_over(tmp_path):
    save = tmp_path / "game.sqlite"
    first = _started(save, tmp_path / "first.jsonl")
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert (tmp_path / "game.sqlite.lock").read_text().strip() == str(first.pid)
    resumed = run("run", "--commands", os.devnull, "--no-narration", "--save", str(save))
    assert resumed.returncode == 0, resumed.stderr
    assert f"took over the lock of process {first.pid}, which is no longer running" in resumed.stderr


def test_a_kill_during_narration_leaves_save_turn_log_and_jsonl_agreeing(tmp_path):
    """The first narrated turn waits on a server that never answers: kill -9 it there, after the state is saved."""
    from game.benches.faults import SilentServer

    save, out = tmp_path / "game.sqlite", tmp_path / "run.jsonl"
    with SilentServer() as server:
        proc = subprocess.Popen(adventure("run", "--commands", "-", "--save", str(save), "--jsonl", str(out),
                                          "--server", server.url, "--narration", "model", "--timeout", "60"),
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                text=True, cwd=ROOT)
        proc.stdin.write("go north\n")
        proc.stdin.flush()
        _wait_for(lambda: len(server.held) > 0)  # narrating: its request is on the silent socket
        proc.kill()
        proc.wait()
    conn = sqlite3.connect(save)
    head = conn.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0]
    rows = conn.execute("SELECT input, narration FROM transcript").fetchall()
    conn.close()
    assert head == "1" and rows == [("go north", "")]  # the move is saved, and so is its record
    resumed = run("run", "--commands", os.devnull, "--no-narration", "--save", str(save), "--jsonl", str(out))
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed" in resumed.stderr and "> go north" in resumed.stderr
    found = agreement(save, out)
    assert found["consistent"], found
    assert found["jsonl_last"]["narration_source"] == "pending"


def test_kill_at_random_moments_then_resume_agrees(tmp_path):
    rng = random.Random(21)
    commands = tmp_path / "walk.txt"
    from game.stories.loader import DEFAULT_STORY, load_story

    commands.write_text("\n".join(load_story(DEFAULT_STORY).walkthrough * 20) + "\n", encoding="utf-8")
    for trial in range(2):
        save, out = tmp_path / f"t{trial}.sqlite", tmp_path / f"t{trial}.jsonl"
        proc = subprocess.Popen(adventure("run", "--commands", str(commands), "--no-narration", "--save", str(save),
                                          "--jsonl", str(out)),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        _wait_for(lambda: out.exists() and out.stat().st_size > 0)
        time.sleep(rng.uniform(0.0, 1.0))
        proc.kill()
        assert proc.wait() == -signal.SIGKILL  # killed mid-game, not finished
        resumed = run("run", "--commands", os.devnull, "--no-narration", "--save", str(save), "--jsonl", str(out))
        assert resumed.returncode == 0, resumed.stderr
        found = agreement(save, out)
        assert found["consistent"], (trial, found)
        assert f"> {found['record']['input']}" in resumed.stderr


def test_a_read_only_save_is_refused_with_the_reason_and_stays_usable(tmp_path):
    save = tmp_path / "game.sqlite"
    _good_save(save)
    save.chmod(0o444)
    refused = run("run", "--commands", os.devnull, "--no-narration", "--save", str(save),
                  preexec=_without_root_override)
    assert refused.returncode == 2
    assert "read-only" in refused.stderr and "Traceback" not in refused.stderr
    assert _side_files(tmp_path) == []
    save.chmod(0o644)
    assert run("run", "--commands", os.devnull, "--no-narration", "--save", str(save),
               preexec=_without_root_override).returncode == 0


def test_a_read_only_folder_names_the_folder_never_a_bad_file(tmp_path):
    folder = tmp_path / "saves"
    folder.mkdir()
    good = folder / "good.sqlite"
    _good_save(good)
    folder.chmod(0o555)
    try:
        for save in (good, folder / "new.sqlite"):
            done = run("run", "--commands", os.devnull, "--no-narration", "--save", str(save),
                       preexec=_without_root_override)
            assert done.returncode == 2
            assert f"its folder {folder} is read-only" in done.stderr
            assert "not a readable save" not in done.stderr and "Traceback" not in done.stderr
    finally:
        folder.chmod(0o755)
    assert _side_files(folder) == []


def test_a_corrupt_save_is_refused_and_left_without_side_files(tmp_path):
    save = tmp_path / "game.sqlite"
    _good_save(save)
    data = bytearray(save.read_bytes())
    data[100:4096] = os.urandom(4096 - 100)  # the first page's b-tree: the schema is unreadable
    save.write_bytes(bytes(data))
    before = save.read_bytes()
    done = run("run", "--commands", os.devnull, "--no-narration", "--save", str(save))
    assert done.returncode == 2 and "left untouched" in done.stderr
    assert save.read_bytes() == before
    assert _side_files(tmp_path) == []


def test_an_edited_state_is_reported_as_a_damaged_save(tmp_path):
    save = tmp_path / "game.sqlite"
    _good_save(save)
    conn = sqlite3.connect(save)
    with conn:
        changed = conn.execute("UPDATE timeline SET state = replace(state, '\"gold\":6', '\"gold\":9')").rowcount
    conn.close()
    assert changed == 1
    done = run("run", "--commands", os.devnull, "--no-narration", "--save", str(save))
    assert done.returncode == 2
    assert "damaged save" in done.stderr and "hash" in done.stderr


def test_minus_one_is_refused_not_choice_one(tmp_path):
    commands = tmp_path / "c.txt"
    commands.write_text("-1\n+2\n1\n", encoding="utf-8")
    done = run("run", "--commands", str(commands), "--no-narration")
    assert done.returncode == 0, done.stderr
    turns = [json.loads(line) for line in done.stdout.splitlines()]
    assert [t["action"] for t in turns[:2]] == [None, None]
    assert turns[0]["facts"].startswith("Pick a number from 1 to ")
    assert turns[2]["how"] == "choice" and turns[2]["action"] is not None
