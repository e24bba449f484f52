"""Shell completion (click's _PARLEY_COMPLETE protocol), as bash, zsh and fish ask for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import parley


def complete(words: str, data_dir: Path | None = None) -> list[str]:
    """What bash would be offered after typing `words` (the last word is being completed)."""
    parts = words.split(" ")
    env = {
        "_PARLEY_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1),
    }
    if data_dir is not None:
        env["PARLEY_DATA_DIR"] = str(data_dir)
    out = parley(env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_commands_complete() -> None:
    assert "plain,play" in complete("parley pl")
    assert "plain,check" in complete("parley ch")


def test_bundled_scenario_ids_complete_and_files_still_do() -> None:
    offered = complete("parley play bud")
    assert "plain,budget-cut" in offered
    assert "file,bud" in offered  # a path is still welcome


def test_the_users_own_scenarios_complete(tmp_path: Path) -> None:
    mine = tmp_path / "scenarios"
    mine.mkdir()
    (mine / "my-own-talk.yaml").write_text("format: 1\n", encoding="utf-8")
    assert "plain,my-own-talk" in complete("parley autoplay my", data_dir=tmp_path)


def test_framework_ids_complete() -> None:
    offered = complete("parley new demo --framework ")
    assert {"plain,grow", "plain,sore", "plain,sbi", "plain,principled"} <= set(offered)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_gets_its_script(shell: str) -> None:
    out = parley(env={"_PARLEY_COMPLETE": f"{shell}_source"})
    assert out.returncode == 0, out.stderr
    assert "_PARLEY_COMPLETE" in out.stdout and "parley" in out.stdout
