"""The village simulation: 15-minute steps of planning, acting, perceiving, talking, reflecting.

One `Village.step()` covers [t, t + 15 min):
1. every awake villager takes its quarter-hour action — a day plan at wake-up
   (one call), the hour decomposed lazily at the hour (one rank() call at
   most), the action validated by the simulation (a partner who left, an
   unknown place: it keeps its plan's activity instead); asleep villagers
   stay home and perceive nothing;
2-4. scheduled events, perception of the others' doings, and conversations
   (encounters.py);
5-7. ONE batched importance rating for all new memories of the step, the
   reactions to them and reflection (reactions.py).

Level of detail (`detail="lod"`, the game's setting): only villagers in
`focus` (the ones the player can see, set by the game each turn) spend model
calls. The others follow their routine by rule (no day plan, no ranking),
their memories are rated by the keyword rule, they neither react nor
reflect, and their conversations are a plain exchange of the initiator's news
(dialogue.Conversation.plain); a step waits at `yield_point` while the game
plays a turn. Importance is max(floor, rating) everywhere:
news the author marked, a scheduled event's importance and the engine's
events set floors the model can only raise (salience.py). `detail="full"`
puts every villager in focus (the paper's set-up; the eval's ablations).

Every model call is billed to villagers through `MeteredBackend`, and every
optional call (reaction, conversation, reflection) is skipped when it would
push the villager over `calls_per_villager_hour` on average. Model output
never stops the simulation: each call site has a logged fallback.

Event dicts: {time, minute, villager, kind, text, calls, tokens} — calls and
tokens are those the villager had been billed so far when the event happened.

Concurrency: with `workers` > 1 (the default for an OpenAI-compatible server,
which serves requests in parallel; a local llama.cpp model stays sequential)
the calls that do not depend on each other within a step run in a thread
pool — the day plans of everyone waking up, and the conversations of the
pairs chosen this step (a villager is in one conversation per step at most).
Pairs are chosen and results applied in the sequential order, and memory ids
are handed out when results are applied, so a concurrent step produces the
same events as a sequential one with a deterministic backend.

Deliberately left out: concurrent action ranking (it depends on who moved
earlier in the step) and concurrent reflection, the player (the game
integration's), and persistence (agent.villagers.persistence).
The step's length, each villager's state and the phases' view of the village are in village_state.py.
"""
from __future__ import annotations

import logging
from typing import Callable

from agent.backend import Backend

from . import encounters, reactions
from .answers import Answer
from .budget import MeteredBackend, default_workers
from .dialogue import Conversation
from .memory import ImportanceRater, MemoryRecord, MemoryStream
from .planning import (
    Action,
    DayPlan,
    HourBlock,
    Planner,
    is_asleep,
    routine_block,
    routine_plan,
    valid_actions,
)
from .reflection import Reflector
from .retrieval import Retriever
from .salience import news_floor
from .script import Villager, VillageScript, format_time
from .village_state import STEP, VillagerState

log = logging.getLogger(__name__)
DETAILS = ("full", "lod")


