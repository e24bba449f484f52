"""`parley lsp`: the language server for scenario files, over stdio."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option("--stdio", is_flag=True, default=True, hidden=True, help="Talk over stdio (default).")
def command(stdio: bool) -> None:
    """Run the Parley language server over stdio, for any editor.

    Diagnostics from the real checker as you type, completion of node and choice ids,
    condition functions, levels, rungs and dimension keys; go to definition, references,
    hover, rename of a node id, and the node outline. Setup for VS Code, Neovim and Helix:
    docs/editors.md.
    """
    from simulator.lsp import run

    run()
