"""`parley schema`: the JSON Schema of scenario format v1 (for editors)."""

from __future__ import annotations

import json

import click

from engine.schema import scenario_json_schema
from simulator.cli.common import emit


def schema_text() -> str:
    """The schema as written to files: sorted, indented, ending in a newline."""
    return json.dumps(scenario_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@click.command("schema")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the schema to this file instead of printing it.",
)
def command(output: str | None) -> None:
    """Print the JSON Schema of the scenario format (version 1).

    Editors with a YAML language server (VS Code's YAML extension) use it for completion
    and inline errors: put `# yaml-language-server: $schema=PATH` on a scenario's first
    line. It is generated from the engine's own model, so it never drifts from the loader.
    """
    text = schema_text()
    emit(text, output)
