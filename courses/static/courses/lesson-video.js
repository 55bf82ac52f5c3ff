// Reports what has been played of a lesson video, so that the server can tell when
// 90% has been watched; resumes where the person left off.
(function () {
  "use strict";

  const lesson = document.querySelector("[data-watch-url]");
  const video = lesson && lesson.querySelector("video[data-lesson-video]");
  if (!video) return;
  const status = document.querySelector("[data-watch-status]");
  let reported = "";

  video.addEventListener("loadedmetadata", () => {
    const resumeAt = parseFloat(lesson.dataset.resumeAt || "0");
    if (resumeAt > 1 && resumeAt < video.duration - 1) video.currentTime = resumeAt;
  }, { once: true });

  async function report() {
    const ranges = [];
    for (let i = 0; i < video.played.length; i += 1) ranges.push([video.played.start(i), video.played.end(i)]);
    const body = { ranges, position: video.currentTime };
    if (!ranges.length || JSON.stringify(body) === reported) return;
    reported = JSON.stringify(body);
    const reply = await window.Onramp.fetchJSON(lesson.dataset.watchUrl, { method: "POST", body, keepalive: true });
    if (!reply.ok || !status) return;
    const state = reply.data;
    status.textContent = state.completed
      ? gettext("You have completed this lesson.")
      : interpolate(
        gettext("You have watched %(watched)s of the video; %(needed)s completes the lesson."),
        { watched: window.Onramp.localDigits(state.watched_percent + "%"), needed: window.Onramp.localDigits("90%") },
        true,
      );
  }

  setInterval(report, 10000);
  video.addEventListener("pause", report);
  video.addEventListener("ended", report);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") report(); });
})();
