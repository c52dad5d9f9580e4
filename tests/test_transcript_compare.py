"""`game.play.transcript_compare` and `adventure run --compare OLD.jsonl NEW.jsonl` (two logs, no model)."""
from __future__ import annotations

import json

import pytest

from game.cli import main
from game.play.transcript_compare import (
    ENGINE_FIELDS,
    TranscriptInvalid,
    compare_files,
    first_difference,
    load_turns,
)


def turn(text: str, facts: str, **extra) -> dict:
    base = {"input": text, "action": f"do {text}", "facts": facts, "location": "hall", "inventory": [],
            "purse": 0, "score": 0, "won": False, "lost": False, "state_hash": "ab" * 8,
            "narration": "Prose that varies.", "timings": {"total_s": 0.1}}
    return {**base, **extra}


def write_log(path, turns) -> None:
    path.write_text("".join(json.dumps(t) + "\n" for t in turns), encoding="utf-8")


def test_prose_and_timings_do_not_count():
    old = [turn("look", "A hall."), turn("north", "You go north.")]
    new = [turn("look", "A hall.", narration="Other words.", timings={"total_s": 9}),
           turn("north", "You go north.", narration="", understood_by="model")]
    assert first_difference(old, new) is None


def test_the_first_differing_turn_and_its_fields():
    old = [turn("look", "A hall."), turn("north", "You go north.", location="yard"), turn("wait", "Time passes.")]
    new = [turn("look", "A hall."), turn("north", "The door is locked."), turn("wait", "Time passes.", score=3)]
    found = first_difference(old, new)
    assert (found.turn, found.input) == (2, "north")
    assert [name for name, _, _ in found.fields] == ["facts", "location"]
    text = found.describe("a.jsonl", "b.jsonl")
    assert text.startswith("turn 2 (> north) differs:") and "a.jsonl: You go north." in text
    assert "b.jsonl: The door is locked." in text


def test_a_log_that_ends_early_differs_at_the_next_turn():
    old = [turn("look", "A hall."), turn("north", "You go north.")]
    found = first_difference(old, old[:1])
    assert (found.turn, found.input, found.fields) == (2, "north", [])
    assert found.describe() == "turn 2 (> north): new ends after 1 turns, old goes on to 2"


def test_the_state_hash_counts_by_default():
    assert "state_hash" in ENGINE_FIELDS
    found = first_difference([turn("look", "A hall.")], [turn("look", "A hall.", state_hash="cd" * 8)])
    assert [name for name, _, _ in found.fields] == ["state_hash"]


def test_a_bad_line_is_named_and_a_cut_last_line_is_dropped(tmp_path):
    log = tmp_path / "old.jsonl"
    log.write_text(json.dumps(turn("look", "A hall.")) + "\n{not json\n" + json.dumps(turn("n", "N.")) + "\n")
    with pytest.raises(TranscriptInvalid, match=rf"^{log}:2: not JSON"):
        load_turns(log)
    log.write_text(json.dumps(turn("look", "A hall.")) + '\n{"input": "nor')
    assert [t["input"] for t in load_turns(log)] == ["look"]
    log.write_text('[1, 2]\n')
    with pytest.raises(TranscriptInvalid, match=rf"^{log}:1: not a turn"):
        load_turns(log)


def test_compare_two_files_through_the_cli(tmp_path, capsys):
    old, same, other = tmp_path / "old.jsonl", tmp_path / "same.jsonl", tmp_path / "other.jsonl"
    write_log(old, [turn("look", "A hall."), turn("take key", "Taken.", inventory=["key"])])
    write_log(same, [turn("look", "A hall.", narration="x"), turn("take key", "Taken.", inventory=["key"])])
    write_log(other, [turn("look", "A hall."), turn("take key", "You can't see any key.")])
    assert main(["run", "--compare", str(old), str(same)]) == 0
    assert capsys.readouterr().out.startswith("2 turns, the same engine results")
    assert main(["run", "--compare", str(old), str(other)]) == 3
    out = capsys.readouterr().out
    assert out.startswith("turn 2 (> take key) differs:") and "You can't see any key." in out
    assert compare_files(old, other)[0] == 1


def test_cli_refuses_missing_files_and_no_source(tmp_path, capsys):
    assert main(["run", "--compare", str(tmp_path / "gone.jsonl"), str(tmp_path / "gone2.jsonl")]) == 2
    assert "gone.jsonl" in capsys.readouterr().err
    assert main(["run"]) == 1
    assert "give --commands FILE, --walkthrough or --compare" in capsys.readouterr().err
