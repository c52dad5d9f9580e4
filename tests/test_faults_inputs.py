"""Issue 21, inputs and servers: YAML bombs, a server that accepts and never answers, errors on stderr.

Real processes and a real socket (game.benches.faults.SilentServer: it accepts every connection and never sends a
byte). Not covered here: a server that answers slowly but does answer (that is what `--timeout` is for).
"""
from __future__ import annotations

import socket
import subprocess
import time

import pytest

from agent.villagers.script import VillageInvalid, parse_village_text
from agent.yaml_source import MAX_DEPTH
from game.benches.faults import ROOT, SilentServer, adventure, alias_bomb
from game.stories.loader import StoryInvalid, parse_story_text

BAD_STORY = "id: x\ntitle: [unclosed\n"


def run(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(adventure(*args), capture_output=True, text=True, cwd=ROOT, timeout=timeout)


@pytest.mark.parametrize("parse, invalid", [(parse_story_text, StoryInvalid), (parse_village_text, VillageInvalid)])
def test_an_alias_bomb_is_refused_in_well_under_a_second(parse, invalid):
    text = alias_bomb(9)
    assert len(text) < 500
    started = time.perf_counter()
    with pytest.raises(invalid) as caught:
        parse(text, "bomb.yaml")
    assert time.perf_counter() - started < 0.5
    assert "alias bomb" in str(caught.value.problems[0])


def test_deep_nesting_and_recursive_aliases_are_refused_with_a_line():
    deep = "a: " + "[" * (MAX_DEPTH + 50) + "]" * (MAX_DEPTH + 50) + "\n"
    with pytest.raises(StoryInvalid) as caught:
        parse_story_text(deep, "deep.yaml")
    assert f"nested more than {MAX_DEPTH} levels deep" in str(caught.value)
    with pytest.raises(StoryInvalid) as caught:
        parse_story_text("a: &x [1, *x]\n", "loop.yaml")
    assert "refers to its own anchor" in str(caught.value)


def test_ordinary_aliases_still_work():
    from game.stories.loader import DEFAULT_STORY

    text = DEFAULT_STORY.read_text(encoding="utf-8") + "\nx-shared: &shared [1, 2]\n"
    with pytest.raises(StoryInvalid) as caught:  # an unknown top-level key, reported as such: the reader is fine
        parse_story_text(text, "story.yaml", check_walkthrough=False)
    assert "x-shared: unknown key" in str(caught.value)


@pytest.mark.slow
def test_check_commands_refuse_a_bomb_quickly_with_the_error_on_stderr(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb(9), encoding="utf-8")
    for command in (("story", "check"), ("villagers", "check")):
        started = time.perf_counter()
        done = run(*command, str(bomb), timeout=60)
        assert time.perf_counter() - started < 30  # interpreter start-up included; the bomb itself is ms
        assert done.returncode == 1
        assert done.stdout == ""
        assert f"{bomb}:1: (top): YAML beyond the limits" in done.stderr


@pytest.mark.slow
def test_check_errors_go_to_stderr_and_ok_lines_to_stdout(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_STORY, encoding="utf-8")
    from game.stories.loader import DEFAULT_STORY

    done = run("story", "check", str(bad), str(DEFAULT_STORY), timeout=60)
    assert done.returncode == 1
    assert "not valid YAML" in done.stderr and "not valid YAML" not in done.stdout
    assert done.stdout.startswith(f"{DEFAULT_STORY}: ok")


@pytest.mark.slow
def test_a_server_that_never_answers_costs_seconds_and_says_so(tmp_path):
    from game.stories.loader import DEFAULT_STORY, load_story

    commands = tmp_path / "ten.txt"
    commands.write_text("\n".join(load_story(DEFAULT_STORY).walkthrough[:10]) + "\n", encoding="utf-8")
    with SilentServer() as server:
        started = time.perf_counter()
        proc = subprocess.Popen(adventure("run", "--commands", str(commands), "--server", server.url,
                                          "--narration", "model", "--jsonl", str(tmp_path / "out.jsonl")),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        first, lines = None, []
        for line in proc.stderr:
            lines.append(line)
            if first is None and server.url in line:
                first = time.perf_counter() - started
        proc.wait(timeout=120)
        total = time.perf_counter() - started
    assert first is not None and first <= 10, lines
    assert total <= 30
    naming = [line for line in lines if server.url in line]
    assert len(naming) == 1 and "did not answer within 5s" in naming[0]  # one warning, not one per turn
    assert "10 turns" in lines[-1]
    assert proc.returncode == 0  # the game went on with the engine's text


@pytest.mark.slow
def test_nothing_listening_is_said_on_stderr(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}/v1"
    done = subprocess.run(adventure("run", "--commands", "-", "--server", url, "--narration", "model"),
                          input="go north\ngo south\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0
    naming = [line for line in done.stderr.splitlines() if url in line]
    assert len(naming) == 1 and "cannot reach server" in naming[0]


@pytest.mark.slow
def test_timeout_is_a_documented_flag_of_every_model_command():
    for command in (("run",), ("play",), ("villagers", "run"), ("villagers", "eval"), ("model", "info")):
        done = run(*command, "--help", timeout=60)
        assert done.returncode == 0, command
        assert "--timeout S" in done.stdout, command


@pytest.mark.slow
def test_villagers_run_stops_with_an_error_instead_of_stalling(tmp_path):
    with SilentServer() as server:
        started = time.perf_counter()
        done = run("villagers", "run", "oasis", "--hours", "2", "--quiet", "--fresh", "--server", server.url,
                   "--state", str(tmp_path / "village.sqlite"), timeout=120)
        elapsed = time.perf_counter() - started
    assert done.returncode == 2
    assert elapsed < 30
    assert done.stderr.strip().splitlines()[-1].startswith("error: the model is unavailable")
