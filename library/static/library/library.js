// The library's item page: the copy button puts a card's text on the clipboard
// and tells the server (content usage). No inline handlers: the CSP refuses them.
(function (global) {
  "use strict";
  const document = global.document;
  // Texts in the person's language (Django's JavaScript catalogue, loaded first).
  const gettext = global.gettext || ((text) => text);

  async function copy(button) {
    const source = document.getElementById(button.dataset.copyTarget);
    const status = button.parentElement.querySelector("[data-copy-status]");
    if (!source) return;
    try {
      await global.navigator.clipboard.writeText(source.innerText.trim());
      if (status) status.textContent = gettext("Copied.");
    } catch (error) {
      if (status) status.textContent = gettext("Your browser did not allow copying: select the text instead.");
      return;
    }
    if (button.dataset.copyUrl && global.Onramp) {
      global.Onramp.fetchJSON(button.dataset.copyUrl, { method: "POST", body: {} });
    }
  }

  async function copyInput(button) {
    const input = document.getElementById(button.dataset.copyInput);
    const status = button.parentElement.querySelector("[data-copy-status]");
    if (!input) return;
    try {
      await global.navigator.clipboard.writeText(input.value);
      if (status) status.textContent = gettext("Copied.");
    } catch (error) {
      input.select();
      if (status) status.textContent = gettext("Press Ctrl+C to copy.");
    }
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy-target]");
    if (button) copy(button);
    const linkButton = event.target.closest("[data-copy-input]");
    if (linkButton) copyInput(linkButton);
  });
})(globalThis);
