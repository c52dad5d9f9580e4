"""Logging as `adventure` configures it (game.cli): `--log FILE` / `ADVENTURE_LOG` collect every record from INFO
up, one line each; headless commands print warnings to stderr; the full-screen game never writes to its terminal."""
from __future__ import annotations

import logging
import re
import socket

import pytest

from game.cli import configure_logging, main

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?P<name>\S+) (?P<level>[A-Z]+) (?P<message>.*)$")


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on: a `--server` there is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def commands(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVENTURE_SAVE_DIR", str(tmp_path / "saves"))
    monkeypatch.delenv("ADVENTURE_LOG", raising=False)
    path = tmp_path / "commands.txt"
    path.write_text("go north\n", encoding="utf-8")
    return path


def records(path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines  # every line is one whole record
    return [m.groupdict() for m in parsed]


@pytest.mark.slow
def test_a_narration_fallback_reaches_the_log_file(tmp_path, commands, closed_port, capsys):
    log_file = tmp_path / "adventure.log"
    handlers_before = list(logging.getLogger().handlers)
    code = main(["--log", str(log_file), "run", "--narration", "model", "--commands", str(commands),
                 "--server", f"http://127.0.0.1:{closed_port}/v1"])
    assert code == 0
    fallbacks = [r for r in records(log_file) if r["name"] == "game.narration.narrator"]
    assert [r["level"] for r in fallbacks] == ["WARNING"]
    assert fallbacks[0]["message"].startswith("narration fell back to the engine's text: ModelError: cannot reach")
    assert "narration fell back" in capsys.readouterr().err  # headless: the warning is on stderr as well
    assert logging.getLogger().handlers == handlers_before  # main() took its handlers away again


def test_the_environment_variable_and_the_option_after_the_command(tmp_path, commands, closed_port, monkeypatch):
    from_env, from_option = tmp_path / "env.log", tmp_path / "option.log"
    monkeypatch.setenv("ADVENTURE_LOG", str(from_env))
    server = f"http://127.0.0.1:{closed_port}/v1"
    assert main(["run", "--narration", "model", "--commands", str(commands), "--server", server]) == 0
    assert "narration fell back" in from_env.read_text(encoding="utf-8")
    monkeypatch.delenv("ADVENTURE_LOG")
    assert main(["run", "--log", str(from_option), "--narration", "model", "--commands", str(commands),
                 "--server", server]) == 0
    assert "narration fell back" in from_option.read_text(encoding="utf-8")


def test_a_traceback_stays_on_its_records_line(tmp_path):
    log_file = tmp_path / "t.log"
    handlers = configure_logging(str(log_file), full_screen=True)
    try:
        try:
            raise ValueError("bad\nthing")
        except ValueError:
            logging.getLogger("game.test").exception("it failed")
    finally:
        for handler in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()
    (record,) = records(log_file)
    assert record["name"] == "game.test" and record["level"] == "ERROR"
    assert record["message"].startswith("it failed | Traceback") and "ValueError: bad | thing" in record["message"]


@pytest.mark.parametrize("full_screen", [True, False])
def test_warnings_reach_stderr_only_outside_the_full_screen_game(full_screen, capfd):
    handlers = configure_logging(None, full_screen=full_screen)
    try:
        logging.getLogger("game.test").warning("the picture could not be drawn")
        logging.getLogger("game.test").info("an ordinary turn")
    finally:
        for handler in handlers:
            logging.getLogger().removeHandler(handler)
    err = capfd.readouterr().err
    if full_screen:
        assert err == ""
        # a handler is there, so logging's last resort (stderr, over the Textual screen) never runs
        assert [type(h) for h in handlers] == [logging.NullHandler]
    else:
        assert err == "WARNING game.test: the picture could not be drawn\n"


def test_each_served_tab_logs_where_serve_was_told(tmp_path):
    from game.cli import build_parser
    from game.tui.serve import play_command

    log_file = tmp_path / "served.log"
    args = build_parser().parse_args(["serve", "--no-images", "--log", str(log_file)])
    assert play_command(args).endswith(f"play --no-images --narration auto --log {log_file}")
