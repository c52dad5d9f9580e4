"""`solve(story)`: breadth-first search of a story's states with the engine itself, and what it proves.

Every state is reached by `Engine.perform` on the actions `game.solver.scope.ActionScope` picks from the
engine's own candidates, so the solver can never disagree with play. States are told apart by a
canonical key (`state_key`): where the player is, where every item is, every lock, lid, light, food,
quest, riddle, flag and counter, and the outcome. Left out of the key on purpose: the turn and the
clock (no rule reads them, so states that differ only in time behave the same, and without them the
space is finite), the visited rooms and the score with what was awarded (they only decide points,
never what can happen). The solver looks for a win, not for the highest score.

The search is A* by commands (uniform cost: one step may carry eager moves) with the admissible lower
bound of game.solver.recipe, which is 0 unless the win needs a recipe's meal (the search is then exactly
breadth-first by commands, as before). Every state taken from the queue has a shortest command list
over the actions tried, so the first won state taken is a shortest win even when a limit stops the
search later (`shortest_proved`, `win_found_s`). The cheapest win is then replayed without each command
in turn, and commands it does not need are dropped. So the win reported is the shortest found, with no
command to spare, though a shorter one in a different order can exist where eager moves or pruned
actions would be needed to see it. Once the space is exhausted, a backward search from the won states
marks every state that can still win; a playing state that cannot is a softlock. A search cut short by
`max_states` or `max_seconds` says so (`complete` is False) and proves nothing about softlocks or about
a win it did not find (a win A* took from its queue is still the shortest).

Left out: the text of the report (game.solver.report), choosing actions (game.solver.scope), and
anything random: the engine is deterministic, so one action from one state has one result.
"""
from __future__ import annotations

import heapq
import sys
import time
from array import array
from dataclasses import dataclass, field

from game.solver.scope import ActionScope
from game.world import queries as q
from game.world.engine import Engine
from game.world.events import Action
from game.world.model import Story
from game.world.state import WorldState

# Every WorldState field is either in the key or named here with the reason it is not.
NOT_IN_KEY = {
    "format": "the same for every state", "story_id": "the same for every state",
    "turn": "no rule reads it", "minutes": "no rule reads the clock",
    "visited": "only decides room points and labels", "awarded": "only decides points",
    "score": "only points", "ending": "follows from the outcome",
}
IN_KEY = ("location", "items", "doors_locked", "containers_open", "lit", "doors_open", "containers_locked",
          "eaten", "food", "quests", "solved", "flags", "counters", "outcome")


def state_key(state: WorldState) -> tuple:
    """The parts of a state that decide what can happen next, as a hashable value (dicts sorted by id)."""
    return (state.location, tuple(sorted(state.items.items())), tuple(sorted(state.doors_locked.items())),
            tuple(sorted(state.containers_open.items())), tuple(sorted(state.lit.items())),
            tuple(sorted(state.doors_open.items())), tuple(sorted(state.containers_locked.items())),
            tuple(state.eaten), tuple(sorted((k, tuple(f.model_dump().values())) for k, f in state.food.items())),
            tuple(sorted(state.quests.items())), tuple(state.solved), tuple(sorted(state.flags.items())),
            tuple(sorted(state.counters.items())), state.outcome)


@dataclass
class Group:
    """Softlocks (or losses) entered by the same command: how many states, and the shortest way in."""
    label: str
    count: int
    path: list[str]


@dataclass
class SolveResult:
    story_id: str
    complete: bool  # the whole space was searched
    stopped: str  # why not ("" when complete)
    states: int
    transitions: int
    seconds: float
    exhaustive: bool
    win: list[str] | None  # shortest winning commands
    walkthrough_len: int
    softlocks: int
    softlock_groups: list[Group] = field(default_factory=list)
    losses: int = 0  # lost states reached
    loss_groups: list[Group] = field(default_factory=list)
    risky_states: int = 0  # playing states one command from a loss
    unreached_rooms: list[str] = field(default_factory=list)
    unreached_items: list[str] = field(default_factory=list)
    unsolved_riddles: list[str] = field(default_factory=list)
    impossible: list[str] = field(default_factory=list)  # win conditions no rule can make true
    shortest_proved: bool = False  # the win is a shortest over the actions tried (complete, or A* took it)
    spoiled: int = 0  # moves not tried because they spoil the meal the win needs (game.solver.recipe)
    win_found_s: float | None = None  # when A* took the first won state from its queue

    @property
    def solvable(self) -> bool | None:
        """True: a win exists and the search was complete; False: complete and no win; None: unknown."""
        if not self.complete:
            return None
        return self.win is not None

    def ok(self) -> bool:
        return self.complete and self.win is not None and self.softlocks == 0


