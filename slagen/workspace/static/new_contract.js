// The new-contract form: choosing a starter package refills the hours, services and priority
// matrix from it; choosing the governing law refills the currency, time zone and holidays, except
// those the user has changed (a field still showing the previous law's default was not changed).
// The values come from the page itself (#refill-data, computed by the server from the library);
// without JavaScript the "Use this package and law" button asks the server for the same refill.
(function () {
  "use strict";
  const data = document.getElementById("refill-data");
  const form = document.querySelector("form.guided");
  if (!data || !form) return;
  const refill = JSON.parse(data.textContent);
  const packageSelect = document.getElementById("package");
  const lawSelect = document.getElementById("jurisdiction");
  const previousLaw = document.getElementById("previous-jurisdiction");
  const description = document.getElementById("package-description");
  const descriptions = {};
  for (const option of packageSelect.options) descriptions[option.value] = option.dataset.description || "";

  function set(name, value) {
    const field = form.elements.namedItem(name);
    if (field && field.type === "checkbox") field.checked = Boolean(value); // on call out of hours
    else if (field) field.value = value;
  }

  packageSelect.addEventListener("change", function () {
    const values = refill.packages[packageSelect.value] || {};
    for (const name of Object.keys(values)) set(name, values[name]);
    if (description) description.textContent = descriptions[packageSelect.value];
  });

  lawSelect.addEventListener("change", function () {
    const before = refill.jurisdictions[previousLaw.value] || {};
    const after = refill.jurisdictions[lawSelect.value] || {};
    for (const name of Object.keys(after)) {
      const field = form.elements.namedItem(name);
      if (field && (!(name in before) || field.value === before[name])) field.value = after[name];
    }
    previousLaw.value = lawSelect.value;
  });

  const button = document.getElementById("refill");
  if (button) button.style.display = "none"; // the selects refill the form as they change
})();
