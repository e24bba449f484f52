"""`parley graph --open`: one self-contained HTML page for reading a scenario's graph.

The page holds the Mermaid drawing (engine.graph.to_mermaid, from the networkx scenario
graph) rendered in the browser by the bundled Mermaid library (simulator/assets, inlined: no
network, no CDN). On top of the plain drawing it shows:

- coverage from an autoplay run as colour: how often random plays took a decision at each
  node or ended there, and in dashed grey the nodes no play reached;
- the hinges: the nodes every route to an ending passes (engine.graph.hinges, the dominators),
  outlined in purple;
- for each node, on click, its speaker, first line, file:line with a link to open it in an
  editor, its coverage and which endings it is a hinge of.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from engine.autoplay import AutoplayReport
from engine.graph import hinges, scenario_graph, to_mermaid
from engine.model import Scenario

# fill colours for coverage bands (share of runs), from rarely to often
BANDS: tuple[tuple[float, str, str], ...] = (
    (0.0, "cov1", "#e8f1fb"),
    (0.05, "cov2", "#bcd7f2"),
    (0.25, "cov3", "#7fb2e5"),
    (0.60, "cov4", "#3d85c6"),
)


@dataclass(frozen=True)
class NodeInfo:
    id: str
    mermaid_id: str
    speaker: str
    first_line: str
    file: str
    line: int
    share: float | None  # share of runs that decided or ended here; None: not measured
    reached: bool
    hinge_of: tuple[str, ...]


def mermaid_library() -> str:
    """The bundled Mermaid library's source."""
    return files("simulator").joinpath("assets", "mermaid.min.js").read_text(encoding="utf-8")


def node_infos(
    scenario: Scenario, report: AutoplayReport | None, lang: str | None
) -> list[NodeInfo]:
    g = scenario_graph(scenario)
    hinge_of: dict[str, list[str]] = {}
    for ending, chain in hinges(g).items():
        for n in chain:
            hinge_of.setdefault(n, []).append(ending)
    ids = {nid: f"n{i}" for i, nid in enumerate(scenario.nodes)}
    out = []
    unvisited = set(report.unvisited_nodes) if report else set()
    for nid, node in scenario.nodes.items():
        share: float | None = None
        if report is not None and report.runs:
            if node.ending is not None:
                share = report.endings.get(nid, 0) / report.runs
            elif node.choices:
                made = sum(report.choice_counts.get(c.id, 0) for c in node.choices)
                share = made / report.runs
        speaker = (
            scenario.characters[node.speaker].name.get(lang)
            if node.speaker in (scenario.characters)
            else node.speaker
        )
        out.append(
            NodeInfo(
                id=nid,
                mermaid_id=ids[nid],
                speaker=str(speaker),
                first_line=node.text.get(lang).strip().split("\n", 1)[0],
                file=str(Path(node.loc.file).resolve()),
                line=node.loc.line,
                share=share,
                reached=nid not in unvisited,
                hinge_of=tuple(hinge_of.get(nid, ())),
            )
        )
    return out


def _band(share: float) -> str:
    name = BANDS[0][1]
    for low, cls, _ in BANDS:
        if share >= low and share > 0:
            name = cls
    return name


def page(scenario: Scenario, report: AutoplayReport | None = None, lang: str | None = None) -> str:
    """The whole HTML page, as text."""
    infos = node_infos(scenario, report, lang)
    lines = [to_mermaid(scenario, lang).rstrip("\n")]
    for _, cls, fill in BANDS:
        lines.append(f"    classDef {cls} fill:{fill},color:#000")
    lines.append("    classDef unreached fill:#f4f4f4,stroke:#999,stroke-dasharray:4 3,color:#555")
    lines.append("    classDef hinge stroke:#6a1b9a,stroke-width:4px")
    for info in infos:
        node = scenario.nodes[info.id]
        if report is not None:
            if not info.reached:
                lines.append(f"    class {info.mermaid_id} unreached")
            elif info.share is not None and node.ending is None:
                lines.append(f"    class {info.mermaid_id} {_band(info.share)}")
        if info.hinge_of:
            lines.append(f"    class {info.mermaid_id} hinge")
        lines.append(f"    click {info.mermaid_id} parleyShow")
    source = "\n".join(lines) + "\n"
    data = {
        i.mermaid_id: {
            "id": i.id,
            "speaker": i.speaker,
            "text": i.first_line,
            "file": i.file,
            "line": i.line,
            "share": i.share,
            "reached": i.reached,
            "hinge_of": list(i.hinge_of),
        }
        for i in infos
    }
    title = scenario.title.get(lang)
    runs = f"{report.runs:,} random plays (seed {report.seed})" if report else "no autoplay run"
    legend = "".join(
        f'<li><span class="swatch" style="background:{fill}"></span>'
        f"{'decided or ended here in ' + format(low, '.0%') + ' or more of plays' if low else 'reached, rarely'}</li>"
        for low, _, fill in BANDS
    )
    return _TEMPLATE.format(
        title=html.escape(title),
        sid=html.escape(scenario.id),
        runs=html.escape(runs),
        legend=legend,
        source=html.escape(source),
        data=json.dumps(data, ensure_ascii=False).replace("</", "<\\/"),
        mermaid=mermaid_library().replace("</script", "<\\/script"),
    )


