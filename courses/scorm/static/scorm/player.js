// The SCORM player of a SCORM step page. The package runs in a sandboxed iframe
// (sandbox="allow-scripts", no allow-same-origin: an opaque origin, so it reads no
// cookie of this site and calls nothing with the person's session). The SCORM
// runtime (scorm-again's Scorm12API or Scorm2004API) lives here, in the parent
// page; the package reaches it through scorm-again's CrossFrameAPI, which the
// server puts first in each of its HTML pages and which talks to this page by
// postMessage. Only messages from the player's own iframe are answered.
(function (global) {
  "use strict";

  const root = global.document.querySelector("[data-scorm-player]");
  if (!root) return;
  const frame = root.querySelector("[data-scorm-frame]");
  const message = root.querySelector("[data-scorm-message]");
  const start = root.querySelector("[data-scorm-start]");
  let launched = null;
  let current = null; // { sco, api, lms }

  function say(text) { message.textContent = text; }

  function randomKey() {
    const bytes = new Uint8Array(16);
    global.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function mark(sco, text) {
    const badge = root.querySelector('[data-sco-status="' + sco.id + '"]');
    if (badge) badge.textContent = text;
  }

  function onMessage(event) {
    if (current && frame.contentWindow && event.source === frame.contentWindow) {
      current.lms._onMessage(event);
    }
  }

  function stop() {
    if (!current) return;
    if (current.lms.destroy) current.lms.destroy();
    current = null;
  }

  function play(sco) {
    stop();
    const Runtime = launched.standard === "1.2" ? global.Scorm12API : global.Scorm2004API;
    const api = new Runtime({
      lmsCommitUrl: sco.commit_url,
      dataCommitFormat: "flattened",
      autocommit: false,
      logLevel: 4,
      xhrHeaders: {
        "X-CSRFToken": global.Onramp.csrfToken(),
        "X-Scorm-Session": randomKey(),
      },
      // Commits are synchronous XHRs (scorm-again's default, as SCORM expects).
      xhrResponseHandler: function (xhr) {
        let answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (error) { answer = {}; }
        if (answer.done) mark(sco, pgettext("SCORM part status", "done"));
        if (answer.completed) say(gettext("You have completed this step."));
        else if (answer.errors) say(interpolate(gettext("Some values were refused: %(names)s"), { names: Object.keys(answer.errors).join(", ") }, true));
        else if (answer.result === true) say(gettext("Progress saved."));
        const ok = xhr.status >= 200 && xhr.status < 300 && answer.result === true;
        return { result: ok ? "true" : "false", errorCode: ok ? 0 : answer.errorCode || 101 };
      },
    });
    api.loadFromFlattenedJSON(sco.cmi, "");
    const lms = new global.CrossFrameLMS(api, "*");
    // Answer only the player's iframe (checked in onMessage), not any window.
    global.removeEventListener("message", lms._boundOnMessage);
    current = { sco, api, lms };
    root.querySelectorAll("[data-sco]").forEach((button) => {
      button.setAttribute("aria-current", String(button.dataset.sco === String(sco.id)));
    });
    frame.hidden = false;
    frame.src = sco.url;
    say(interpolate(gettext("Playing %(title)s."), { title: sco.title }, true));
  }

  async function launch(scoId) {
    start.disabled = true;
    const answer = await global.Onramp.fetchJSON(root.dataset.launchUrl, { method: "POST" });
    start.disabled = false;
    if (!answer.ok) {
      say(answer.data.error || gettext("The package could not be started."));
      return;
    }
    launched = answer.data;
    const chosen =
      launched.scos.find((sco) => String(sco.id) === String(scoId)) ||
      launched.scos.find((sco) => !sco.done) ||
      launched.scos[0];
    play(chosen);
  }

  global.addEventListener("message", onMessage);
  start.addEventListener("click", () => launch(null));
  root.querySelectorAll("[data-sco]").forEach((button) => {
    button.addEventListener("click", () => launch(button.dataset.sco));
  });
})(window);
