// Parley web player -> SCORM 1.2: finds the LMS's API object (this window, its parents, its
// opener), starts the session, and at the end reports the score (0..100: the play's total
// against the scenario's worst and best, looked up in the state table) and passed/failed.
"use strict";
(function () {
  function find(win) {
    for (let n = 0; win && n < 10; n++) {
      try {
        if (win.API) return win.API;
      } catch (err) { return null; } // a parent from another origin
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  const api = find(window) || (window.opener ? find(window.opener) : null);
  let open = false;
  function call(name, ...args) {
    if (!api || typeof api[name] !== "function") return "";
    try { return String(api[name](...args)); } catch (err) { console.error("SCORM", name, err); return ""; }
  }
  window.parleyAdapter = {
    started() {
      if (!api) return;
      if (!open) open = call("LMSInitialize", "") === "true";
      const status = call("LMSGetValue", "cmi.core.lesson_status");
      if (status === "" || status === "not attempted") call("LMSSetValue", "cmi.core.lesson_status", "incomplete");
      call("LMSCommit", "");
    },
    answered(info) {
      if (!open) return;
      call("LMSSetValue", "cmi.core.lesson_location", String(info.turn));
      call("LMSCommit", "");
    },
    finished(result) {
      if (!open) return;
      if (result.percent !== null) {
        call("LMSSetValue", "cmi.core.score.min", "0");
        call("LMSSetValue", "cmi.core.score.max", "100");
        call("LMSSetValue", "cmi.core.score.raw", String(result.percent));
      }
      call("LMSSetValue", "cmi.core.lesson_status", result.passed ? "passed" : "failed");
      call("LMSSetValue", "cmi.core.exit", "");
      call("LMSCommit", "");
    },
  };
  window.addEventListener("pagehide", () => { if (open) { call("LMSFinish", ""); open = false; } });
})();