_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — graph</title>
<style>
  body {{ font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1b1b1b; display: grid;
         grid-template-columns: 1fr 22rem; min-height: 100vh; }}
  header {{ grid-column: 1 / -1; padding: .6rem 1rem; border-bottom: 1px solid #ddd; }}
  header h1 {{ font-size: 1.15rem; margin: 0; }}
  main {{ overflow: auto; padding: 1rem; }}
  aside {{ border-left: 1px solid #ddd; padding: 1rem; background: #fafafa; }}
  .swatch {{ display: inline-block; width: 1em; height: 1em; margin-right: .4em;
            vertical-align: -.15em; border: 1px solid #888; }}
  ul.legend {{ list-style: none; padding: 0; font-size: .9rem; }}
  #node h2 {{ font-size: 1.05rem; margin: .2rem 0; }}
  a:focus, button:focus {{ outline: 3px solid #1a73e8; outline-offset: 2px; }}
  .node.clickable {{ cursor: pointer; }}
</style>
</head>
<body>
<header><h1>{title} <small>({sid})</small></h1>
<p>Coverage from {runs}. Click a node for its details and its line in the file.</p></header>
<main><pre class="mermaid" id="graph">{source}</pre></main>
<aside>
  <section id="node" aria-live="polite"><p>No node selected.</p></section>
  <h2>Legend</h2>
  <ul class="legend">
    {legend}
    <li><span class="swatch" style="background:#f4f4f4;border-style:dashed"></span>no play reached it</li>
    <li><span class="swatch" style="border:3px solid #6a1b9a"></span>hinge: every route to an ending passes here</li>
    <li>Endings: green success, amber partial, red failure</li>
  </ul>
</aside>
<script id="nodes" type="application/json">{data}</script>
<script>{mermaid}</script>
<script>
  const NODES = JSON.parse(document.getElementById("nodes").textContent);
  function esc(s) {{ const d = document.createElement("div"); d.textContent = s; return d.innerHTML; }}
  window.parleyShow = function (mid) {{
    const n = NODES[mid]; if (!n) return;
    const cov = n.share === null ? (n.reached ? "reached" : "no play reached it")
      : (100 * n.share).toFixed(1) + " % of plays " + (n.reached ? "" : "(never reached)");
    const hinge = n.hinge_of.length ? "<p>Hinge of: " + n.hinge_of.map(esc).join(", ") + "</p>" : "";
    const where = n.file + ":" + n.line;
    document.getElementById("node").innerHTML =
      "<h2>" + esc(n.id) + "</h2><p><b>" + esc(n.speaker) + ":</b> " + esc(n.text) + "</p>" +
      "<p>Coverage: " + esc(cov) + "</p>" + hinge +
      '<p><a id="open-line" href="vscode://file' + encodeURI(where) + '">' + esc(where) + "</a>" +
      ' (<a href="file://' + encodeURI(n.file) + '">file</a>)</p>';
  }};
  mermaid.initialize({{ startOnLoad: false, securityLevel: "loose", flowchart: {{ htmlLabels: true }} }});
  mermaid.run({{ querySelector: "#graph" }}).then(() => {{ document.body.dataset.rendered = "yes"; }});
</script>
</body>
</html>
"""
