"""The village on llama.cpp's own server (`llama-server --parallel`), started and stopped by the tests.

The server binary is found or built once by `agent.llama_server.ensure()` (a set-up step of this module:
the first run on a fresh machine builds it from the installed llama-cpp-python's source, ~15 min on 2 cores,
with a progress bar). A server killed in the middle of a day gives one clear error, the village's state up
to the last finished step stays in SQLite, and `--resume` goes on from there on a new server.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agent.llama_server import LlamaServer, ensure
from agent.model_files import default_model_path

# The first test of this module may build llama-server (~11 min on CI's 2 cores), which counts against its timeout.
BUILD_AND_TEST_S = 2400
pytestmark = [pytest.mark.server, pytest.mark.model, pytest.mark.timeout(BUILD_AND_TEST_S)]

VILLAGE = """\
format: 1
id: hamlet
title: Hamlet
start: 2026-05-04T08:00:00
places:
  - {id: well, name: Well, objects: [bucket]}
  - {id: hut, name: Hut}
villagers:
  - {id: ana, name: Ana, age: 30, occupation: baker, home: well,
     routine: [{at: "06:00", place: well, activity: drawing water}]}
  - {id: ben, name: Ben, age: 40, occupation: smith, home: well,
     routine: [{at: "06:00", place: well, activity: mending a bucket}, {at: "10:00", place: hut, activity: resting}]}
  - {id: cy, name: Cy, age: 50, occupation: hermit, home: hut,
     routine: [{at: "06:00", place: hut, activity: meditating}]}
events:
  - {at: day 1 08:30, place: well, text: The rope of the well snaps., importance: 7}
"""


@pytest.fixture(scope="module")
def binary():
    return ensure()


@pytest.fixture
def script(tmp_path) -> Path:
    path = tmp_path / "hamlet.yaml"
    path.write_text(VILLAGE)
    return path


def run_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game.cli", "villagers", "run", *args], capture_output=True,
                          text=True, timeout=timeout)


def clock_of(state: Path) -> int:
    with sqlite3.connect(state) as db:
        return int(db.execute("SELECT value FROM meta WHERE key = 'clock'").fetchone()[0])


def test_a_village_runs_on_llama_server_with_parallel_slots(binary, script, tmp_path):
    state, out = tmp_path / "state.sqlite", tmp_path / "events.jsonl"
    with LlamaServer(default_model_path(), parallel=4, threads=1, binary=binary,
                     log_path=tmp_path / "server.log") as server:
        done = run_cli(str(script), "--hours", "1", "--detail", "full", "--server", server.url, "--state", str(state),
                       "--jsonl", str(out), "--quiet", "--fresh")
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stderr.strip().splitlines()[-1])
    assert summary["model_calls"] > 0 and summary["game_hours"] == 1.0
    kinds = {json.loads(line)["kind"] for line in out.read_text().splitlines()}
    assert {"plan", "action"} <= kinds
    assert clock_of(state) == 9 * 60


def test_a_server_killed_mid_day_keeps_the_state_and_resume_goes_on(binary, script, tmp_path):
    state = tmp_path / "state.sqlite"
    with LlamaServer(default_model_path(), parallel=4, threads=1, binary=binary) as server:
        proc = subprocess.Popen([sys.executable, "-m", "game.cli", "villagers", "run", str(script), "--hours", "6",
                                 "--detail", "full", "--server", server.url, "--state", str(state), "--quiet",
                                 "--fresh", "--timeout", "20"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # let it finish a few steps, then the server dies
            if state.exists() and clock_of_or_none(state) and clock_of(state) >= 8 * 60 + 30:
                break
            assert proc.poll() is None, proc.stderr.read()[-2000:]
            time.sleep(0.5)
        server.kill()
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err[-2000:]
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "run again to resume" in errors[0], err[-2000:]
    kept = clock_of(state)
    assert 8 * 60 + 30 <= kept < 14 * 60  # the steps finished before the kill, not the whole day
    with LlamaServer(default_model_path(), parallel=4, threads=1, binary=binary) as again:
        done = run_cli(str(script), "--hours", "1", "--detail", "full", "--server", again.url, "--state", str(state),
                       "--quiet", "--resume")
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stderr.strip().splitlines()[-1])
    assert summary["resumed"] is True and clock_of(state) == kept + 60


def clock_of_or_none(state: Path) -> int | None:
    try:
        return clock_of(state)
    except (sqlite3.Error, TypeError):
        return None


def test_resume_without_a_saved_state_is_one_clear_error(script, tmp_path):
    done = run_cli(str(script), "--hours", "1", "--state", str(tmp_path / "none.sqlite"), "--resume")
    assert done.returncode == 2 and "no saved state" in done.stderr


def test_rank_gets_exact_log_probabilities_from_llama_server(binary):
    from agent.openai_backend import OpenAICompatBackend

    with LlamaServer(default_model_path(), parallel=2, threads=1, binary=binary) as server:
        backend = OpenAICompatBackend(server.url)
        try:
            scores = backend.rank("Ana is hungry. For the next quarter hour, Ana decides to",
                                  [" eat some bread", " eat some bread and sing", ""])
            forced = backend.logprobs("Ana is hungry. For the next quarter hour, Ana decides to", " eat some bread")
            tokens = backend.tokenize(" eat some bread")
        finally:
            backend.close()
    assert len(forced) == len(tokens) and all(v < 0 for v in forced)
    assert scores[0] == pytest.approx(sum(forced), abs=1e-3)
    assert scores[1] < scores[0] and scores[2] == float("-inf")  # a longer text costs more; no text, nothing
