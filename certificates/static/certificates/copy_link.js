// Copy a certificate's verification link; the status line announces the result.
// Texts come from Django's JavaScript catalogue (/jsi18n/), loaded before this.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copy);
  const status = document.getElementById("copy-status");
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = gettext("Link copied.");
  } catch (error) {
    status.textContent = gettext("Press Ctrl+C (or Cmd+C) to copy the selected link.");
  }
});
