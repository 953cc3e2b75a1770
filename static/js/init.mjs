// Starts GOV.UK Frontend and MOJ Frontend components. Loaded as a module, so it only runs in
// browsers the libraries support; no inline script is needed (CSP forbids them).
import { initAll as initGovuk } from "/static/build/govuk-frontend.min.js";
import { initAll as initMoj } from "/static/build/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();
