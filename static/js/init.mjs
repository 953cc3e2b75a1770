// Starts GOV.UK Frontend and MOJ Frontend components. Loaded as a module, so it only runs in
// browsers the libraries support; no inline script is needed (CSP forbids them).
import { initAll as initGovuk } from "/static/build/govuk-frontend.min.js";
import { initAll as initMoj } from "/static/build/moj-frontend.min.js";
import { enhanceAutocompletes } from "/static/js/autocomplete.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();

// On a small screen a wide table scrolls inside its own box (app.css): make that box
// reachable by keyboard when it holds nothing focusable, and name it for screen readers.
function markScrollingTables() {
  for (const table of document.querySelectorAll(".govuk-table")) {
    const scrolls = table.scrollWidth > table.clientWidth + 1;
    const focusable = table.querySelector("a, button, input, select, textarea, [tabindex]");
    if (scrolls && !focusable) {
      table.setAttribute("tabindex", "0");
    } else if (!scrolls && table.getAttribute("tabindex") === "0") {
      table.removeAttribute("tabindex");
    }
  }
}
markScrollingTables();
window.addEventListener("resize", markScrollingTables);

enhanceAutocompletes();
