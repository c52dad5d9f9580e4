"""Which actions the solver tries in a state: the engine's own candidates, minus those that cannot matter.

The search (game.solver.search) asks `Engine.candidate_actions()` for every action worth offering and adds one
`answer` per distinct first answer of the riddles here (the engine never offers answers: only a player's
words do). `ActionScope.keep` then drops actions that cannot change whether the story is won:

- actions that change nothing the solver's state key holds: look, inventory, examine, lore, talk, wait;
- actions on *irrelevant* items: an item is relevant when a win, lose or quest condition or the recipe
  names it, or it is a door's key, a light source in a story with dark rooms (and what lights it), an
  item whose reading sets a flag a condition tests, a container (or its key) holding a relevant item,
  or a heat source or knife when a relevant food's cooking or cutting can matter (for a recipe whose meal
  the win needs, only while an ingredient is not yet cooked or cut as the recipe says: game.solver.recipe.
  `RecipeGoal.tools`). When a relevant item is for sale, money is relevant:
  then every buy and sell is tried (spending on something useless can leave too little for the lantern)
  and every money item is taken;
- giving-back actions (drop, put, close, lock, extinguish), except where a condition names their result
  (this item at that place, that thing closed or locked), where the hands are full (then every drop and
  put of a relevant item is tried), and drops in a room the player may never come back to: a room whose
  part of the map (strongly connected, doors and gates counted passable, rooms that lose the game left
  out) has a one-way exit to another part. That is where leaving a key behind is a trap. A put with
  full hands is not tried where a drop does the same: into a fixed holder in this room that no condition
  names (as a place, or to be closed), for an item no condition places (the two states differ only in
  the holder's name, which nothing then reads, and its lid stays open since closing it is never tried);
- moves that *spoil* the meal a win needs (game.solver.recipe: cooking an ingredient twice or with the
  wrong heat, cutting it the wrong way, eating it; burning the meal), and cooking or cutting the meal
  when nothing asks for it (pointless: it changes nothing a win reads and only opens the way to burning
  it). No win can follow a spoiling move, so the shortest win is unchanged, but the states these moves
  lead to are never reached: *losses and softlocks reachable only through them are not reported*. The
  search counts the moves it skipped (`ActionScope.spoiled`) and the report says so.

Left out, so not found: a softlock that needs a pruned action (putting out the only lamp can never
strand a player here, since relighting needs only the tinder that cannot be lost; a story where it can
should name the lamp in a condition), and wins that need an irrelevant item (none can, by the rules
above: such an item changes nothing a condition reads). `--all-actions` (ActionScope(exhaustive=True))
tries every candidate instead, for small stories and to check the pruning itself.
"""
from __future__ import annotations

from game.solver.recipe import RecipeGoal
from game.world import queries as q
from game.world.engine import Engine
from game.world.events import FREE_VERBS, Action
from game.world.model import PLAYER, Condition, Story
from game.world.place import Place
from game.world.state import WorldState

UNCHANGING = FREE_VERBS | {"talk", "wait"}  # the state key is the same after them
GIVING_BACK = frozenset({"drop", "put", "close", "lock", "extinguish"})


def all_conditions(story: Story) -> list[Condition]:
    conds = list(story.win.when) + [c for end in story.lose for c in end.when]
    for quest in story.quests:
        conds += [c for alt in (*quest.win, *quest.fail) for c in alt]
    return conds


