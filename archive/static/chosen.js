// Every option chosen in a list of several (<select multiple>) named under it, as the coding form's
// pickers do: a list of six or eight rows hides the rest, and what is saved must be what is shown.
(function () {
  "use strict";
  for (const line of document.querySelectorAll("p.chosen[data-for]")) {
    const list = document.getElementById(line.dataset.for);
    const shown = line.querySelector("strong");
    if (!list || !shown) continue;
    const show = () => {
      const chosen = Array.from(list.selectedOptions, (option) => option.dataset.label || option.text.trim());
      shown.textContent = chosen.length ? chosen.join("; ") : line.dataset.none;
      line.classList.toggle("empty", !chosen.length);
    };
    list.addEventListener("change", show);
    show();
  }
})();
