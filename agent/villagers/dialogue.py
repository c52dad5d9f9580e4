"""Dialogue: bounded conversations between villagers who meet (and, later, the player).

`Conversation.run(a, b, ...)` alternates speakers for `settings.dialogue_turns`
utterances. Each utterance is one generation conditioned on what the SPEAKER
retrieves from its OWN memory stream for "<partner> <topic>" — never on the
world state or on the partner's memories, so a villager can only pass on what
it perceived, was told or inferred. The topic is the initiator's most
important recent memory that it has not yet told this partner.

Model output is cleaned (first line only, speaker prefixes and template
tokens removed, at most 200 characters). An empty or unusable utterance is
replaced by a plain sentence built from the speaker's own topic memory (or a
short acknowledgement), logged as a fallback — the conversation never fails.

`plain(...)` is a conversation the player cannot hear (the village's level of
detail): the initiator's news in the plain sentence and an acknowledgement,
without a model call. `answer(...)` answers a question from the villager's
own memories, checked against them (agent.villagers.answers).

Deliberately left out: the player's side of conversations (the game
integration's), deciding to end a conversation early, and group talks.
"""
from __future__ import annotations

import logging
import re
import zlib
from dataclasses import dataclass
from typing import Sequence

from agent.backend import Backend, GenerateOptions

from .answers import Answer, answer_from_memory
from .memory import MemoryRecord
from .retrieval import Retriever
from .script import Villager, VillageScript

log = logging.getLogger(__name__)
ROLE = "villager-talk"
MAX_CHARS = 200
_JUNK = re.compile(r"<\|[^|]*\|>")


@dataclass
class Utterance:
    speaker: str  # villager id
    text: str
    memories: tuple[int, ...]  # ids of the speaker's memories it was conditioned on
    fallback: bool = False
    news: int | None = None  # the speaker's memory it passed on, when it is the partner's reply with news


def clean_utterance(text: str, names: Sequence[str]) -> str:
    text = _JUNK.sub("", text or "").strip()
    text = text.splitlines()[0].strip() if text else ""
    for name in names:
        for prefix in (f"{name}:", f"{name.split()[0]}:"):
            if text.lower().startswith(prefix.lower()):
                text = text[len(prefix):].strip()
    text = text.strip(' "')
    sentences = re.split(r"(?<=[.!?])\s+", text)
    if len(sentences) > 1 and len(sentences[0]) >= 20:
        text = sentences[0]  # one sentence per utterance; small models ramble
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return text if sum(c.isalpha() for c in text) >= 3 else ""


def pick_topic(records: Sequence[MemoryRecord], told: set[int], now: int, partner: str = "") -> MemoryRecord | None:
    """The most important memory of the last day not yet told to this partner.

    Hearsay (chat records) only counts when it rated 6 or more; a scene the
    partner was itself the subject of ("Farah is fetching water") is skipped.
    """
    def fit(r: MemoryRecord) -> bool:
        if r.id in told or now - r.created > 24 * 60:
            return False
        if partner and r.kind == "event" and r.text.startswith(partner):
            return False  # the partner's own doings, seen
        if partner and r.kind == "chat" and r.text.startswith(f"{partner} told me"):
            return False  # news goes on, not back to whoever told it
        if r.kind == "chat":
            return r.importance >= 6 and not r.text.startswith("I told ")
        return True

    fresh = [r for r in records if fit(r)]
    if not fresh:
        return None
    return max(fresh, key=lambda r: (r.importance, r.created, r.id))


