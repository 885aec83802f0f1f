// The codebook's filter, as you type: hides rows whose folded text lacks a typed word. The page
// works without it (the filter is a GET form); this only saves the round trip.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/ł/g, "l").replace(/ß/g, "ss").replace(/ё/g, "е");
  }
  var input = document.getElementById("codebook-filter");
  if (!input) { return; }
  var target = document.getElementById(input.dataset.filterTarget);
  var rows = Array.prototype.slice.call(target.querySelectorAll("[data-search]"));
  function apply() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var hits = {};
    rows.forEach(function (row) {
      var text = row.dataset.search;
      row.hit = words.every(function (word) { return text.indexOf(word) !== -1; });
      if (row.hit && row.dataset.ancestors) {
        row.dataset.ancestors.split(" ").forEach(function (id) { if (id) { hits[id] = true; } });
      }
    });
    rows.forEach(function (row) {
      var shown = row.hit || (row.dataset.id && hits[row.dataset.id]);
      row.hidden = !shown;
      row.classList.toggle("context", !row.hit && !!shown);
    });
  }
  input.addEventListener("input", apply);
}());
