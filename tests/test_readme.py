"""The README is also the package index page: its links must work there (absolute or none),
and its first command is the real install."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_has_no_relative_links() -> None:
    links = re.findall(r"\]\(([^)]*)\)", README) + re.findall(r'(?:src|href)="([^"]*)"', README)
    assert [link for link in links if not re.match(r"https?://", link)] == []


def test_readme_first_command_installs_the_tool_not_an_editable_checkout() -> None:
    first = re.search(r"```sh\n(.*?)\n```", README, re.S)
    assert first is not None
    assert "install ." in first.group(1) and "-e" not in first.group(1).split()
