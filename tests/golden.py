"""Golden outputs of the rules: what `parley play --json` and `parley autoplay` print.

Recorded before the rules kernel (issue #12) was restructured, and diffed by
tests/test_golden.py, so "the game plays exactly as before" is a test, not a promise.

For every bundled scenario, every loadable fixture scenario in tests/fixtures (and
tests/fixtures/check) and a few generated stories (bench/gen_scenario.py), it records:
- `play --json` along several choice paths: the first offered choice each turn, the last
  one, and two seeded random paths (the path is worked out with `Conversation` and saved
  with the output, so a changed rule shows in both);
- `autoplay --seed 7 --runs 300 --json` and `autoplay --exhaustive --json`.

Regenerate after an intended change of content, scoring or rules (then review the diff):

    python -m tests.golden --write
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
MAX_TURNS = 60  # a path that has not ended by then stops (loops exist in fixtures)
# (nodes, seed, loops) of bench/gen_scenario.py stories; the looping ones are small enough
# that the explorer of round 1 settled their extremes exactly (so they check the new one)
GENERATED = ((60, 1, 0.0), (120, 2, 0.0), (250, 3, 0.0), (60, 4, 0.3), (250, 4, 0.1))


def sources(workdir: Path) -> Iterator[tuple[str, Path]]:
    """(golden name, scenario file) for every scenario the goldens cover."""
    from engine.errors import ParleyError
    from engine.loader import load_scenario

    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        yield f"scenarios-{path.stem}", path
    fixtures = ROOT / "tests" / "fixtures"
    for path in sorted([*fixtures.glob("*.yaml"), *(fixtures / "check").glob("*.yaml")]):
        try:
            load_scenario(path)
        except ParleyError:
            continue  # a fixture that is meant not to load
        rel = path.relative_to(fixtures).with_suffix("")
        yield "fixtures-" + "-".join(rel.parts), path
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from gen_scenario import generate, to_yaml
    finally:
        sys.path.pop(0)
    for nodes, seed, loops in GENERATED:
        name = f"generated-{nodes}-{seed}" + (f"-loops{loops}" if loops else "")
        out = workdir / f"{name}.yaml"
        out.write_text(to_yaml(generate(nodes, seed=seed, loops=loops)), encoding="utf-8")
        yield name, out


def _path(scenario_file: Path, pick: str) -> list[str]:
    """Choice ids of one play: always the first / last offered choice, or seeded random."""
    from engine.conversation import Conversation
    from engine.loader import load_scenario

    conv = Conversation(load_scenario(scenario_file))
    rng = random.Random(pick)
    out: list[str] = []
    while len(out) < MAX_TURNS:
        offered = conv.offered()
        if not offered:
            break
        if pick == "first":
            ch = offered[0]
        elif pick == "last":
            ch = offered[-1]
        else:
            ch = rng.choice(offered)
        conv.choose(ch.id)
        out.append(ch.id)
    return out


_SPEED = re.compile(r'("(?:runs|choices)_per_s": )[0-9.e+-]+')


def _run(*args: str) -> str:
    """What `parley ARGS` prints, with speed figures (machine-dependent) blanked."""
    from simulator.cli.main import cli

    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return f"exit {result.exit_code}\n" + _SPEED.sub(r"\1<speed>", result.output)


def outputs(scenario_file: Path) -> dict[str, str]:
    """Golden file suffix -> text, for one scenario file."""
    f = str(scenario_file)
    out: dict[str, str] = {}
    for pick in ("first", "last", "random-1", "random-2"):
        choices = _path(scenario_file, pick)
        text = _run("play", f, "--choices", ",".join(choices), "--json")
        out[f"play-{pick}.txt"] = "choices " + json.dumps(choices) + "\n" + text
    out["autoplay-seed7.txt"] = _run("autoplay", f, "--seed", "7", "--runs", "300", "--json")
    out["exhaustive.txt"] = _run("autoplay", f, "--exhaustive", "--json")
    return out


def generate_all(workdir: Path) -> dict[str, str]:
    """Relative golden path -> text for everything covered."""
    out: dict[str, str] = {}
    for name, path in sources(workdir):
        for suffix, text in outputs(path).items():
            out[f"{name}/{suffix}"] = text.replace(str(workdir), "<generated>")
    return out


def main(argv: list[str] | None = None) -> int:
    import tempfile

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite tests/golden")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        got = generate_all(Path(tmp))
    if not args.write:
        print(f"{len(got)} outputs (use --write to store them)")
        return 0
    for old in GOLDEN.glob("*/*.txt"):
        old.unlink()
    for rel, text in got.items():
        target = GOLDEN / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {len(got)} golden outputs to {GOLDEN}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
