// Copies the compiled front-end libraries' fonts, images and scripts from node_modules into
// static/build/, where Django's staticfiles serves them. Nothing third-party is committed.
import { cpSync, mkdirSync } from "node:fs";

const copies = [
  ["node_modules/govuk-frontend/dist/govuk/assets/images", "static/build/frontend/images"],
  ["node_modules/@ministryofjustice/frontend/moj/assets/images", "static/build/frontend/images"],
  ["node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", "static/build/govuk-frontend.min.js"],
  ["node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js", "static/build/moj-frontend.min.js"],
  [
    "node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js",
    "static/build/accessible-autocomplete.min.js",
  ],
  ["node_modules/axe-core/axe.min.js", "static/build/axe.min.js"],
];
mkdirSync("static/build/frontend", { recursive: true });
for (const [from, to] of copies) {
  cpSync(from, to, { recursive: true });
}
