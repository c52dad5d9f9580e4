"""Villagers eval, replay and concurrent steps, with the scripted test double (no model)."""
from __future__ import annotations

import json
import re
import threading
import time

import pytest

from agent.scripted import ScriptedBackend
from agent.villagers import cli
from agent.villagers.eval import diffusion, run_eval, scaled_script
from agent.villagers.eval_questions import FACT, FACT_KEYS, FACT_QUESTION, answer_matches, questions_for
from agent.villagers.memory import ImportanceRater, MemoryRecord, rating_grammar
from agent.villagers.replay import ReplayError, read_events, summarize
from agent.villagers.script import cross_check, load_village, parse_village_text
from agent.villagers.simulation import Village
from tests._village_texts import TWO


def memory_parrot(prompt, opts):
    """Test double: rates news high, and answers an interview with its first remembered line."""
    if "rate each observation" in prompt:
        items = re.findall(r"^(\d+)\. (.*)$", prompt, re.M)
        return "".join(f"{n}: {9 if re.search('goat|Zarqa', t) else 2}\n" for n, t in items)[2:]
    if "Question:" in prompt:
        m = re.search(r"What you remember:\n- (.*)", prompt)
        return m.group(1) if m and m.group(1) != "nothing" else "I do not know."
    return "Good day."


# --- eval building blocks -------------------------------------------------------------
def test_answer_matching_needs_two_content_words():
    assert answer_matches("She was drawing water at the well.", ("drawing", "water"))
    assert answer_matches("I saw her drawings of waters", ("drawing", "water"))  # 5-letter stems
    assert not answer_matches("She was at the well.", ("drawing", "water"))
    assert answer_matches("To the bazaar.", ("bazaar",))
    assert not answer_matches("anything", ())


def test_questions_come_from_what_the_villager_itself_perceived():
    village = Village(parse_village_text(TWO), None)
    village.populate()
    start = village.clock
    stream = village.states["ben"].stream
    stream.add(MemoryRecord(90, "ben", "event", "Ana is drawing water at the Well.", start + 15, start + 15, 2))
    stream.add(MemoryRecord(91, "ben", "event", "Cy walks to the Hut.", start + 30, start + 30, 2))
    stream.add(MemoryRecord(92, "ben", "event", "At the Hut: The blue goat ate the hat.", start + 30, start, 2))
    stream.add(MemoryRecord(93, "ben", "event", "Ana is baking at the Well.", start - 60, start, 2))  # before: seed
    qs = questions_for(village, "ben", 10, __import__("random").Random(0), start)
    assert [(q.text, q.expected, q.source) for q in qs] == [
        ("What did you see Ana doing at the Well?", ("drawing", "water"), 90),
        ("Where did you see Cy going?", ("hut",), 91),
        ("What happened at the Hut?", ("blue", "goat", "ate", "hat"), 92),
    ]


def test_scaled_script_has_unique_valid_villagers():
    script = load_village("oasis")
    big = scaled_script(script, 25)
    ids = [v.id for v in big.villagers]
    names = [v.name for v in big.villagers]
    assert len(ids) == len(set(ids)) == 25 and len(set(names)) == 25
    assert cross_check(big) == []
    copy = next(v for v in big.villagers if v.id == "nadia_2")
    assert set(copy.relationships) <= set(ids) and all(o.endswith("_2") for o in copy.relationships)
    assert [v.id for v in scaled_script(script, 3).villagers] == [v.id for v in script.villagers[:3]]


def test_diffusion_counts_backed_yeses_and_hallucinations():
    village = Village(parse_village_text(TWO), ScriptedBackend(responder=memory_parrot), seed=0, workers=1)
    village.populate()
    village.plant("ana", FACT)

    def answers(prompt, opts):  # Ana recalls, Ben claims it with no memory (a hallucination), Cy denies
        if "Question:" in prompt:
            return {"Ana": "Yes, Zarqa had twins.", "Ben": "Yes, I heard about the twins.",
                    "Cy": "I do not know."}[re.search(r"You are (\w+)", prompt).group(1)]
        return memory_parrot(prompt, opts)

    village.meter.inner.responder = answers
    # The eval's counting, on answers as a model gives them (the village's own answers are checked first).
    raw = {"ana": "Yes, Zarqa had twins.", "ben": "Yes, I heard about the twins.", "cy": "I do not know."}
    figures = diffusion(village, "ana", ask=lambda vid, question: raw[vid])
    assert village.knows("ana", "zarqa") and not village.knows("ben", "zarqa")
    assert figures["diffusion_share"] == pytest.approx(1 / 3)  # only Ana: stated and backed
    assert figures["diffusion_memory_share"] == pytest.approx(1 / 3)
    assert figures["diffusion_yes_answers"] == 2
    assert figures["diffusion_unbacked_yes_rate"] == pytest.approx(1 / 2)  # Ben's yes has no record
    assert "Zarqa" in FACT and all(k not in FACT_QUESTION.lower() for k in FACT_KEYS)
    # Through the village's answers, Ben's model is never asked: no memory of his covers the question.
    checked = diffusion(village, "ana")
    assert checked["diffusion_yes_answers"] == 1 and checked["diffusion_unbacked_yes_rate"] == 0.0
    assert "ben: I don't know." in checked["diffusion_answers"]


