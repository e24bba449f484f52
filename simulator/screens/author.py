"""Author mode (`parley play FILE --author`): jump to any node, set the state, see the edges.

- `NodeJump`: a palette of the scenario's nodes (id, kind, first line), filtered as you
  type; it dismisses with the chosen node id.
- `StateEditor`: trust, rung and flags to be at the node with; it dismisses with a
  `StartPoint` (or None when cancelled) and refuses values the scenario cannot have.
- `EdgesPanel`: the current node's incoming and outgoing links, from the networkx scenario
  graph (engine.graph), and whether a play from the start can be in this state.

A jump is a play from that node (engine.conversation.StartPoint, as `parley play --from`);
whether a play from the start can be in that state is read off the state graph
(engine.startpoint.can_occur).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from engine.conversation import Conversation, StartPoint
from engine.errors import ParleyError
from engine.graph import moves_from, scenario_graph
from engine.model import Scenario
from engine.startpoint import parse_set


def first_line(scenario: Scenario, node_id: str, lang: str | None) -> str:
    return scenario.nodes[node_id].text.get(lang).strip().split("\n", 1)[0]


class NodeJump(ModalScreen[str | None]):
    """Pick a node to jump to; typing filters by id, speaker or words of its line."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]
    DEFAULT_CSS = """
    NodeJump { align: center middle; }
    NodeJump > Vertical { width: 90%; max-width: 110; height: 80%; border: round $accent;
                          background: $surface; padding: 0 1; }
    NodeJump OptionList { height: 1fr; }
    """

    def __init__(self, scenario: Scenario, lang: str | None) -> None:
        super().__init__()
        self.scenario = scenario
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Jump to node: type to filter, Enter to jump, Esc to cancel")
            yield Input(placeholder="node id, speaker or words", id="jump-filter")
            yield OptionList(id="jump-nodes")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        words = text.lower().split()
        options = []
        for nid, node in self.scenario.nodes.items():
            line = first_line(self.scenario, nid, self.lang)
            if all(w in f"{nid} {node.speaker} {line}".lower() for w in words):
                kind = "ending" if node.ending is not None else node.kind
                short = line if len(line) <= 56 else line[:55] + "…"
                options.append(Option(Content(f"{nid}  ({kind}) — {short}"), id=nid))
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = 0

    @on(Input.Changed, "#jump-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#jump-filter")
    def _submit(self) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is not None:
            self.dismiss(listing.get_option_at_index(listing.highlighted).id)

    @on(OptionList.OptionSelected, "#jump-nodes")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class StateEditor(ModalScreen[StartPoint | None]):
    """Edit the state to be at the current node with: trust, rung, flags."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]
    DEFAULT_CSS = """
    StateEditor { align: center middle; }
    StateEditor > Vertical { width: 70; height: auto; border: round $accent;
                             background: $surface; padding: 0 1; }
    StateEditor #state-error { color: $error; height: auto; }
    StateEditor Horizontal { height: auto; }
    """

    def __init__(self, conv: Conversation) -> None:
        super().__init__()
        self.conv = conv

    def compose(self) -> ComposeResult:
        conv = self.conv
        flags = ",".join(f"{k}={v}" for k, v in conv.flags.items())
        with Vertical():
            yield Label(f"State at '{conv.node.id}': Enter applies, Esc cancels")
            yield Label("Trust (0–100)")
            yield Input(str(conv.trust), id="state-trust", type="integer")
            yield Label("Rung")
            yield Select(
                [(r, r) for r in conv.scenario.ladder],
                value=conv.hierarchy,
                allow_blank=False,
                id="state-rung",
            )
            yield Label("Flags (name=value, comma-separated)")
            yield Input(flags, id="state-flags")
            yield Static("", id="state-error")
            with Horizontal():
                yield Button("Apply", id="state-apply", variant="primary")
                yield Button("Cancel", id="state-cancel")

    def on_mount(self) -> None:
        self.query_one("#state-trust", Input).focus()

    def _point(self) -> StartPoint:
        trust_text = self.query_one("#state-trust", Input).value.strip() or "0"
        rung = str(self.query_one("#state-rung", Select).value)
        flags_text = self.query_one("#state-flags", Input).value
        trust, _, flags = parse_set(f"trust={trust_text},{flags_text}")
        point = StartPoint(self.conv.node.id, trust, rung, flags)
        point.check(self.conv.scenario)
        return point

    @on(Input.Submitted)
    @on(Button.Pressed, "#state-apply")
    def _apply(self) -> None:
        try:
            point = self._point()
        except ParleyError as exc:
            self.query_one("#state-error", Static).update(Content(exc.message))
            return
        self.dismiss(point)

    @on(Button.Pressed, "#state-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def edges_text(scenario: Scenario, node_id: str, can_occur: bool | None) -> str:
    """The panel's text: the node, whether its state can occur, its links in and out."""
    g = scenario_graph(scenario)
    lines = [f"{node_id}   author: ctrl+j jump, ctrl+e state"]
    if can_occur is False:
        lines.append("! this state cannot occur in a play from the start")
    elif can_occur is None:
        lines.append("? whether a play can be in this state is unknown")
    incoming = [
        f"  ← {src}" + (f" ({m.choice.id})" if m.choice is not None else " (next)")
        for src in g.predecessors(node_id)
        for m in g.edges[src, node_id]["moves"]
    ]
    start = " (the start)" if node_id == scenario.start else ""
    lines.append(f"In{start}:" if incoming else f"In: none{start}")
    lines += incoming
    out = [
        f"  → {m.to}"
        + (f" ({m.choice.id})" if m.choice is not None else " (next)")
        + (f" if {m.when.source}" if m.when is not None else "")
        for m in moves_from(g, node_id)
    ]
    lines.append("Out:" if out else "Out: none (an ending)")
    lines += out
    return "\n".join(lines)


class EdgesPanel(Static):
    """The current node's links: where the play can come from and where it can go."""

    DEFAULT_CSS = """
    EdgesPanel { height: auto; max-height: 14; border-top: solid $accent; padding: 0 1;
                 overflow-y: auto; }
    """

    def show(self, scenario: Scenario, node_id: str, can_occur: bool | None) -> None:
        self.update(Content(edges_text(scenario, node_id, can_occur)))
