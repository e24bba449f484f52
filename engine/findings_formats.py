"""`parley check` findings for machines: GitHub workflow annotations and SARIF 2.1.0.

- `github_annotations`: one `::error file=F,line=L,col=C,title=CODE::MESSAGE` line per
  finding (warnings `::warning`, info `::notice`), which a GitHub Actions step turns into
  annotations on the pull request's files.
- `sarif_log`: a SARIF 2.1.0 log (OASIS), the format code-scanning pages read: one run, the
  catalogue's codes as rules, one result per finding with its file, line and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from engine.diagnostics import CODES, Diagnostic, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"

_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF are escaped (the runner's own rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: also ':' and ','."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _full_message(d: Diagnostic) -> str:
    return f"{d.message}\nhint: {d.hint}" if d.hint else d.message


def github_annotations(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one line per finding (ends with a newline)."""
    lines: list[str] = []
    for d in diagnostics:
        props = [f"file={_escape_property(d.location.file)}"]
        if d.location.line > 0:
            props.append(f"line={d.location.line}")
            if d.location.col > 0:
                props.append(f"col={d.location.col}")
        props.append(f"title={_escape_property(f'{d.code} {_title(d.code)}'.strip())}")
        command = _GITHUB_COMMAND[d.level]
        lines.append(f"::{command} {','.join(props)}::{_escape_data(_full_message(d))}")
    return "".join(line + "\n" for line in lines)


def _title(code: str) -> str:
    info = CODES.get(code)
    return info.title if info else ""


def _uri(file: str) -> str:
    """A SARIF artifact URI: relative paths stay relative (forward slashes, escaped)."""
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(PurePosixPath(*path.parts).as_posix())


def sarif_log(
    diagnostics: Sequence[Diagnostic], tool_version: str, docs_uri: str | None = None
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of the findings (a dict ready for json.dumps)."""
    used = sorted({d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(used)}
    rules = []
    for code in used:
        info = CODES.get(code)
        rule: dict[str, Any] = {
            "id": code,
            "name": code,
            "shortDescription": {"text": info.title if info else code},
            "defaultConfiguration": {
                "level": _SARIF_LEVEL[info.severity if info else Severity.ERROR]
            },
        }
        if docs_uri:
            rule["helpUri"] = f"{docs_uri}#{code.lower()}"
        rules.append(rule)
    results = []
    for d in diagnostics:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(d.location.file)}}
        if d.location.line > 0:
            region: dict[str, int] = {"startLine": d.location.line}
            if d.location.col > 0:
                region["startColumn"] = d.location.col
            physical["region"] = region
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": _SARIF_LEVEL[d.level],
                "message": {"text": _full_message(d)},
                "locations": [{"physicalLocation": physical}],
            }
        )
    driver: dict[str, Any] = {"name": "parley", "version": tool_version, "rules": rules}
    if docs_uri:
        driver["informationUri"] = docs_uri
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
        ],
    }
