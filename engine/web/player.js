// Parley web player: walks the state table the engine compiled (engine/statetable.py).
// No rule of the game lives here: offered choices, next states, trust, coaching and the
// verdict are looked up in the table; the page only adds up the scores along the walk for
// the debrief and lays it out. Scenario text is shown with textContent only, never as HTML.
"use strict";
(function () {
  const T = JSON.parse(document.getElementById("parley-table").textContent);
  const $ = (id) => document.getElementById(id);
  let lang = T.langs[0];
  let walk = null; // {state, steps: [{from, edge}], order}

  const tx = (map) => (map ? (map[lang] !== undefined ? map[lang] : Object.values(map)[0]) : "");
  const ui = (key, fields) => fill(T.ui[lang][key], fields || {});
  const word = (key, fields) => fill(T.words[lang][key], fields || {});
  const signed = (n) => (n >= 0 ? "+" + n : String(n));
  function fill(tpl, fields) {
    return tpl.replace(/\{(\w+)\}/g, (m, k) => (k in fields ? String(fields[k]) : m));
  }
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // The debrief's percentage, as documented in engine/feedback/scoring.py (percent_of):
  // where the total lies from the worst (0) to the model (100); "-" when nothing was at stake.
  function percentOf(total, best, worst) {
    if (best <= worst) return "-";
    const r = (100 * (total - worst)) / (best - worst);
    return Math.max(0, Math.min(100, Math.floor(r + 0.5)));
  }

  function adapter(name, info) {
    const a = window.parleyAdapter;
    if (a && typeof a[name] === "function") {
      try { a[name](info); } catch (err) { console.error("parley adapter:", err); }
    }
  }

  function nodeParas(section, nodeIds) {
    for (const id of nodeIds) {
      const n = T.nodes[id];
      if (!n) continue;
      if (n.nar) section.appendChild(el("p", { class: "nar" }, "(" + tx(n.nar) + ")"));
      const paras = tx(n.text).split("\n\n");
      paras.forEach((para, i) => {
        const p = el("p");
        if (i === 0) {
          p.appendChild(el("span", { class: "who" }, tx(n.who) + ": "));
        }
        p.appendChild(document.createTextNode(para));
        section.appendChild(p);
      });
    }
  }

  function coachingOf(edge) {
    if (T.mode === "debrief") return [];
    return (edge.k[lang] || []).map((i) => T.strings[i]);
  }

  function render(focusTurn) {
    document.documentElement.lang = lang;
    document.title = tx(T.title) + " - Parley";
    $("title").textContent = tx(T.title);
    $("summary").textContent = tx(T.summary);
    $("lang-label").textContent = ui("language");
    $("standing-h").textContent = ui("standing");
    $("conversation-h").textContent = ui("conversation");
    $("answer-h").textContent = ui("answer");
    $("keys").textContent = ui("keys");
    $("again").textContent = ui("again");
    const st = T.states[walk.state];
    // where you stand
    $("trust-label").textContent = ui("trust");
    const meter = $("trust");
    meter.value = st.t;
    const trustText = ui("trust_text", { trust: st.t, level: st.lv });
    meter.textContent = trustText;
    $("trust-text").textContent = trustText;
    $("rung").textContent = ui("rung", { rung: st.r });
    // the conversation so far: one section (with a heading) per turn
    const log = $("log");
    log.replaceChildren();
    let entered = T.start.entered;
    let turn = 1;
    let section = null;
    const openTurn = (n, heading) => {
      section = el("section", { class: "turn", "aria-labelledby": "turn-" + n });
      section.appendChild(el("h3", { id: "turn-" + n, tabindex: "-1" }, heading));
      log.appendChild(section);
    };
    for (const step of walk.steps) {
      openTurn(turn, ui("turn", { n: turn }));
      nodeParas(section, entered);
      const ch = T.choices[step.edge.c];
      const you = el("p", { class: "you" });
      you.appendChild(el("span", { class: "who" }, tx(T.you) + ": "));
      you.appendChild(document.createTextNode(tx(ch.text)));
      section.appendChild(you);
      entered = step.edge.e;
      turn += 1;
    }
    const ended = st.s !== "decide";
    const endNode = T.endings[st.n];
    openTurn(turn, endNode && ended ? tx(endNode.title) : ui("turn", { n: turn }));
    nodeParas(section, entered);
    if (ended && !endNode) section.appendChild(el("p", {}, word("play.stalled")));
    // coaching on the last answer (live region: read out when it changes)
    const coach = $("coach");
    const last = walk.steps[walk.steps.length - 1];
    const lines = last ? coachingOf(last.edge) : [];
    coach.replaceChildren(...lines.map((line) => el("p", {}, line)));
    coach.classList.toggle("fresh", lines.length > 0);
    // the options now, in this play's order (one of the engine's shuffles)
    const list = $("options");
    list.replaceChildren();
    shown().forEach((edge, i) => {
      const li = el("li");
      const b = el("button", { type: "button", "data-choice": edge.c });
      if (i < 9) b.appendChild(el("span", { class: "num", "aria-hidden": "true" }, i + 1 + "."));
      b.appendChild(document.createTextNode(tx(T.choices[edge.c].text)));
      b.addEventListener("click", () => choose(i));
      li.appendChild(b);
      list.appendChild(li);
    });
    $("answers").hidden = ended;
    renderDebrief(ended);
    if (focusTurn) {
      const target = ended ? $("debrief-h") : $("turn-" + turn);
      target.focus();
    }
  }

  function sums() {
    const nd = T.dims.length;
    const totals = new Array(nd).fill(0), best = new Array(nd).fill(0), worst = new Array(nd).fill(0);
    let tb = 0, tw = 0;
    for (const step of walk.steps) {
      const from = T.states[step.from];
      const ch = T.choices[step.edge.c];
      for (let i = 0; i < nd; i++) {
        totals[i] += ch.sc[i];
        best[i] += from.b[i];
        worst[i] += from.w[i];
      }
      tb += from.tb;
      tw += from.tw;
    }
    const total = totals.reduce((a, b) => a + b, 0);
    return { totals, best, worst, total, tb, tw };
  }

  function renderDebrief(ended) {
    const box = $("debrief");
    box.hidden = !ended;
    const body = $("debrief-body");
    body.replaceChildren();
    if (!ended) return;
    const st = T.states[walk.state];
    const endNode = T.endings[st.n];
    const s = sums();
    $("debrief-h").textContent = word("debrief.head", { title: tx(T.title) });
    box.dataset.total = s.total;
    box.dataset.trust = st.t;
    box.dataset.ending = st.n;
    const para = (text, attrs) => body.appendChild(el("p", attrs || {}, text));
    if (endNode) {
      para(word("debrief.ending", { title: tx(endNode.title), outcome: tx(endNode.word) }), { id: "ending" });
      tx(endNode.debrief).split("\n\n").forEach((p) => para(p));
    }
    // several equally defensible endings, each with what it gives up (engine: Debrief.defensible)
    const defensible = Object.keys(T.endings).filter((id) => T.endings[id].trade);
    if (defensible.length) {
      para(word("fb.defensible_head"), { id: "defensible-head" });
      const ul = el("ul", { id: "defensible" });
      for (const id of defensible) {
        const e = T.endings[id];
        const key = id === st.n ? "fb.defensible_yours" : "fb.defensible_item";
        ul.appendChild(el("li", { "data-ending": id }, word(key, { title: tx(e.title), trade_off: tx(e.trade) })));
      }
      body.appendChild(ul);
    }
    // scores
    const table = el("table", { id: "scores" });
    table.appendChild(el("caption", {}, word("debrief.scores_intro", { framework: tx(T.framework) })));
    const head = el("thead"), hr = el("tr");
    for (const h of [word("debrief.col_dimension"), word("debrief.col_you"), word("debrief.col_best"), "%"]) {
      hr.appendChild(el("th", { scope: "col" }, h));
    }
    head.appendChild(hr);
    table.appendChild(head);
    const tbody = el("tbody");
    const row = (label, total, best, pct, key) => {
      const tr = el("tr", { "data-key": key });
      tr.appendChild(el("th", { scope: "row" }, label));
      tr.appendChild(el("td", {}, signed(total)));
      tr.appendChild(el("td", {}, signed(best)));
      tr.appendChild(el("td", {}, pct + "%"));
      return tr;
    };
    T.dims.forEach((d, i) => {
      tbody.appendChild(row(tx(d.label), s.totals[i], s.best[i], percentOf(s.totals[i], s.best[i], s.worst[i]), d.key));
    });
    table.appendChild(tbody);
    const foot = el("tfoot");
    foot.appendChild(row(word("debrief.total"), s.total, s.tb, percentOf(s.total, s.tb, s.tw), "total"));
    table.appendChild(foot);
    body.appendChild(table);
    // trust
    const first = walk.steps.length ? T.states[walk.steps[0].from].t : st.t;
    const journey = [first, ...walk.steps.map((x) => T.states[x.edge.to].t)].join(" -> ");
    para(word("debrief.trust", { who: tx(T.counterpart), journey, final: st.t, level: st.lv }), { id: "trust-journey" });
    const swings = walk.steps
      .map((x, i) => ({ turn: i + 1, x }))
      .filter((w) => w.x.edge.d !== 0)
      .sort((a, b) => Math.abs(b.x.edge.d) - Math.abs(a.x.edge.d) || a.turn - b.turn)
      .slice(0, 3);
    if (swings.length) {
      body.appendChild(el("p", {}, word("debrief.swings")));
      const ul = el("ul");
      for (const w of swings) {
        const after = T.states[w.x.edge.to].t;
        const li = el("li", {}, word("debrief.swing", {
          turn: w.turn, delta: signed(w.x.edge.d), before: after - w.x.edge.d, after,
          said: tx(T.choices[w.x.edge.c].text),
        }));
        ul.appendChild(li);
      }
      body.appendChild(ul);
    }
    // hierarchy
    if (walk.steps.some((x) => x.edge.rm)) para(word("debrief.hierarchy", { start: T.rung_start, final: st.r }));
    else para(word("debrief.hierarchy_stayed", { rung: st.r }));
    // the road not taken
    const roads = walk.steps.map((x, i) => ({ turn: i + 1, x })).filter((r) => r.x.edge.alt);
    if (roads.length) {
      body.appendChild(el("p", {}, word("debrief.road")));
      const ul = el("ul", { id: "road" });
      for (const r of roads) {
        const mine = T.choices[r.x.edge.c], alt = T.choices[r.x.edge.alt];
        const li = el("li");
        li.appendChild(el("p", {}, word("debrief.road_said", { turn: r.turn, text: tx(mine.text), total: signed(mine.tot), trust: signed(mine.tr) })));
        li.appendChild(el("p", {}, word("debrief.road_could", { text: tx(alt.text), total: signed(alt.tot), trust: signed(alt.tr) })));
        if (alt.fb) li.appendChild(el("p", {}, word("coach.feedback", { text: tx(alt.fb) })));
        ul.appendChild(li);
      }
      body.appendChild(ul);
    } else para(word("debrief.road_none"));
    // endings not reached
    const missed = [];
    for (const id of T.reachable_endings) {
      if (id === st.n) continue;
      const title = tx(T.endings[id].title);
      if (!missed.includes(title)) missed.push(title);
    }
    if (missed.length) {
      body.appendChild(el("p", {}, word("debrief.endings_missed")));
      const ul = el("ul");
      missed.forEach((m) => ul.appendChild(el("li", {}, m)));
      body.appendChild(ul);
    }
    // compared with the best possible play
    if (T.best_total !== null) {
      body.appendChild(el("p", {}, word("debrief.compare")));
      const best = word("debrief.best_possible", { total: signed(T.best_total) });
      para(word("debrief.framework_total", { yours: signed(s.total), best }), { id: "compare" });
      if (T.best_final_trust !== null) para(word("debrief.final_trust", { yours: st.t, best: T.best_final_trust }));
    }
  }

  function result() {
    const st = T.states[walk.state];
    const s = sums();
    const end = T.endings[st.n] || null;
    const score = T.score;
    const out = {
      scenario: T.scenario, ending: end ? st.n : null, outcome: end ? end.outcome : null,
      trust: st.t, total: s.total, turns: walk.steps.length,
      choices: walk.steps.map((x) => x.edge.c),
      min: score ? score.min : null, max: score ? score.max : null,
      scaled: score ? score.scaled[String(s.total)] : null,
      percent: score ? score.percent[String(s.total)] : null,
    };
    if (score && score.passing) out.passed = score.passing.includes(s.total);
    else out.passed = !!(end && end.passes);
    return out;
  }

  function shown() {
    const st = T.states[walk.state];
    const order = T.orders[walk.order] && T.orders[walk.order][st.n];
    if (!order) return st.o;
    return st.o.slice().sort((a, b) => order.indexOf(a.c) - order.indexOf(b.c));
  }

  function choose(i) {
    const st = T.states[walk.state];
    const edge = shown()[i];
    if (!edge) return;
    walk.steps.push({ from: walk.state, edge });
    walk.state = edge.to;
    render(true);
    adapter("answered", {
      turn: walk.steps.length, node: st.n, choice: edge.c,
      options: st.o.map((o) => o.c), scores: T.choices[edge.c].sc, trustBefore: st.t,
      trustAfter: T.states[edge.to].t,
    });
    if (T.states[walk.state].s !== "decide") adapter("finished", result());
  }

  function pickOrder() {
    const asked = new URLSearchParams(window.location.search).get("order");
    if (asked !== null && /^\d+$/.test(asked)) return Number(asked) % T.orders.length;
    const r = new Uint32Array(1);
    crypto.getRandomValues(r);
    return r[0] % T.orders.length;
  }

  function start(focus) {
    walk = { state: T.start.state, steps: [], order: pickOrder() };
    render(focus);
    adapter("started", { scenario: T.scenario, lang });
  }

  // keyboard: number keys choose (Tab and Enter work on the buttons as well)
  document.addEventListener("keydown", (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.target && ev.target.tagName === "SELECT") return;
    if (!/^[1-9]$/.test(ev.key) || $("answers").hidden) return;
    const i = Number(ev.key) - 1;
    if (i < shown().length) {
      ev.preventDefault();
      choose(i);
    }
  });

  const select = $("lang");
  if (T.langs.length > 1) {
    for (const l of T.langs) select.appendChild(el("option", { value: l }, l));
    select.addEventListener("change", () => { lang = select.value; render(false); });
  } else {
    $("lang-box").hidden = true;
  }
  $("again").addEventListener("click", () => start(true));
  window.parley = { table: T, result, choose, get walk() { return walk; } };
  start(false);
})();