class Conversation:
    def __init__(self, backend: Backend | None, retriever: Retriever, script: VillageScript, seed: int = 0) -> None:
        self.backend = backend
        self.retriever = retriever
        self.script = script
        self.seed = seed
        self.fallbacks = 0
        self.topic_guards = 0

    def _prompt(self, speaker: Villager, partner: Villager, memories: Sequence[MemoryRecord],
                topic: MemoryRecord | None, so_far: Sequence[Utterance], names: dict[str, str]) -> str:
        relation = speaker.relationships.get(partner.id, "a fellow villager")
        remembered = "\n".join(f"- {m.text}" for m in memories) or "- nothing in particular"
        lines = "\n".join(f"{names[u.speaker]}: {u.text}" for u in so_far)
        mention = f"\nYou want to mention: {content_of(topic.text)}" if topic is not None else ""
        return self.backend.chat_prompt([
            {"role": "system", "content": f"You are {speaker.name}, a {speaker.age}-year-old {speaker.occupation}. "
                                          f"{partner.name} is {relation}. Speak in one short sentence. "
                                          "Say only what you remember; never invent news."},
            {"role": "user", "content": f"What you remember:\n{remembered}{mention}\n\n"
                                        f"Conversation so far:\n{lines or '(you speak first)'}\n\n"
                                        f"What do you say to {partner.name}?"},
        ])

    def _say(self, prompt: str, seed: int, names: Sequence[str]) -> str:
        if self.backend is None:
            return ""
        try:
            raw = self.backend.complete(prompt, GenerateOptions(max_tokens=40, temperature=0.7, seed=seed,
                                                                stop=("\n",), role=ROLE))
        except Exception as exc:
            log.warning("utterance failed (%s: %s)", type(exc).__name__, exc)
            return ""
        return clean_utterance(raw, names)

    def run(self, a: Villager, b: Villager, records: dict[str, list[MemoryRecord]], told: dict[str, set[int]],
            now: int, turns: int | None = None) -> tuple[list[Utterance], MemoryRecord | None]:
        """`records[vid]`: each side's own memories; `told[vid]`: ids it already told the partner."""
        turns = turns or self.script.settings.dialogue_turns
        names = {a.id: a.name, b.id: b.name}
        topic = pick_topic(records[a.id], told.get(a.id, set()), now, b.name)
        out: list[Utterance] = []
        for turn in range(turns):
            speaker, partner = (a, b) if turn % 2 == 0 else (b, a)
            query = f"{partner.name} " + (topic.text if topic is not None else "news")
            memories = [s.record for s in self.retriever.retrieve(records[speaker.id], query, now, n=3)]
            own_topic = topic if speaker is a else None
            prompt = self._prompt(speaker, partner, memories, own_topic, out, names) if self.backend else ""
            seed = zlib.crc32(f"{self.seed}|{now}|{a.id}|{b.id}|{turn}".encode())
            text = self._say(prompt, seed, list(names.values()))
            fallback = False
            if not text:
                text, fallback = _plain(speaker, partner, own_topic, turn), True
                self.fallbacks += 1
                log.info("utterance fallback for %s (empty or unusable model output)", speaker.name)
            elif own_topic is not None and turn == 0 and not _shares_words(text, own_topic.text):
                # The opener must carry the topic; a 135M model often drifts, so say it plainly.
                text = _plain(speaker, partner, own_topic, turn)
                self.topic_guards += 1
            out.append(Utterance(speaker.id, text, tuple(m.id for m in memories), fallback))
        return out, topic

    def plain(self, a: Villager, b: Villager, records: dict[str, list[MemoryRecord]], told: dict[str, set[int]],
              now: int) -> tuple[list[Utterance], MemoryRecord | None]:
        """A conversation the player cannot hear (level of detail): each side's news said plainly, no model call."""
        topic = pick_topic(records[a.id], told.get(a.id, set()), now, b.name)
        reply = pick_topic(records[b.id], told.get(b.id, set()), now, a.name)
        if reply is not None and topic is not None and _shares_words(content_of(reply.text), content_of(topic.text)):
            reply = None  # the same news back
        opener = Utterance(a.id, _plain(a, b, topic, 0), (topic.id,) if topic is not None else ())
        if reply is None:
            return [opener, Utterance(b.id, _plain(b, a, None, 1), ())], topic
        return [opener, Utterance(b.id, _plain(b, a, reply, 1), (reply.id,), news=reply.id)], topic

    def answer(self, v: Villager, records: list[MemoryRecord], question: str, now: int, start: int,
               backing: Sequence[str] = (), asker: str = "") -> Answer:
        """An answer from the villager's own memories, checked against them (agent.villagers.answers).

        `asker` (the game's "the traveller"): "what news?" is never answered with what the asker itself
        said or did ("The traveller asked me: ...", "I saw the traveller here: ..."), and a question is not
        answered with the asker's own earlier question."""
        # Every memory is a candidate and only those that carry the question's words answer it (answers.relevant
        # orders them by coverage, subject, importance and recency, the parts of the retrieval score that a
        # word check can back); embeddings would cost a call per memory not seen before, on the player's turn.
        own = (f"{asker} asked me".lower(), f"i saw {asker} here".lower()) if asker else ()
        candidates = [r for r in records if not (own and r.text.lower().startswith(own))]
        news = pick_topic(candidates, set(), now)
        return answer_from_memory(self.backend, v, question, candidates, news, now, start, backing)


_HEARSAY = re.compile(r"^(?:[A-Z][\w ]{0,30} told me: |I told [A-Z][\w ]{0,30}: |[A-Z]\w*, have you heard\? )")


def content_of(text: str) -> str:
    """The news inside a chat record: "Farah told me: Layla, have you heard? X" -> "X"."""
    previous = None
    while previous != text:
        previous, text = text, _HEARSAY.sub("", text, count=1)
    return text


def _shares_words(text: str, topic: str) -> bool:
    words = {w for w in re.findall(r"[a-z]{4,}", topic.lower())}
    return len(words & set(re.findall(r"[a-z]{4,}", text.lower()))) >= min(2, len(words))


def _plain(speaker: Villager, partner: Villager, topic: MemoryRecord | None, turn: int) -> str:
    if topic is not None:
        return f"{partner.name.split()[0]}, have you heard? {content_of(topic.text)}"
    return "I see. Thank you for telling me." if turn % 2 else f"Good day, {partner.name.split()[0]}."
