"""The authoritative world: `Engine.perform(action)` is the only way state changes.

`perform` runs the verb's handler on a deep copy of the state; if the handler
refuses, or the result breaks an invariant, the copy is discarded and the
state is exactly as before (atomic: all or nothing). Otherwise the copy
becomes the state, game time advances, score and endings are settled, and
the events describing all of it are returned.

Invariants checked after every action: each item's place exists (a room, the
player, an open-or-closed container of the right kind, a character or
nowhere), no containment cycles, the player's room exists, doors connect
exactly two rooms both ways, locked/open/lit maps cover exactly the story's
doors / openable containers / light sources, the load is within the limit,
and the score equals the sum of what was awarded.

Deliberately left out: parsing words (game.understanding.parser), narration (game.narration.narrator)
and persistence (game.play.saves).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from game.world import actions_food, actions_locks, actions_people  # noqa: F401  (register their handlers)
from game.world import queries as q
from game.world.actions import HANDLERS, Refused, award
from game.world.events import FREE_VERBS, Action, Event
from game.world.model import NOWHERE, PLAYER, Condition, Story
from game.world.place import CARRIED, NOWHERE_PLACE
from game.world.state import WorldState, initial_state
from game.world.wording import quest_title


class InvariantError(Exception):
    """A world the rules do not allow (a state that breaks an invariant): never played on.

    A plain exception, not an AssertionError: it must be raised (and caught) even under `python -O`."""


@dataclass
class Outcome:
    events: list[Event]
    changed: bool  # did the state change (a new undo step)?
    refused: bool = False
    engine_ms: float = 0.0
    problems: list[str] = field(default_factory=list)


class Engine:
    def __init__(self, story: Story, state: WorldState | None = None) -> None:
        self.story = story
        if state is None:  # a quest may already be settled at the start (TextWorld checks them at once)
            state = initial_state(story)
            settle_quests(story, state)
        self.state = state
        problems = check_invariants(story, self.state)
        if problems:
            raise InvariantError("; ".join(problems))

    # --- acting --------------------------------------------------------------
    def perform(self, action: Action) -> Outcome:
        started = time.perf_counter()
        outcome = self._perform(action)
        outcome.engine_ms = (time.perf_counter() - started) * 1000
        return outcome

    def _perform(self, action: Action) -> Outcome:
        handle = HANDLERS.get(action.verb)
        if handle is None:
            return Outcome([Event("refused", "That is not something you can do here.")], False, refused=True)
        if self.state.outcome != "playing" and action.verb not in FREE_VERBS:
            return Outcome([Event("refused", "The story has ended. Type undo, load or quit.")], False, refused=True)
        work = self.state.model_copy(deep=True)
        try:
            events = handle(self.story, work, action)
        except Refused as refusal:
            return Outcome([Event("refused", str(refusal))], False, refused=True)
        if action.verb not in FREE_VERBS:
            work.turn += 1
            work.minutes += self.story.clock.minutes_per_turn
            events += settle_quests(self.story, work) + settle_endings(self.story, work)
        problems = check_invariants(self.story, work)
        if problems:  # a bug in a handler or a story the checker let through: never commit it
            return Outcome([Event("error", "Something went wrong; nothing happened.", {"problems": problems})],
                           False, refused=True, problems=problems)
        changed = work != self.state
        self.state = work
        return Outcome(events, changed)

    def would_succeed(self, action: Action) -> bool:
        """Dry run on a copy: is this action valid right now?"""
        handle = HANDLERS.get(action.verb)
        if handle is None or (self.state.outcome != "playing" and action.verb not in FREE_VERBS):
            return False
        try:
            handle(self.story, self.state.trial_copy(), action)
        except Refused:
            return False
        return True

    # --- what could be done ----------------------------------------------------
    def candidate_actions(self) -> list[Action]:
        """Every action worth offering or ranking now (not yet dry-run checked).
        Riddle answers are never candidates: only the player's words answer them."""
        s, st = self.story, self.state
        acts: list[Action] = [Action("go", e.direction) for e in q.exits_here(s, st)]
        scope = q.in_scope(s, st)
        held = q.held(s, st)
        for iid in scope:
            item = s.item(iid)
            if iid not in q.carried_directly(st) and item.portable:
                acts.append(Action("take", iid))
            if item.text:
                acts.append(Action("read", iid))
            if item.light:
                acts.append(Action("extinguish" if st.lit[iid] else "light", iid))
            if item.container and item.container.openable:
                acts.append(Action("close" if q.is_open(s, st, iid) else "open", iid))
            if item.container and item.container.lockable:
                acts.append(Action("unlock" if st.containers_locked[iid] else "lock", iid))
            if (st.food[iid].edible if iid in st.food else item.edible):
                acts.append(Action("eat", iid))
            if item.drinkable:
                acts.append(Action("drink", iid))
            acts.append(Action("examine", iid))
        for iid in held:
            acts.append(Action("drop", iid))
            for target in scope:
                if s.item(target).container and target != iid:
                    acts.append(Action("put", iid, target))
        for door in q.doors_here(s, st):
            if s.door(door).openable and not st.doors_locked[door]:
                acts.append(Action("close" if st.doors_open[door] else "open", door))
            acts.append(Action("unlock" if st.doors_locked[door] else "lock", door))
        heat_sources = [i for i in scope if s.item(i).heat]
        knives = [i for i in held if s.item(i).sharp]
        for iid in held:
            if iid in st.food:
                acts += [Action("cook", iid, h) for h in heat_sources]
                acts += [Action("cut", iid, k, text=how) for k in knives for how in ("slice", "dice", "chop")]
        if s.recipe and st.location == s.recipe.room:
            acts.append(Action("prepare"))
        for cid in q.people_here(s, st):
            acts.append(Action("talk", cid))
            acts += [Action("buy", iid, cid) for iid in q.stock_of(s, st, cid)]
            acts += [Action("sell", iid, cid) for iid in held if q.price(s, cid, iid, "buys") is not None]
        acts += [Action("examine", r) for r in q.riddles_here(s, st)]
        acts += [Action("look"), Action("inventory"), Action("wait")]
        return acts

    def valid_actions(self) -> list[Action]:
        return [a for a in self.candidate_actions() if self.would_succeed(a)]

    def state_hash(self) -> str:
        return self.state.state_hash()


