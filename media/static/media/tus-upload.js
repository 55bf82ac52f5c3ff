// A small tus 1.0.0 client: resumable, chunked uploads with progress, pause/resume,
// retries after a dropped connection and resumption after a page reload.
(function () {
  "use strict";

  const CHUNK_SIZE = 5 * 1024 * 1024;
  const RETRY_DELAYS = [1000, 3000, 5000, 10000, 20000, 30000];

  function encodeMetadata(metadata) {
    return Object.entries(metadata)
      .filter(([, value]) => value !== undefined && value !== null && value !== "")
      .map(([key, value]) => key + " " + btoa(unescape(encodeURIComponent(String(value)))))
      .join(",");
  }

  function request(method, url, headers, body, onUploadProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("Tus-Resumable", "1.0.0");
      Object.entries(headers || {}).forEach(([name, value]) => xhr.setRequestHeader(name, value));
      if (onUploadProgress) xhr.upload.onprogress = (event) => onUploadProgress(event.loaded);
      xhr.onload = () => resolve(xhr);
      xhr.onerror = () => reject(new Error("network"));
      xhr.onabort = () => reject(new Error("aborted"));
      request.current = xhr;
      xhr.send(body || null);
    });
  }

  class TusUpload {
    constructor(file, options) {
      this.file = file;
      this.endpoint = options.endpoint;
      this.metadata = options.metadata || {};
      this.onProgress = options.onProgress || (() => {});
      this.onRetry = options.onRetry || (() => {});
      this.paused = false;
      this.storageKey = "tus:" + [file.name, file.size, file.lastModified, this.metadata.kind].join(":");
    }

    async start() {
      this.paused = false;
      this.url = null; // (re)starting: ask the server how much it already has
      this.attempt = 0; // retries in a row; progress resets it
      for (;;) {
        try {
          if (!this.url) await this.locate();
          await this.send();
          localStorage.removeItem(this.storageKey);
          return this.url;
        } catch (error) {
          if (this.paused || error.refused) throw error;
          if (this.attempt >= RETRY_DELAYS.length) throw new Error(gettext("The connection keeps dropping. Try again later: the upload will continue where it stopped."));
          this.onRetry(RETRY_DELAYS[this.attempt]);
          await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS[this.attempt]));
          this.attempt += 1;
          this.url = null; // ask the server where we are
        }
      }
    }

    pause() {
      this.paused = true;
      if (request.current) request.current.abort();
    }

    async locate() {
      const known = localStorage.getItem(this.storageKey);
      if (known) {
        const head = await request("HEAD", known);
        if (head.status === 200) {
          this.url = known;
          this.offset = parseInt(head.getResponseHeader("Upload-Offset"), 10);
          return;
        }
        localStorage.removeItem(this.storageKey);
      }
      const created = await request("POST", this.endpoint, {
        "Upload-Length": String(this.file.size),
        "Upload-Metadata": encodeMetadata({ filename: this.file.name, ...this.metadata }),
      });
      if (created.status !== 201) throw refused(created);
      this.url = new URL(created.getResponseHeader("Location"), window.location.href).href;
      this.offset = 0;
      localStorage.setItem(this.storageKey, this.url);
    }

    async send() {
      while (this.offset < this.file.size) {
        if (this.paused) throw new Error("paused");
        const chunk = this.file.slice(this.offset, this.offset + CHUNK_SIZE);
        const start = this.offset;
        const response = await request(
          "PATCH",
          this.url,
          { "Upload-Offset": String(start), "Content-Type": "application/offset+octet-stream" },
          chunk,
          (loaded) => this.onProgress(start + loaded, this.file.size),
        );
        if (response.status === 409 || response.status >= 500) throw new Error("resync");
        if (response.status !== 204) throw refused(response);
        this.offset = parseInt(response.getResponseHeader("Upload-Offset"), 10);
        this.attempt = 0;
        this.onProgress(this.offset, this.file.size);
      }
    }
  }

  // Texts in the person's language (Django's JavaScript catalogue, loaded first).
  const gettext = window.gettext || ((text) => text);
  const interpolate = window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]));
  // Numbers in the page's digits (site.js), where the page loads it.
  const localDigits = (text) => (window.Onramp ? window.Onramp.localDigits(text) : String(text));

  function refused(response) {
    const error = new Error(response.responseText || interpolate(gettext("The upload was refused (%(status)s)."), { status: response.status }, true));
    error.refused = true;
    return error;
  }

  function formatBytes(bytes) {
    const units = [gettext("bytes"), "KB", "MB", "GB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
    // As the server words sizes: "1 MB", "11.8 MB" (in the page's digits).
    return localDigits(unit === 0 ? value : value.toFixed(1).replace(/\.0$/, "")) + " " + units[unit];
  }

  // Wires a [data-uploader] block: a form with a file (or a recorded blob), a title,
  // a progress bar, pause/resume buttons and an error line.
  function bindUploader(root, getFile) {
    const form = root.querySelector("form");
    const progress = root.querySelector("progress");
    const progressBox = root.querySelector("[data-progress]");
    const text = root.querySelector("[data-progress-text]");
    const error = root.querySelector("[data-error]");
    const pause = root.querySelector("[data-pause]");
    const resume = root.querySelector("[data-resume]");
    const submit = form.querySelector("[type=submit]");
    let upload = null;

    function show(element, visible) { if (element) element.hidden = !visible; }
    function fail(message) { error.textContent = message; show(error, true); submit.disabled = false; show(pause, false); show(resume, false); }

    async function run() {
      show(error, false);
      show(pause, true);
      show(resume, false);
      try {
        const url = await upload.start();
        text.textContent = gettext("Uploaded. Processing starts now…");
        const id = url.replace(/\/$/, "").split("/").pop();
        window.location.assign(root.dataset.detailUrl.replace("00000000-0000-0000-0000-000000000000", id));
      } catch (err) {
        if (upload.paused) { text.textContent = interpolate(gettext("Paused at %(percent)s."), { percent: localDigits(progress.value + "%") }, true); return; }
        fail(err.message);
      }
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const file = getFile();
      if (!file) { fail(gettext("Choose a file first.")); return; }
      if (file.size > Number(root.dataset.maxBytes)) { fail(interpolate(gettext("This file is %(size)s; the limit is %(limit)s."), { size: formatBytes(file.size), limit: formatBytes(Number(root.dataset.maxBytes)) }, true)); return; }
      submit.disabled = true;
      show(progressBox, true);
      const title = form.querySelector("[name=title]");
      upload = new TusUpload(file, {
        endpoint: root.dataset.endpoint,
        metadata: { kind: root.dataset.kind, title: title ? title.value : "", filetype: file.type },
        onProgress(sent, total) {
          const percent = total ? Math.floor((100 * sent) / total) : 100;
          progress.value = percent;
          text.textContent = interpolate(gettext("%(percent)s · %(sent)s of %(total)s"), { percent: localDigits(percent + "%"), sent: formatBytes(sent), total: formatBytes(total) }, true);
        },
        onRetry(delay) { text.textContent = interpolate(gettext("Connection lost. Trying again in %(seconds)s s…"), { seconds: localDigits(delay / 1000) }, true); },
      });
      run();
    });
    submit.disabled = false; // rendered disabled until this script owns the form
    if (pause) pause.addEventListener("click", () => { upload.pause(); show(pause, false); show(resume, true); resume.focus(); });
    if (resume) resume.addEventListener("click", () => { show(resume, false); show(pause, true); pause.focus(); run(); });
  }

  window.Onramp = Object.assign(window.Onramp || {}, { TusUpload, bindUploader });

  document.querySelectorAll("[data-uploader][data-source=file]").forEach((root) => {
    const input = root.querySelector("input[type=file]");
    bindUploader(root, () => input.files[0]);
  });
})();