def impossible_conditions(story: Story) -> list[str]:
    """Win conditions that no rule of the engine can ever make true: a flag nothing sets, a counter
    nothing changes outside the range. Found without searching, so an unwinnable story is said at once."""
    settable = {i.read_sets_flag for i in story.items if i.read_sets_flag}
    out = []
    for cond in story.win.when:
        if cond.flag and not story.flags.get(cond.flag) and cond.flag not in settable:
            out.append(f"flag {cond.flag!r} is never set (no item's reading sets it, and it starts false)")
        if cond.counter and cond.counter != story.currency:
            value = story.counters.get(cond.counter, 0)
            if (cond.min is not None and value < cond.min) or (cond.max is not None and value > cond.max):
                out.append(f"counter {cond.counter!r} stays {value}; nothing changes it")
    return out


def command(story: Story, action: Action) -> str:
    """What a player types for the action (the parser reads it back; tests replay solver paths)."""
    return action.phrase(story)


class _Search:
    def __init__(self, story: Story, scope: ActionScope) -> None:
        self.story, self.scope = story, scope
        self.engine = Engine(story)
        self.keys: dict[tuple, int] = {}
        self.parent = array("l")  # index of the state this one is best reached from (-1: the start)
        self.cost = array("l")  # commands from the start on that best way
        self.via: list[tuple[Action, ...]] = []  # the commands of the last step (an action, then eager moves)
        self.outcome = bytearray()  # 0 playing, 1 won, 2 lost
        self.edges_from = array("l")
        self.edges_to = array("l")
        self.rooms: set[str] = set()
        self.items_seen: set[str] = set()
        self.solved: set[str] = set()
        self.start_places = dict(self.engine.state.items)

    def closure(self, state: WorldState) -> tuple[WorldState, list[Action]]:
        """Make the scope's eager moves until none applies (each through the engine). A state already found
        is one where none applies (every state is added after its closure), so it is returned at once."""
        engine, done = self.engine, []
        engine.state = state
        key = state_key(state)
        if key in self.keys:
            return state, done
        while engine.state.outcome == "playing":
            before = engine.state
            for action in self.scope.eager(engine):
                engine.state = before
                if not engine.perform(action).refused:
                    after = state_key(engine.state)
                    if after != key:
                        key = after
                        done.append(action)
                        break
                engine.state = before
            else:
                break
        return engine.state, done

    def add(self, state: WorldState, parent: int, via: tuple[Action, ...], cost: int) -> tuple[int, bool]:
        """The state's index and whether this is a new or cheaper way to it."""
        key = state_key(state)
        index = self.keys.get(key)
        if index is not None:
            if cost >= self.cost[index]:
                return index, False
            self.parent[index], self.via[index], self.cost[index] = parent, via, cost
            return index, True
        index = len(self.via)
        self.keys[key] = index
        self.parent.append(parent)
        self.cost.append(cost)
        self.via.append(via)
        self.outcome.append({"playing": 0, "won": 1, "lost": 2}[state.outcome])
        self.rooms.add(state.location)
        self.solved.update(state.solved)
        if len(self.items_seen) < len(self.story.items):  # seen here, or moved (taken money vanishes at once)
            self.items_seen.update(q.in_scope(self.story, state))
            self.items_seen.update(i for i, place in state.items.items() if place != self.start_places[i])
        return index, True

    def actions(self, index: int) -> list[Action]:
        steps: list[tuple[Action, ...]] = []
        while index >= 0:
            steps.append(self.via[index])
            index = self.parent[index]
        return [a for step in reversed(steps) for a in step]

    def path(self, index: int) -> list[str]:
        return [command(self.story, a) for a in self.actions(index)]


def wins(story: Story, actions: list[Action]) -> bool:
    engine = Engine(story)
    for action in actions:
        if engine.state.outcome != "playing" or engine.perform(action).refused:
            return False
    return engine.state.outcome == "won"


def shorten(story: Story, actions: list[Action]) -> list[Action]:
    """Drop each command the win does not need (an eager move it could skip), checked by replaying."""
    kept = list(actions)
    for i in range(len(kept) - 1, -1, -1):
        trial = kept[:i] + kept[i + 1:]
        if wins(story, trial):
            kept = trial
    return kept


