// Follows committee reports being made: polls each report's JSON status and updates its tag;
// when one finishes the page reloads once to show the download link. No inline script (CSP).
const POLL_MS = 2000;
const MAX_POLLS = 300;

function follow(tag) {
  const url = tag.dataset.reportStatusUrl;
  let polls = 0;
  const tick = async () => {
    polls += 1;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const status = await response.json();
      tag.textContent = status.label;
      if (status.done) {
        window.location.reload();
        return;
      }
    } catch (error) {
      // A dropped connection is not fatal: try again on the next tick.
    }
    if (polls < MAX_POLLS) window.setTimeout(tick, POLL_MS);
  };
  window.setTimeout(tick, POLL_MS);
}

document.querySelectorAll("[data-report-status-url]").forEach(follow);
