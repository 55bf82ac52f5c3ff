// A SCORM 1.2 SCO written for the Onramp demo: three parts, a two-question check,
// the place kept in cmi.core.lesson_location (so the rep resumes where they left),
// the answers in cmi.suspend_data, the score in cmi.core.score.raw; the LMS decides
// passed or failed against the manifest's mastery score (75).
(function () {
  "use strict";

  function findAPI(win) {
    var tries = 0;
    while (win.API == null && win.parent != null && win.parent != win && tries < 7) {
      tries += 1;
      win = win.parent;
    }
    return win.API;
  }

  var api = findAPI(window);
  var parts = document.querySelectorAll("[data-part]");
  var back = document.querySelector("[data-back]");
  var next = document.querySelector("[data-next]");
  var check = document.querySelector("[data-check]");
  var result = document.querySelector("[data-result]");
  var current = 1;
  var right = { q1: "b", q2: "b" };

  function show(part) {
    current = part;
    parts.forEach(function (section) {
      section.hidden = section.dataset.part !== String(part);
    });
    back.hidden = part === 1;
    next.hidden = part !== 1;
    check.hidden = part !== 2;
    if (api) {
      api.LMSSetValue("cmi.core.lesson_location", String(part));
      api.LMSCommit("");
    }
  }

  function answers() {
    var chosen = {};
    Object.keys(right).forEach(function (name) {
      var picked = document.querySelector('input[name="' + name + '"]:checked');
      chosen[name] = picked ? picked.value : "";
    });
    return chosen;
  }

  function restore(saved) {
    saved.split(";").forEach(function (pair) {
      var bits = pair.split("=");
      var input = document.querySelector('input[name="' + bits[0] + '"][value="' + bits[1] + '"]');
      if (input) input.checked = true;
    });
  }

  back.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () {
    var status = api ? api.LMSGetValue("cmi.core.lesson_status") : "";
    if (api && (status === "" || status === "not attempted")) {
      api.LMSSetValue("cmi.core.lesson_status", "incomplete");
    }
    show(current + 1);
  });
  check.addEventListener("click", function () {
    var chosen = answers();
    var score = Object.keys(right).filter(function (name) {
      return chosen[name] === right[name];
    }).length * 50;
    result.textContent = score >= 75
      ? "Both right: you explore before you respond. This part is done."
      : "Not yet (" + score + "%). Explore comes before respond: try again.";
    if (api) {
      api.LMSSetValue("cmi.suspend_data", "q1=" + chosen.q1 + ";q2=" + chosen.q2);
      api.LMSSetValue("cmi.core.score.min", "0");
      api.LMSSetValue("cmi.core.score.max", "100");
      api.LMSSetValue("cmi.core.score.raw", String(score));
      api.LMSSetValue("cmi.core.lesson_status", score >= 75 ? "passed" : "failed");
      api.LMSSetValue("cmi.core.exit", score >= 75 ? "" : "suspend");
    }
    show(3);
  });
  window.addEventListener("pagehide", function () {
    if (!api) return;
    if (api.LMSGetValue("cmi.core.lesson_status") !== "passed") {
      api.LMSSetValue("cmi.core.exit", "suspend");
    }
    api.LMSFinish("");
  });

  if (api) {
    api.LMSInitialize("");
    // The cross-frame API answers from values primed before the page loaded.
    restore(api.LMSGetValue("cmi.suspend_data") || "");
    show(Number(api.LMSGetValue("cmi.core.lesson_location")) || 1);
  } else {
    show(1);
  }
})();
