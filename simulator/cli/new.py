"""`parley new ID`: a starter scenario that passes `parley check --strict`."""

from __future__ import annotations

import re
from pathlib import Path

import click

from simulator.cli.common import complete_framework
from simulator.cli.schema import schema_text

SCHEMA_FILE = "parley.schema.json"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

STARTER = """\
# yaml-language-server: $schema=./{schema}
# A Parley scenario (format 1). The guide: docs/authoring.md.
# Check it as you go:   parley check --strict {file}
# Play it headless:     parley play {file} --choices ask,options
format: 1
id: {id}
title: {title}
summary: >
  One or two sentences that set the scene: who you are talking to, what is at
  stake, and how long you have.
tags: [practice]
difficulty: 1                # 1 (gentle) .. 3 (hard)
language: en                 # the language of plain strings
framework: {fw}{fw_pad}# feedback framework: scores go under `{fw}:`
objectives:                  # 2-4: what the conversation practises (shown before turn 1)
  - Ask before you advise.
  - Say what you recommend, and why.
reflection:                  # 2-3 questions shown after the debrief
  - What did Alex need to hear before agreeing?
  - What would you say differently next time?

characters:
  you: {{ name: Sam, role: Project Manager }}          # `you` is always the player
  alex: {{ name: Alex Berg, role: Head of Operations }}

trust:                       # how far Alex trusts you, 0..100
  start: 50

start: opening               # the first node

nodes:
  opening:
    speaker: alex
    text: "The release slipped again. Tell me why I shouldn't escalate this."
    choices:
      - id: blame
        text: "The vendor let us down. It's out of my hands."
        effects: {{ trust: -10 }}
        {scores_blame}
        feedback: "Blame closes the conversation: Alex hears no facts and no plan."
        to: escalates
      - id: ask
        text: "Fair question. Can I give you the facts in two minutes, then a way forward?"
        effects: {{ trust: +10 }}
        {scores_ask}
        feedback: "You asked for room to set out the situation before taking a position."
        to: facts

  facts:
    speaker: alex
    text: "Go on, then."
    next:                    # no choices: the conversation moves on by itself
      - when: "trust >= 55"  # the first branch whose `when` holds wins
        to: listening
      - to: escalates        # the last branch has no `when`, so a play never stalls

  listening:
    speaker: alex
    text: "All right. What do you want from me?"
    choices:
      - id: options
        text: "Two options: cut scope and ship on the 3rd, or keep scope and ship on the 10th. I advise the 10th."
        effects: {{ trust: +5, hierarchy: up }}
        {scores_options}
        feedback: "Real options with their trade-offs, and a clear recommendation."
        to: agreed
      - id: vague
        text: "Whatever you think is best."
        effects: {{ trust: -5 }}
        {scores_vague}
        feedback: "Handing the decision back leaves Alex without your judgement."
        to: escalates

  agreed:
    speaker: alex
    text: "The 10th, then. Put it in writing today."
    ending:
      outcome: success       # success | partial | failure
      title: A plan Alex can back
      debrief: "Alex takes your recommendation to the steering group, and the date holds."

  escalates:
    speaker: alex
    text: "I'm taking this to the steering group."
    ending:
      outcome: failure
      title: Escalated
      debrief: "The steering group hears about the slip from Alex, not from you."
"""


# The starter's scores by dimension position (SORE: situation, options, recommendation,
# engagement); another framework's dimensions take the same places.
SCORES: dict[str, tuple[tuple[int, int], ...]] = {
    "blame": ((0, -1), (2, -1), (3, -1)),
    "ask": ((0, 2), (3, 1)),
    "options": ((1, 2), (2, 2)),
    "vague": ((2, -2),),
}


def _scores(framework: str, dims: tuple[str, ...], which: str) -> str:
    given: dict[str, int] = {}
    for position, value in SCORES[which]:
        key = dims[min(position, len(dims) - 1)]
        given.setdefault(key, value)
    inner = ", ".join(f"{k}: {v:+d}" for k, v in given.items())
    return f"{framework}: {{ {inner} }}"


def starter_text(
    scenario_id: str,
    file_name: str,
    framework: str = "sore",
    dims: tuple[str, ...] = ("situation", "options", "recommendation", "engagement"),
) -> str:
    title = scenario_id.replace("-", " ").strip().capitalize() or scenario_id
    return STARTER.format(
        id=scenario_id,
        title=title,
        file=file_name,
        schema=SCHEMA_FILE,
        fw=framework,
        fw_pad=" " * max(1, 17 - len(framework)),
        **{f"scores_{w}": _scores(framework, dims, w) for w in SCORES},
    )


def framework_dimensions(framework: str, folder: Path) -> tuple[str, ...]:
    """The dimension keys of `framework` (beside the scenario in frameworks/, or bundled)."""
    from engine.errors import ParleyError
    from engine.framework_loader import find_framework, load_framework
    from engine.library import bundled_frameworks_dir

    path = find_framework(framework, folder)
    if path is None:
        known = sorted(p.stem for p in bundled_frameworks_dir().glob("*.yaml"))
        raise click.BadParameter(
            f"no framework '{framework}' (bundled: {', '.join(known)}; or put "
            f"{framework}.yaml in {folder / 'frameworks'})",
            param_hint="--framework",
        )
    try:
        dims = tuple(d.key for d in load_framework(path).dimensions)
    except ParleyError as exc:
        raise click.BadParameter(f"{path} does not load: {exc}", param_hint="--framework") from None
    if not dims:
        raise click.BadParameter(f"{path} has no dimensions", param_hint="--framework")
    return dims


@click.command("new")
@click.argument("scenario_id", metavar="ID")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Folder to write ID.yaml (and parley.schema.json) into.",
)
@click.option(
    "--framework",
    default="sore",
    show_default=True,
    shell_complete=complete_framework,
    help="Feedback framework to score against (bundled: sore, grow, sbi, principled).",
)
@click.option("--force", is_flag=True, help="Overwrite ID.yaml if it exists.")
def command(scenario_id: str, directory: str, framework: str, force: bool) -> None:
    """Write a starter scenario ID.yaml that passes `parley check --strict`.

    Its first line points VS Code's YAML extension (and any YAML language server) at
    parley.schema.json, written beside it, for completion and inline errors.
    """
    if not ID_PATTERN.match(scenario_id):
        raise click.BadParameter(
            "use lowercase letters, digits and '-', starting with a letter or digit "
            "(e.g. budget-cut)",
            param_hint="ID",
        )
    folder = Path(directory)
    target = folder / f"{scenario_id}.yaml"
    if target.exists() and not force:
        raise click.UsageError(f"{target} already exists (use --force to overwrite it)")
    dims = framework_dimensions(framework, folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        text = starter_text(scenario_id, str(target), framework, dims)
        target.write_text(text, encoding="utf-8")
        (folder / SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot write into {folder}: {exc.strerror}") from None
    click.echo(f"wrote {target} and {folder / SCHEMA_FILE}")
    click.echo(f"next: parley check --strict {target}")