def test_eval_figures_on_a_small_scripted_run(tmp_path):
    out = tmp_path / "eval.json"
    figures = run_eval(parse_village_text(TWO), ScriptedBackend(responder=memory_parrot), str(out), hours=3,
                       sizes=(2, 5), progress=False)
    saved = json.loads(out.read_text())
    for name in ("diffusion_share", "diffusion_unbacked_yes_rate", "recall_accuracy", "diffusion_share_unmarked",
                 "answer_grounded_share", "recall_accuracy_no_memory", "calls_per_villager_hour",
                 "wall_s_2_villagers_day", "wall_s_5_villagers_day"):
        assert isinstance(saved[name], (int, float)), name
    assert saved["wall_s_25_villagers_day"] is None and "wall_s_25_villagers_day" in saved["notes"]
    assert all(not isinstance(v, (dict, list)) for v in saved.values())  # one flat object
    assert saved["recall_questions"] > 0
    # The double answers from retrieved memories, so memory beats no memory ("I do not know.").
    assert saved["recall_accuracy_no_memory"] == 0.0 < saved["recall_accuracy"]
    assert 0.0 < saved["recall_retrieval_hit_rate"] <= 1.0
    # Level of detail: a headless day has no player, so nobody is in sight and the day costs no model call.
    assert saved["detail"] == "lod" and figures["calls_per_villager_hour"] == saved["calls_per_villager_hour"] == 0.0
    assert saved["answers_asked"] > 0 and saved["answer_grounded_share"] == 1.0
    # resume keeps what was measured and measures only what is missing
    again = run_eval(parse_village_text(TWO), ScriptedBackend(responder=lambda p, o: 1 / 0), str(out), hours=3,
                     sizes=(2, 5), resume=True, progress=False)
    assert again["recall_accuracy"] == saved["recall_accuracy"]
    # The ablations exist only in full detail (out of sight nobody reflects or plans with the model).
    assert saved["recall_accuracy_no_reflection"] is None and "--detail full" in saved["notes"]
    full = run_eval(parse_village_text(TWO), ScriptedBackend(responder=memory_parrot), None, hours=3,
                    parts=("diffusion", "recall"), progress=False, detail="full")
    assert isinstance(full["recall_accuracy_no_reflection"], float)
    assert isinstance(full["recall_accuracy_no_planning"], float)
    assert full["calls_per_villager_hour"] > 0


# --- replay ---------------------------------------------------------------------------------
def test_replay_round_trip_and_summary(tmp_path, capsys):
    village = Village(parse_village_text(TWO), ScriptedBackend(responder=memory_parrot), seed=0, workers=1)
    events = village.populate() + village.run(2)
    path = tmp_path / "run.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events) + "\n")
    assert list(read_events(path)) == events
    summary = summarize(events)
    last = {e["villager"]: e for e in events if e["villager"] != "village"}
    hours = (events[-1]["minute"] - events[0]["minute"] + 15) / 60
    assert summary["calls_per_villager_hour"] == pytest.approx(
        sum(e["calls"] for e in last.values()) / (len(last) * hours), abs=1e-3)
    assert summary["events"] == len(events)
    assert cli.cmd_replay(cli_args(path, villager=["ben"], kind=["chat"])) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed and all(" ben " in line and " chat " in line for line in printed)


def cli_args(path, villager=None, kind=None, summary=False):
    import argparse

    return argparse.Namespace(jsonl=str(path), villager=villager, kind=kind, summary=summary)


@pytest.mark.parametrize("line, message", [
    ("{not json", "run.jsonl:2: not JSON"),
    ("[1, 2]", "run.jsonl:2: expected an object"),
    ('{"time": "day 1 08:00", "villager": "ana", "kind": "plan"}', "run.jsonl:2: field 'text' missing"),
    ('{"time": "t", "villager": "a", "kind": "k", "text": "x", "calls": "many"}', "run.jsonl:2: field 'calls'"),
])
def test_malformed_replay_line_names_file_and_line(tmp_path, capsys, line, message):
    path = tmp_path / "run.jsonl"
    good = {"time": "day 1 08:00", "minute": 480, "villager": "ana", "kind": "plan", "text": "x"}
    path.write_text(json.dumps(good) + "\n" + line + "\n")
    with pytest.raises(ReplayError, match=re.escape(message)):
        list(read_events(path))
    assert cli.cmd_replay(cli_args(path)) == 2
    assert message in capsys.readouterr().err