class Village:
    def __init__(self, script: VillageScript, backend: Backend | None, seed: int = 0,
                 relevance: str | None = None, reflection: bool = True, grammar: bool = True,
                 planning: bool = True, workers: int | None = None, detail: str = "full") -> None:
        if detail not in DETAILS:
            raise ValueError(f"detail must be one of {DETAILS}, not {detail!r}")
        self.script = script
        self.settings = script.settings
        self.meter = backend if isinstance(backend, MeteredBackend) or backend is None else \
            MeteredBackend(backend, script.settings.calls_per_villager_hour)
        self.seed = seed
        self.clock = script.start_minute
        self.start = script.start_minute
        self.next_id = 1
        self.rater = ImportanceRater(self.meter, use_grammar=grammar)
        self.retriever = Retriever(self.meter, script.settings, mode=relevance)
        # planning=False (an eval ablation): routine day plans and unranked actions, no planning calls.
        self.planner = Planner(self.meter if planning else None, script, use_grammar=grammar)
        self.reflector = Reflector(self.meter, self.retriever, use_grammar=grammar)
        self.talk = Conversation(self.meter, self.retriever, script, seed)
        self.reflection_enabled = reflection
        self.detail = detail
        self.focus: frozenset[str] = frozenset()  # villagers the player can see (level of detail "lod")
        self._floors: dict[int, int] = {}  # record id -> importance floor, until the record is rated
        self._workers = workers  # None: as many as the backend is worth (asked when first needed)
        self.people: dict[str, Villager] = {v.id: v for v in script.villagers}
        self.states: dict[str, VillagerState] = {}
        self._pending: list[MemoryRecord] = []
        self._events: list[dict] = []
        self._ready_plans: dict[str, DayPlan] = {}  # made (concurrently) at the start of a step
        self.yield_point: Callable[[], object] | None = None  # called between the parts of a step

    @property
    def workers(self) -> int:
        """Villagers that think at once. Asked of the backend on first use, not when the village is built:
        the game builds its village before a lazily loaded model is there."""
        if self._workers is None:
            self._workers = default_workers(self.meter)
        return self._workers

    # --- set-up -------------------------------------------------------------------
    def populate(self) -> list[dict]:
        """Seed memories (relationships and the script's memories), rated in one batch."""
        for v in self.script.villagers:
            self.states[v.id] = VillagerState(v.id, v.home, MemoryStream(v.id))
            for other, relation in v.relationships.items():
                self._remember(v.id, "event", f"{self.people[other].name} is {relation}.")
            for text in v.memories:
                self._remember(v.id, "event", text)
        self._rate_pending(react=False)
        return self._flush()

    def plant(self, vid: str, text: str, importance: int = 0) -> MemoryRecord:
        """A fact only `vid` knows (the diffusion eval's seed), rated like any new memory (at least `importance`)."""
        record = self._remember(vid, "event", text, importance)
        self._rate_pending(react=False)
        self._flush()
        return record

    def perceive(self, vid: str, text: str, kind: str = "event", rate_now: bool = False,
                 importance: int = 0) -> MemoryRecord:
        """Something `vid` saw or said outside the simulation's own steps (the game's player).

        Rated with the next step's batch, or at once with `rate_now` (so it is saved right away);
        `importance` is a floor the engine sets (salience.py)."""
        record = self._remember(vid, kind, text, importance)
        if rate_now:
            self._rate_pending(react=False)
            self._flush()
        return record

    def _new_id(self) -> int:
        rid, self.next_id = self.next_id, self.next_id + 1
        return rid

    def _remember(self, vid: str, kind: str, text: str, floor: int = 0) -> MemoryRecord:
        record = MemoryRecord(self._new_id(), vid, kind, text, self.clock, self.clock, 1)
        floor = max(floor, news_floor(self.script, vid, text))
        if floor:
            self._floors[record.id] = floor
        self._pending.append(record)
        return record

    # --- level of detail ------------------------------------------------------------
    def set_focus(self, vids) -> None:
        """The villagers the player can see now; with detail "lod" only they spend model calls."""
        self.focus = frozenset(vids)

    def in_focus(self, vid: str) -> bool:
        return self.detail == "full" or vid in self.focus

    # --- bookkeeping ---------------------------------------------------------------
    @property
    def hours(self) -> float:
        return (self.clock - self.start) / 60.0

    def _emit(self, vid: str, kind: str, text: str) -> None:
        calls = self.meter.calls.get(vid, 0.0) if self.meter else 0.0
        tokens = self.meter.tokens.get(vid, 0.0) if self.meter else 0.0
        self._events.append({"time": format_time(self.clock), "minute": self.clock, "villager": vid, "kind": kind,
                             "text": text, "calls": round(calls, 3), "tokens": round(tokens)})

    def _flush(self) -> list[dict]:
        out, self._events = self._events, []
        return out

    def _allowed(self, vid: str, cost: float = 1.0) -> bool:
        return self.meter is None or self.meter.allows(vid, self.hours, cost)

    def _paying(self, who):
        from contextlib import nullcontext

        return self.meter.paying(who) if self.meter is not None else nullcontext()

    def awake(self, vid: str) -> bool:
        return not is_asleep(self.people[vid], self.clock % 1440)

    def present(self, vid: str, place: str) -> list[Villager]:
        return [self.people[o] for o, s in sorted(self.states.items())
                if o != vid and s.place == place and self.awake(o)]

    # --- the step ---------------------------------------------------------------------
    def _map(self, fn: Callable, items: list) -> list:
        """fn over items, in a thread pool when `workers` > 1; results in the items' order."""
        if self.workers <= 1 or len(items) <= 1:
            return [fn(item) for item in items]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(self.workers, len(items))) as pool:
            return list(pool.map(fn, items))

    def step(self) -> list[dict]:
        day = self.clock // 1440 + 1
        waking = [vid for vid in sorted(self.states) if self.awake(vid)
                  and (self.states[vid].plan is None or self.states[vid].plan.day != day)]
        self._ready_plans = dict(zip(waking, self._map(self._plan_day, waking)))
        for vid in sorted(self.states):
            self._yield()
            self._act(vid)
        for phase in (encounters.scheduled_events, encounters.perceive, encounters.conversations):
            self._yield()
            phase(self)
        self._yield()
        self._rate_pending()
        self.clock += STEP
        return self._flush()

    def _yield(self) -> None:
        """Let the game's turn go first: `yield_point` (set by game.play.village) blocks while a turn is played."""
        if self.yield_point is not None:
            self.yield_point()

    def run(self, hours: float, on_step: Callable[[list[dict]], None] | None = None) -> list[dict]:
        events = []
        for _ in range(int(round(hours * 60 / STEP))):
            batch = self.step()
            events += batch
            if on_step:
                on_step(batch)
        return events

    def _act(self, vid: str) -> None:
        v, state = self.people[vid], self.states[vid]
        if not self.awake(vid):
            if state.current is None or state.current.kind != "sleep":
                state.place = v.home
                state.current = Action(self.clock, v.home, "sleep", "sleeps")
                state.actions = []
                self._emit(vid, "action", f"{v.name} goes home to sleep.")
            return
        day = self.clock // 1440 + 1
        if state.plan is None or state.plan.day != day:
            ready = self._ready_plans.pop(vid, None)
            state.plan = ready if ready is not None and ready.day == day else self._plan_day(vid)
            changed = [b for b in state.plan.blocks.values() if b.source == "model"]
            self._emit(vid, "plan", f"{v.name} plans day {day}: " + "; ".join(
                f"{b.hour:02d}:00 {b.place} {b.activity}" for b in sorted(state.plan.blocks.values(),
                                                                         key=lambda b: b.hour)[:6])
                + (f" ({len(changed)} hours changed from the routine)" if changed else ""))
        if self.clock % 60 == 0 or not any(a.minute == self.clock for a in state.actions):
            self._decompose(vid)
        action = next((a for a in state.actions if a.minute == self.clock), None) or state.actions[-1]
        action = self._validate(vid, action)
        if state.current is None or (action.text, action.place) != (state.current.text, state.current.place):
            self._emit(vid, "action", f"{v.name} {self._describe(action)}")
        state.place, state.current = action.place, action

    def _plan_day(self, vid: str) -> DayPlan:
        """One villager's day plan: its own memories only, so plans can be made concurrently."""
        v, state, day = self.people[vid], self.states[vid], self.clock // 1440 + 1
        if not self.in_focus(vid):
            return routine_plan(v, day)  # out of sight: the routine, by rule
        with self._paying(vid):
            memories = [s.record.text for s in self.retriever.retrieve(
                state.stream.records, f"{v.name} plans today", self.clock, n=3)]
            return self.planner.day_plan(v, day, memories) if self._allowed(vid) else routine_plan(v, day)

    def _block(self, vid: str) -> HourBlock:
        state, hour = self.states[vid], self.clock % 1440 // 60
        return (state.plan.block(hour) if state.plan else None) or routine_block(self.people[vid], hour)

    def _decompose(self, vid: str, reason: str = "") -> None:
        v, state = self.people[vid], self.states[vid]
        block = self._block(vid)
        here = self.present(vid, block.place)
        with self._paying(vid):
            if self._allowed(vid) and self.in_focus(vid):
                ranked = self.planner.choose(v, block, here, reason)
            else:
                ranked = valid_actions(self.script, block, here)
        start = self.clock - self.clock % 60
        state.actions = [a for a in self.planner.quarters(v, block, state.place if not reason else block.place,
                                                          start, ranked) if a.minute >= self.clock]
        if not state.actions:
            state.actions = [Action(self.clock, block.place, "do", block.activity)]
        for a in state.actions:
            if a.kind == "move" and a.minute != self.clock:
                a.kind, a.text = "do", block.activity

    def _validate(self, vid: str, action: Action) -> Action:
        """The simulation decides: unknown places and absent partners fall back to the plan."""
        places = {p.id for p in self.script.places}
        block = self._block(vid)
        if action.place not in places:
            log.info("%s: action at unknown place %r rejected", vid, action.place)
            return Action(action.minute, block.place if block.place in places else self.people[vid].home,
                          "do", block.activity)
        if action.kind == "talk":
            partner = self.states.get(action.target or "")
            if partner is None or partner.place != action.place or not self.awake(action.target):
                return Action(action.minute, action.place, "do", block.activity)
        if action.kind == "use" and action.target not in self.script.place(action.place).objects:
            return Action(action.minute, action.place, "do", block.activity)
        return action

    def _describe(self, action: Action) -> str:
        where = self.script.place(action.place).name
        if action.kind == "move":
            return action.text + "."
        if action.kind == "talk":
            return f"talks with {self.people[action.target].name} at the {where}."
        if action.kind == "use":
            return f"uses the {action.target} at the {where}."
        if action.kind == "rest":
            return f"rests at the {where}."
        return f"is {action.text} at the {where}."

    # --- after perception (reactions.py) --------------------------------------------------
    def _rate_pending(self, react: bool = True) -> None:
        reactions.rate_pending(self, react)

    # --- questions ------------------------------------------------------------------------
    def ask(self, vid: str, question: str, backing=(), asker: str = "") -> Answer:
        """An answer from `vid`'s own memories, checked against them; "I don't know" when none covers it."""
        with self._paying(vid):
            return self.talk.answer(self.people[vid], self.states[vid].stream.records, question, self.clock,
                                    self.start, backing, asker)

    def knows(self, vid: str, phrase: str) -> list[MemoryRecord]:
        return self.states[vid].stream.mentions(phrase)