def relevant_items(story: Story, goal: RecipeGoal | None = None) -> tuple[set[str], bool]:
    """(ids of the items that can matter, whether money matters). A fixpoint over the rules in the docstring."""
    goal = goal or RecipeGoal(story)
    tools = goal.tools()
    recipe_food = set(goal.ingredients) | {goal.meal} if tools is not None else set()
    conds = all_conditions(story)
    tested_flags = {c.flag for c in conds if c.flag}
    rel: set[str] = set()
    for c in conds:
        for ref in (c.item, c.at, c.thing):
            if ref and story.kind_of(ref) == "item":
                rel.add(ref)
    if story.recipe:
        rel |= {ing.item for ing in story.recipe.ingredients} | {story.recipe.meal}
    rel |= {d.key for d in story.doors if d.key}
    if any(r.dark for r in story.rooms):
        rel |= {i.id for i in story.items if i.light}
    rel |= {i.id for i in story.items if i.read_sets_flag and i.read_sets_flag in tested_flags}
    money = any(c.counter == story.currency for c in conds)
    changed = True
    while changed:
        before = (len(rel), money)
        for iid in list(rel):
            item = story.item(iid)
            if item.light and item.light.needs:
                rel.add(item.light.needs)
            if item.container and item.container.key:
                rel.add(item.container.key)
            if item.food:
                heat, sharp = tools if iid in recipe_food else (True, True)
                rel |= {i.id for i in story.items if (heat and i.heat) or (sharp and i.sharp)}
            place = item.location
            while story.kind_of(place) == "item":  # the containers it starts in must be opened
                rel.add(place)
                place = story.item(place).location
            if story.kind_of(place) == "character" and any(e.item == iid for e in story.character(place).sells):
                money = True
        if money:
            rel |= {i.id for i in story.items if i.money}
            rel |= {e.item for c in story.characters for e in c.buys}
        changed = (len(rel), money) != before
    return rel, money


