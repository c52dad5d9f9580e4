"""`adventure villagers eval`: information diffusion, recall with ablations, cost and its trend.

- Diffusion: a fact is planted in one villager (`Village.plant`), the village
  runs one game day, then everyone is asked about it (`Village.ask`: an
  answer from the villager's OWN retrieved memories). A villager "says yes"
  when its answer states the fact (one of its key terms) or affirms it
  ("yes", "I heard"); the yes is *backed* when one of the villager's memory
  records holds a key term. `diffusion_share` = villagers (the planted one
  included, as in the paper's 1 → 13 of 25) whose answer states the fact
  and is backed; `diffusion_unbacked_yes_rate` = yeses without a backing
  record (hallucinations); `diffusion_memory_share` = villagers holding a
  record of it at all (what a perfect answerer would say).
- Recall: questions generated from each villager's own perception records of
  the run (what it saw others do, where they went, scheduled events it
  witnessed), answered by `Village.ask`; correct when the answer carries the
  record's content words (`answer_matches`; questions and judging: eval_questions.py). Ablations re-run the day with
  reflection off / planning off (routine plans, no ranking), and ask the
  default run's questions with no memories at all.
- Cost: calls and tokens per villager per game hour of the default run, and
  the wall time of one game day for villages of 5, 10, 25... villagers built
  by `scaled_script` (copies of the script's villagers with new ids and names).

Every part writes its figures into the JSON file as soon as it ends, so an
interrupted eval is resumed by running the same command with `--resume`.
A model that becomes unavailable (a server backend's `unavailable`) stops the
eval with a ModelError after the step in flight: figures made of fallbacks
are not measurements, so the part in progress is not saved.

Deliberately left out: judging answers with a model (word matching is
cruder but cannot be flattered by a fluent model), multi-day diffusion, and
the player.
"""
from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path
from typing import Callable

from agent.backend import ModelError
from agent.files import write_text_atomic

from .eval_questions import (
    FACT,
    FACT_NEWS,
    FACT_QUESTION,
    Question,
    ask_all,
    backed,
    backed_answer,
    questions_for,
    says_yes,
    states_fact,
)
from .script import News, VillageScript, format_time
from .simulation import Village

