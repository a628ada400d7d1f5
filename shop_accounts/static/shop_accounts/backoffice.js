// Back office lists at phone width: each cell is labelled with its column's
// name, so backoffice.css can stack a row as "Name: …, Account: …" instead of
// a table that scrolls sideways. Without JavaScript the table scrolls.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("#result_list")) {
    // The header's words, without the sort buttons' icon names.
    const names = Array.from(table.querySelectorAll("thead th"), (th) => {
      const words = th.cloneNode(true);
      for (const icon of words.querySelectorAll(".material-symbols-outlined")) {
        icon.remove();
      }
      return words.textContent.replace(/\s+/g, " ").trim();
    });
    for (const row of table.querySelectorAll("tbody tr.data-row")) {
      Array.from(row.children).forEach((cell, index) => {
        if (names[index]) {
          cell.dataset.label = names[index];
        }
      });
    }
  }
});

// Autocomplete fields (Django's select2, e.g. a customer group's fixed-price
// product): select2 hides the labelled <select> and names its combobox after
// the chosen option only, so an empty row has no name for screen readers.
// Each combobox is named after its <select>'s label, also in rows added later.
const nameComboboxes = () => {
  for (const select of document.querySelectorAll("select.admin-autocomplete")) {
    const box = select.nextElementSibling?.querySelector('[role="combobox"]');
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    if (!box || !label || box.hasAttribute("aria-label")) continue;
    const name = label.textContent.replace(/[\s*]+/g, " ").trim();
    box.setAttribute("aria-label", name);
    // Its inner textbox (the chosen product, or nothing yet) too.
    box.querySelector('[role="textbox"]')?.setAttribute("aria-label", name);
  }
};
document.addEventListener("DOMContentLoaded", () => {
  nameComboboxes();
  new MutationObserver(nameComboboxes).observe(document.body, { childList: true, subtree: true });
});
