"""Reflection: when a villager's new memories add up, it draws conclusions.

Trigger: the summed importance of memories added since the last reflection
reaches the threshold (150 in the paper; `settings.reflection_threshold`).

Two model calls per reflection (the paper's pipeline, batched):
1. salient questions: from the 30 most recent records, up to 3 questions
   (lines ending in "?");
2. insights: the records retrieved for all questions, numbered 1..k; lines
   "INSIGHT (because of 2, 5)" are kept (with `use_grammar=True` a grammar
   admits only such lines with numbers 1..k; on in the village by default).
   Numbers map back to record ids; citations of records that do not
   exist are dropped, and an insight left with no citation is dropped too (so
   a backend that ignores the grammar cannot create unsupported thoughts).

An insight becomes a "thought" record whose evidence is the cited ids; its
importance is the highest importance among its evidence (no extra call).
A failed questions call falls back to questions about the most important
recent records; a failed insights call yields no thoughts. Both are logged.

Deliberately left out: reflections on reflections beyond what retrieval
returns (thoughts are ordinary candidates), and the paper's per-question
insight calls (one call for all questions keeps the budget).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from agent.backend import Backend, GenerateOptions

from .memory import MemoryRecord, MemoryStream
from .retrieval import Retriever

log = logging.getLogger(__name__)
ROLE = "villager-reflect"
QUESTION_GRAMMAR = 'root ::= q q? q?\nq ::= [A-Z] [^\\n?]+ "?\\n"\n'
_CITE = re.compile(r"^\s*[-*\d.]*\s*(.+?)\s*\((?:because of|because|from|see)\s*([\d,\s and]+)\)\s*\.?\s*$", re.I)


@dataclass
class Insight:
    text: str
    evidence: tuple[int, ...]


def insight_grammar(k: int) -> str:
    numbers = " | ".join(f'"{i}"' for i in range(k, 0, -1))  # longer numbers first
    return ('root ::= line line? line?\n'
            'line ::= [A-Z] [^\\n()]+ " (because of " n (", " n)* ")\\n"\n'
            f'n ::= {numbers}\n')


def parse_questions(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip("-*0123456789. ").strip()
        if len(line) > 8 and line.endswith("?") and line not in out:
            out.append(line)
    return out[:3]


def parse_insights(text: str, numbered: Sequence[MemoryRecord], known_ids: set[int]) -> list[Insight]:
    """Insights with valid citations only. Numbers are 1-based positions in `numbered`."""
    insights = []
    for line in text.splitlines():
        m = _CITE.match(line)
        if not m:
            continue
        body = m.group(1).strip()
        cited = []
        for num in re.findall(r"\d+", m.group(2)):
            pos = int(num)
            if 1 <= pos <= len(numbered) and numbered[pos - 1].id in known_ids:
                cited.append(numbered[pos - 1].id)
            else:
                log.info("reflection: dropped citation %s (no such memory)", num)
        if not cited:
            log.info("reflection: dropped insight without valid evidence: %r", body)
            continue
        if len(body) >= 8:
            insights.append(Insight(body, tuple(dict.fromkeys(cited))))
    return insights


def fallback_questions(recent: Sequence[MemoryRecord]) -> list[str]:
    top = sorted(recent, key=lambda r: (-r.importance, -r.created))[:3]
    return [f"What should I make of this: {r.text.rstrip('.')}?" for r in top]


class Reflector:
    def __init__(self, backend: Backend | None, retriever: Retriever, use_grammar: bool = False) -> None:
        self.backend = backend
        self.use_grammar = use_grammar
        self.retriever = retriever
        self.fallbacks = 0

    def _generate(self, prompt: str, grammar: str, max_tokens: int) -> str:
        if self.backend is None:
            return ""
        try:
            return self.backend.complete(prompt, GenerateOptions(
                max_tokens=max_tokens, temperature=0.0, grammar=grammar if self.use_grammar else None, role=ROLE,
                stop=self.backend.chat_stop))
        except Exception as exc:
            log.warning("reflection call failed (%s: %s)", type(exc).__name__, exc)
            return ""

    def questions(self, name: str, recent: Sequence[MemoryRecord]) -> list[str]:
        listing = "\n".join(f"- {r.text}" for r in recent)
        prompt = self.backend.chat_prompt([
            {"role": "system", "content": f"You are {name}, thinking over your day."},
            {"role": "user", "content": f"{listing}\nGiven only the statements above, what are the 3 most "
                                        "salient high-level questions we can answer about the subjects in them? "
                                        "One question per line."},
        ]) if self.backend is not None else ""
        found = parse_questions(self._generate(prompt, QUESTION_GRAMMAR, 90))
        if not found:
            self.fallbacks += 1
            log.info("reflection: no usable questions from the model; using the most important memories")
            found = fallback_questions(recent)
        return found

    def insights(self, name: str, numbered: Sequence[MemoryRecord], known_ids: set[int]) -> list[Insight]:
        if not numbered or self.backend is None:
            return []
        listing = "\n".join(f"{i}. {r.text}" for i, r in enumerate(numbered, 1))
        prompt = self.backend.chat_prompt([
            {"role": "system", "content": f"You are {name}."},
            {"role": "user", "content": f"Statements about you and your village:\n{listing}\n"
                                        "What 3 high-level insights can you infer from the statements above? "
                                        "Write each as: insight (because of 1, 5, 3)"},
        ])
        found = parse_insights(self._generate(prompt, insight_grammar(len(numbered)), 150), numbered, known_ids)
        if not found:
            self.fallbacks += 1
            log.info("reflection: no insight with valid evidence this time")
        return found

    def reflect(self, name: str, stream: MemoryStream, now: int,
                new_id: Callable[[], int]) -> list[MemoryRecord]:
        recent = stream.recent(30)
        if not recent:
            return []
        evidence: dict[int, MemoryRecord] = {}
        for question in self.questions(name, recent):
            for scored in self.retriever.retrieve(stream.records, question, now, n=4):
                evidence.setdefault(scored.record.id, scored.record)
        numbered = sorted(evidence.values(), key=lambda r: r.created)[:12]
        known = stream.ids()
        thoughts = []
        for insight in self.insights(name, numbered, known):
            importance = max(stream.get(i).importance for i in insight.evidence)
            thoughts.append(stream.add(MemoryRecord(new_id(), stream.owner, "thought", insight.text, now, now,
                                                    importance, insight.evidence)))
        return thoughts
