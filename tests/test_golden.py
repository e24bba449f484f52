"""The game plays exactly as recorded: `play --json`, `autoplay --seed`, `--exhaustive`.

The recorded outputs live in tests/golden (see tests/golden.py for what they cover).
After an intended change of content, scoring or rules, regenerate them and review the diff:

    python -m tests.golden --write
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.golden import GOLDEN, generate_all


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return generate_all(tmp_path_factory.mktemp("golden"))


def _recorded() -> dict[str, str]:
    return {
        str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8")
        for p in sorted(GOLDEN.glob("*/*.txt"))
    }


def test_the_same_outputs_are_covered(regenerated: dict[str, str]) -> None:
    assert sorted(regenerated) == sorted(_recorded()), (
        "the scenarios covered changed; run `python -m tests.golden --write`"
    )


def test_every_output_is_identical(regenerated: dict[str, str]) -> None:
    recorded = _recorded()
    assert len(recorded) > 100
    changed = [rel for rel, text in regenerated.items() if recorded.get(rel) != text]
    if changed:
        first = changed[0]
        diff = "\n".join(
            difflib.unified_diff(
                recorded.get(first, "").splitlines(),
                regenerated[first].splitlines(),
                f"recorded {first}",
                "now",
                lineterm="",
                n=2,
            )
        )
        pytest.fail(
            f"{len(changed)} golden outputs differ (first: {first}); if intended, run "
            f"`python -m tests.golden --write` and review the diff\n{diff[:4000]}"
        )


def test_goldens_cover_every_path_kind() -> None:
    kinds = {Path(rel).name for rel in _recorded()}
    assert {"play-first.txt", "play-last.txt", "autoplay-seed7.txt", "exhaustive.txt"} <= kinds
