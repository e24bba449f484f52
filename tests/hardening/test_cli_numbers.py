"""Every numeric option is bounded: a huge or negative number is a usage error at once,
not gigabytes of planning (#16 class 7). The numbers are generated."""

from __future__ import annotations

import random

from click.testing import CliRunner

from simulator.cli.main import cli

NUMERIC = [
    ("autoplay", "budget-cut", "--runs"),
    ("autoplay", "budget-cut", "--jobs"),
    ("autoplay", "budget-cut", "--seed"),
    ("autoplay", "budget-cut", "--max-states"),
    ("autoplay", "budget-cut", "--max-turns"),
    ("check", "scenarios/budget-cut.yaml", "--max-states"),
    ("check", "scenarios/budget-cut.yaml", "--max-seconds"),
    ("serve", "budget-cut", "--max-sessions"),
    ("serve", "budget-cut", "--port"),
    ("play", "budget-cut", "--seed"),
]


def _hostile_numbers(rng: random.Random) -> list[str]:
    huge = "9" * rng.randint(21, 5000)
    return [huge, "-" + huge, str(-rng.randint(1, 10**6)), f"1e{rng.randint(30, 400)}"]


def test_out_of_range_numbers_are_usage_errors() -> None:
    rng = random.Random(7)
    runner = CliRunner()
    for command, target, option in NUMERIC:
        for value in _hostile_numbers(rng):
            result = runner.invoke(cli, [command, target, option, value])
            assert result.exit_code == 2, (command, option, value[:30], result.output[-300:])
            assert "Invalid value" in result.output, result.output[-300:]
