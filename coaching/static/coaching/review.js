// The review screen: a marker per comment on the timeline, seeking from markers and
// comment times, "C" to comment at the current moment ("I"/"O" set a range), and
// comments, replies and deletions saved with fetch. Without this script the same
// forms post and the page reloads.
(function () {
  "use strict";

  const root = document.querySelector("[data-review]");
  const list = document.querySelector("[data-comments]");
  if (!root || !list) return;
  const media = root.querySelector("[data-player] video, [data-player] audio");
  const track = root.querySelector("[data-markers]");
  const status = document.querySelector("[data-comment-status]");
  const emptyNote = document.querySelector("[data-no-comments]");
  const newForm = root.querySelector("[data-new-comment]");
  const nowButton = root.querySelector("[data-comment-now]");
  const nowLabel = root.querySelector("[data-now]");
  const serverDuration = Number(root.dataset.duration) || 0;
  const clock = window.Onramp.formatDuration;
  // Texts in the person's language (Django's JavaScript catalogue, loaded first).
  const gettext = window.gettext || ((text) => text);
  const interpolate = window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]));

  function duration() {
    return media && isFinite(media.duration) && media.duration > 0 ? media.duration : serverDuration;
  }

  function say(message, isError) {
    if (!status) return;
    status.textContent = message;
    status.classList.toggle("errorlist", Boolean(isError));
  }

  function seek(seconds) {
    if (!media) return;
    media.currentTime = Math.max(0, Math.min(seconds, duration() || seconds));
    say(interpolate(gettext("Jumped to %(time)s."), { time: clock(seconds) }, true));
  }

  // Markers: one button per top-level comment, placed by its start (and width by
  // its range), built from the list so that both always agree.
  function drawMarkers() {
    if (!track) return;
    const total = duration();
    track.replaceChildren();
    if (!total) return;
    list.querySelectorAll(":scope > li[data-comment]").forEach((item) => {
      const start = Number(item.dataset.start);
      const end = item.dataset.end ? Number(item.dataset.end) : null;
      const marker = document.createElement("button");
      marker.type = "button";
      marker.className = "marker" + (item.dataset.kind ? " marker-" + item.dataset.kind : "") + (end !== null ? " marker-range" : "");
      marker.style.left = (100 * start) / total + "%";
      if (end !== null) marker.style.width = Math.max(0.5, (100 * (end - start)) / total) + "%";
      marker.dataset.seek = String(start);
      marker.dataset.markerFor = item.dataset.comment;
      marker.setAttribute("aria-label", interpolate(gettext("Comment at %(time)s: %(text)s"), { time: clock(start), text: item.dataset.label || "" }, true));
      marker.title = clock(start) + " " + (item.dataset.label || "");
      track.appendChild(marker);
    });
  }

  function insertSorted(item) {
    const start = Number(item.dataset.start);
    const after = Array.from(list.querySelectorAll(":scope > li[data-comment]")).find((other) => Number(other.dataset.start) > start);
    list.insertBefore(item, after || null);
    if (emptyNote) emptyNote.hidden = true;
  }

  function fromHtml(html) {
    const holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return holder.content.firstElementChild;
  }

  async function post(form) {
    const { ok, status: code, data } = await window.Onramp.fetchJSON(form.action, { method: "POST", body: new FormData(form) });
    if (!ok) throw new Error(data.error || interpolate(gettext("The server answered %(code)s. Nothing was saved."), { code }, true));
    return data;
  }

  async function saveComment(form) {
    const button = form.querySelector("[type=submit]");
    button.disabled = true;
    try {
      const data = await post(form);
      const item = fromHtml(data.html);
      if (data.parent) {
        const parent = document.getElementById("comment-" + data.parent);
        parent.querySelector("[data-replies]").appendChild(item);
        const details = form.closest("details");
        if (details) details.open = false;
        say(gettext("Reply saved."));
      } else {
        insertSorted(item);
        drawMarkers();
        say(interpolate(gettext("Comment saved at %(time)s."), { time: clock(data.start) }, true));
      }
      form.querySelector("textarea").value = "";
      if (!data.parent && form.elements.end_seconds) form.elements.end_seconds.value = "";
    } catch (error) {
      say(error.message, true);
    } finally {
      button.disabled = false;
    }
  }

  async function deleteComment(form) {
    try {
      await post(form);
      const item = form.closest("li[data-comment]");
      item.remove();
      drawMarkers();
      if (emptyNote) emptyNote.hidden = list.children.length > 0;
      say(gettext("Comment deleted."));
    } catch (error) {
      say(error.message, true);
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented) return; // a data-confirm question was answered "no"
    if (form.matches("[data-comment-form]")) {
      event.preventDefault();
      saveComment(form);
    } else if (form.matches("[data-comment-delete]")) {
      event.preventDefault();
      deleteComment(form);
    }
  });

  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-seek]");
    if (!target) return;
    event.preventDefault();
    seek(Number(target.dataset.seek));
  });

  // Commenting at the current moment.
  function rounded(seconds) { return (Math.round(seconds * 100) / 100).toFixed(2); }

  function openCommentAt(seconds) {
    if (!newForm) return;
    if (media && !media.paused) media.pause();
    newForm.elements.start_seconds.value = rounded(seconds);
    const end = newForm.elements.end_seconds;
    if (end.value && Number(end.value) <= seconds) end.value = "";
    const text = newForm.elements.text;
    text.focus();
    say(interpolate(gettext("New comment at %(time)s."), { time: clock(seconds) }, true));
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]");
  }

  if (newForm && media) {
    media.addEventListener("timeupdate", () => { nowLabel.textContent = clock(media.currentTime); });
    media.addEventListener("seeked", () => { nowLabel.textContent = clock(media.currentTime); });
    nowButton.addEventListener("click", () => openCommentAt(media.currentTime));
    root.querySelector("[data-set-in]").addEventListener("click", () => { newForm.elements.start_seconds.value = rounded(media.currentTime); });
    root.querySelector("[data-set-out]").addEventListener("click", () => { newForm.elements.end_seconds.value = rounded(media.currentTime); });
    newForm.elements.text.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        newForm.requestSubmit();
      }
    });
    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === "c") {
        event.preventDefault();
        openCommentAt(media.currentTime);
      } else if (key === "i") {
        event.preventDefault();
        newForm.elements.start_seconds.value = rounded(media.currentTime);
        say(interpolate(gettext("Range starts at %(time)s."), { time: clock(media.currentTime) }, true));
      } else if (key === "o") {
        event.preventDefault();
        newForm.elements.end_seconds.value = rounded(media.currentTime);
        say(interpolate(gettext("Range ends at %(time)s."), { time: clock(media.currentTime) }, true));
      }
    });
  }

  // "Quote" beside a conversation metric: the metric goes into a new comment, over
  // the stretch it is about (the longest monologue) or at the current moment.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-quote]");
    if (!button || !newForm) return;
    event.preventDefault();
    if (button.dataset.quoteStart) {
      newForm.elements.start_seconds.value = button.dataset.quoteStart;
      newForm.elements.end_seconds.value = button.dataset.quoteEnd || "";
    } else if (media) {
      newForm.elements.start_seconds.value = rounded(media.currentTime);
    }
    const text = newForm.elements.text;
    text.value = text.value ? text.value + "\n" + button.dataset.quote : button.dataset.quote;
    text.focus();
    say(interpolate(gettext("Quoted in a new comment: %(quote)s."), { quote: button.dataset.quote }, true));
  });

  if (media) {
    media.addEventListener("loadedmetadata", drawMarkers);
    media.addEventListener("durationchange", drawMarkers);
  }
  drawMarkers();
})();
