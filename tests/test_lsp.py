"""`parley lsp` end to end: pytest-lsp drives the real server process over stdio, as an
editor would, on a real scenario file (a copy of the bundled flagship)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "budget-cut.yaml"


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "simulator.cli.main", "lsp"],
        # the server runs this checkout's code, whatever is installed
        server_env={**os.environ, "PYTHONPATH": str(ROOT)},
    ),
)
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("lsp")
    await lsp_client.initialize_session(
        t.InitializeParams(
            capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
        )
    )
    lsp_client.root = root  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def _open(client: LanguageClient, text: str, name: str = "budget-cut.yaml") -> str:
    root: Path = client.root  # type: ignore[attr-defined]
    path = root / name
    path.write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "scenarios" / "frameworks", root / "frameworks", dirs_exist_ok=True)
    uri = path.as_uri()
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(
            text_document=t.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )
    return uri


def _change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def _pos(text: str, needle: str, offset: int = 0) -> t.Position:
    """Where `needle` first occurs in `text`, plus `offset` characters."""
    at = text.index(needle) + offset
    line = text.count("\n", 0, at)
    return t.Position(line, at - (text.rfind("\n", 0, at) + 1))


async def test_diagnostics_follow_the_unsaved_buffer(client: LanguageClient) -> None:
    text = FLAGSHIP.read_text(encoding="utf-8")
    uri = _open(client, text)
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d for d in client.diagnostics[uri] if d.severity == t.DiagnosticSeverity.Error] == []

    broken = text.replace("to: after_cave", "to: after_cavee", 1)
    _change(client, uri, broken, 2)
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    errors = [d for d in client.diagnostics[uri] if d.severity == t.DiagnosticSeverity.Error]
    assert [d.code for d in errors] == ["P123"]
    assert errors[0].range.start.line == _pos(broken, "to: after_cavee").line
    assert "after_cavee" in errors[0].message
    assert errors[0].source == "parley"


async def test_warnings_from_the_checker(client: LanguageClient) -> None:
    text = FLAGSHIP.read_text(encoding="utf-8")
    # an extra node nothing leads to: the checker warns it is unreachable
    orphan = "  orphan:\n    speaker: dana\n    text: {en: hi, nl: hoi, sv: hej}\n    next: [{to: opening}]\n"
    text = text.replace("\nnodes:\n", "\nnodes:\n" + orphan, 1)
    uri = _open(client, text)
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    warnings = [d for d in client.diagnostics[uri] if d.severity == t.DiagnosticSeverity.Warning]
    assert "P201" in {d.code for d in warnings}
    orphan = next(d for d in warnings if d.code == "P201")
    assert orphan.range.start.line == _pos(text, "  orphan:").line


async def test_completion_of_node_ids_after_to(client: LanguageClient) -> None:
    text = FLAGSHIP.read_text(encoding="utf-8").replace("to: after_cave", "to: aft", 1)
    uri = _open(client, text)
    pos = _pos(text, "to: aft", len("to: aft"))
    result = await client.text_document_completion_async(
        t.CompletionParams(text_document=t.TextDocumentIdentifier(uri=uri), position=pos)
    )
    labels = {i.label for i in result.items}
    assert {"after_cave", "opening", "show_risk"} <= labels
    assert "cave" not in labels  # a choice id is not a node


async def test_completion_in_conditions_and_scores(client: LanguageClient) -> None:
    text = FLAGSHIP.read_text(encoding="utf-8")
    text = text.replace("chose('clear_asks') and hierarchy", "chose('cle", 1)
    uri = _open(client, text)
    pos = _pos(text, "chose('cle", len("chose('cle"))
    result = await client.text_document_completion_async(
        t.CompletionParams(text_document=t.TextDocumentIdentifier(uri=uri), position=pos)
    )
    labels = {i.label for i in result.items}
    assert "clear_asks" in labels and "cave" in labels and "opening" not in labels

    # a dimension key under the framework's scores
    text2 = FLAGSHIP.read_text(encoding="utf-8").replace(
        "        sore: {situation: -1, options: -1, recommendation: -2, engagement: -1}",
        "        sore:\n          ",
        1,
    )
    _change(client, uri, text2, 2)
    pos = _pos(text2, "        sore:\n          ", len("        sore:\n          "))
    result = await client.text_document_completion_async(
        t.CompletionParams(text_document=t.TextDocumentIdentifier(uri=uri), position=pos)
    )
    assert {i.label for i in result.items} == {
        "situation",
        "options",
        "recommendation",
        "engagement",
    }

    # in a `when:` the condition functions, rungs and flags
    text3 = FLAGSHIP.read_text(encoding="utf-8").replace(
        "      - when: \"chose('clear_asks') and hierarchy == 'trusted-advisor'\"",
        '      - when: "',
        1,
    )
    _change(client, uri, text3, 3)
    pos = _pos(text3, '      - when: "\n', len('      - when: "'))
    result = await client.text_document_completion_async(
        t.CompletionParams(text_document=t.TextDocumentIdentifier(uri=uri), position=pos)
    )
    labels = {i.label for i in result.items}
    assert {"visited", "chose", "trust", "peer", "trusted-advisor", "testing_cut"} <= labels


async def test_definition_and_references(client: LanguageClient) -> None:
    text = FLAGSHIP.read_text(encoding="utf-8")
    uri = _open(client, text)
    at = _pos(text, "to: after_cave", len("to: "))
    found = await client.text_document_definition_async(
        t.DefinitionParams(text_document=t.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert isinstance(found, t.Location)
    assert found.range.start.line == _pos(text, "\n  after_cave:", 1).line

    refs = await client.text_document_references_async(
        t.ReferenceParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            position=at,
            context=t.ReferenceContext(include_declaration=False),
        )
    )
    expected = text.count("to: after_cave") + text.count("visited('after_cave')")
    assert len(refs) == expected and expected >= 1
    assert all(r.uri == uri for r in refs)

    # a choice id in chose('…') leads to the choice's definition
    at = _pos(text, "chose('clear_asks')", len("chose('"))
    found = await client.text_document_definition_async(
        t.DefinitionParams(text_document=t.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert isinstance(found, t.Location)
    assert found.range.start.line == _pos(text, "id: clear_asks").line


async def test_hover_on_to_and_on_a_choice(client: LanguageClient) -> None:
    text = FLAGSHIP.read_text(encoding="utf-8")
    uri = _open(client, text)
    at = _pos(text, "to: after_cave", len("to: ") + 2)
    hov = await client.text_document_hover_async(
        t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert hov is not None
    value = hov.contents.value  # type: ignore[union-attr]
    assert "Dana Okafor" in value and "That's what I needed" in value

    at = _pos(text, "id: cave", len("id: ") + 1)
    hov = await client.text_document_hover_async(
        t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=at)
    )
    value = hov.contents.value  # type: ignore[union-attr]
    assert "recommendation -2" in value and "total -5" in value
    assert "You said yes before Dana heard a single fact" in value


async def test_rename_a_node_everywhere(client: LanguageClient) -> None:
    text = FLAGSHIP.read_text(encoding="utf-8")
    uri = _open(client, text)
    at = _pos(text, "\n  after_cave:", 3)
    edit = await client.text_document_rename_async(
        t.RenameParams(
            text_document=t.TextDocumentIdentifier(uri=uri), position=at, new_name="sponsor_agrees"
        )
    )
    assert edit is not None and edit.changes is not None
    edits = edit.changes[uri]
    # apply the edits as an editor would, then the file must still check clean
    lines = text.split("\n")
    for e in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        ln = lines[e.range.start.line]
        lines[e.range.start.line] = (
            ln[: e.range.start.character] + e.new_text + ln[e.range.end.character :]
        )
    renamed = "\n".join(lines)
    assert "after_cave" not in renamed
    assert len(edits) == text.count("after_cave")
    _change(client, uri, renamed, 2)
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not [d for d in client.diagnostics[uri] if d.severity == t.DiagnosticSeverity.Error]


async def test_document_symbols_are_the_node_outline(client: LanguageClient) -> None:
    text = FLAGSHIP.read_text(encoding="utf-8")
    uri = _open(client, text)
    syms = await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=uri))
    )
    names = [s.name for s in syms]  # type: ignore[union-attr]
    assert names[0] == "opening" and "after_cave" in names
    opening = syms[0]
    assert [c.name for c in opening.children or []][:2] == ["cave", "lecture_risk"]  # type: ignore[union-attr]
