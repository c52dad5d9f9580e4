"""Planning: day plan -> hourly blocks -> 15-minute actions, among valid ones only.

- Day plan (one generation per villager per day, at wake-up): the model
  proposes up to 8 hourly lines "HH:00 place_id: activity" (with
  `use_grammar=True` under a grammar whose place alternatives are the
  script's place ids; on in the village by default: re-measured with 1
  thread, ~2.4 s per plan vs 2.0 s free). `validate_plan` rejects
  any line naming a place that does not exist (a backend may ignore grammars)
  and hours outside the day; hours the model left out follow the routine
  hints from the script. So the plan is always complete and always valid.
- Hour -> quarter-hours (lazily, only for the hour about to start, and only
  when the villager is awake): the valid actions at the block's place (its
  activity, using each object there, talking with each villager present,
  resting) are ranked with `rank()` — one call, skipped when there is only one
  option or the same choice was ranked before (cache by situation). The first
  quarter is the walk there when the villager is elsewhere.
- Re-planning (a salient observation or a trigger) re-decomposes the rest of
  the hour the same way, with the reason in the prompt; triggers replace the
  next block without a call.

The simulation validates every action again when it executes it (a partner
may have left): the model proposes and ranks, the simulation decides.

Deliberately left out: multi-day plans, travel times, and plans that depend
on other villagers' plans.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from agent.backend import Backend, GenerateOptions

from .script import Villager, VillageScript, parse_clock

log = logging.getLogger(__name__)
ROLE_PLAN = "villager-plan"
ROLE_RANK = "villager-act"
SLEEP_FROM = 22 * 60  # villagers sleep from 22:00 until their first routine step
_LINE = re.compile(r"^\s*(\d{1,2}):00\s+([a-z][a-z0-9_]*)\s*:\s*(.+?)\s*$")


class PlanError(ValueError):
    """A plan names something that does not exist."""


@dataclass
class HourBlock:
    hour: int  # 0..23
    place: str
    activity: str
    source: str = "routine"  # routine / model / trigger


@dataclass
class Action:
    minute: int
    place: str
    kind: str  # move / do / use / talk / rest / sleep
    text: str
    target: str | None = None  # object or villager id


@dataclass
class DayPlan:
    day: int
    blocks: dict[int, HourBlock] = field(default_factory=dict)

    def block(self, hour: int) -> HourBlock | None:
        return self.blocks.get(hour)


def wake_minute(v: Villager) -> int:
    return _first_clock(v.routine[0].at)


@lru_cache(maxsize=4096)
def _first_clock(text: str) -> int:
    return parse_clock(text)  # asked for every villager on every turn (who is awake): parse each time once


def is_asleep(v: Villager, minute_of_day: int) -> bool:
    return minute_of_day >= SLEEP_FROM or minute_of_day < wake_minute(v)


def routine_block(v: Villager, hour: int) -> HourBlock:
    """The routine step in force at the start of `hour`."""
    current = v.routine[0]
    for step in v.routine:
        if parse_clock(step.at) <= hour * 60:
            current = step
    return HourBlock(hour, current.place, current.activity)


def routine_plan(v: Villager, day: int) -> DayPlan:
    """The day as the script's routine has it, hour by hour from waking to sleep."""
    plan = DayPlan(day)
    for hour in range(wake_minute(v) // 60, SLEEP_FROM // 60):
        plan.blocks[hour] = routine_block(v, hour)
    return plan


def validate_plan(lines: list[tuple[int, str, str]], script: VillageScript, v: Villager) -> list[HourBlock]:
    """Model-proposed (hour, place, activity) lines -> blocks; raises PlanError on an unknown place."""
    places = {p.id for p in script.places}
    blocks = []
    for hour, place, activity in lines:
        if place not in places:
            raise PlanError(f"{v.name}'s plan names unknown place {place!r}")
        if not 0 <= hour <= 23 or is_asleep(v, hour * 60):
            raise PlanError(f"{v.name}'s plan has an hour outside the waking day: {hour:02d}:00")
        blocks.append(HourBlock(hour, place, activity[:80], "model"))
    return blocks


def parse_plan_lines(text: str) -> list[tuple[int, str, str]]:
    return [(int(m.group(1)), m.group(2), m.group(3)) for m in map(_LINE.match, text.splitlines()) if m]


def plan_grammar(places: list[str]) -> str:
    alts = " | ".join(f'"{p}"' for p in sorted(places, key=len, reverse=True))
    return ('root ::= line line? line? line? line? line? line? line?\n'
            'line ::= hh ":00 " place ": " [a-z] [^\\n]+ "\\n"\n'
            'hh ::= "0" [0-9] | "1" [0-9] | "2" [0-3]\n'
            f'place ::= {alts}\n')


def valid_actions(script: VillageScript, block: HourBlock, present: list[Villager]) -> list[Action]:
    place = script.place(block.place)
    actions = [Action(0, place.id, "do", block.activity)]
    actions += [Action(0, place.id, "use", f"use the {obj}", obj) for obj in place.objects]
    actions += [Action(0, place.id, "talk", f"talk with {other.name}", other.id) for other in present]
    actions.append(Action(0, place.id, "rest", "rest a while"))
    return actions


class Planner:
    def __init__(self, backend: Backend | None, script: VillageScript, use_grammar: bool = False) -> None:
        self.backend = backend
        self.use_grammar = use_grammar
        self.script = script
        self.rank_cache: dict[str, list[int]] = {}
        self.fallbacks = 0

    def persona(self, v: Villager) -> str:
        traits = ", ".join(v.traits)
        who = f"{v.name} is a {v.age}-year-old {v.occupation} in {self.script.title}"
        return who + (f"; {traits}." if traits else ".")

    def day_plan(self, v: Villager, day: int, memories: list[str]) -> DayPlan:
        plan = routine_plan(v, day)
        if self.backend is None:
            return plan
        hints = "\n".join(f"{s.at} {s.place}: {s.activity}" for s in v.routine)
        remembered = "\n".join(f"- {m}" for m in memories)
        prompt = self.backend.chat_prompt([
            {"role": "system", "content": self.persona(v)},
            {"role": "user", "content": f"Places: {', '.join(p.id for p in self.script.places)}.\n"
                                        f"Usual day:\n{hints}\nOn your mind:\n{remembered or '- nothing special'}\n"
                                        f"Write {v.name}'s plan for day {day}, one line per hour: "
                                        "HH:00 place: activity"},
        ]) + f"{v.routine[0].at[:2]}:00 "
        try:
            grammar = plan_grammar([p.id for p in self.script.places]) if self.use_grammar else None
            text = self.backend.complete(prompt, GenerateOptions(
                max_tokens=60, temperature=0.0, role=ROLE_PLAN, grammar=grammar, stop=self.backend.chat_stop))
            if not self.use_grammar and not re.match(r"\s*\d{1,2}:\d{2}", text):
                text = f"{v.routine[0].at[:2]}:00 " + text  # the prompt started the first line
            lines = parse_plan_lines(text)
            if not lines:
                raise PlanError(f"{v.name}'s plan has no line 'HH:00 place: activity'")
            for block in validate_plan(lines, self.script, v):
                plan.blocks[block.hour] = block
        except PlanError as exc:
            self.fallbacks += 1
            log.info("plan rejected (%s); %s follows the routine", exc, v.name)
        except Exception as exc:
            self.fallbacks += 1
            log.warning("day plan failed (%s: %s); %s follows the routine", type(exc).__name__, exc, v.name)
        return plan

    def choose(self, v: Villager, block: HourBlock, present: list[Villager], reason: str = "") -> list[Action]:
        """Valid actions for the hour, best first (one rank() call at most)."""
        actions = valid_actions(self.script, block, present)
        if len(actions) == 1 or self.backend is None:
            return actions
        key = f"{v.id}|{block.place}|{block.activity}|{reason}|" + "|".join(a.text for a in actions)
        order = self.rank_cache.get(key)
        if order is None:
            prefix = (f"{self.persona(v)} It is {block.hour:02d}:00 at the {self.script.place(block.place).name}; "
                      f"the plan says: {block.activity}." + (f" {reason}" if reason else "") +
                      f" For the next quarter hour, {v.name} decides to")
            try:
                scores = self.backend.rank(prefix, [" " + a.text for a in actions], role=ROLE_RANK)
                if len(scores) != len(actions) or any(s != s for s in scores):
                    raise ValueError("rank() returned the wrong number of scores")
                order = sorted(range(len(actions)), key=lambda i: (-scores[i], i))
            except Exception as exc:
                self.fallbacks += 1
                log.warning("action ranking failed (%s: %s); %s keeps the plan", type(exc).__name__, exc, v.name)
                order = list(range(len(actions)))
            self.rank_cache[key] = order
        return [actions[i] for i in order]

    def quarters(self, v: Villager, block: HourBlock, here: str, start_minute: int,
                 ranked: list[Action]) -> list[Action]:
        """Four quarter-hour actions from the ranked choices; walking first when elsewhere."""
        best = ranked[0]
        second = ranked[1] if len(ranked) > 1 else best
        pattern = [best, best, second, best]
        out = []
        for q, choice in enumerate(pattern):
            minute = start_minute + 15 * q
            if q == 0 and here != block.place:
                out.append(Action(minute, block.place, "move", f"walks to the {self.script.place(block.place).name}"))
            else:
                out.append(Action(minute, choice.place, choice.kind, choice.text, choice.target))
        return out
