"""`parley lsp`: a language server over stdio (pygls) for scenario files in any editor.

The server is a thin skin over engine.authoring (the index of node and choice ids, completion,
hover) and the real checker (engine.check, through engine.authoring.buffer_diagnostics):
diagnostics are computed on the unsaved buffer, debounced, off the event loop.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import BinaryIO, cast

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from engine import authoring
from engine.diagnostics import Diagnostic, Severity

DEBOUNCE_S = 0.3

_KINDS = {
    "node": t.CompletionItemKind.Reference,
    "choice": t.CompletionItemKind.EnumMember,
    "function": t.CompletionItemKind.Function,
    "keyword": t.CompletionItemKind.Keyword,
    "level": t.CompletionItemKind.Constant,
    "rung": t.CompletionItemKind.Constant,
    "dimension": t.CompletionItemKind.Property,
    "flag": t.CompletionItemKind.Variable,
}
_SEVERITY = {
    Severity.ERROR: t.DiagnosticSeverity.Error,
    Severity.WARNING: t.DiagnosticSeverity.Warning,
    Severity.INFO: t.DiagnosticSeverity.Information,
}


class ParleyServer(LanguageServer):
    """Keeps the last index of each document that parsed, and one pending check per file."""

    def __init__(self) -> None:
        super().__init__("parley-lsp", _version())
        self.last_index: dict[str, authoring.Index] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}


def _version() -> str:
    from simulator import __version__

    return __version__


server = ParleyServer()


def _path_and_dir(uri: str) -> tuple[str, Path | None]:
    path = to_fs_path(uri) or uri
    return path, Path(path).parent if path else None


def _range(line: int, start: int, end: int) -> t.Range:
    return t.Range(t.Position(line, start), t.Position(line, end))


def _lsp_diagnostic(d: Diagnostic, lines: list[str]) -> t.Diagnostic:
    line = max(d.location.line - 1, 0)
    col = max(d.location.col - 1, 0)
    text = lines[line] if line < len(lines) else ""
    end = len(text.rstrip()) if len(text.rstrip()) > col else col + 1
    message = f"{d.message}\nhint: {d.hint}" if d.hint else d.message
    return t.Diagnostic(
        range=_range(line, col, end),
        message=message,
        severity=_SEVERITY.get(d.level, t.DiagnosticSeverity.Error),
        code=d.code,
        source="parley",
    )


async def _check_later(ls: ParleyServer, uri: str, version: int | None) -> None:
    await asyncio.sleep(DEBOUNCE_S)
    doc = ls.workspace.get_text_document(uri)
    text = doc.source
    path, base = _path_and_dir(uri)
    found = await asyncio.get_running_loop().run_in_executor(
        None, authoring.buffer_diagnostics, text, path, base
    )
    lines = text.splitlines()
    ls.text_document_publish_diagnostics(
        t.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=[_lsp_diagnostic(d, lines) for d in found]
        )
    )


def _schedule(ls: ParleyServer, uri: str, version: int | None) -> None:
    old = ls.pending.get(uri)
    if old is not None and not old.done():
        old.cancel()
    ls.pending[uri] = asyncio.ensure_future(_check_later(ls, uri, version))
    ix = authoring.index_text(ls.workspace.get_text_document(uri).source)
    if ix.data is not None:
        ls.last_index[uri] = ix


@server.feature(t.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: ParleyServer, params: t.DidOpenTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, params.text_document.version)


@server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: ParleyServer, params: t.DidChangeTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, params.text_document.version)


@server.feature(t.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: ParleyServer, params: t.DidSaveTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, None)


@server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: ParleyServer, params: t.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.last_index.pop(uri, None)
    ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(
    t.TEXT_DOCUMENT_COMPLETION,
    t.CompletionOptions(trigger_characters=[":", " ", "'", '"']),
)
def completion(ls: ParleyServer, params: t.CompletionParams) -> t.CompletionList:
    uri = params.text_document.uri
    text = ls.workspace.get_text_document(uri).source
    _, base = _path_and_dir(uri)
    found = authoring.complete(
        text,
        params.position.line,
        params.position.character,
        base_dir=base,
        previous=ls.last_index.get(uri),
    )
    items = [
        t.CompletionItem(
            label=c.label, kind=_KINDS.get(c.kind), detail=c.detail or c.kind, sort_text=c.label
        )
        for c in found
    ]
    return t.CompletionList(is_incomplete=False, items=items)


def _index(ls: ParleyServer, uri: str) -> authoring.Index:
    return authoring.index_text(ls.workspace.get_text_document(uri).source)


def _location(uri: str, s: authoring.Symbol) -> t.Location:
    return t.Location(uri=uri, range=_range(s.span.line, s.span.start, s.span.end))


@server.feature(t.TEXT_DOCUMENT_DEFINITION)
def definition(ls: ParleyServer, params: t.DefinitionParams) -> t.Location | None:
    uri = params.text_document.uri
    ix = _index(ls, uri)
    sym = ix.at(params.position.line, params.position.character)
    if sym is None:
        return None
    target = ix.definitions(sym.kind).get(sym.name)
    return _location(uri, target) if target else None


@server.feature(t.TEXT_DOCUMENT_REFERENCES)
def references(ls: ParleyServer, params: t.ReferenceParams) -> list[t.Location]:
    uri = params.text_document.uri
    ix = _index(ls, uri)
    sym = ix.at(params.position.line, params.position.character)
    if sym is None:
        return []
    include = params.context.include_declaration
    return [
        _location(uri, s) for s in ix.occurrences(sym.kind, sym.name) if include or not s.definition
    ]


@server.feature(t.TEXT_DOCUMENT_HOVER)
def hover(ls: ParleyServer, params: t.HoverParams) -> t.Hover | None:
    text = ls.workspace.get_text_document(params.text_document.uri).source
    found = authoring.hover(text, params.position.line, params.position.character)
    if found is None:
        return None
    return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=found))


@server.feature(t.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: ParleyServer, params: t.PrepareRenameParams) -> t.Range | None:
    ix = _index(ls, params.text_document.uri)
    sym = ix.at(params.position.line, params.position.character)
    if sym is None or sym.kind != "node":
        return None
    return _range(sym.span.line, sym.span.start, sym.span.end)


@server.feature(t.TEXT_DOCUMENT_RENAME)
def rename(ls: ParleyServer, params: t.RenameParams) -> t.WorkspaceEdit | None:
    uri = params.text_document.uri
    ix = _index(ls, uri)
    sym = ix.at(params.position.line, params.position.character)
    if sym is None or sym.kind != "node":
        return None
    new = params.new_name.strip()
    if not authoring.valid_id(new):
        raise ValueError(f"'{new}' is not a valid node id (letters, digits, _ and -)")
    if new in ix.definitions("node") and new != sym.name:
        raise ValueError(f"there is already a node '{new}'")
    edits = [
        t.TextEdit(range=_range(s.span.line, s.span.start, s.span.end), new_text=new)
        for s in ix.occurrences("node", sym.name)
    ]
    return t.WorkspaceEdit(changes={uri: edits})


@server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(ls: ParleyServer, params: t.DocumentSymbolParams) -> list[t.DocumentSymbol]:
    uri = params.text_document.uri
    ix = _index(ls, uri)
    text = ls.workspace.get_text_document(uri).source
    lines = text.splitlines()
    nodes = [s for s in ix.symbols if s.definition and s.kind == "node"]
    choices = [s for s in ix.symbols if s.definition and s.kind == "choice"]
    out: list[t.DocumentSymbol] = []
    for i, n in enumerate(nodes):
        last = nodes[i + 1].span.line - 1 if i + 1 < len(nodes) else len(lines) - 1
        while last > n.span.line and not lines[last].strip():
            last -= 1
        end_char = len(lines[last]) if last < len(lines) else 0
        children = [
            t.DocumentSymbol(
                name=c.name,
                kind=t.SymbolKind.EnumMember,
                range=_range(c.span.line, c.span.start, c.span.end),
                selection_range=_range(c.span.line, c.span.start, c.span.end),
            )
            for c in choices
            if c.path[1] == n.name
        ]
        out.append(
            t.DocumentSymbol(
                name=n.name,
                detail=authoring.first_line(ix.data, n.name)[:60],
                kind=t.SymbolKind.Class,
                range=t.Range(t.Position(n.span.line, 0), t.Position(last, end_char)),
                selection_range=_range(n.span.line, n.span.start, n.span.end),
                children=children,
            )
        )
    return out


def run() -> None:
    """Serve on stdin/stdout until the editor says exit.

    The protocol is bytes on the process's own streams: `sys.__stdout__`, not the
    `sys.stdout` the CLI may have wrapped to make text safe for a terminal.
    """
    import sys

    out = sys.__stdout__
    inp = sys.__stdin__
    server.start_io(
        stdin=cast(BinaryIO, inp.buffer) if inp is not None else None,
        stdout=cast(BinaryIO, out.buffer) if out is not None else None,
    )
