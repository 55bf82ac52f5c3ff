// Record in the browser with MediaRecorder: camera and microphone, or the microphone
// alone; a countdown, a timer, a maximum length, a preview, re-take, then the same
// resumable upload as a chosen file.
(function () {
  "use strict";

  const root = document.querySelector("[data-recorder]");
  if (!root) return;
  const maxSeconds = Number(root.dataset.maxSeconds);
  const live = root.querySelector("[data-live]");
  const preview = root.querySelector("[data-preview]");
  const countdown = root.querySelector("[data-countdown]");
  const timer = root.querySelector("[data-timer]");
  const status = root.querySelector("[data-recorder-status]");
  const startButton = root.querySelector("[data-start-recording]");
  const stopButton = root.querySelector("[data-stop-recording]");
  const retakeButton = root.querySelector("[data-retake]");
  const uploader = root.querySelector("[data-uploader]");
  let stream = null;
  let recorder = null;
  let take = null;
  let ticking = null;

  function mode() {
    return root.querySelector("input[name=mode]:checked").value;
  }

  function mimeType(withVideo) {
    const candidates = withVideo
      ? ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"]
      : ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg"];
    return candidates.find((type) => window.MediaRecorder && MediaRecorder.isTypeSupported(type)) || "";
  }

  // Texts in the person's language (Django's JavaScript catalogue, loaded first).
  const gettext = window.gettext || ((text) => text);
  const interpolate = window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]));
  function say(message) { status.textContent = message; }

  async function start() {
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      say(gettext("This browser cannot record. Record with another app and upload the file instead."));
      return;
    }
    const withVideo = mode() === "camera";
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: withVideo });
    } catch (error) {
      say(interpolate(withVideo ? gettext("Onramp could not use your camera or microphone: %(error)s. Allow access in the browser and try again.") : gettext("Onramp could not use your microphone: %(error)s. Allow access in the browser and try again."), { error: error.message }, true));
      return;
    }
    startButton.disabled = true;
    retakeButton.hidden = true;
    uploader.hidden = true;
    preview.hidden = true;
    live.hidden = !withVideo;
    live.srcObject = withVideo ? stream : null;
    for (let n = 3; n > 0; n -= 1) {
      countdown.textContent = interpolate(gettext("Recording starts in %(seconds)s…"), { seconds: window.Onramp.localDigits(n) }, true);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    countdown.textContent = gettext("Recording.");
    const type = mimeType(withVideo);
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    const parts = [];
    recorder.ondataavailable = (event) => { if (event.data.size) parts.push(event.data); };
    recorder.onstop = () => finish(parts, recorder.mimeType || type, withVideo);
    recorder.start(1000);
    const began = Date.now();
    stopButton.hidden = false;
    stopButton.focus();
    ticking = setInterval(() => {
      const elapsed = (Date.now() - began) / 1000;
      timer.textContent = window.Onramp.formatDuration(elapsed);
      if (elapsed >= maxSeconds) stop();
    }, 250);
  }

  function stop() {
    if (recorder && recorder.state !== "inactive") recorder.stop();
    clearInterval(ticking);
    stream.getTracks().forEach((track) => track.stop());
    stopButton.hidden = true;
    countdown.textContent = "";
  }

  function finish(parts, type, withVideo) {
    const extension = type.includes("mp4") ? (withVideo ? "mp4" : "m4a") : type.includes("ogg") ? "ogg" : "webm";
    const stamp = new Date().toISOString().slice(0, 16).replace("T", " ").replace(":", "h");
    take = new File(parts, "recording " + stamp + "." + extension, { type: type.split(";")[0] });
    live.hidden = true;
    live.srcObject = null;
    preview.src = URL.createObjectURL(take);
    preview.hidden = false;
    retakeButton.hidden = false;
    startButton.disabled = false;
    uploader.hidden = false;
    say(interpolate(gettext("Your take is %(length)s long. Play it back, then upload it or record again."), { length: timer.textContent }, true));
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
  retakeButton.addEventListener("click", () => { take = null; preview.hidden = true; uploader.hidden = true; start(); });
  window.Onramp.bindUploader(uploader, () => take);
})();
