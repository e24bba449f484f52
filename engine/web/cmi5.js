// Parley web player -> cmi5: reads the launch parameters (endpoint, fetch, actor,
// registration, activityId), fetches the auth token, reads LMS.LaunchData, and sends the
// cmi5-defined statements (initialized, completed, passed/failed, terminated) plus one
// cmi5-allowed "answered" per decision to the LRS it was given, in order.
"use strict";
(function () {
  const CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  const MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  const MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  const SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
  const ADL = "http://adlnet.gov/expapi/verbs/";
  const q = new URLSearchParams(window.location.search);
  const endpoint0 = q.get("endpoint");
  const state = { sent: [], errors: [], launchData: null, ready: null, chain: null, finished: false };
  window.parleyCmi5 = state;
  if (!endpoint0 || !q.get("fetch") || !q.get("actor") || !q.get("registration") || !q.get("activityId")) {
    state.errors.push("not launched by a cmi5 LMS: no launch parameters; playing without reporting");
    return;
  }
  const endpoint = endpoint0.endsWith("/") ? endpoint0 : endpoint0 + "/";
  const actor = JSON.parse(q.get("actor"));
  const registration = q.get("registration");
  const activityId = q.get("activityId");
  const startedAt = Date.now();
  let auth = null;
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID() :
    "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));
  const headers = () => ({ Authorization: auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json" });
  function duration() {
    const s = Math.max(0, (Date.now() - startedAt) / 1000);
    return "PT" + s.toFixed(2).replace(/\.?0+$/, "") + "S";
  }

  state.ready = (async () => {
    const res = await fetch(q.get("fetch"), { method: "POST" });
    if (!res.ok) throw new Error("fetch URL answered " + res.status);
    const body = await res.json();
    if (!body["auth-token"]) throw new Error("fetch URL gave no auth-token: " + JSON.stringify(body));
    auth = "Basic " + body["auth-token"];
    const url = endpoint + "activities/state?stateId=LMS.LaunchData&activityId=" + encodeURIComponent(activityId) +
      "&agent=" + encodeURIComponent(JSON.stringify(actor)) + "&registration=" + encodeURIComponent(registration);
    try {
      const ld = await fetch(url, { headers: headers() });
      state.launchData = ld.ok ? await ld.json() : null;
    } catch (err) { state.launchData = null; }
    if (!state.launchData) state.launchData = { launchMode: "Normal", contextTemplate: { extensions: { [SESSION]: uuid() } } };
  })().catch((err) => { state.errors.push(String(err)); throw err; });
  state.chain = state.ready;

  function context(categories, extra) {
    const tpl = JSON.parse(JSON.stringify((state.launchData && state.launchData.contextTemplate) || {}));
    tpl.registration = registration;
    tpl.contextActivities = tpl.contextActivities || {};
    if (categories.length) {
      tpl.contextActivities.category = (tpl.contextActivities.category || []).concat(categories.map((id) => ({ id })));
    }
    if (extra) tpl.extensions = Object.assign(tpl.extensions || {}, extra);
    return tpl;
  }
  function statement(verb, object, result, categories, extra) {
    const st = {
      id: uuid(), actor, verb: { id: ADL + verb, display: { "en-US": verb } }, object,
      context: context(categories, extra), timestamp: new Date().toISOString(),
    };
    if (result) st.result = result;
    return st;
  }
  const au = () => ({ objectType: "Activity", id: activityId });
  function send(make) {
    state.chain = state.chain.then(async () => {
      const st = make();
      const res = await fetch(endpoint + "statements", { method: "POST", headers: headers(), body: JSON.stringify(st) });
      if (!res.ok) throw new Error(st.verb.display["en-US"] + ": the LRS answered " + res.status + " " + (await res.text()));
      state.sent.push(st);
    }).catch((err) => { state.errors.push(String(err)); });
    return state.chain;
  }
  const normal = () => !state.launchData || !state.launchData.launchMode || state.launchData.launchMode === "Normal";

  window.parleyAdapter = {
    started() {
      if (state.sent.length || state.initialized) return;
      state.initialized = true;
      send(() => statement("initialized", au(), null, [CMI5]));
    },
    answered(info) {
      if (state.finished) return; // nothing after terminated
      const T = window.parley ? window.parley.table : null;
      const object = { objectType: "Activity", id: activityId + "/nodes/" + encodeURIComponent(info.node),
        definition: { type: "http://adlnet.gov/expapi/activities/cmi.interaction", interactionType: "choice",
          choices: info.options.map((id) => ({ id, description: { [(T && T.langs[0]) || "en"]: id } })) } };
      const result = { response: info.choice, extensions: { "https://parley.example/xapi/extensions/scores": info.scores } };
      send(() => statement("answered", object, result, []));
    },
    finished(r) {
      if (state.finished || !normal()) return;
      state.finished = true;
      send(() => statement("completed", au(), { completion: true, duration: duration() }, [CMI5, MOVEON]));
      const mastery = state.launchData && typeof state.launchData.masteryScore === "number" ? state.launchData.masteryScore : null;
      const passed = mastery !== null && r.scaled !== null ? r.scaled >= mastery : r.passed;
      const result = { success: passed, duration: duration() };
      if (r.scaled !== null) result.score = { scaled: r.scaled, raw: r.total, min: r.min, max: r.max };
      send(() => statement(passed ? "passed" : "failed", au(), result, [CMI5, MOVEON], mastery !== null ? { [MASTERY]: mastery } : null));
      send(() => statement("terminated", au(), { duration: duration() }, [CMI5]));
    },
  };
})();
