"""Handlers for eating, drinking, cutting, cooking and preparing a meal.

The rules are TextWorld's cooking challenge, as its Inform 7 games enforce
them: food must be carried to be eaten, cut or cooked (there is no implicit
taking); cutting needs a sharp tool in hand and uncut food; cooking needs a
heat source in reach, and the heat source decides how the food ends up
(roasted, fried, grilled); cooking food a second time burns it, and burned
food is inedible; food that needs cooking cannot be eaten before. `prepare
meal` in the recipe's room, carrying every ingredient cooked and cut as the
recipe says, turns them into the meal.

Deliberately left out: partial credit for a half-prepared meal, mixing
cooking methods on one food, and drinks that are not consumed at once.
"""
from __future__ import annotations

from game.world import queries as q
from game.world.actions import Refused, _require_in_scope, handler
from game.world.events import Event
from game.world.place import CARRIED, NOWHERE_PLACE


def _carried(story, state, item_id: str | None, what: str = "") -> None:
    _require_in_scope(story, state, item_id)
    if item_id not in q.carried_directly(state):  # no implicit take, as in TextWorld
        raise Refused(f"You need to take the {story.item(item_id).name} first.")


def _consume(state, item_id: str) -> None:
    state.items[item_id] = NOWHERE_PLACE
    state.eaten = sorted([*state.eaten, item_id])


@handler("eat")
def do_eat(story, state, action):
    _require_in_scope(story, state, action.obj)
    item = story.item(action.obj)
    food = state.food.get(item.id)
    if food is not None and food.needs_cooking:
        raise Refused(f"You should cook the {item.name} first.")
    if not (food.edible if food is not None else item.edible):
        raise Refused(f"The {item.name} is plainly inedible.")
    _carried(story, state, item.id)
    _consume(state, item.id)
    return [Event("eaten", f"You eat the {item.name}. Not bad.", {"id": item.id})]


@handler("drink")
def do_drink(story, state, action):
    _require_in_scope(story, state, action.obj)
    item = story.item(action.obj)
    if not item.drinkable:
        raise Refused(f"You cannot drink the {item.name}.")
    _carried(story, state, item.id)
    _consume(state, item.id)
    return [Event("drunk", f"You drink the {item.name}. Not bad.", {"id": item.id})]


CUTS = {"slice": "sliced", "dice": "diced", "chop": "chopped"}


@handler("cut")
def do_cut(story, state, action):
    """`action.text` is how: slice, dice or chop; `action.target` the tool."""
    how = CUTS.get(action.text or "")
    if how is None:
        raise Refused("Say how to cut it: slice, dice or chop it.")
    _carried(story, state, action.obj)
    if action.target is None:
        raise Refused("Cutting something requires a knife.")
    _carried(story, state, action.target)
    item, food = story.item(action.obj), state.food.get(action.obj)
    if food is None or not item.food.cuttable:
        raise Refused("You can only cut cuttable food.")
    if food.cutting != "uncut":
        raise Refused(f"The {item.name} is already {food.cutting}.")
    if not story.item(action.target).sharp:
        raise Refused("Cutting something requires a knife.")
    food.cutting = how
    return [Event("cut", f"You {action.text} the {item.name}.", {"id": item.id, "cutting": how})]


@handler("cook")
def do_cook(story, state, action):
    _carried(story, state, action.obj)
    item, food = story.item(action.obj), state.food.get(action.obj)
    if food is None or not item.food.cookable:
        raise Refused("You can only cook food.")
    _require_in_scope(story, state, action.target)
    heat = story.item(action.target).heat
    if heat is None:
        raise Refused("Cooking requires a source of heat.")
    if food.cooked or food.burned:
        food.burned, food.edible = True, False
        return [Event("burned", f"You burned the {item.name}!", {"id": item.id})]
    food.cooking, food.cooked = heat, True
    if food.needs_cooking:
        food.needs_cooking, food.edible = False, True
    return [Event("cooked", f"You {_verb(heat)} the {item.name}.", {"id": item.id, "cooking": heat})]


def _verb(heat: str) -> str:
    return {"roasted": "roasted", "fried": "fried", "grilled": "grilled"}[heat]


@handler("prepare")
def do_prepare(story, state, action):
    recipe = story.recipe
    if recipe is None:
        raise Refused("There is no recipe to follow.")
    if state.location != recipe.room:
        raise Refused(f"You can only prepare the meal in the {story.room(recipe.room).name}.")
    carried = q.carried_directly(state)
    for ingredient in recipe.ingredients:
        food = state.food.get(ingredient.item)
        if ingredient.item not in carried or food is None:
            raise Refused("You still miss something.")
        if food.cooking != ingredient.cooking or food.burned:
            raise Refused("Something still needs to be cooked.")
        if food.cutting != ingredient.cutting:
            raise Refused("Something still needs to be cut.")
    for ingredient in recipe.ingredients:
        state.items[ingredient.item] = NOWHERE_PLACE
    state.items[recipe.meal] = CARRIED
    return [Event("prepared", f"You prepare the {story.item(recipe.meal).name}. It is in your hands.",
                  {"id": recipe.meal})]
