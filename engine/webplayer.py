"""The single-file web player: one self-contained index.html (no network, no CDN).

The page carries the scenario's state table (engine.statetable) as JSON and a small script
(engine/web/player.js) that walks it; styles are inline too. `extra_scripts` lets an LMS
package add its adapter (SCORM 1.2, cmi5) that listens to the player's events.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from importlib.resources import files
from typing import Any

from engine.statetable import StateTable


def _asset(name: str) -> str:
    return files("engine").joinpath("web", name).read_text(encoding="utf-8")


def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element (no `</`, no `<!--`)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _inline_script(code: str) -> str:
    return code.replace("</script", "<\\/script")


def render_page(table: StateTable, extra_scripts: Sequence[str] = (), network: bool = False) -> str:
    """The whole page as one HTML string. Its Content-Security-Policy forbids every request
    unless `network` (a cmi5 package posts statements to the LRS it is given)."""
    data = table.data
    lang = table.langs[0]
    title = escape(data["title"][lang])
    ui = data["ui"][lang]
    connect = "*" if network else "'none'"
    extras = "".join(f"<script>{_inline_script(s)}</script>\n" for s in extra_scripts)
    return f"""<!doctype html>
<html lang="{escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Parley">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src {connect}">
<title>{title} - Parley</title>
<style>
{_asset("player.css")}
</style>
</head>
<body>
<header>
<h1 id="title">{title}</h1>
<p id="summary" class="summary"></p>
<p id="lang-box" class="lang"><label id="lang-label" for="lang">{escape(ui["language"])}</label>
<select id="lang"></select></p>
</header>
<main>
<section class="standing" aria-labelledby="standing-h">
<h2 id="standing-h" class="visually-hidden">{escape(ui["standing"])}</h2>
<p><label id="trust-label" for="trust">{escape(ui["trust"])}</label>
<meter id="trust" min="0" max="100" low="40" high="60" optimum="100" value="50"></meter>
<span id="trust-text"></span></p>
<p id="rung"></p>
</section>
<section aria-labelledby="conversation-h">
<h2 id="conversation-h">{escape(ui["conversation"])}</h2>
<div id="log"></div>
</section>
<div id="coach" class="coach" role="status" aria-live="polite" aria-atomic="true"></div>
<section id="answers" aria-labelledby="answer-h">
<h2 id="answer-h">{escape(ui["answer"])}</h2>
<p id="keys" class="summary"></p>
<ol id="options" class="options"></ol>
</section>
<section id="debrief" aria-labelledby="debrief-h" hidden>
<h2 id="debrief-h" tabindex="-1">{escape(ui["debrief"])}</h2>
<div id="debrief-body"></div>
<button type="button" id="again" class="again">{escape(ui["again"])}</button>
</section>
</main>
<script type="application/json" id="parley-table">{_script_json(data)}</script>
{extras}<script>
{_inline_script(_asset("player.js"))}
</script>
</body>
</html>
"""
