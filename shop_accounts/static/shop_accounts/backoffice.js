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
