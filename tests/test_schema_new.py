"""`parley schema` and `parley new`: editor support, and a starter that passes --strict."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.schema import ScenarioDoc
from simulator.cli.main import main

ROOT = Path(__file__).parent.parent
SCHEMA_LINE = "# yaml-language-server: $schema=./parley.schema.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err


def _properties(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            found.append((f"{path}/{key}", value))
        for key, value in node.items():
            found += _properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _properties(value, f"{path}/{i}")
    return found


def _resolve(schema: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = schema
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node  # type: ignore[no-any-return]


def test_schema_command_prints_the_model_schema(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "schema")
    assert status == 0
    schema = json.loads(out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["title"] == "Parley scenario (format 1)"
    assert set(schema["required"]) == {
        name for name, f in ScenarioDoc.model_fields.items() if f.is_required()
    }
    # every key an author can write has a description (shown on hover in the editor)
    props = _properties(schema)
    assert len(props) > 40
    undocumented = [p for p, v in props if not v.get("description")]
    assert undocumented == []
    # unknown keys are refused, as the loader refuses them: completion lists exactly these
    node = _resolve(schema, "#/$defs/NodeDoc")
    assert node["additionalProperties"] is False
    assert set(node["properties"]) == {
        "speaker",
        "text",
        "narration",
        "choices",
        "next",
        "ending",
        "effects",
        "model",
        "shuffle",
    }
    # every $ref resolves
    text = json.dumps(schema)
    for ref in {r.split('"')[0] for r in text.split('"$ref": "')[1:]}:
        assert isinstance(_resolve(schema, ref), dict), ref


def test_bundled_schema_file_is_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "schema")
    committed = (ROOT / "docs" / "parley.schema.json").read_text(encoding="utf-8")
    assert committed == out, "regenerate it: parley schema -o docs/parley.schema.json"


def test_schema_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "s.json"
    status, out, err = run(capsys, "schema", "-o", str(target))
    assert status == 0 and out == "" and str(target) in err
    assert json.loads(target.read_text())["title"] == "Parley scenario (format 1)"


def test_new_writes_a_starter_that_passes_strict_and_plays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mine"
    status, out, _ = run(capsys, "new", "sponsor-talk", "--dir", str(folder))
    assert status == 0 and "wrote" in out
    scenario = folder / "sponsor-talk.yaml"
    lines = scenario.read_text(encoding="utf-8").splitlines()
    assert lines[0] == SCHEMA_LINE
    assert "id: sponsor-talk" in lines
    schema = json.loads((folder / "parley.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Parley scenario (format 1)"

    status, out, _ = run(capsys, "check", "--strict", str(folder))
    assert status == 0, out
    assert out.rstrip().endswith("checked 1 file: 0 errors, 0 warnings")

    status, out, _ = run(capsys, "play", str(scenario), "--choices", "ask,options", "--json")
    assert status == 0
    assert json.loads(out)["outcome"] == "success"
    status, out, _ = run(capsys, "play", str(scenario), "--choices", "blame", "--json")
    assert json.loads(out)["outcome"] == "failure"


def test_new_refuses_bad_ids_and_overwriting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "new", "Bad_Id", "--dir", str(tmp_path))
    assert status == 2 and "lowercase letters" in err
    assert not list(tmp_path.iterdir())
    assert run(capsys, "new", "one", "--dir", str(tmp_path))[0] == 0
    (tmp_path / "one.yaml").write_text("# mine\n")
    status, _, err = run(capsys, "new", "one", "--dir", str(tmp_path))
    assert status == 2 and "already exists" in err
    assert (tmp_path / "one.yaml").read_text() == "# mine\n"
    assert run(capsys, "new", "one", "--dir", str(tmp_path), "--force")[0] == 0
    assert (tmp_path / "one.yaml").read_text().startswith(SCHEMA_LINE)


@pytest.mark.parametrize("framework", ["grow", "sbi", "principled"])
def test_new_with_another_framework_scores_its_dimensions_and_passes_strict(
    tmp_path: Path, framework: str
) -> None:
    from tests.cli import parley

    made = parley("new", "demo", "--framework", framework, "--dir", str(tmp_path))
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "demo.yaml").read_text(encoding="utf-8")
    assert f"framework: {framework} " in text and f"        {framework}: {{ " in text
    checked = parley("check", "--strict", str(tmp_path / "demo.yaml"))
    assert checked.returncode == 0, checked.stdout


def test_new_with_an_unknown_framework_names_the_bundled_ones(tmp_path: Path) -> None:
    from tests.cli import parley

    out = parley("new", "demo", "--framework", "nope", "--dir", str(tmp_path))
    assert out.returncode == 2
    assert "no framework 'nope' (bundled: grow, principled, sbi, sore" in out.stderr
    assert not (tmp_path / "demo.yaml").exists()
