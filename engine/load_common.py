"""What loading a scenario or a framework shares: reading the bytes, the bounded YAML pass,
turning pydantic's validation errors into Diagnostics with file:line, and Text values.

Split from engine.loader, which holds the scenario passes; engine.framework_loader holds
frameworks.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.diagnostics import Diagnostic
from engine.errors import Location, ScenarioLoadError
from engine.model import (
    Text,
)
from engine.safefile import NotAFile, TooLarge, read_capped
from engine.schema import TextValue
from engine.yamlhints import comma_key_hint
from engine.yamlsafe import MAX_BYTES, PathKey, SourceMap, YamlProblem, read_yaml

# ---------------------------------------------------------------- helpers


def source_key(path: PathKey) -> str:
    """The key of Scenario.source_lines for a key path, e.g. 'nodes/opening/text'."""
    return "/".join(str(p) for p in path)


def _suggest(word: str, candidates: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _fields_at(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str] | None:
    """The keys allowed at `path` inside `model` (for did-you-mean)."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
            continue
        origin = typing.get_origin(current)
        args = typing.get_args(current)
        if origin in (list, dict) and args:
            current = args[-1]
            continue
        return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(tp) if a is not type(None)]
        for a in models:
            if isinstance(a, type) and issubclass(a, BaseModel):
                return a
        return models[0] if models else tp
    if origin is typing.Annotated:
        return typing.get_args(tp)[0]
    return tp


def _pydantic_diagnostics(
    exc: ValidationError, smap: SourceMap, model: type[BaseModel]
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple[PathKey, str]] = set()
    errors = exc.errors()
    # a misspelt required key is reported once, as the unknown key with its did-you-mean
    misspelt: set[PathKey] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            close = difflib.get_close_matches(
                str(loc[-1]), _fields_at(model, loc[:-1]) or [], n=1, cutoff=0.6
            )
            if close:
                misspelt.add((*loc[:-1], close[0]))
    for err in errors:
        loc = tuple(err["loc"])
        kind = err["type"]
        if (loc, kind) in seen or (kind == "missing" and loc in misspelt):
            continue
        seen.add((loc, kind))
        where = ".".join(str(p) for p in loc) or "(top level)"
        if kind == "extra_forbidden":
            key = str(loc[-1])
            allowed = _fields_at(model, loc[:-1]) or []
            hint = (
                comma_key_hint(key, err.get("input"))
                or _suggest(key, allowed)
                or (f"allowed here: {', '.join(allowed)}" if allowed else None)
            )
            out.append(
                Diagnostic(
                    "P110",
                    f"unknown key '{key}' in {where.rsplit('.', 1)[0] if len(loc) > 1 else 'the top level'}",
                    smap.key(loc),
                    hint,
                )
            )
        elif kind == "missing":
            parent = loc[:-1]
            out.append(
                Diagnostic(
                    "P111",
                    f"missing required key '{loc[-1]}'"
                    + (f" in {'.'.join(str(p) for p in parent)}" if parent else ""),
                    smap.key(parent) if parent else Location(smap.file, 1, 1),
                )
            )
        elif kind == "literal_error" and loc == ("format",):
            out.append(
                Diagnostic(
                    "P113",
                    f"format must be 1 (this engine reads format 1), not {err.get('input')!r}",
                    smap.value(loc),
                )
            )
        else:
            # a value that fits no member of a union (a flag's bool | int | float | str):
            # pydantic reports once per member, under the member's name; say it once
            member = loc[-1] if loc and not smap.has_value(loc) else None
            if isinstance(member, str) and member in _UNION_MEMBERS:
                here = loc[:-1]
                if (here, "union") in seen:
                    continue
                seen.add((here, "union"))
                out.append(
                    Diagnostic(
                        "P114",
                        f"{'.'.join(str(p) for p in here)}: expected true/false, a number "
                        f"or a text (got {_short(err.get('input'))})",
                        smap.value(here),
                    )
                )
                continue
            msg = str(err["msg"]).removeprefix("Value error, ")
            out.append(
                Diagnostic(
                    "P112", f"{where}: {msg} (got {_short(err.get('input'))})", smap.value(loc)
                )
            )
    return out


_UNION_MEMBERS = frozenset({"bool", "int", "float", "str"})


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _read(path: Path) -> bytes:
    """The file's bytes: a regular file only, never more than the size cap (+1 byte)."""
    where = Location(str(path))
    try:
        return read_capped(path, MAX_BYTES)
    except FileNotFoundError:
        raise ScenarioLoadError(
            [Diagnostic("P100", "file not found", where, "check the path")]
        ) from None
    except NotAFile as exc:
        raise ScenarioLoadError(
            [Diagnostic("P100", f"{exc.kind}, not a scenario file", where, "give a .yaml file")]
        ) from None
    except TooLarge:
        raise ScenarioLoadError(
            [
                Diagnostic(
                    "P102",
                    f"file is larger than the limit of {MAX_BYTES:,} bytes",
                    Location(str(path), 1, 1),
                    "split the scenario or remove pasted binary data",
                )
            ]
        ) from None
    except OSError as exc:
        raise ScenarioLoadError(
            [Diagnostic("P100", f"cannot read the file: {exc.strerror or exc}", where)]
        ) from None


def _parse(data: bytes, file: str) -> tuple[dict[str, Any], SourceMap]:
    try:
        value, smap = read_yaml(data, file)
    except YamlProblem as exc:
        raise ScenarioLoadError([exc.diagnostic]) from None
    if not isinstance(value, dict):
        kind = type(value).__name__ if value is not None else "nothing"
        raise ScenarioLoadError(
            [
                Diagnostic(
                    "P107",
                    f"the top level must be a mapping of keys (format:, id:, ...), not {kind}",
                    Location(file, 1, 1),
                    "start from `parley new ID` or see docs/authoring.md",
                )
            ]
        )
    return value, smap


def _text(value: TextValue | None, language: str) -> Text | None:
    if value is None:
        return None
    if isinstance(value, str):
        return Text({language: value}, language)
    return Text(dict(value), language)


def _choice_ids(nid: str, choices: Iterable[Any]) -> tuple[str, ...]:
    """The ids of a node's choices (`id`, else '<node>.<n>')."""
    return tuple(ch.id if ch.id is not None else f"{nid}.{i + 1}" for i, ch in enumerate(choices))
