// The search page: on a narrow screen the facets fold behind "Refine", above the results, so that
// the results come first and the filters are one tap away. Without this script they stay open.
(function () {
  "use strict";
  // Facet values are links that play checkboxes: Space toggles a checkbox, so it follows the link.
  document.addEventListener("keydown", (event) => {
    const box = event.target.closest && event.target.closest('a[role="checkbox"]');
    if (box && event.key === " ") {
      event.preventDefault();
      box.click();
    }
  });
  const refine = document.querySelector("details.refine");
  if (!refine) return;
  const narrow = window.matchMedia("(max-width: 56rem)");
  const fit = () => { refine.open = !narrow.matches; };
  fit();
  narrow.addEventListener("change", fit);
})();