COPY_SUFFIXES = ("II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def scaled_script(script: VillageScript, n: int) -> VillageScript:
    """`n` villagers: the script's first n, or copies of all of them ("Nadia II", id nadia_2) beyond."""
    base = script.villagers
    people = []
    for k in range((n + len(base) - 1) // len(base)):
        for v in base:
            if len(people) == n:
                break
            if k == 0:
                people.append(v)
                continue
            suffix = COPY_SUFFIXES[k - 1] if k <= len(COPY_SUFFIXES) else str(k + 1)
            people.append(v.model_copy(update={
                "id": f"{v.id}_{k + 1}", "name": f"{v.name} {suffix}", "character": None,
                "relationships": {f"{o}_{k + 1}": rel for o, rel in v.relationships.items()}}))
    ids = {v.id for v in people}
    people = [v.model_copy(update={"relationships": {o: r for o, r in v.relationships.items() if o in ids}})
              for v in people]
    events = [e.model_copy(update={"told_to": [t for t in e.told_to if t in ids]}) for e in script.events]
    triggers = [t for t in script.triggers if t.villager is None or t.villager in ids]
    base_of = {v.id: v.id.rsplit("_", 1)[0] if v.character is None and v.id not in {b.id for b in base} else v.id
               for v in people}
    news = [item.model_copy(update={"cares": [vid for vid in sorted(ids) if base_of[vid] in item.cares]})
            for item in script.news if not item.cares or any(base_of[vid] in item.cares for vid in ids)]
    return script.model_copy(update={"villagers": people, "events": events, "triggers": triggers, "news": news})


# --- the parts ---------------------------------------------------------------------------
def run_village(village: Village, hours: float, bar=None, on_hour: Callable[[int, float], None] | None = None) -> float:
    """Steps through `hours`; `on_hour(game_hours_done, wall_s)` after each game hour (for checkpoints)."""
    started = time.perf_counter()
    for i in range(int(round(hours * 4))):
        village.step()
        require_model(village.meter)
        if bar is not None:
            bar.set_postfix_str(f"{village.script.id} {len(village.states)}v {format_time(village.clock)}")
            bar.update(1)
        if on_hour and (i + 1) % 4 == 0:
            on_hour((i + 1) // 4, time.perf_counter() - started)
    return time.perf_counter() - started


def require_model(backend) -> None:
    """Raise ModelError when the backend (a MeteredBackend forwards it) reports itself unavailable."""
    reason = backend.unavailable if backend is not None else None
    if reason:
        raise ModelError(f"the model is unavailable ({reason}); stopped rather than go on with fallbacks")


def diffusion(village: Village, seed_vid: str, grounded: list[bool] | None = None,
              ask: Callable[[str, str], str] | None = None) -> dict:
    """`ask(vid, question) -> text` replaces the village's own answers (tests of the counting)."""
    knows = yes = unbacked = memory = 0
    detail = {}
    for vid in sorted(village.states):
        answer = ask(vid, FACT_QUESTION) if ask else village.ask(vid, FACT_QUESTION).text
        if grounded is not None:
            grounded.append(backed_answer(village, vid, FACT_QUESTION, answer))
        records = village.states[vid].stream.records
        has = backed(records)
        memory += has
        if says_yes(answer):
            yes += 1
            unbacked += not has
        knows += has and states_fact(answer)
        detail[vid] = re.sub(r"\s+", " ", answer)[:80]
    n = len(village.states)
    return {"diffusion_share": knows / n, "diffusion_memory_share": memory / n,
            "diffusion_unbacked_yes_rate": (unbacked / yes) if yes else 0.0,
            "diffusion_yes_answers": yes, "diffusion_seed_villager": seed_vid,
            "diffusion_answers": " | ".join(f"{k}: {v}" for k, v in detail.items())}


def with_fact_news(script: VillageScript) -> VillageScript:
    """The planted fact marked as news, the way an author marks a story's news (`news:` in the script)."""
    return script.model_copy(update={"news": [*script.news, News(about=list(FACT_NEWS), importance=8)]})


def load_json(path: str | Path | None) -> dict:
    if path and Path(path).exists():
        return json.loads(Path(path).read_text(encoding="utf-8"))
    return {}


def save_json(path: str | Path | None, figures: dict) -> None:
    """One flat object: the notes dict becomes one string."""
    notes = figures.get("notes")
    if isinstance(notes, dict):
        figures = {**figures, "notes": "; ".join(f"{k}: {v}" for k, v in notes.items())}
    if path:
        write_text_atomic(path, json.dumps(figures, indent=1, ensure_ascii=False))


def load_note() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f}/{five:.1f}/{fifteen:.1f} on {os.cpu_count()} cores"


def run_eval(script: VillageScript, backend, out: str | None = None, parts=("diffusion", "recall", "cost"),
             hours: float = 24.0, sizes=(5, 10, 25), seed: int = 0, per_villager: int = 4,
             resume: bool = False, progress: bool = True, detail: str = "lod") -> dict:
    """Measures the parts in order, saving the figures after each; `resume` skips figures already in `out`.

    `detail` is the village's level of detail: "lod" (as in `play`: nobody is in the player's sight in a
    headless day, so villagers follow rules and spend no calls until asked) or "full" (every villager in
    focus all day, the paper's set-up)."""
    from tqdm import tqdm

    figures = load_json(out) if resume else {}
    notes = figures.setdefault("notes", {})
    if not isinstance(notes, dict):
        notes = figures["notes"] = {"earlier": notes} if notes else {}
    figures.update({"script": script.id, "villagers": len(script.villagers), "game_hours": hours,
                    "backend": backend.name if backend is not None else "none", "detail": detail})
    unmarked, script = script, with_fact_news(script)
    steps = int(round(hours * 4))
    seed_vid = script.villagers[0].id

    def bar(desc: str, total: int):
        return tqdm(total=total, desc=desc, unit="step", disable=not progress)

    def done(*names: str) -> bool:
        return resume and all(figures.get(n) is not None for n in names)

    questions: list[Question] = []
    if ("diffusion" in parts or "recall" in parts) and not done("diffusion_share", "recall_accuracy",
                                                               "calls_per_villager_hour"):
        village = Village(script, backend, seed=seed, detail=detail)
        village.populate()
        village.plant(seed_vid, FACT)
        with bar("default day", steps) as b:
            wall = run_village(village, hours, b)
        n = len(village.states)
        figures["calls_per_villager_hour"] = village.meter.total_calls() / (n * hours) if village.meter else None
        figures["tokens_per_villager_hour"] = village.meter.total_tokens() / (n * hours) if village.meter else None
        figures[f"wall_s_{n}_villagers_day_default"] = wall
        rated = village.rater.model_ratings + village.rater.fallbacks
        figures["importance_usable_share"] = village.rater.model_ratings / rated if rated else None
        figures["plan_fallbacks"] = village.planner.fallbacks
        grounded: list[bool] = []
        figures.update(diffusion(village, seed_vid, grounded))
        rng = random.Random(seed)
        for vid in sorted(village.states):
            questions += questions_for(village, vid, per_villager, rng, village.start)
        figures["recall_questions"] = len(questions)
        with bar("recall questions", 2 * len(questions)) as b:
            hits: list[bool] = []
            sources: list[str] = []
            figures["recall_accuracy"] = ask_all(village, questions, progress=b.update, hits=hits, grounded=grounded,
                                                 sources=sources)
            for source in ("model", "memory", "unknown"):  # who phrased what reached the asker
                figures[f"recall_answers_{source}_share"] = sources.count(source) / len(sources)
            figures["answer_grounded_share"] = sum(grounded) / len(grounded)
            figures["answers_asked"] = len(grounded)
            figures["recall_retrieval_hit_rate"] = sum(hits) / len(hits) if hits else None
            figures["recall_accuracy_no_memory"] = ask_all(village, questions, no_memory=True, progress=b.update)
        notes["default"] = f"default run: {load_note()}"
        require_model(backend)
        save_json(out, figures)

    if "diffusion" in parts and not done("diffusion_share_unmarked"):
        # The same day without the author's news entry: what the model's own rating carries.
        village = Village(unmarked, backend, seed=seed, detail=detail)
        village.populate()
        village.plant(seed_vid, FACT)
        with bar("day, fact not marked as news", steps) as b:
            run_village(village, hours, b)
        figures["diffusion_share_unmarked"] = diffusion(village, seed_vid)["diffusion_share"]
        require_model(backend)
        save_json(out, figures)

    if "recall" in parts and detail == "lod":
        # Out of sight nobody reflects or plans with the model, so the ablations would re-measure the default.
        notes["ablations"] = "recall ablations (no reflection / no planning) need --detail full"
        figures.setdefault("recall_accuracy_no_reflection", None)
        figures.setdefault("recall_accuracy_no_planning", None)
    if "recall" in parts and detail == "full":
        for name, args in (("no_reflection", {"reflection": False}), ("no_planning", {"planning": False})):
            if done(f"recall_accuracy_{name}"):
                continue
            village = Village(script, backend, seed=seed, detail=detail, **args)
            village.populate()
            village.plant(seed_vid, FACT)
            with bar(f"day, {name}", steps) as b:
                run_village(village, hours, b)
            rng = random.Random(seed)
            own = [q for vid in sorted(village.states)
                   for q in questions_for(village, vid, per_villager, rng, village.start)]
            with bar(f"recall, {name}", len(own)) as b:
                figures[f"recall_accuracy_{name}"] = ask_all(village, own, progress=b.update)
            notes[name] = f"{name}: questions from its own run ({len(own)}); {load_note()}"
            require_model(backend)
            save_json(out, figures)

    if "cost" in parts:
        for n in sizes:
            key = f"wall_s_{n}_villagers_day"
            if done(key):
                continue
            village = Village(scaled_script(script, n), backend, seed=seed, detail=detail)
            started = time.perf_counter()
            village.populate()

            def checkpoint(done_hours: int, _wall: float, n=n, started=started) -> None:
                # A day that does not finish still says how far it got (partial_* figures).
                figures[f"partial_{n}_villagers_game_hours"] = done_hours
                figures[f"partial_{n}_villagers_wall_s"] = time.perf_counter() - started
                save_json(out, figures)

            with bar(f"{n} villagers", steps) as b:
                run_village(village, hours, b, on_hour=checkpoint)
            figures[key] = time.perf_counter() - started
            calls = village.meter.total_calls() if village.meter else 0.0
            figures[f"calls_per_villager_hour_{n}"] = calls / (n * hours)
            notes[key] = f"{n} villagers x {hours:g} game hours: {load_note()} at the end"
            save_json(out, figures)
    for key, by in (("turn_p95_ms_with_25_villagers_over_none", "`adventure bench village-turns` (the game's turn)"),
                    ("server_over_inprocess", "--parts scale"), ("wall_s_25_villagers_day_inprocess", "--parts scale")):
        if figures.get(key) is None:  # measured elsewhere: agent/ knows no game; scale starts llama-server
            figures[key] = None
            notes.setdefault(key, f"measured by {by}")
    figures.setdefault("wall_s_25_villagers_day", None)
    if figures["wall_s_25_villagers_day"] is None:
        notes.setdefault("wall_s_25_villagers_day", "not measured in this run (see --sizes / --parts)")
    save_json(out, figures)
    return figures
