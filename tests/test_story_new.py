"""`adventure story new`: the scaffold checks clean, never overwrites, and (with the real CLI) its walkthrough wins."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from agent.scripted import ScriptedBackend
from game.cli import main
from game.stories.loader import load_story
from game.stories.scaffold import story_id


def test_scaffold_is_a_valid_story_whose_walkthrough_wins(tmp_path, capsys):
    assert main(["story", "new", str(tmp_path / "My Tale")]) == 0
    path = tmp_path / "My Tale.yaml"
    assert f"wrote {path}" in capsys.readouterr().out
    story = load_story(path)  # check_walkthrough=True: the engine plays it to a win
    assert story.id == "my_tale" and story.title == "My Tale"
    assert story.doors and story.riddles
    assert story.characters[0].sells and any(i.money for i in story.items) and story.lore and story.verbs
    text = path.read_text(encoding="utf-8")
    assert text.count("\n# ") >= 8  # every section is explained
    assert main(["story", "check", str(path)]) == 0


def test_never_overwrites(tmp_path, capsys):
    path = tmp_path / "mine.yaml"
    path.write_text("my own words\n", encoding="utf-8")
    assert main(["story", "new", str(path)]) == 1
    assert capsys.readouterr().err == f"error: {path} already exists; choose another NAME (nothing was written)\n"
    assert path.read_text(encoding="utf-8") == "my own words\n"


def test_story_ids_from_names():
    assert story_id("Dark Tower-2") == "dark_tower_2"
    assert story_id("42") == "story_42"


def test_run_compare_replays_the_old_inputs_on_a_changed_story(tmp_path, monkeypatch, capsys):
    """`run --compare OLD` with no --commands plays OLD's inputs; the test double stands in for the model."""
    monkeypatch.setattr("game.commands.backend_from_args", lambda args: ScriptedBackend())
    monkeypatch.setenv("ADVENTURE_SAVE_DIR", str(tmp_path))
    story, log = tmp_path / "quest.yaml", tmp_path / "a.jsonl"
    assert main(["story", "new", str(story)]) == 0
    assert main(["run", str(story), "--walkthrough", "--no-narration", "--jsonl", str(log)]) == 0
    assert main(["run", str(story), "--compare", str(log), "--no-narration", "--jsonl", str(tmp_path / "b.jsonl")]) == 0
    assert "11 turns, the same engine results" in capsys.readouterr().err
    story.write_text(story.read_text(encoding="utf-8").replace("money: 3 ", "money: 5 "), encoding="utf-8")
    assert main(["run", str(story), "--compare", str(log), "--no-narration", "--jsonl", str(tmp_path / "c.jsonl")]) == 3
    err = capsys.readouterr().err
    assert "turn 3 (> take coins) differs:\n  facts:" in err


@pytest.mark.model
def test_walkthrough_wins_and_a_changed_log_differs_through_the_real_cli(tmp_path):
    """One real `adventure run` (it loads the default model to rank free text; prose off), then its log compared
    with one turn changed by hand: that turn is reported, exit 3."""
    env = {**os.environ, "ADVENTURE_SAVE_DIR": str(tmp_path)}
    cli = [sys.executable, "-m", "game.cli"]
    subprocess.run([*cli, "story", "new", str(tmp_path / "quest")], check=True, capture_output=True, env=env)
    log = tmp_path / "a.jsonl"
    done = subprocess.run([*cli, "run", str(tmp_path / "quest.yaml"), "--walkthrough", "--no-narration",
                           "--narration", "engine", "--jsonl", str(log)], check=False, capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "11 turns; won" in done.stderr
    lines = log.read_text(encoding="utf-8").splitlines()
    changed = tmp_path / "b.jsonl"
    changed.write_text("\n".join(lines[:4] + [lines[4].replace('"location": "garden"', '"location": "cottage"')]
                                 + lines[5:]) + "\n", encoding="utf-8")
    done = subprocess.run([*cli, "run", "--compare", str(log), str(changed)], check=False, capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 3
    assert done.stdout.startswith("turn 5 (> north) differs:\n  location:")
