// Copy a certificate's verification link; the status line announces the result.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copy);
  const status = document.getElementById("copy-status");
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = "Link copied.";
  } catch (error) {
    status.textContent = "Press Ctrl+C (or Cmd+C) to copy the selected link.";
  }
});
