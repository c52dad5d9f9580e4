"""What a story's recipe asks of the search (game.solver.search): which cooking moves spoil the win, which tools
matter, and a lower bound on the commands still needed (the A* heuristic).

A story *needs its meal* when its win cannot hold without the recipe's meal: a win condition (or a quest
every win of which) wants the meal eaten or somewhere, while the meal starts nowhere, nobody sells it,
and only `prepare` brings it into the world. Preparing wants every ingredient carried, cooked and cut as
the recipe says and not burned, and none of that can be undone: cooking never makes food raw again (a
second cooking burns it), a cut food stays cut, an eaten one is gone. So while the meal is needed, these
moves *spoil* it, and no win can follow them:

- cooking an ingredient when it is already cooked or burned, with a heat that is not the recipe's, or at
  all when the recipe wants it raw; cutting it other than the recipe says; eating or drinking it;
- cooking the meal a second time when the win wants it eaten (burned, it can no longer be eaten).

Cooking or cutting the meal at all, when no win condition names how it is cooked or cut and it need not
be cooked to be eaten, is *pointless*: it changes nothing a win reads and only opens the way to burning it.

`lower_bound` counts commands that every win from a state must still contain, each a different command:
`eat` the meal, take it if not in hand, `prepare`, and per ingredient a take, a cooking and a cut while
not yet done, a take of a knife when something must be cut and none is in hand; plus the fewest `go`
moves: to every place the plan must visit (each ingredient's room, then a heat source of the right kind,
then the recipe's room; a knife's room on the way), counted along exits with doors taken as open. It
never overestimates (admissible), so the first won state A* takes from its queue has the fewest commands
of all the ways over the actions searched. It is 0 where the story needs no meal: the search is then
exactly breadth-first by commands.

Left out: every other kind of goal (keys, riddles, money) has no estimate; stories with them are searched
breadth-first as before.
"""
from __future__ import annotations

from collections import deque

from game.world.events import Action
from game.world.model import NOWHERE, PLAYER, Condition, Story
from game.world.place import CARRIED, NOWHERE_PLACE
from game.world.state import WorldState

COOK_STATES = frozenset({"raw", "roasted", "fried", "grilled", "cooked", "burned"})
CUT_STATES = frozenset({"uncut", "sliced", "diced", "chopped"})
CUTS = {"slice": "sliced", "dice": "diced", "chop": "chopped"}
FAR = 10_000  # no way along exits (the bound then leaves that target out)


def win_side(story: Story) -> list[Condition]:
    return list(story.win.when) + [c for quest in story.quests for alt in quest.win for c in alt]


def _names_meal(cond: Condition, meal: str) -> str | None:
    """'eaten' or 'held' when the condition can only hold once the meal exists, else None."""
    if cond.thing == meal and cond.is_ == "eaten":
        return "eaten"
    if cond.item == meal and cond.at != NOWHERE:
        return "held" if cond.at == PLAYER else "placed"
    return None


