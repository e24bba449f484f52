// Random playthroughs of an ink story with inkjs, for the Parley peer bench.
//
//   node bench/ink/run.js STORY.ink --runs N --seed S      -> JSON: plays/s, choices/s, endings
//   node bench/ink/run.js STORY.ink --replay PLAYS.json    -> JSON: end state of each play
//
// The ink source is compiled with inkjs's own compiler (inkjs/full); plays then run on
// the compiled story with the runtime. PLAYS.json is a list of lists of choice indices
// (positions among the choices offered at each turn, as Parley offers them).
"use strict";
const fs = require("fs");
const path = require("path");

const here = path.resolve(__dirname, "..", "node_modules");
const { Compiler } = require(path.join(here, "inkjs", "dist", "ink-full.js"));
const { Story } = require(path.join(here, "inkjs", "dist", "ink.js"));

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

// mulberry32: a small seeded generator (Math.random cannot be seeded)
function rng32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function main() {
  const file = process.argv[2];
  const source = fs.readFileSync(file, "utf8");
  const t0 = process.hrtime.bigint();
  const errors = [];
  const compiler = new Compiler(source, { errorHandler: (m) => errors.push(m) });
  let compiled;
  try {
    compiled = compiler.Compile();
  } catch (e) {
    process.stderr.write("ink compile failed:\n" + errors.slice(0, 10).join("\n") + "\n");
    process.exit(1);
  }
  const json = compiled.ToJson();
  const compileS = Number(process.hrtime.bigint() - t0) / 1e9;
  const story = new Story(json);
  story.onError = (msg) => {
    throw new Error(msg);
  };
  // Restarting from a saved initial state is ~5x faster than story.ResetState()
  // (which re-runs the global declarations): give inkjs its fastest restart.
  const initial = story.state.ToJson();
  const restart = arg("--reset", "json") === "json"
    ? () => story.state.LoadJson(initial)
    : () => story.ResetState();
  const dims = ["situation", "options", "recommendation", "engagement"];
  const replay = arg("--replay", null);
  if (replay) {
    const plays = JSON.parse(fs.readFileSync(replay, "utf8"));
    const out = [];
    for (const play of plays) {
      restart();
      const offered = [];
      for (const idx of play) {
        story.ContinueMaximally();
        offered.push(story.currentChoices.length);
        story.ChooseChoiceIndex(idx);
      }
      story.ContinueMaximally();
      offered.push(story.currentChoices.length);
      const v = story.variablesState;
      const scores = {};
      for (const d of dims) scores[d] = v["s_" + d];
      out.push({ ending: v["ending"], trust: v["trust"], rung: v["rung"], scores, offered });
    }
    process.stdout.write(JSON.stringify(out));
    return;
  }
  const runs = parseInt(arg("--runs", "1000"), 10);
  const rand = rng32(parseInt(arg("--seed", "1"), 10));
  const endings = {};
  let choices = 0;
  const t1 = process.hrtime.bigint();
  const c1 = process.cpuUsage();
  for (let r = 0; r < runs; r++) {
    restart();
    for (;;) {
      story.ContinueMaximally();
      const n = story.currentChoices.length;
      if (n === 0) break;
      story.ChooseChoiceIndex(Math.floor(rand() * n));
      choices++;
    }
    const e = story.variablesState["ending"];
    endings[e] = (endings[e] || 0) + 1;
  }
  const s = Number(process.hrtime.bigint() - t1) / 1e9;
  const cu = process.cpuUsage(c1);
  const cpu = (cu.user + cu.system) / 1e6;
  process.stdout.write(
    JSON.stringify({
      engine: "inkjs",
      runs,
      choices,
      seconds: s,
      cpu_seconds: cpu,
      compile_seconds: compileS,
      plays_per_s: runs / s,
      choices_per_s: choices / s,
      endings,
    })
  );
}

main();
