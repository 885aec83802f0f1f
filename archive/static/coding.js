// The coding page: select a passage (mouse, or "Find a passage" from the keyboard), fill in the
// code form, save it. Offsets: the DOM counts UTF-16 code units, the archive counts code points
// (Python's str), so every offset is converted before it is posted, and the selected text is sent
// too: the server re-reads text[start:end] and refuses the code if the two differ.
(function () {
  "use strict";
  const statement = document.getElementById("statement");
  const form = document.getElementById("code-form");
  if (!statement || !form) return;
  const text = statement.textContent;
  const $ = (id) => document.getElementById(id);
  const field = (name) => form.elements.namedItem(name);
  let pending = null;   // the span selected in the statement: {start, end} in UTF-16 units
  let editing = null;   // the id of the code being edited, or null for a new code
  let proposed = null;  // the suggestion a new code was opened from: its reason goes to history
  $("find-form").hidden = false;  // the coding tools need this script: hidden without it
  // The page's sentences in its language (archive/coding/script_words.py); English when missing.
  const words = JSON.parse(($("coding-words") || {}).textContent || "{}");
  const t = (english, values = {}) =>
    (words[english] || english).replace(/%\((\w+)\)s/g, (whole, name) => String(values[name]));

  // A consistency check: the page's text must be the stored text, code point for code point.
  if (Array.from(text).length !== Number(statement.dataset.length)) {
    $("code-selection").disabled = true;
    status(t("This statement did not load intact; reload the page before coding."));
    return;
  }

  // --- offsets ------------------------------------------------------------------------------
  // Where each text node of the statement starts (the page is reloaded after every change), so
  // that following a selection costs nothing per event even in a very long statement.
  const starts = new Map();
  {
    const walker = document.createTreeWalker(statement, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      starts.set(node, seen);
      seen += node.data.length;
    }
  }

  function unitsBefore(node, offset) {
    if (starts.has(node)) return starts.get(node) + offset;
    const range = document.createRange();  // a boundary between elements: measure the text before it
    range.setStart(statement, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function codePoints(units) {
    return Array.from(text.slice(0, units)).length;
  }

  function unitsOf(codePoint) {
    return Array.from(text).slice(0, codePoint).join("").length;
  }

  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!statement.contains(range.startContainer) || !statement.contains(range.endContainer)) return null;
    let start = unitsBefore(range.startContainer, range.startOffset);
    let end = unitsBefore(range.endContainer, range.endOffset);
    while (start < end && /\s/.test(text[start])) start++;       // a double-click takes the space after
    while (end > start && /\s/.test(text[end - 1])) end--;
    return end > start ? { start, end } : null;
  }

  function pointAt(units) {
    for (const [node, start] of starts) {
      if (units <= start + node.data.length) return [node, units - start];
    }
    return [statement, statement.childNodes.length];
  }

  function select(span) {
    const range = document.createRange();
    range.setStart(...pointAt(span.start));
    range.setEnd(...pointAt(span.end));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const box = range.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      window.scrollBy({ top: box.top - window.innerHeight / 3 });
    }
  }

  // --- the form -------------------------------------------------------------------------------
  // The passage being coded stays marked while focus is in the form (CSS Custom Highlight API).
  function markPending(span) {
    if (!window.CSS || !CSS.highlights) return;
    if (!span) return CSS.highlights.delete("pending");
    const range = document.createRange();
    range.setStart(...pointAt(span.start));
    range.setEnd(...pointAt(span.end));
    CSS.highlights.set("pending", new Highlight(range));
  }

  function setSpan(span) {
    markPending(span);
    field("start").value = codePoints(span.start);
    field("end").value = codePoints(span.end);
    field("selected_text").value = text.slice(span.start, span.end);
    $("passage-preview").textContent = text.slice(span.start, span.end);
    $("span-label").textContent = t("characters %(start)s–%(end)s", { start: field("start").value, end: field("end").value });
  }

  function open(span, code) {
    if (!code && (form.hidden || editing !== null)) form.reset();  // a new code starts empty
    editing = code ? code.id : null;
    proposed = null;
    $("code-form-note").hidden = true;
    clearErrors();
    setSpan(span);
    $("code-form-title").textContent = code ? t("Edit code") : t("New code");
    $("reason-field").hidden = !code;
    field("reason").required = Boolean(code);
    $("redact-field").hidden = Boolean(code);
    $("code-save").textContent = code ? t("Save changes") : t("Save code");
    if (code) fill(code);
    form.hidden = false;
    filterAbuseTypes();
    showPerpetrators();
    showPrecision();
    form.scrollIntoView({ block: "nearest" });
    $("abuse-filter").focus({ preventScroll: true });
  }

  function fill(code) {
    form.reset();
    setSpan({ start: unitsOf(code.start), end: unitsOf(code.end) });
    $("abuse-filter").value = "";
    filterAbuseTypes();
    field("abuse_type").value = code.abuse_type || "";
    showChosen();
    for (const option of field("perpetrators").options) option.selected = code.perpetrators.includes(option.value);
    showPerpetrators();
    for (const name of ["place", "date", "date_to", "note"]) field(name).value = code[name] || "";
    for (const name of ["victims", "minors"]) field(name).value = code[name] === null ? "" : code[name];
  }

  function close() {
    form.hidden = true;
    markPending(null);
    editing = null;
    const back = $("code-selection") || $("find-text");
    if (back) back.focus();
  }

  function payload() {
    const number = (name) => (field(name).value === "" ? null : Number(field(name).value));
    const body = {
      start: Number(field("start").value), end: Number(field("end").value),
      selected_text: field("selected_text").value, redact: field("redact").checked,
    };
    if (!body.redact) {
      Object.assign(body, {
        abuse_type: field("abuse_type").value || null,
        perpetrators: Array.from(field("perpetrators").selectedOptions, (o) => o.value),
        place: field("place").value.trim() || null, date: field("date").value.trim() || null,
        date_to: field("date_to").value.trim() || null, victims: number("victims"), minors: number("minors"),
        note: field("note").value.trim() || null,
      });
    }
    if (editing !== null) body.reason = field("reason").value.trim() || null;
    else if (proposed) body.reason = proposed.reason;
    return body;
  }

  async function save(event) {
    event.preventDefault();
    clearErrors();
    const url = editing === null ? form.dataset.createUrl : form.dataset.editUrl.replace(/\/0$/, `/${editing}`);
    let answer;
    try {
      answer = await fetch(url, {
        method: editing === null ? "POST" : "PATCH",
        headers: { "Content-Type": "application/json", "X-CSRFToken": field("csrf_token").value },
        body: JSON.stringify(payload()), credentials: "same-origin",
      });
    } catch (err) {
      return showError(t("The archive could not be reached; nothing was stored. Try again."));
    }
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) return showError(body.message || t("Not stored (%(status)s).", { status: answer.status }), body.errors || {});
    sessionStorage.setItem("coding.saved", body.anchor);
    window.location.reload();
  }

  function clearErrors() {
    $("code-form-error").hidden = true;
    for (const old of form.querySelectorAll(".field-error")) old.remove();
    for (const invalid of form.querySelectorAll("[aria-invalid]")) invalid.removeAttribute("aria-invalid");
  }

  function showError(message, errors) {
    const box = $("code-form-error");
    box.textContent = message;
    box.hidden = false;
    let first = null;
    for (const [name, reasons] of Object.entries(errors || {})) {
      const place = form.querySelector(`[data-field="${name}"]`) || form.querySelector('[data-field="abuse_type"]');
      const note = document.createElement("p");
      note.className = "field-error";
      note.id = `c-${name}-error`;
      note.textContent = (name in fieldNames ? "" : `${name}: `) + [].concat(reasons).join("; ");
      place.append(note);
      const input = field(name);
      if (input && input.setAttribute) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", note.id);
        first = first || input;
      }
    }
    (first || box).focus();
  }
  // A field's error goes once the coder changes that field (the filter box is not a choice).
  function clearFieldError(event) {
    const box = event.target.closest("[data-field]");
    if (!box || event.target.id === "abuse-filter") return;
    for (const old of box.querySelectorAll(".field-error")) old.remove();
    for (const invalid of box.querySelectorAll("[aria-invalid]")) invalid.removeAttribute("aria-invalid");
  }
  const fieldNames = { abuse_type: 1, perpetrators: 1, place: 1, date: 1, date_to: 1, victims: 1, minors: 1, note: 1, reason: 1 };

  // --- abuse types: type a word, choose from the ranked list -------------------------------------
  // The list never holds a choice the coder cannot see: typing hides what does not match and drops
  // a choice that is no longer listed; "Chosen:" always says what Save will store.
  const fold = (s) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/ł/g, "l").replace(/ё/g, "е");
  const abuse = field("abuse_type");
  const abuseOptions = Array.from(abuse.options, (option, order) => ({
    option, order, group: option.parentElement,
    label: fold(option.dataset.label || option.text),
    terms: (option.dataset.terms || "").split("|").filter(Boolean).map(fold),
  }));
  const matches = document.createElement("optgroup");
  matches.label = t("Best matches first");

  // Lower is better: the label itself, then its beginning, then a word of it; then a term in any
  // language (whole, then its beginning); then anywhere. Null: no match.
  function rank(entry, wanted) {
    if (entry.label === wanted) return 0;
    if (entry.label.startsWith(wanted)) return 1;
    if (entry.terms.includes(wanted)) return 2;
    if (entry.label.split(/[\s/,()-]+/).some((word) => word.startsWith(wanted))) return 3;
    if (entry.terms.some((term) => term.startsWith(wanted) || term.split(" ").some((w) => w.startsWith(wanted)))) return 4;
    if (entry.label.includes(wanted) || entry.terms.some((term) => term.includes(wanted))) return 5;
    return null;
  }

  // Options that do not match are taken out of the list, not hidden: a listbox keeps its keyboard
  // position on a hidden option, and the arrow keys then do nothing.
  const groups = Array.from(abuse.querySelectorAll("optgroup"));
  function filterAbuseTypes() {
    const typed = $("abuse-filter").value.trim();
    const wanted = fold(typed);
    const chosen = abuse.value;
    abuse.replaceChildren();
    let shown = abuseOptions;
    if (!wanted) {  // everything, in the codebook's order and groups
      for (const entry of abuseOptions) entry.group.append(entry.option);
      abuse.append(...groups);
    } else {
      shown = abuseOptions.map((entry) => ({ entry, score: rank(entry, wanted) }))
        .filter((r) => r.score !== null).sort((a, b) => a.score - b.score || a.entry.order - b.entry.order)
        .map((r) => r.entry);
      matches.replaceChildren(...shown.map((entry) => entry.option));
      if (shown.length) abuse.append(matches);
    }
    $("abuse-none").hidden = shown.length > 0;
    $("abuse-none-words").textContent = typed;
    // Never a choice that is not on screen: one no longer listed is dropped.
    abuse.value = shown.some((entry) => entry.option.value === chosen) ? chosen : "";
    if (!abuse.value) abuse.selectedIndex = -1;
    showChosen();
  }

  function showChosen() {
    const current = abuse.selectedOptions[0];
    $("abuse-chosen-label").textContent = current ? current.text : t("none yet");
    $("abuse-chosen").classList.toggle("empty", !current);
  }

  // A list of six rows hides most of its options: every chosen perpetrator is named under it, a unit
  // with its side ("Belarus: Police / militia"), so that none is saved unseen.
  function showPerpetrators() {
    const chosen = Array.from(field("perpetrators").selectedOptions, (option) => {
      const group = option.parentElement;  // a side's own option opens its group: "Belarus (unit not known)"
      return group.tagName === "OPTGROUP" && option !== group.firstElementChild ? `${group.label}: ${option.text}`
        : option.text;
    });
    $("perpetrators-chosen-label").textContent = chosen.length ? chosen.join("; ") : t("none yet");
    $("perpetrators-chosen").classList.toggle("empty", !chosen.length);
  }

  function chooseBest() {
    const first = abuse.options[0];  // the best match
    if (!first) return;
    if (!abuse.selectedOptions[0]) abuse.value = first.value;
    showChosen();
    abuse.focus();
  }

  // --- dates: show the precision as the coder types -------------------------------------------
  const DATE = /^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?(~)?$/;

  function precisionOf(value) {
    const match = DATE.exec(value);
    if (!match) return null;
    if (match[6]) {  // the day, month or year as written, widened by a week each side (archive.dates)
      return match[4] ? t("approximate (± 7 days)") : match[2] ? t("approximate month (± 7 days)")
        : t("approximate year (± 7 days)");
    }
    return match[4] ? t("day") : match[2] ? t("month") : t("year");
  }

  function showPrecision() {
    const first = field("date").value.trim(), last = field("date_to").value.trim();
    let said = t("2021, 2021-11 or 2021-11-08; ~ for approximate.");
    if (first) {
      const a = precisionOf(first), b = last ? precisionOf(last) : "";
      said = a === null || b === null ? t("Not a date yet: write YYYY, YYYY-MM or YYYY-MM-DD (~ if approximate).")
        : last ? t("Precision: range (%(first)s to %(last)s).", { first: a, last: b })
          : t("Precision: %(precision)s.", { precision: a });
    }
    $("date-precision").textContent = said;
  }

  // --- finding a passage from the keyboard ----------------------------------------------------
  function find(event) {
    event.preventDefault();
    const wanted = $("find-text").value;
    if (!wanted) return;
    const from = pending ? pending.end : 0;
    let at = text.indexOf(wanted, from);
    if (at < 0) at = text.indexOf(wanted);
    if (at < 0) return status(t("“%(words)s” is not in the statement.", { words: wanted }));
    pending = { start: at, end: at + wanted.length };
    select(pending);
    markPending(pending);
    status(t("Found at character %(at)s. Press “Code selection” to code it.", { at: codePoints(at) }));
  }

  function status(message) {
    const line = $("find-status");
    if (line) line.textContent = message;
  }

  function codeSelection() {
    const span = selectedSpan() || pending;
    if (!span) return status(t("Select a passage first: with the mouse, or type its words in “Find a passage”."));
    open(span, null);
  }

  // --- the code list: scroll to a passage; edit ----------------------------------------------
  function focusPassage(id) {
    const mark = document.getElementById(id);
    if (!mark) return;
    mark.tabIndex = -1;
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
    mark.classList.add("flash");
    setTimeout(() => mark.classList.remove("flash"), 1600);
  }

  // Accepting a suggestion opens the code form with what it proposes: the sentence as the
  // passage, its abuse type, place, date and the units the sentence names. Nothing is stored
  // until the coder has checked it and pressed Save.
  function openProposal(proposal) {
    open({ start: unitsOf(proposal.start), end: unitsOf(proposal.end) }, null);
    proposed = proposal;
    $("abuse-filter").value = "";
    filterAbuseTypes();
    abuse.value = proposal.abuse_type || "";
    showChosen();
    for (const option of field("perpetrators").options) option.selected = proposal.perpetrators.includes(option.value);
    showPerpetrators();
    field("place").value = proposal.place || "";
    field("date").value = proposal.date || "";
    showPrecision();
    $("code-form-title").textContent = t("New code, from a suggestion");
    $("code-form-note").textContent = t("From a suggestion: check each field (add the perpetrators if the " +
      "sentence does not name them), then press “Save code”.");
    $("code-form-note").hidden = false;
    (proposal.abuse_type ? field("perpetrators") : $("abuse-filter")).focus({ preventScroll: true });
  }

  document.addEventListener("click", (event) => {
    const accept = event.target.closest("button.accept[data-proposal]");
    if (accept) {
      event.preventDefault();
      openProposal(JSON.parse(accept.dataset.proposal));
      return;
    }
    const link = event.target.closest("a.to-passage");
    if (link) {
      event.preventDefault();
      history.replaceState(null, "", `#${link.dataset.passage}`);
      focusPassage(link.dataset.passage);
      return;
    }
    const edit = event.target.closest("button.edit-code");
    if (edit) {
      const code = JSON.parse(edit.dataset.code);
      if (code.start === null) {
        status(t("This code has no passage yet: select its passage, then edit it."));
        pending = selectedSpan() || pending;
        if (!pending) return;
        code.start = codePoints(pending.start);
        code.end = codePoints(pending.end);
      }
      open({ start: unitsOf(code.start), end: unitsOf(code.end) }, code);
    }
  });

  document.addEventListener("selectionchange", () => {
    const span = selectedSpan();
    if (span) pending = span;
  });
  statement.addEventListener("mouseup", () => {
    const span = selectedSpan();
    if (span) {
      pending = span;
      if (editing !== null) setSpan(span); else open(span, null);
    }
  });

  form.addEventListener("submit", save);
  $("code-cancel").addEventListener("click", close);
  form.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
  $("abuse-filter").addEventListener("input", filterAbuseTypes);
  $("abuse-filter").addEventListener("keydown", (event) => {
    // Enter never submits the code form from here: it takes the best match, shown as "Chosen".
    if (event.key === "Enter" || event.key === "ArrowDown") { event.preventDefault(); chooseBest(); }
  });
  abuse.addEventListener("change", showChosen);
  field("perpetrators").addEventListener("change", showPerpetrators);
  form.addEventListener("input", clearFieldError);
  form.addEventListener("change", clearFieldError);
  field("date").addEventListener("input", showPrecision);
  field("date_to").addEventListener("input", showPrecision);
  $("find-form").addEventListener("submit", find);
  $("code-selection").addEventListener("click", codeSelection);

  const saved = sessionStorage.getItem("coding.saved");
  if (saved) {
    sessionStorage.removeItem("coding.saved");
    status(t("Saved."));
    focusPassage(saved);
  } else if (location.hash.startsWith("#passage-")) {
    focusPassage(location.hash.slice(1));
  }
})();
