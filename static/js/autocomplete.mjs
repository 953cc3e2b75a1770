// Selects of records (people, places, vehicles, handles) become GOV.UK's accessible
// autocomplete: type part of a name, choose from the matches. The select stays in the form,
// hidden, and holds the choice, so the form posts exactly what it would without JavaScript.
// Its options are what the server offered: only records the user may see.
//
// A multiple select becomes an autocomplete to add people and a list of those chosen, each
// with a "Remove" button; the autocomplete offers only those not chosen yet.
import "/static/build/accessible-autocomplete.min.js";

const { accessibleAutocomplete } = window;

function optionText(option) {
  return (option.textContent || "").trim();
}

// The input takes the select's id (the label, the error summary's link and the hint point at
// it): keep the hint and error ids beside the component's own assistive hint.
function keepDescribedBy(input, ids) {
  if (!ids) return;
  const apply = () => {
    const now = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    const wanted = [...ids.split(" "), ...now.filter((id) => !ids.split(" ").includes(id))];
    if (wanted.join(" ") !== now.join(" ")) input.setAttribute("aria-describedby", wanted.join(" "));
  };
  apply();
  new MutationObserver(apply).observe(input, { attributes: true, attributeFilter: ["aria-describedby"] });
}

function swapHint(select, id) {
  const hint = document.getElementById(`${id}-hint`);
  const { noJsHint, jsHint } = select.dataset;
  if (hint && noJsHint && jsHint) hint.textContent = hint.textContent.replace(noJsHint, jsHint);
}

function inputClasses(select) {
  return select.classList.contains("govuk-select--error") ? "govuk-input--error" : "";
}

function enhanceSingle(select) {
  const id = select.id;
  const describedBy = select.getAttribute("aria-describedby");
  accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: "",
    showAllValues: true,
    dropdownArrow: () => "",
    inputClasses: inputClasses(select),
  });
  const input = document.getElementById(id);
  keepDescribedBy(input, describedBy);
  // Clearing the box clears the choice (the library would keep the last one chosen).
  input.addEventListener("input", () => {
    if (!input.value.trim()) select.value = "";
  });
}

function enhanceMultiple(select) {
  const id = select.id;
  const describedBy = select.getAttribute("aria-describedby");
  const label = document.querySelector(`label[for="${id}"]`);
  const name = label ? label.textContent.replace(/\s*\(optional\)\s*$/, "").trim() : "";
  swapHint(select, id);

  const wrapper = document.createElement("div");
  wrapper.className = "app-autocomplete-multiple";
  wrapper.id = `${id}-picker`;
  const box = document.createElement("div");
  const chosenHeading = document.createElement("p");
  chosenHeading.className = "govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-1";
  chosenHeading.id = `${id}-chosen-heading`;
  const chosenList = document.createElement("ul");
  chosenList.className = "govuk-list app-autocomplete-multiple__chosen";
  chosenList.setAttribute("aria-labelledby", chosenHeading.id);
  const status = document.createElement("div");
  status.className = "govuk-visually-hidden";
  status.setAttribute("aria-live", "polite");
  wrapper.append(box, chosenHeading, chosenList, status);
  select.parentNode.insertBefore(wrapper, select);
  select.style.display = "none";
  select.id = `${id}-select`;
  select.removeAttribute("aria-describedby");
  select.required = false; // hidden now: the server says when nobody is chosen

  const options = () => [...select.options].filter((option) => option.value);
  const byText = (text) => options().find((option) => optionText(option) === text);

  function input() {
    return document.getElementById(id);
  }

  function clearInput() {
    const field = input();
    field.value = "";
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function drawChosen() {
    const chosen = options().filter((option) => option.selected);
    chosenHeading.textContent = chosen.length
      ? `Chosen (${chosen.length}):`
      : `None chosen yet.`;
    chosenList.replaceChildren(
      ...chosen.map((option) => {
        const item = document.createElement("li");
        item.className = "app-autocomplete-multiple__item";
        const text = document.createElement("span");
        text.textContent = optionText(option);
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "govuk-button govuk-button--secondary app-autocomplete-multiple__remove";
        remove.textContent = "Remove";
        const hidden = document.createElement("span");
        hidden.className = "govuk-visually-hidden";
        hidden.textContent = ` ${optionText(option)}`;
        remove.append(hidden);
        remove.addEventListener("click", () => {
          option.selected = false;
          drawChosen();
          status.textContent = `${optionText(option)} removed.`;
          input().focus();
        });
        item.append(text, " ", remove);
        return item;
      }),
    );
  }

  accessibleAutocomplete({
    element: box,
    id,
    name: "",
    showAllValues: true,
    confirmOnBlur: false,
    dropdownArrow: () => "",
    inputClasses: inputClasses(select),
    tNoResults: () => "No match (or already chosen)",
    menuAttributes: name ? { "aria-label": name } : {},
    source(query, populate) {
      const wanted = query.toLowerCase();
      populate(
        options()
          .filter((option) => !option.selected && optionText(option).toLowerCase().includes(wanted))
          .map(optionText),
      );
    },
    onConfirm(text) {
      const option = text && byText(text);
      if (!option || option.selected) return;
      option.selected = true;
      drawChosen();
      status.textContent = `${text} added.`;
      // After the library has put the chosen name in the box: empty it for the next one.
      setTimeout(clearInput, 0);
    },
  });
  keepDescribedBy(input(), describedBy);
  drawChosen();
}

export function enhanceAutocompletes(root = document) {
  if (!accessibleAutocomplete) return;
  for (const select of root.querySelectorAll('select[data-module="app-autocomplete"]')) {
    if (select.multiple) enhanceMultiple(select);
    else enhanceSingle(select);
  }
}