class RecipeGoal:
    def __init__(self, story: Story) -> None:
        self.story = story
        recipe = story.recipe
        self.needs_meal = self.needs_eat = self.needs_hold = self.meal_states_named = self.meal_raw = False
        self.ingredients: dict[str, tuple[str, str]] = {}
        self.meal = recipe.meal if recipe else None
        if recipe is None:
            return
        meal = story.item(recipe.meal)
        sold = any(e.item == meal.id for c in story.characters for e in c.sells)
        if meal.location != NOWHERE or sold:
            return
        kinds = set()
        for cond in story.win.when:
            kind = _names_meal(cond, meal.id)
            if kind is None and cond.quest_completed:
                quest = story.quest(cond.quest_completed)
                alts = [{_names_meal(c, meal.id) for c in alt} - {None} for alt in quest.win]
                if alts and all(alts):
                    kind = "eaten" if all("eaten" in a for a in alts) else "placed"
            if kind:
                kinds.add(kind)
        self.needs_meal = bool(kinds)
        self.needs_eat = "eaten" in kinds
        self.needs_hold = "held" in kinds
        if not self.needs_meal:
            return
        self.ingredients = {ing.item: (ing.cooking, ing.cutting) for ing in recipe.ingredients}
        self.room = recipe.room
        named = {c.thing for c in win_side(story) if c.thing and c.is_ in COOK_STATES | CUT_STATES}
        self.meal_states_named = meal.id in named
        self.meal_raw = bool(meal.food and meal.food.needs_cooking)  # it must be cooked before it is eaten
        self.dist = _distances(story)
        self.heat_items = {i.id: i.heat for i in story.items if i.heat}
        self.sharp = [i.id for i in story.items if i.sharp]

    # --- what can matter -------------------------------------------------------------
    def tools(self) -> tuple[bool, bool] | None:
        """(heat sources matter, knives matter) for the ingredients and the meal: only when an ingredient is
        not yet cooked (cut) as the recipe says, or a win condition names how the meal is cooked (cut), or
        the meal must be cooked to be eaten. None when the meal is not needed (then every food counts)."""
        if not self.needs_meal:
            return None
        heat = cut = self.meal_states_named
        heat |= self.meal_raw
        for iid, (cooking, cutting) in self.ingredients.items():
            food = self.story.item(iid).food
            if food is not None:
                heat |= food.cooking != cooking
                cut |= food.cutting != cutting
        return heat, cut

    def spoils(self, action: Action, state: WorldState) -> bool:
        """Would the move make the meal impossible (see the module's docstring)? Only while it is needed."""
        if not self.needs_meal or action.verb not in ("cook", "cut", "eat", "drink"):
            return False
        obj = action.obj
        if obj == self.meal:  # burned, it can no longer be eaten
            food = state.food.get(obj)
            return action.verb == "cook" and self.needs_eat and food is not None and (food.cooked or food.burned)
        want = self.ingredients.get(obj)
        if want is None or state.items.get(self.meal) != NOWHERE_PLACE or self.meal in state.eaten:
            return False
        if action.verb in ("eat", "drink"):
            return True
        food = state.food.get(obj)
        if food is None:
            return False
        if action.verb == "cut":
            return CUTS.get(action.text or "") != want[1]
        heat = self.story.item(action.target).heat if self.story.kind_of(action.target) == "item" else None
        return food.cooked or food.burned or heat != want[0]

    def pointless(self, action: Action, state: WorldState) -> bool:
        """Cooking or cutting the meal when no win condition names how it is cooked or cut and it need not be
        cooked to be eaten: it changes nothing a win reads (and only opens the way to burning it)."""
        if not self.needs_meal or action.obj != self.meal or action.verb not in ("cook", "cut"):
            return False
        food = state.food.get(self.meal)
        return not self.meal_states_named and not (action.verb == "cook" and food is not None and food.needs_cooking)

    # --- the heuristic ---------------------------------------------------------------------
    def room_of(self, state: WorldState, iid: str) -> str | None:
        place = state.items.get(iid)
        for _ in range(len(state.items) + 1):
            if place is None or place == NOWHERE_PLACE:
                return None
            if place == CARRIED:
                return state.location
            if place.kind == "room":
                return place.id
            if not place.container:
                return None  # with a character: where is not fixed
            place = state.items.get(place.container)
        return None

    def lower_bound(self, state: WorldState) -> int:
        if not self.needs_meal or state.outcome != "playing":
            return 0
        meal = self.meal
        if meal in state.eaten:
            return 0
        here, dist = state.location, self.dist
        if state.items[meal] != NOWHERE_PLACE:  # prepared: take it (if not in hand) and eat it
            at = self.room_of(state, meal)
            carried = state.items[meal] == CARRIED
            fetch = not carried and (self.needs_eat or self.needs_hold)
            moves = dist[here].get(at, 0) if fetch and at is not None else 0
            return int(self.needs_eat) + int(fetch) + moves
        count = 1 + int(self.needs_eat)  # prepare, eat
        legs = [dist[here].get(self.room, 0)]
        cutting_left = False
        for iid, (cooking, cutting) in self.ingredients.items():
            food = state.food.get(iid)
            at = self.room_of(state, iid)
            if state.items.get(iid) != CARRIED:
                count += 1
            cook = food is not None and food.cooking != cooking
            count += int(cook) + int(food is not None and food.cutting != cutting)
            cutting_left |= food is not None and food.cutting != cutting
            if at is None:
                continue
            legs.append(dist[here].get(at, 0) + dist[at].get(self.room, 0))
            heat_rooms = self._rooms(state, [h for h, kind in self.heat_items.items() if kind == cooking])
            if cook and heat_rooms:
                legs.append(dist[here].get(at, 0) + min(dist[at].get(r, FAR) + dist[r].get(self.room, FAR)
                                                         for r in heat_rooms))
        knives_held = any(state.items.get(k) == CARRIED for k in self.sharp)
        if cutting_left and not knives_held:
            count += 1
            knife_rooms = self._rooms(state, self.sharp)
            if knife_rooms:
                legs.append(min(dist[here].get(r, FAR) + dist[r].get(self.room, FAR) for r in knife_rooms))
        return count + max(leg if leg < FAR else 0 for leg in legs)

    def _rooms(self, state: WorldState, items: list[str]) -> list[str]:
        """The rooms these items are in; empty when any has no room (then no leg is counted for them)."""
        rooms = [self.room_of(state, i) for i in items]
        return [] if None in rooms else rooms


def _distances(story: Story) -> dict[str, dict[str, int]]:
    """Fewest `go` moves between rooms along exits (doors counted open); rooms not reachable are left out."""
    graph = {r.id: [e.to for e in r.exits] for r in story.rooms}
    out = {}
    for start in graph:
        seen = {start: 0}
        queue = deque([start])
        while queue:
            room = queue.popleft()
            for nxt in graph[room]:
                if nxt not in seen and nxt in graph:
                    seen[nxt] = seen[room] + 1
                    queue.append(nxt)
        out[start] = seen
    return out