# --- concurrency -----------------------------------------------------------------------------
class ConcurrencyRecordingDouble(ScriptedBackend):
    """Test double that takes a little time per generation and records how many ran at once."""

    concurrency = 8  # as a server backend says of itself

    def __init__(self, responder):
        super().__init__(responder=responder)
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()

    def stream(self, prompt, options=None):
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            time.sleep(0.01)
            yield from super().stream(prompt, options)
        finally:
            with self.lock:
                self.in_flight -= 1


def test_independent_villagers_run_concurrently_with_the_same_events():
    script = load_village("oasis")
    runs = {}
    for workers in (1, 4):
        double = ConcurrencyRecordingDouble(memory_parrot)
        village = Village(script, double, seed=2, workers=workers)
        runs[workers] = (village.populate() + village.run(3), double.max_in_flight, village.meter.total_calls())
    assert runs[1][1] == 1 and runs[4][1] > 1  # day plans / conversations overlapped
    assert runs[4][0] == runs[1][0] and runs[4][2] == runs[1][2]


def test_server_backend_defaults_to_workers_and_local_to_one():
    assert Village(load_village("oasis"), ConcurrencyRecordingDouble(memory_parrot)).workers > 1
    assert Village(load_village("oasis"), ScriptedBackend()).workers == 1


# --- grammar-shaped rating ---------------------------------------------------------------------
def test_rating_grammar_continues_the_prompts_first_line():
    seen = []

    def grammar_answer(prompt, opts):
        seen.append(opts.grammar)
        return " 8\n2: 3\n"  # what the grammar admits after the prompt's "1:"

    rater = ImportanceRater(ScriptedBackend(responder=grammar_answer), use_grammar=True)
    assert rater.rate(["The caravan was robbed.", "Tarek sweeps."]) == [8, 3] and rater.fallbacks == 0
    assert seen == [rating_grammar(2)] and seen[0].startswith('root ::= " "? r "\\n" "2: " r')


# --- a real llama_cpp.server ---------------------------------------------------------------------
@pytest.mark.server
@pytest.mark.model
def test_village_hour_against_a_real_server_with_workers():
    from _llama_server import running_server

    from agent.model_files import default_model_path
    from agent.openai_backend import OpenAICompatBackend

    with running_server(default_model_path(), threads=1) as url:
        backend = OpenAICompatBackend(url, timeout_s=120)
        village = Village(parse_village_text(TWO), backend, seed=0)
        assert village.workers > 1  # a server backend is evaluated concurrently by default
        events = village.populate() + village.run(1)
        assert village.clock == village.start + 60
        assert village.meter.total_calls() > 0 and {e["kind"] for e in events} >= {"plan", "action"}
        backend.close()


def test_failing_embeddings_fall_back_to_bm25():
    from agent.villagers.retrieval import Retriever, bm25_scores

    class NoEmbeddingsDouble(ScriptedBackend):
        def embed(self, text):
            raise RuntimeError("server started without embeddings")

    records = [MemoryRecord(i, "v", "event", t, 0, 0, 1) for i, t in enumerate(["a silver bracelet", "lamps"], 1)]
    retriever = Retriever(NoEmbeddingsDouble(), mode="hybrid")
    assert retriever.relevance(records, "bracelet") == bm25_scores(records, "bracelet")
    assert retriever.mode == "bm25"

    class SaysNoEmbeddings(ScriptedBackend):  # a backend that says so is not asked at all
        has_embeddings = False

        def embed(self, text):
            raise AssertionError("embed was called on a backend without embeddings")

    retriever = Retriever(SaysNoEmbeddings(), mode="hybrid")
    assert retriever.relevance(records, "bracelet") == bm25_scores(records, "bracelet")
    assert retriever.mode == "bm25"


@pytest.mark.parametrize("argv, message", [
    (["--sizes", "5,ten"], "--sizes must be numbers"),
    (["--parts", "recall,gossip"], "gossip"),
    (["--hours", "0"], "values must be positive"),
])
def test_eval_cli_rejects_bad_options_before_loading_a_model(capsys, argv, message):
    from game.cli import main

    assert main(["villagers", "eval", "oasis", "--model", "/nonexistent.gguf", *argv]) == 2
    assert message in capsys.readouterr().err
