"""The solver's findings as text for an author and as JSON, and the exit code `story check --solve` returns.

Exit codes (`exit_code`): 0 a win exists and no reachable state is a softlock; 3 the search hit a
limit (nothing proved); 4 no win is reachable; 5 softlocks were found. (1 and 2 keep their meaning
for every `story check`: an invalid story, an unreadable file.)

A search cut short never says "solvable" or "no softlocks": it says what it found and that it stopped.
A win is called the shortest only when the search proved it (complete, or A* took it from its queue
before stopping: game.solver.search). Where moves that spoil a recipe's meal were not tried (game.solver.recipe)
the report says that losses and softlocks only they reach are not reported.

Left out: the search itself (game.solver.search) and colour.
"""
from __future__ import annotations

from game.solver.search import Group, SolveResult

EXIT_OK, EXIT_INCOMPLETE, EXIT_NO_WIN, EXIT_SOFTLOCK = 0, 3, 4, 5
SHOWN_GROUPS = 8  # softlock and loss groups listed; all are counted


def exit_code(result: SolveResult) -> int:
    if result.impossible or (result.complete and result.win is None):
        return EXIT_NO_WIN
    if not result.complete:
        return EXIT_INCOMPLETE
    return EXIT_SOFTLOCK if result.softlocks else EXIT_OK


def verdict(result: SolveResult) -> str:
    if result.impossible:
        return "NO WIN: " + "; ".join(result.impossible)
    if not result.complete:
        found = (f"a {'shortest ' if result.shortest_proved else ''}win of {len(result.win)} commands was found, "
                 if result.win else "no win found yet, ")
        return f"INCOMPLETE: {result.stopped}; {found}softlocks unknown (raise --max-states / --max-seconds)"
    if result.win is None:
        return f"NO WIN: none of the {result.states} reachable states is won"
    if result.softlocks:
        return f"SOFTLOCKS: {result.softlocks} reachable states can no longer win"
    if result.spoiled:  # the states after a spoiling move can never win: losses or softlocks, not searched
        return ("solvable; no softlocks among the states searched (moves that spoil the meal were not followed: "
                "each leads only to a loss or a softlock)")
    return "solvable, and winnable from every reachable state (no softlocks)"


def _groups(title: str, groups: list[Group], total: int) -> list[str]:
    lines = [f"{title}: {total} states, entered by {len(groups)} different commands"]
    for group in groups[:SHOWN_GROUPS]:
        lines.append(f"  after '{group.label}' ({group.count} states); shortest way in ({len(group.path)}): "
                     + "; ".join(group.path))
    if len(groups) > SHOWN_GROUPS:
        lines.append(f"  ... and {len(groups) - SHOWN_GROUPS} more (all counted above)")
    return lines


def report_lines(name: str, result: SolveResult) -> list[str]:
    mode = "every engine action" if result.exhaustive else "relevant actions, eager moves: game.solver.scope"
    lines = [f"{name}: {verdict(result)}",
             f"  searched {result.states} states, {result.transitions} moves in {result.seconds:.1f} s ({mode})"]
    if result.win is not None:
        walk = result.walkthrough_len
        compare = ""
        if walk:
            compare = (f"; the story's walkthrough is longer ({walk})" if walk > len(result.win) else
                       f"; the story's walkthrough is {walk}")
        shortest = ("shortest win" if result.complete else
                    "shortest win (proved by A* before the search stopped)" if result.shortest_proved else
                    "a win (the search stopped; may not be the shortest)")
        lines.append(f"  {shortest}: {len(result.win)} commands{compare}")
        lines.append("    " + "; ".join(result.win))
    if result.spoiled:
        lines.append(f"  not tried: {result.spoiled} moves that spoil the meal the win needs (cooking or cutting an "
                     "ingredient other than the recipe says, eating it; cooking or cutting the meal when no win "
                     "asks for it); losses and softlocks reachable only through them are not reported")
    if result.softlocks and result.win is not None:  # with no win at all, every state is one: not listed
        lines += ["  " + line for line in _groups("softlocks", result.softlock_groups, result.softlocks)]
    if result.losses:
        lines += ["  " + line for line in _groups("losing", result.loss_groups, result.losses)]
        lines.append(f"  {result.risky_states} playing states are one command from losing")
    if result.complete and not result.impossible:
        for label, ids in (("rooms never reached", result.unreached_rooms),
                           ("items never reached", result.unreached_items),
                           ("riddles never answered", result.unsolved_riddles)):
            if ids:
                lines.append(f"  {label}: {', '.join(ids)}")
    return lines


def to_dict(result: SolveResult) -> dict:
    def groups(items: list[Group]) -> list[dict]:
        return [{"after": g.label, "states": g.count, "path": g.path} for g in items]

    return {
        "story": result.story_id, "complete": result.complete, "stopped": result.stopped or None,
        "solvable": result.solvable, "states": result.states, "transitions": result.transitions,
        "seconds": round(result.seconds, 2), "exhaustive": result.exhaustive, "win": result.win,
        "win_len": len(result.win) if result.win is not None else None, "walkthrough_len": result.walkthrough_len,
        "softlocks": result.softlocks if result.complete else None, "softlock_groups": groups(result.softlock_groups),
        "losses": result.losses, "loss_groups": groups(result.loss_groups), "risky_states": result.risky_states,
        "unreached_rooms": result.unreached_rooms, "unreached_items": result.unreached_items,
        "unsolved_riddles": result.unsolved_riddles, "impossible": result.impossible,
        "shortest_proved": result.shortest_proved, "spoiling_moves_not_tried": result.spoiled,
        "win_found_s": round(result.win_found_s, 2) if result.win_found_s is not None else None,
        "exit_code": exit_code(result),
    }


def check_and_solve(names: list[str], *, max_states: int, max_seconds: float, exhaustive: bool = False) -> int:
    """`adventure story check --solve`: check each story, then search it; the highest exit code of them all."""
    import sys

    from game.solver.search import solve
    from game.stories.loader import StoryInvalid
    from game.textworld.story_files import open_story

    worst = 0
    for name in names:
        try:
            story = open_story(name)
        except StoryInvalid as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            worst = max(worst, 1)
            continue
        except OSError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            worst = max(worst, 2)
            continue
        result = solve(story, max_states=max_states, max_seconds=max_seconds, exhaustive=exhaustive, progress=True)
        print("\n".join(report_lines(name, result)))
        worst = max(worst, exit_code(result))
    return worst