def one_way_rooms(story: Story) -> set[str]:
    """Rooms in a part of the map with an exit the player cannot walk back along (a trap for what is left there)."""
    losing = {c.player_in for end in story.lose for c in end.when if c.player_in and len(end.when) == 1}
    graph = {r.id: [e.to for e in r.exits if e.to not in losing] for r in story.rooms if r.id not in losing}

    def reach(start: str) -> set[str]:
        seen, stack = {start}, [start]
        while stack:
            for nxt in graph[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    reachable = {rid: reach(rid) for rid in graph}
    return {rid for rid in graph if any(rid not in reachable[other] for other in reachable[rid])}


class ActionScope:
    def __init__(self, story: Story, exhaustive: bool = False) -> None:
        self.story, self.exhaustive = story, exhaustive
        self.goal = RecipeGoal(story)
        self.spoiled = 0  # spoiling and pointless recipe moves not tried (counted each time one is skipped)
        self.relevant, self.money = relevant_items(story, self.goal)
        self.one_way = one_way_rooms(story)
        conds = all_conditions(story)
        self.placed = {(c.item, c.at) for c in conds if c.item and c.at != PLAYER}  # (item, room/holder) named
        self.placed_items = {c.item for c in conds if c.item and c.at != PLAYER}
        self.named_places = {c.at for c in conds if c.item and c.at} | {c.thing for c in conds if c.thing}
        self.shut = {c.thing for c in conds if c.thing and c.is_ in ("closed", "locked")}
        self.answers = {r.id: r.answers[0] for r in story.riddles}
        risky = [c for end in story.lose for c in end.when] + [c for qu in story.quests for alt in qu.fail for c in alt]
        self.risky_items = {c.item for c in risky if c.item} | {c.thing for c in risky if c.thing}
        self.risky_flags = {c.flag for c in risky if c.flag}
        self.risky_riddles = {c.riddle_solved for c in risky if c.riddle_solved}
        portable = [i for i in story.items if i.id in self.relevant and i.portable and not i.money]
        self.consumable = ({e.item for c in story.characters for e in c.buys}  # can be sold, eaten or used up
                           | {i.id for i in story.items if i.edible or i.drinkable or i.food}
                           | ({ing.item for ing in story.recipe.ingredients} if story.recipe else set()))
        self.roomy = len(portable) + sum(1 for i in story.items if i.location == PLAYER) <= story.inventory_limit

    def actions(self, engine: Engine) -> list[Action]:
        """What to try from the engine's current state."""
        story, state = self.story, engine.state
        acts = [a for a in engine.candidate_actions() if a.verb not in UNCHANGING]
        spoken = sorted({self.answers[r] for r in q.open_riddles_here(story, state)})
        acts += [Action("answer", text=word) for word in spoken]
        if self.exhaustive:
            return acts
        full = q.load_of(state) >= story.inventory_limit
        kept = [a for a in acts if self.keep(a, state, full)]
        if not self.goal.needs_meal:
            return kept
        unspoilt = [a for a in kept if not self.goal.spoils(a, state) and not self.goal.pointless(a, state)]
        self.spoiled += len(kept) - len(unspoilt)
        return unspoilt

    def eager(self, engine: Engine) -> list[Action]:
        """Moves made at once wherever they apply (none with `exhaustive`), because putting them off can
        never matter: the chance to make them stays as long as the game goes on. Only in a room the player
        can always come back to (not `one_way`): answering a riddle here, taking a relevant thing (while
        every relevant thing fits in the hands, and not from a place a condition wants it), opening a
        relevant lid or a door; and unlocking, lighting or reading with nothing that can be sold, eaten or
        used up (else the player could lose the key first, and that trap must be searched). None is named
        by a lose or fail condition. Each only adds what the player may use, so it never turns a state
        that can win into one that cannot, and since the chance stays, a player who waits can reach
        nothing that the eager order cannot: the search skips orders, not outcomes."""
        story, state = self.story, engine.state
        if self.exhaustive or state.location in self.one_way:
            return []
        out = [Action("answer", text=self.answers[r]) for r in q.open_riddles_here(story, state)
               if r not in self.risky_riddles]
        for action in engine.candidate_actions():
            verb, obj = action.verb, action.obj
            if obj in self.risky_items or verb not in ("take", "open", "unlock", "light", "read"):
                continue
            if verb in ("unlock", "light", "read") and self._uses_up(story, verb, obj):
                continue
            if story.kind_of(obj) == "door":
                if verb in ("open", "unlock") and obj not in self.shut:
                    out.append(action)
                continue
            if obj not in self.relevant:
                continue
            if verb == "take":
                holder = state.items[obj].id
                if self.roomy and (obj, holder) not in self.placed:
                    out.append(action)
            elif verb == "read":
                flag = story.item(obj).read_sets_flag
                if flag and flag not in self.risky_flags and not state.flags.get(flag):
                    out.append(action)
            elif obj not in self.shut:
                out.append(action)
        return out

    def _uses_up(self, story: Story, verb: str, obj: str) -> bool:
        """Does the move depend on something the player could lose first (sell, eat, cook into a meal)?"""
        needed = {obj}
        if verb == "unlock":
            needed.add(story.door(obj).key if story.kind_of(obj) == "door" else story.item(obj).container.key)
        elif verb == "light":
            needed.add(story.item(obj).light.needs)
        return bool(needed & self.consumable)

    def keep(self, action: Action, state: WorldState, full: bool) -> bool:
        verb, obj = action.verb, action.obj
        if verb in ("go", "answer", "prepare"):
            return True
        if verb in ("buy", "sell") and self.money:
            return True
        is_item = obj is not None and self.story.kind_of(obj) == "item"
        if verb in GIVING_BACK:
            if verb in ("close", "lock"):
                return obj in self.shut
            if verb == "extinguish" or obj not in self.relevant:
                return False
            place = action.target if verb == "put" else state.location
            if (obj, place) in self.placed:
                return True
            if full:
                return verb == "drop" or not self._like_the_floor(obj, action.target, state)
            return verb == "drop" and state.location in self.one_way
        if not is_item:  # doors: opening and unlocking them opens the map
            return True
        if verb == "take" and self.story.item(obj).money:
            return self.money
        return obj in self.relevant

    def _like_the_floor(self, obj: str, holder: str, state: WorldState) -> bool:
        """Is putting `obj` on or in `holder` the same as dropping it here (see the module's docstring)?"""
        if obj in self.placed_items or holder in self.named_places:
            return False
        place = holder
        while True:
            item = self.story.item(place)
            if item.portable or place in self.shut:
                return False
            where = state.items[place]
            if where == Place.room(state.location):
                return True
            if not where.container:
                return False
            place = where.container
