"""Generated scenario texts for the hardening tests."""

from __future__ import annotations

HEAD = """format: 1
id: {id}
title: Generated
summary: A generated scenario.
characters:
  you: {{name: Sam, role: PM}}
  kim: {{name: Kim, role: Sponsor}}
start: {start}
nodes:
"""


def ending(nid: str) -> str:
    return f"  {nid}:\n    text: Done.\n    ending: {{outcome: success, title: Done, debrief: Done.}}\n"


def flag_maze(flags: int, sid: str = "maze") -> str:
    """One hub whose answers switch `flags` flags on and off: 2**flags states, all reachable;
    the way out needs every flag on."""
    names = [f"f{i}" for i in range(flags)]
    out = [HEAD.format(id=sid, start="hub"), "  hub:\n    text: Go on.\n    choices:\n"]
    for n in names:
        for value in ("true", "false"):
            out.append(
                f"      - text: {n} {value}\n        effects: {{set: {{{n}: {value}}}}}\n"
                "        to: hub\n"
            )
    out.append(f'      - text: out\n        when: "{" and ".join(names)}"\n        to: done\n')
    out.append(ending("done"))
    return "".join(out)


def next_chain(length: int, sid: str = "chain") -> str:
    """A straight chain of `length` nodes joined by `next`, then an ending."""
    out = [HEAD.format(id=sid, start="n0"), "  n0:\n    text: Start.\n    choices:\n"]
    out.append("      - text: go\n        to: n1\n")
    for i in range(1, length):
        out.append(f"  n{i}:\n    text: Step.\n    next:\n      - to: n{i + 1}\n")
    out.append(ending(f"n{length}"))
    return "".join(out)
