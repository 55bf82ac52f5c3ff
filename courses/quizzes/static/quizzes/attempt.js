// Taking a quiz: answers saved as the person goes (on change, debounced), ordering
// with Up / Down buttons, and the countdown to the server's deadline. Without this
// script the form still works: every button posts the answers. Texts come from
// Django's JavaScript catalogue (/jsi18n/), loaded before this.
(function () {
  "use strict";

  var form = document.querySelector("form[data-quiz-form]");
  if (!form) return;
  var status = document.querySelector("[data-save-status]");
  var saveUrl = form.getAttribute("action");
  var autosaves = form.hasAttribute("data-submit-url");
  var timer = null;
  var dirty = false;
  var closing = false;
  var DEBOUNCE_MS = 800;

  function say(text) {
    if (status) status.textContent = text;
  }

  // One save at a time, so that an older save can never land after a newer one.
  var inFlight = false;
  var again = false;

  function save() {
    if (!autosaves || closing) return;
    clearTimeout(timer);
    timer = null;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    dirty = false;
    say(gettext("Saving…"));
    window.Onramp.fetchJSON(saveUrl, { method: "POST", body: new FormData(form) })
      .then(function (reply) {
        if (reply.ok) {
          // In the page's language, and so in its digits, like the counts.
          var at = new Date(reply.data.saved_at).toLocaleTimeString(document.documentElement.lang || [], {
            hour: "2-digit", minute: "2-digit", second: "2-digit",
          });
          say(interpolate(
            ngettext(
              "Saved at %(at)s · %(answered)s of %(total)s answered.",
              "Saved at %(at)s · %(answered)s of %(total)s answered.",
              reply.data.total
            ),
            {
              at: at,
              answered: window.Onramp.localDigits(reply.data.answered),
              total: window.Onramp.localDigits(reply.data.total),
            },
            true
          ));
        } else if (reply.data.result_url) {
          closing = true;
          say(interpolate(gettext("Not saved: %(error)s Opening your result…"),
            { error: reply.data.error }, true));
          window.location.assign(reply.data.result_url);
        } else {
          dirty = true;
          say(reply.data.error
            ? interpolate(gettext("Not saved: %(error)s"), { error: reply.data.error }, true)
            : gettext("Not saved: please try again."));
        }
      })
      .catch(function () {
        dirty = true;
        say(gettext(
          "Not saved: the connection failed. Your answers are still on this page; they will be saved with your next change or when you move on."
        ));
      })
      .then(function () {
        inFlight = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

  function saveSoon() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, DEBOUNCE_MS);
  }

  if (autosaves) {
    // A click on a choice is saved at once; typing waits for a pause.
    form.addEventListener("change", function (event) {
      if (event.target.type === "text") saveSoon();
      else save();
    });
    form.addEventListener("input", function (event) {
      if (event.target.type === "text") saveSoon();
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.type === "text") {
        event.preventDefault();
        save();
      }
    });
    // A reload or a closed tab must not lose a change made in the last moment.
    window.addEventListener("pagehide", function () {
      if (dirty && !closing && navigator.sendBeacon) {
        navigator.sendBeacon(saveUrl, new FormData(form));
      }
    });
    form.addEventListener("submit", function () {
      clearTimeout(timer);
      dirty = false;
    });
    // An answer given before this script ran (a slow page) met no listener: save it now.
    if (Array.prototype.some.call(form.elements, changedSinceLoaded)) save();
  }

  // Whether a field differs from what the page was sent with.
  function changedSinceLoaded(field) {
    if (field.type === "radio" || field.type === "checkbox") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT" && !field.multiple) {
      var sent = 0;
      for (var i = 0; i < field.options.length; i += 1) {
        if (field.options[i].defaultSelected) sent = i;
      }
      return field.selectedIndex !== sent;
    }
    if (field.type === "text" || field.tagName === "TEXTAREA") {
      return field.value !== field.defaultValue;
    }
    return false;
  }

  // Ordering: move an item with its Up / Down buttons, keep focus on the item.
  function refreshButtons(list) {
    var items = list.querySelectorAll("li");
    items.forEach(function (item, index) {
      item.querySelector('[data-move="up"]').disabled = index === 0;
      item.querySelector('[data-move="down"]').disabled = index === items.length - 1;
    });
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-move]");
    if (!button || !autosaves) return;
    event.preventDefault();
    var item = button.closest("li");
    var list = item.parentElement;
    var up = button.getAttribute("data-move") === "up";
    var sibling = up ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) return;
    list.insertBefore(item, up ? sibling : sibling.nextElementSibling);
    refreshButtons(list);
    list.parentElement.querySelector("[data-ordering-touched]").value = "1";
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    var position = items.indexOf(item) + 1;
    var announce = list.parentElement.querySelector("[data-ordering-status]");
    if (announce) {
      announce.textContent = interpolate(
        gettext("“%(item)s” is now number %(position)s of %(total)s."),
        {
          item: item.querySelector(".ordering-text").textContent,
          position: window.Onramp.localDigits(position),
          total: window.Onramp.localDigits(items.length),
        },
        true
      );
    }
    (button.disabled ? item.querySelector("button:not(:disabled)") : button).focus();
    saveSoon();
  });

  // The countdown: the server's deadline, as seconds left when the page was made.
  var clock = document.querySelector("[data-quiz-timer]");
  if (clock) {
    var display = clock.querySelector("[data-timer-display]");
    var alertBox = document.querySelector("[data-timer-alert]");
    var endsAt = Date.now() + 1000 * parseInt(clock.getAttribute("data-seconds-left"), 10);
    var warned = {};
    var submitUrl = form.getAttribute("data-submit-url") || form.getAttribute("action");
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      display.textContent = window.Onramp.formatDuration(left);
      clock.classList.toggle("running-out", left <= 60);
      [300, 60].forEach(function (mark) {
        if (left <= mark && left > 0 && !warned[mark]) {
          warned[mark] = true;
          if (alertBox) {
            alertBox.textContent = interpolate(
              ngettext("%(minutes)s minute left.", "%(minutes)s minutes left.", mark / 60),
              { minutes: window.Onramp.localDigits(mark / 60) },
              true
            );
          }
        }
      });
      if (left === 0 && !closing) {
        closing = true;
        clearInterval(interval);
        if (alertBox) alertBox.textContent = gettext("Time is up. Submitting your answers…");
        form.setAttribute("action", submitUrl);
        form.submit();
      }
    };
    var interval = setInterval(tick, 1000);
    tick();
  }
})();