# --- endings -------------------------------------------------------------------
def holds(story: Story, state: WorldState, cond: Condition) -> bool:
    if cond.player_in is not None:
        return state.location == cond.player_in
    if cond.item is not None:
        place = state.items.get(cond.item)
        if cond.at == PLAYER:
            return place == CARRIED
        if cond.at == NOWHERE:
            return place == NOWHERE_PLACE
        return place is not None and place.id == cond.at
    if cond.flag is not None:
        return state.flags.get(cond.flag, False)
    if cond.counter is not None:
        value = state.counters.get(cond.counter, 0)
        return (cond.min is None or value >= cond.min) and (cond.max is None or value <= cond.max)
    if cond.thing is not None:
        return thing_is(story, state, cond.thing, cond.is_)
    if cond.quest_completed is not None:
        return state.quests.get(cond.quest_completed) == "completed"
    if cond.quest_failed is not None:
        return state.quests.get(cond.quest_failed) == "failed"
    return cond.riddle_solved in state.solved


def thing_is(story: Story, state: WorldState, thing: str, wanted: str) -> bool:
    if wanted == "eaten":
        return thing in state.eaten
    if wanted not in ("open", "closed", "locked"):  # how a food is cooked or cut
        food = state.food.get(thing)
        if food is None:
            return False
        if wanted == "burned":
            return food.burned
        if wanted == "cooked":
            return food.cooked
        return wanted in (food.cooking, food.cutting)
    locked = q.is_locked(story, state, thing)
    if story.kind_of(thing) == "door":
        is_open = q.door_is_open(story, state, thing)
    else:
        is_open = q.is_open(story, state, thing)
    now = "locked" if locked else ("open" if is_open else "closed")
    return now == wanted


def settle_quests(story: Story, state: WorldState) -> list[Event]:
    """Mark quests completed or failed once their conditions hold (TextWorld's rule: a settled quest stays so)."""
    events: list[Event] = []
    for quest in story.quests:
        if quest.id in state.quests:
            continue
        won = any(all(holds(story, state, c) for c in alt) for alt in quest.win)
        failed = any(all(holds(story, state, c) for c in alt) for alt in quest.fail)
        if failed:
            state.quests = {**state.quests, quest.id: "failed"}
        elif won:
            state.quests = {**state.quests, quest.id: "completed"}
            events += award(story, state, f"quest:{quest.id}", quest.points, quest_title(story, quest))
    return events


