"""The village against llama.cpp's own server and in-process, in one run (`villagers eval --parts scale`).

Two set-ups, the same village (the script scaled to `n` villagers), the same seed:

- in-process: the `LlamaCppBackend` the caller loaded, one request at a time;
- server: `llama-server --parallel P` (agent.llama_server) started here on
  127.0.0.1 with the same model file and threads, driven through
  OpenAICompatBackend with P concurrent workers (the day plans of everyone
  waking up and the conversations of a step run concurrently).

Figures:
- `server_over_inprocess`: wall time of a full-detail window (every villager
  in focus, so every plan, ranking, rating and utterance is a model call) on
  the server over in-process. The window is `window_hours` from the start of
  the day (07:00, when everyone wakes and plans);
- `wall_s_25_villagers_day_inprocess` / `_server`: one whole game day at the
  game's level of detail (as in `play`; with no player in sight it makes no
  model call, so both are the simulation's own cost);
- `wall_s_100_villagers_day_server`: the same for 100 villagers;
- `wall_s_25_villagers_day`: the fastest of the two set-ups, named in `notes`.

Deliberately left out: vLLM (same API: `--server URL`, docs/BENCHMARKS.md says
how), more than one server process, and embeddings on the server (a
generation server refuses /v1/embeddings; retrieval falls back to BM25+).
"""
from __future__ import annotations

import time
from typing import Callable

from .eval import load_note, require_model, run_village, save_json, scaled_script
from .script import VillageScript
from .simulation import Village


def timed_run(script: VillageScript, backend, hours: float, seed: int, detail: str, bar) -> tuple[float, float]:
    """(wall seconds, model calls) for populate + `hours` of the village."""
    started = time.perf_counter()
    village = Village(script, backend, seed=seed, detail=detail)
    village.populate()
    run_village(village, hours, bar)
    require_model(backend)
    return time.perf_counter() - started, village.meter.total_calls() if village.meter else 0.0


def scale_part(script: VillageScript, inprocess, server_backend: Callable[[], object], figures: dict, out: str | None,
               window_hours: float = 2.0, n: int = 25, big: int = 100, seed: int = 0, progress: bool = True,
               resume: bool = False) -> dict:
    """Fills `figures` (saved to `out` after each measurement); `server_backend()` returns a backend on a
    running server (the caller starts and stops it). `resume` keeps measurements already in `figures`
    (same window and village), so an interrupted comparison goes on where it stopped."""
    from tqdm import tqdm

    notes = figures.setdefault("notes", {})
    village = scaled_script(script, n)

    def bar(desc: str, hours: float):
        return tqdm(total=int(round(hours * 4)), desc=desc, unit="step", disable=not progress)

    def kept(key: str) -> bool:
        return resume and figures.get(key) is not None and figures.get("scale_window_hours") == window_hours

    figures["scale_window_hours"] = window_hours
    server = server_backend()
    try:
        if not kept(f"wall_s_{n}_full_window_inprocess"):
            with bar(f"{n} villagers, full detail, in-process", window_hours) as b:
                wall_in, calls_in = timed_run(village, inprocess, window_hours, seed, "full", b)
            figures[f"wall_s_{n}_full_window_inprocess"] = wall_in
            figures[f"calls_{n}_full_window_inprocess"] = calls_in
            save_json(out, figures)
        wall_in = figures[f"wall_s_{n}_full_window_inprocess"]
        with bar(f"{n} villagers, full detail, server", window_hours) as b:
            wall_srv, calls_srv = timed_run(village, server, window_hours, seed, "full", b)
        figures[f"wall_s_{n}_full_window_server"] = wall_srv
        figures[f"calls_{n}_full_window_server"] = calls_srv
        figures["server_over_inprocess"] = wall_srv / wall_in
        notes["server_over_inprocess"] = (f"{n} villagers, every one in focus, {window_hours:g} game hours from "
                                          f"the day's start; {load_note()}")
        save_json(out, figures)
        for size, backend, key in ((n, inprocess, f"wall_s_{n}_villagers_day_inprocess"),
                                   (n, server, f"wall_s_{n}_villagers_day_server"),
                                   (big, server, f"wall_s_{big}_villagers_day_server")):
            with bar(f"{size} villagers, a day, level of detail", 24) as b:
                figures[key], _ = timed_run(scaled_script(script, size), backend, 24, seed, "lod", b)
            save_json(out, figures)
    finally:
        server.close()
    notes.pop(f"wall_s_{n}_villagers_day_inprocess", None)  # measured now
    inproc, srv = figures[f"wall_s_{n}_villagers_day_inprocess"], figures[f"wall_s_{n}_villagers_day_server"]
    figures[f"wall_s_{n}_villagers_day"] = min(inproc, srv)
    notes[f"wall_s_{n}_villagers_day"] = (f"fastest set-up: {'in-process' if inproc <= srv else 'llama-server'} at "
                                          "the game's level of detail (no player in sight: no model calls)")
    save_json(out, figures)
    return figures
