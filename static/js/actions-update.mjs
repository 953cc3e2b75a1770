// Progress update form: when red or amber is chosen, say next to the remedial action field that
// it is now required. The server enforces the rule either way; this only tells the author
// sooner. Loaded as a module (no inline script: CSP).
const note = document.querySelector("[data-app-remedial-note]");
const radios = document.querySelectorAll('input[name="status"]');

function refresh() {
  const chosen = document.querySelector('input[name="status"]:checked');
  const needed = chosen !== null && (chosen.value === "red" || chosen.value === "amber");
  if (note) note.hidden = !needed;
}

for (const radio of radios) radio.addEventListener("change", refresh);
refresh();
