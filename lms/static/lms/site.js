// Onramp's shared page helpers, loaded (deferred) on every page before the page's own
// script, which finds them on window.Onramp. Pages carry no inline script or event
// handler attribute (the Content-Security-Policy refuses them): data the scripts need
// is in data- attributes or in <script type="application/json"> blocks.
(function (global) {
  "use strict";

  // The digits of a language, as the browser's Intl (CLDR) writes them: null for
  // the Western ones. The server takes them from the same CLDR data
  // (lms.lib.digits), so a number written here reads like one the page came with.
  const digitsOf = {};
  function languageDigits(language) {
    if (!(language in digitsOf)) {
      let digits = null;
      try {
        const format = new Intl.NumberFormat(language, { useGrouping: false });
        const written = Array.from({ length: 10 }, (_, digit) => format.format(digit));
        digits = written.join("") === "0123456789" ? null : written;
      } catch (error) {
        digits = null;
      }
      digitsOf[language] = digits;
    }
    return digitsOf[language];
  }

  // `text` with its Western digits in the digits of the page's language
  // (<html lang>): "3 of 4" reads "৩ of ৪" on a Bengali page. For what a person
  // reads only; values sent back to the server keep their Western digits.
  function localDigits(text) {
    const language = global.document ? global.document.documentElement.lang : "";
    const digits = language ? languageDigits(language) : null;
    const value = String(text);
    return digits ? value.replace(/[0-9]/g, (digit) => digits[digit]) : value;
  }

  // How long something lasts, or where a moment is in a recording: m:ss under an
  // hour, h:mm:ss from one hour on ("0:59", "1:00", "1:02:03", never "62:03"), whole
  // seconds rounded down, and "0:00" for anything below zero or not a number, in the
  // page's digits. The server writes the same with lms.lib.durations.format_duration
  // (and its pages' digits with lms.lib.digits).
  function formatDuration(seconds) {
    const value = Number(seconds);
    const whole = Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
    const hours = Math.floor(whole / 3600);
    const minutes = Math.floor((whole % 3600) / 60);
    const rest = String(whole % 60).padStart(2, "0");
    return localDigits(hours ? hours + ":" + String(minutes).padStart(2, "0") + ":" + rest : minutes + ":" + rest);
  }

  // Django's CSRF token: the cookie (current after signing in again), else the one a
  // form on this page carries.
  function csrfToken() {
    const cookie = global.document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (cookie) return decodeURIComponent(cookie[1]);
    const field = global.document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // fetch() for Onramp's own JSON endpoints: same-origin credentials, the CSRF
  // header on anything but GET and HEAD, a FormData body as is and any other body
  // as JSON. Resolves to { ok, status, data } with data {} when the answer is not
  // JSON; rejects only when the connection fails.
  async function fetchJSON(url, options) {
    const settings = options || {};
    const method = (settings.method || "GET").toUpperCase();
    const headers = { Accept: "application/json" };
    let body = settings.body;
    if (method !== "GET" && method !== "HEAD") headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    const response = await fetch(url, {
      method,
      body,
      headers,
      credentials: "same-origin",
      keepalive: Boolean(settings.keepalive),
    });
    let data = {};
    try { data = await response.json(); } catch (error) { data = {}; }
    return { ok: response.ok, status: response.status, data };
  }

  // A form with data-confirm="Question?" is sent only if the person agrees.
  function confirmBeforeSubmit(event) {
    const question = event.target.dataset.confirm;
    if (question && !global.confirm(question)) event.preventDefault();
  }

  // The body of a <script type="application/json" id="..."> block (Django's
  // json_script), or `fallback` when the page has none.
  function jsonData(id, fallback) {
    const block = global.document.getElementById(id);
    return block ? JSON.parse(block.textContent) : fallback;
  }

  if (global.document) global.document.addEventListener("submit", confirmBeforeSubmit);

  global.Onramp = Object.assign(global.Onramp || {}, { formatDuration, localDigits, csrfToken, fetchJSON, jsonData });
})(globalThis);