def solve(story: Story, *, max_states: int = 500_000, max_seconds: float = 300.0, exhaustive: bool = False,
          progress: bool = False) -> SolveResult:
    """A* by commands (a step may carry eager moves) over canonical states; breadth-first where there is no
    bound (game.solver.recipe.RecipeGoal.lower_bound)."""
    started = time.perf_counter()
    search = _Search(story, ActionScope(story, exhaustive=exhaustive))
    bound = search.scope.goal.lower_bound if search.scope.goal.needs_meal else None
    impossible = impossible_conditions(story)
    start, eager = search.closure(search.engine.state)
    search.add(start, -1, tuple(eager), len(eager))
    # (commands so far + lower bound, more commands first on a tie where there is a bound, commands, index, state)
    first = (len(eager) + bound(start), -len(eager)) if bound else (len(eager), 0)
    heap: list[tuple[int, int, int, int, WorldState]] = [(*first, len(eager), 0, start)]
    stopped = ""
    first_won, found_s = None, None
    bar = _progress_bar(progress)
    transitions = 0
    while heap and not impossible:
        if len(search.via) >= max_states:
            stopped = f"stopped at the state limit ({max_states} states)"
            break
        if time.perf_counter() - started > max_seconds:
            stopped = f"stopped at the time limit ({max_seconds:g} s)"
            break
        _, _, cost, index, state = heapq.heappop(heap)
        if cost > search.cost[index]:  # a stale entry: a cheaper way here was found since
            continue
        if state.outcome != "playing":
            if state.outcome == "won" and first_won is None:
                first_won, found_s = index, time.perf_counter() - started
            continue
        search.engine.state = state
        for action in search.scope.actions(search.engine):
            search.engine.state = state
            if search.engine.perform(action).refused:
                continue
            transitions += 1
            after, eager = search.closure(search.engine.state)
            step = (action, *eager)
            target, better = search.add(after, index, step, cost + len(step))
            search.edges_from.append(index)
            search.edges_to.append(target)
            if better:
                new = cost + len(step)
                heapq.heappush(heap, (new + bound(after), -new, new, target, after) if bound else
                               (new, 0, new, target, after))
        if bar is not None:
            bar.update(len(search.via) - bar.n)
    if bar is not None:
        bar.close()
    won = [i for i in range(len(search.via)) if search.outcome[i] == 1]
    win_at = min(won, key=lambda i: search.cost[i]) if won else None
    result = SolveResult(
        story_id=story.id, complete=not stopped, stopped=stopped, states=len(search.via), transitions=transitions,
        seconds=0.0, exhaustive=exhaustive,
        win=[command(story, a) for a in shorten(story, search.actions(win_at))] if win_at is not None else None,
        walkthrough_len=len(story.walkthrough), softlocks=0, impossible=impossible,
        shortest_proved=win_at is not None and (not stopped or first_won is not None), spoiled=search.scope.spoiled,
        win_found_s=found_s)
    _losses(search, result)
    if result.complete and not impossible:
        _softlocks(search, result)
        result.unreached_rooms = [r.id for r in story.rooms if r.id not in search.rooms]
        result.unreached_items = [i.id for i in story.items if i.id not in search.items_seen and not _starts_gone(i)]
        result.unsolved_riddles = [r.id for r in story.riddles if r.id not in search.solved]
    result.seconds = time.perf_counter() - started
    return result


def _starts_gone(item) -> bool:
    return item.location == "nowhere"  # a meal or a bought-in thing appears later; judged by being carried


def _progress_bar(show: bool):
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(unit="state", file=sys.stderr, delay=1.0, mininterval=0.5, desc="solving", disable=None)


def _softlocks(search: _Search, result: SolveResult) -> None:
    """Backward from the won states over the edges seen; playing states never marked are softlocks."""
    n = len(search.via)
    incoming: list[list[int]] = [[] for _ in range(n)]
    for src, dst in zip(search.edges_from, search.edges_to):
        incoming[dst].append(src)
    can_win = bytearray(n)
    stack = [i for i in range(n) if search.outcome[i] == 1]
    for i in stack:
        can_win[i] = 1
    while stack:
        for src in incoming[stack.pop()]:
            if not can_win[src]:
                can_win[src] = 1
                stack.append(src)
    stuck = [i for i in range(n) if search.outcome[i] == 0 and not can_win[i]]
    result.softlocks = len(stuck)
    groups: dict[str, list[int]] = {}
    stuck_set = set(stuck)
    for i in stuck:  # grouped by the command that first led into a softlock (states in BFS order: shortest first)
        entry = i
        while search.parent[entry] in stuck_set:
            entry = search.parent[entry]
        label = command(search.story, search.via[entry][0]) if entry > 0 else "(the start)"
        groups.setdefault(label, []).append(i)
    result.softlock_groups = sorted((Group(label, len(ids), search.path(ids[0])) for label, ids in groups.items()),
                                    key=lambda g: (len(g.path), g.label))


def _losses(search: _Search, result: SolveResult) -> None:
    by_ending: dict[str, list[int]] = {}
    lost = {i for i in range(len(search.via)) if search.outcome[i] == 2}
    for i in sorted(lost):
        label = command(search.story, search.via[i][0])
        by_ending.setdefault(label, []).append(i)
    result.losses = len(lost)
    result.risky_states = len({src for src, dst in zip(search.edges_from, search.edges_to) if dst in lost})
    result.loss_groups = sorted((Group(label, len(ids), search.path(ids[0])) for label, ids in by_ending.items()),
                                key=lambda g: (len(g.path), g.label))