def settle_endings(story: Story, state: WorldState) -> list[Event]:
    if state.outcome != "playing":
        return []
    for ending in story.lose:
        if all(holds(story, state, c) for c in ending.when):
            state.outcome, state.ending = "lost", ending.message
            return [Event("lost", ending.message, {"score": state.score})]
    if all(holds(story, state, c) for c in story.win.when):
        events = award(story, state, "win", story.win.points, "won the game")
        state.outcome, state.ending = "won", story.win.message
        return events + [Event("won", story.win.message, {"score": state.score, "max_score": story.max_score()})]
    return []


# --- invariants ----------------------------------------------------------------
def check_invariants(story: Story, state: WorldState) -> list[str]:
    problems: list[str] = []
    if story.kind_of(state.location) != "room":
        problems.append(f"player is in unknown room {state.location!r}")
    if set(state.items) != {i.id for i in story.items}:
        problems.append("the set of items differs from the story's")
    for iid, place in state.items.items():
        kind, ref = place.kind, place.id
        if kind in ("player", "nowhere"):
            continue
        if kind == "room" and story.kind_of(ref) == "room":
            continue
        if kind == "char" and story.kind_of(ref) == "character":
            continue
        if kind in ("in", "on") and story.kind_of(ref) == "item":
            container = story.item(ref).container
            if container is not None and container.kind == kind and ref != iid:
                continue
        problems.append(f"item {iid!r} is at impossible place {str(place)!r}")
    for iid in state.items:  # no cycles: walking outwards must end
        seen, place = {iid}, state.items[iid]
        while place is not None and place.container:
            ref = place.container
            if ref in seen:
                problems.append(f"item {iid!r} is inside itself")
                break
            seen.add(ref)
            place = state.items.get(ref)
    starting_load = sum(1 for i in story.items if i.location == PLAYER)  # a story may start over the limit
    if q.load_of(state) > max(story.inventory_limit, starting_load):
        problems.append(f"player carries {q.load_of(state)} things, limit {story.inventory_limit}")
    if set(state.doors_locked) != {d.id for d in story.doors}:
        problems.append("door states differ from the story's doors")
    if set(state.lit) != {i.id for i in story.items if i.light}:
        problems.append("light states differ from the story's light sources")
    if set(state.containers_open) != {i.id for i in story.items if i.container and i.container.openable}:
        problems.append("open/closed states differ from the story's openable containers")
    if set(state.doors_open) != {d.id for d in story.doors if d.openable}:
        problems.append("open/closed states differ from the story's openable doors")
    if set(state.containers_locked) != {i.id for i in story.items if i.container and i.container.lockable}:
        problems.append("lock states differ from the story's lockable containers")
    for thing, table in (("door", state.doors_open), ("container", state.containers_open)):
        lock_table = state.doors_locked if thing == "door" else state.containers_locked
        if any(table.get(tid) and lock_table.get(tid) for tid in table):
            problems.append(f"a {thing} is both open and locked")
    if set(state.food) != {i.id for i in story.items if i.food}:
        problems.append("food states differ from the story's food items")
    if any(state.items.get(iid) != NOWHERE_PLACE for iid in state.eaten):
        problems.append("an eaten item is back in the world")
    if set(state.quests) - {qu.id for qu in story.quests}:
        problems.append("a settled quest is not in the story")
    problems += door_problems(story)
    expected = sum(_points_for(story, key) for key in state.awarded)
    if expected != state.score:
        problems.append(f"score {state.score} differs from awarded points {expected}")
    if any(v < 0 for v in state.counters.values()):
        problems.append("a counter went negative")
    return problems


def _points_for(story: Story, key: str) -> int:
    kind, _, ref = key.partition(":")
    if kind == "win":
        return story.win.points
    table = {"room": story.room, "item": story.item, "riddle": story.riddle, "quest": story.quest}.get(kind)
    return table(ref).points if table else 0


def door_problems(story: Story) -> list[str]:
    """Each door sits on exactly two exits that lead back to each other."""
    problems = []
    for door in story.doors:
        uses = [(r.id, e.to) for r in story.rooms for e in r.exits if e.door == door.id]
        if len(uses) != 2 or uses[0] != (uses[1][1], uses[1][0]):
            problems.append(f"door {door.id!r} must be on exactly two exits leading back to each other")
    return problems
