"""Handlers for trading, talking, riddle answers and waiting.

Trading arithmetic is the engine's: the price comes from the story, the change
is computed here, and the narrator only retells the numbers it is given (it
may use the Calculator tool to phrase them, never to decide them).

Deliberately left out: haggling, credit, villager conversation (a later issue:
`talk` gives the authored greeting) and any model judgement of riddle answers.
"""
from __future__ import annotations

from game.world import queries as q
from game.world.actions import Refused, award, handler
from game.world.answers import accepts
from game.world.events import Event
from game.world.limits import RIDDLE_ANSWER_SHOWN_CHARS
from game.world.place import CARRIED, Place
from game.world.wording import capitalise_first


def _merchant_for(story, state, item_id, table):
    for cid in q.merchants_here(story, state):
        if q.price(story, cid, item_id, table) is not None and (
                table == "buys" or item_id in q.stock_of(story, state, cid)):
            return cid
    return None


@handler("buy")
def do_buy(story, state, action):
    merchant = action.target or _merchant_for(story, state, action.obj, "sells")
    if merchant not in q.merchants_here(story, state) or action.obj not in q.stock_of(story, state, merchant):
        raise Refused("Nobody here sells that.")
    cost = q.price(story, merchant, action.obj, "sells")
    purse = state.counters.get(story.currency, 0)
    offered = cost
    if action.text:
        if not action.text.isdigit():
            raise Refused("Offer a whole number of coins.")
        offered = int(action.text)
        if offered < cost:
            raise Refused(f"{story.character(merchant).name} shakes her head: the price is {cost} {story.currency}.")
    if offered > purse:
        raise Refused(f"You have only {purse} {story.currency}; that costs {cost}.")
    if q.load_of(state) >= story.inventory_limit:
        raise Refused("Your hands are full. Drop something first.")
    change = offered - cost
    state.counters[story.currency] = purse - cost
    state.items[action.obj] = CARRIED
    name = story.item(action.obj).name
    seller = story.character(merchant).name
    text = f"You hand {seller} {offered} {story.currency} for the {name}"
    text += f" and get {change} back in change." if change else "."
    text += f" Purse: {purse} - {cost} = {purse - cost} {story.currency}."
    return [Event("bought", text, {"id": action.obj, "seller": merchant, "price": cost, "paid": offered,
                                   "change": change, "purse_before": purse, "purse_after": purse - cost})
            ] + award(story, state, f"item:{action.obj}", story.item(action.obj).points, f"bought the {name}")


@handler("sell")
def do_sell(story, state, action):
    if action.obj not in q.held(story, state):
        raise Refused("You aren't carrying that.")
    merchant = action.target or _merchant_for(story, state, action.obj, "buys")
    if merchant is None or merchant not in q.merchants_here(story, state) or \
            q.price(story, merchant, action.obj, "buys") is None:
        raise Refused("Nobody here wants to buy that.")
    value = q.price(story, merchant, action.obj, "buys")
    purse = state.counters.get(story.currency, 0)
    state.counters[story.currency] = purse + value
    state.items[action.obj] = Place.character(merchant)
    name = story.item(action.obj).name
    return [Event("sold", f"{story.character(merchant).name} pays you {value} {story.currency} for the {name}. "
                          f"Purse: {purse} + {value} = {purse + value} {story.currency}.",
                  {"id": action.obj, "buyer": merchant, "price": value, "purse_before": purse,
                   "purse_after": purse + value})]


@handler("answer")
def do_answer(story, state, action):
    here = q.riddles_here(story, state)
    if not here:
        raise Refused("It is too dark to read any riddle." if not q.is_lit(story, state)
                      else "There is no riddle here to answer.")
    text = (action.text or "").strip()
    if not text:
        raise Refused("Say what your answer is, e.g. 'answer wind'.")
    # An explicit riddle (from a choice) is judged alone; otherwise every gate here listens.
    candidates = [action.obj] if action.obj in here else here
    for rid in candidates:
        riddle = story.riddle(rid)
        if accepts(riddle.answers, riddle.synonyms, text):
            if rid in state.solved:
                return [Event("riddle_again", f"{capitalise_first(riddle.name)} already stands open.", {"riddle": rid})]
            state.solved = sorted([*state.solved, rid])
            return [Event("riddle_solved", riddle.solved_message, {"riddle": rid})] + award(
                story, state, f"riddle:{rid}", riddle.points, f"answered {riddle.name}")
    shown = text[:RIDDLE_ANSWER_SHOWN_CHARS]
    return [Event("riddle_wrong", f"You say \"{shown}\". Nothing happens; the carved words stay dark.",
                  {"answer": shown, "riddles": candidates})]


@handler("talk")
def do_talk(story, state, action):
    if action.obj not in q.people_here(story, state):
        raise Refused("There is nobody like that here.")
    person = story.character(action.obj)
    line = person.greeting or f"{person.name} nods at you."
    wares = q.stock_of(story, state, person.id)
    if wares:
        line += " For sale: " + ", ".join(
            f"{story.item(i).name} ({q.price(story, person.id, i)} {story.currency})" for i in wares) + "."
    return [Event("talked", f"{person.name}: {line}" if person.greeting else line, {"id": person.id})]


@handler("wait")
def do_wait(story, state, action):
    return [Event("waited", "Time passes.", {})]
