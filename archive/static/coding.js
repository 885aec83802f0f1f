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
  $("find-form").hidden = false;  // the coding tools need this script: hidden without it

  // A consistency check: the page's text must be the stored text, code point for code point.
  if (Array.from(text).length !== Number(statement.dataset.length)) {
    $("code-selection").disabled = true;
    status("This statement did not load intact; reload the page before coding.");
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
    $("span-label").textContent = `characters ${field("start").value}–${field("end").value}`;
  }

  function open(span, code) {
    if (!code && (form.hidden || editing !== null)) form.reset();  // a new code starts empty
    editing = code ? code.id : null;
    clearErrors();
    setSpan(span);
    $("code-form-title").textContent = code ? "Edit code" : "New code";
    $("reason-field").hidden = !code;
    field("reason").required = Boolean(code);
    $("redact-field").hidden = Boolean(code);
    $("code-save").textContent = code ? "Save changes" : "Save code";
    if (code) fill(code);
    form.hidden = false;
    filterAbuseTypes();
    showPrecision();
    form.scrollIntoView({ block: "nearest" });
    $("abuse-filter").focus({ preventScroll: true });
  }

  function fill(code) {
    form.reset();
    setSpan({ start: unitsOf(code.start), end: unitsOf(code.end) });
    field("abuse_type").value = code.abuse_type || "";
    for (const option of field("perpetrators").options) option.selected = code.perpetrators.includes(option.value);
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
      return showError("The archive could not be reached; nothing was stored. Try again.");
    }
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) return showError(body.message || `Not stored (${answer.status}).`, body.errors || {});
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
  const fieldNames = { abuse_type: 1, perpetrators: 1, place: 1, date: 1, date_to: 1, victims: 1, minors: 1, note: 1, reason: 1 };

  // --- abuse types: type to filter ------------------------------------------------------------
  const fold = (s) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

  function filterAbuseTypes() {
    const wanted = fold($("abuse-filter").value.trim());
    const select = field("abuse_type");
    for (const group of select.querySelectorAll("optgroup")) {
      let shown = 0;
      for (const option of group.querySelectorAll("option")) {
        option.hidden = Boolean(wanted) && !fold(option.dataset.terms + " " + option.text).includes(wanted);
        shown += option.hidden ? 0 : 1;
      }
      group.hidden = shown === 0;
    }
    const current = select.selectedOptions[0];
    if (wanted && (!current || current.hidden)) {
      const first = Array.from(select.options).find((o) => !o.hidden);
      if (first) select.value = first.value;
    }
  }

  // --- dates: show the precision as the coder types -------------------------------------------
  const DATE = /^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?(~)?$/;

  function precisionOf(value) {
    const match = DATE.exec(value);
    if (!match) return null;
    if (match[6]) return "approximate (± 7 days)";
    return match[4] ? "day" : match[2] ? "month" : "year";
  }

  function showPrecision() {
    const first = field("date").value.trim(), last = field("date_to").value.trim();
    let said = "2021, 2021-11 or 2021-11-08; ~ for approximate.";
    if (first) {
      const a = precisionOf(first), b = last ? precisionOf(last) : "";
      said = a === null || b === null ? "Not a date yet: write YYYY, YYYY-MM or YYYY-MM-DD (~ if approximate)."
        : last ? `Precision: range (${a} to ${b}).` : `Precision: ${a}.`;
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
    if (at < 0) return status(`“${wanted}” is not in the statement.`);
    pending = { start: at, end: at + wanted.length };
    select(pending);
    markPending(pending);
    status(`Found at character ${codePoints(at)}. Press “Code selection” to code it.`);
  }

  function status(message) {
    const line = $("find-status");
    if (line) line.textContent = message;
  }

  function codeSelection() {
    const span = selectedSpan() || pending;
    if (!span) return status("Select a passage first: with the mouse, or type its words in “Find a passage”.");
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

  document.addEventListener("click", (event) => {
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
        status("This code has no passage yet: select its passage, then edit it.");
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
    if (event.key === "Enter" || event.key === "ArrowDown") { event.preventDefault(); field("abuse_type").focus(); }
  });
  field("date").addEventListener("input", showPrecision);
  field("date_to").addEventListener("input", showPrecision);
  $("find-form").addEventListener("submit", find);
  $("code-selection").addEventListener("click", codeSelection);

  const saved = sessionStorage.getItem("coding.saved");
  if (saved) {
    sessionStorage.removeItem("coding.saved");
    status("Saved.");
    focusPassage(saved);
  } else if (location.hash.startsWith("#passage-")) {
    focusPassage(location.hash.slice(1));
  }
})();
