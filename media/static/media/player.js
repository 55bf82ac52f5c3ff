// The player page: waits for processing, then draws the waveform under the player;
// clicking the waveform seeks. The native controls stay the keyboard interface.
(function () {
  "use strict";

  document.querySelectorAll("[data-player]").forEach((root) => {
    const state = root.dataset.status;
    if (state !== "ready" && state !== "failed") {
      const label = root.querySelector("[data-status-text]");
      const timer = setInterval(async () => {
        const { ok, status, data } = await window.Onramp.fetchJSON(root.dataset.statusUrl);
        if (status === 404) { clearInterval(timer); window.location.reload(); return; }
        if (!ok) return;
        if (label) label.textContent = window.Onramp.localDigits(data.label) + "…";
        if (data.status === "ready" || data.status === "failed") {
          clearInterval(timer);
          window.location.reload();
        }
      }, 2000);
      return;
    }
    const media = root.querySelector("video, audio");
    const canvas = root.querySelector("canvas[data-waveform]");
    const peaks = window.Onramp.jsonData("waveform-peaks", null);
    if (!media || !canvas || !peaks) return;
    if (!peaks.length) { canvas.hidden = true; return; }

    function draw() {
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth;
      const height = canvas.clientHeight;
      canvas.width = width * ratio;
      canvas.height = height * ratio;
      const context = canvas.getContext("2d");
      context.scale(ratio, ratio);
      const played = media.duration ? media.currentTime / media.duration : 0;
      const bars = Math.min(peaks.length, Math.floor(width / 2));
      const step = peaks.length / bars;
      for (let bar = 0; bar < bars; bar += 1) {
        let peak = 0;
        for (let i = Math.floor(bar * step); i < Math.floor((bar + 1) * step); i += 1) peak = Math.max(peak, peaks[i]);
        const barHeight = Math.max(1, peak * (height - 4));
        context.fillStyle = bar / bars < played ? "#1f4fbf" : "#9aa7b8";
        context.fillRect(bar * 2, (height - barHeight) / 2, 1.5, barHeight);
      }
    }

    canvas.addEventListener("click", (event) => {
      if (!media.duration) return;
      const rect = canvas.getBoundingClientRect();
      media.currentTime = ((event.clientX - rect.left) / rect.width) * media.duration;
    });
    media.addEventListener("timeupdate", draw);
    media.addEventListener("loadedmetadata", draw);
    window.addEventListener("resize", draw);
    draw();
  });
})();
