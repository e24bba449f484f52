"""`parley check --format github` (workflow annotations) and `--format sarif` (SARIF 2.1.0)."""

from __future__ import annotations

import json
from pathlib import Path

from engine.diagnostics import Diagnostic
from engine.errors import Location
from engine.findings_formats import github_annotations, sarif_log
from tests.cli import parley

CHECK = Path("tests") / "fixtures" / "check"


def test_github_format_annotates_the_line_and_column_with_code_and_hint() -> None:
    out = parley("check", "--format", "github", str(CHECK / "err_condition_name.yaml"))
    assert out.returncode == 1
    assert out.stdout == (
        "::error file=tests/fixtures/check/err_condition_name.yaml,line=38,col=15,"
        "title=P131 condition names an unknown name::unknown name 'trsut'%0A"
        "hint: did you mean 'trust'?\n"
    )
    assert "1 error" in out.stderr  # the summary stays out of the annotations


def test_github_format_gives_warnings_as_warnings() -> None:
    out = parley("check", "--format", "github", str(CHECK / "warn_no_feedback.yaml"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines and all(line.startswith("::warning file=") for line in lines)


def test_github_format_escapes_what_would_break_the_command() -> None:
    d = Diagnostic("P101", "100% wrong:\nsee", Location("odd,name:1.yaml", 3, 0), hint=None)
    assert github_annotations([d]) == (
        "::error file=odd%2Cname%3A1.yaml,line=3,title=P101 YAML syntax error::100%25 wrong:%0Asee\n"
    )
    no_place = Diagnostic("P100", "file not found", Location("gone.yaml"))
    assert github_annotations([no_place]).startswith("::error file=gone.yaml,title=P100 ")


def test_sarif_format_holds_every_finding_of_the_json_format() -> None:
    as_json = parley("check", "--format", "json", str(CHECK))
    as_sarif = parley("check", "--format", "sarif", str(CHECK))
    assert as_sarif.returncode == as_json.returncode == 1
    findings = json.loads(as_json.stdout)
    log = json.loads(as_sarif.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "parley" and driver["version"]
    rules = driver["rules"]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    got = []
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        place = result["locations"][0]["physicalLocation"]
        region = place.get("region", {})
        got.append(
            (
                place["artifactLocation"]["uri"],
                region.get("startLine", 0),
                region.get("startColumn", 0),
                result["ruleId"],
                result["level"],
                result["message"]["text"].split("\nhint: ")[0],
            )
        )
    want = [
        (f["file"], f["line"], f["col"], f["code"], levels[f["severity"]], f["message"])
        for f in findings
    ]
    assert got == want and len(got) > 10
    assert {r["id"] for r in rules} == {f["code"] for f in findings}


def test_sarif_uris_are_relative_with_forward_slashes_or_file_uris() -> None:
    rel = Diagnostic("P101", "x", Location("sub dir/a b.yaml", 1, 1))
    absolute = Diagnostic("P101", "x", Location("/tmp/a.yaml", 1, 1))
    results = sarif_log([rel, absolute], "0")["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == ["sub%20dir/a%20b.yaml", "file:///tmp/a.yaml"]
