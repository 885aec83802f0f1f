"""A person at the browser: everything a journey does goes through what is on the screen.

`Person` finds things the way a person does (by role and accessible name, by label) and acts on
them with the mouse, or, in the keyboard-only run, by pressing Tab until the thing has the focus
and then Enter or Space, as someone who cannot use a mouse would. It never types a URL other
than the archive's own address. Each time the person arrives on a page, `arrive` waits for it,
checks it with axe-core (no serious or critical violation), times it, and takes a screenshot
when ARCHIVE_SCREENSHOTS names a folder to keep them in.
"""
import itertools
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import axe_playwright_python

MAX_TABS = 400  # further than this from the focus, a thing is out of a keyboard user's reach
SERIOUS = ("serious", "critical")
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
RUN_AXE = "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"

# The page's skeleton: each element's tag, role, class, type and whether it holds text of its own,
# with runs of identical siblings folded into one (a page of 5 results and one of 20 are the same
# page to axe-core). Pages with the same skeleton at the same width get the same findings, so axe
# runs once per skeleton: it is most of a journey's time otherwise (0.6 s a page).
SKELETON = """() => {
  function shape(el) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.data.trim());
    const kids = [];
    for (const child of el.children) {
      const s = shape(child);
      if (kids[kids.length - 1] !== s) kids.push(s);
    }
    return `${el.tagName}|${el.getAttribute("role") || ""}|${el.className}|${el.getAttribute("type") || ""}` +
           `|${el.hidden ? "h" : ""}${own ? "t" : ""}(${kids.join(",")})`;
  }
  return shape(document.documentElement);
}"""

# How many presses of Tab take the focus from where it is to the target, in document order of
# what can take the focus (an estimate: `tab_to` checks it, and steps one by one if it was wrong).
TABS_TO = """(target) => {
  // A group of radio buttons is one stop: its checked button, or its first if none is checked.
  const stop = (e) => {
    if (e.type !== "radio" || !e.name) return true;
    const group = Array.from(document.getElementsByName(e.name)).filter(r => r.form === e.form && !r.disabled);
    const checked = group.find(r => r.checked);
    return checked ? checked === e : group[0] === e;
  };
  const focusable = Array.from(document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]')).filter(e =>
      !e.disabled && e.tabIndex >= 0 && e.checkVisibility({visibilityProperty: true}) && stop(e));
  const from = focusable.indexOf(document.activeElement), to = focusable.indexOf(target);
  return to < 0 ? 0 : to - from;
}"""

# The screen points where a mouse drag over `phrase` in the element starts and ends: the leading
# edge of its first character and the trailing edge of its last, right-to-left aware.
DRAG_POINTS = """([selector, phrase]) => {
  const root = document.querySelector(selector);
  const at = root.textContent.indexOf(phrase);
  if (at < 0) throw new Error("phrase not on the page: " + phrase);
  function box(unit) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (unit < seen + node.data.length) {
        const range = document.createRange();
        const width = node.data.codePointAt(unit - seen) > 0xffff ? 2 : 1;
        range.setStart(node, unit - seen); range.setEnd(node, unit - seen + width);
        return range.getBoundingClientRect();
      }
      seen += node.data.length;
    }
  }
  const last = phrase.length - (phrase.codePointAt(phrase.length - 2) > 0xffff ? 2 : 1);
  const top = box(at).top;
  if (top < 0 || top > window.innerHeight - 40) window.scrollBy(0, top - window.innerHeight / 3);  // as a person scrolls to it
  const first = box(at), end = box(at + last);
  const rtl = getComputedStyle(root).direction === "rtl" || root.matches(":dir(rtl)");
  return {x1: rtl ? first.right - 1 : first.left + 1, y1: first.top + first.height / 2,
          x2: rtl ? end.left + 1 : end.right - 1, y2: end.top + end.height / 2};
}"""


@dataclass
class Timings:
    """What the journeys timed: (journey, variant, what, milliseconds). Written, never asserted."""
    rows: list = field(default_factory=list)

    def add(self, journey, variant, what, ms):
        self.rows.append((journey, variant, what, ms))


class Person:
    def __init__(self, page, base_url, journey, variant, keyboard, timings, shots=None, numbers=None):
        self.page, self.base_url = page, base_url
        self.journey, self.variant, self.keyboard = journey, variant, keyboard
        self.timings, self.shots = timings, shots
        self.numbers = numbers or itertools.count(1)  # shared by the people of one journey: screenshots in order

    # --- arriving -------------------------------------------------------------------------------
    def open_archive(self, what="login page"):
        """Type the archive's address: the one URL a person types."""
        started = time.perf_counter()
        self.page.goto(self.base_url + "/")
        return self.arrive(what, started)

    def arrive(self, what, started=None):
        """On a new page (or a page changed in place): check it, time it, keep a screenshot."""
        self.page.wait_for_load_state("load")
        if started is not None:
            self.timings.add(self.journey, self.variant, what, (time.perf_counter() - started) * 1000)
        problems = self._axe_findings()
        assert not problems, f"{what} ({self.page.url}): axe-core found " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in problems)
        number = next(self.numbers)
        if self.shots:
            name = re.sub(r"[^\w-]+", "-", what).strip("-")
            path = Path(self.shots) / f"{self.journey}-{self.variant}-{number:02d}-{name}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(path), full_page=True)
        return self

    def _axe_findings(self):
        key = (self.page.viewport_size["width"], self.page.evaluate(SKELETON))
        if key not in _checked:
            if not self.page.evaluate("() => typeof axe !== 'undefined'"):
                self.page.evaluate(AXE_SOURCE)
            _checked[key] = [v for v in self.page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]
        return _checked[key]

    def timed(self, what):
        """`with person.timed("search from the box"): …` logs how long the block took."""
        return _Timed(self, what)

    # --- finding --------------------------------------------------------------------------------
    def button(self, name, within=None):
        return (within or self.page).get_by_role("button", name=name, exact=isinstance(name, str))

    def link(self, name, within=None):
        return (within or self.page).get_by_role("link", name=name, exact=isinstance(name, str))

    def field(self, label, within=None):
        return (within or self.page).get_by_label(label, exact=isinstance(label, str))

    # --- acting ---------------------------------------------------------------------------------
    def activate(self, target):
        """Click a link or button; in the keyboard run, Tab to it and press Enter."""
        target = self._one(target)
        if self.keyboard:
            self.tab_to(target)
            self.page.keyboard.press("Enter")
        else:
            target.click()

    def click_and_arrive(self, target, what):
        started = time.perf_counter()
        with self.page.expect_navigation():
            self.activate(target)
        return self.arrive(what, started)

    def type_into(self, target, text, enter=False):
        """Type into a field (clearing it first), as a person does, key by key."""
        target = self._one(target)
        if self.keyboard:
            self.tab_to(target)
        else:
            target.click()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.press("Backspace")
        if text:
            target.press_sequentially(text)
        if enter:
            self.page.keyboard.press("Enter")

    def tick(self, target, on=True):
        """Tick or untick a checkbox (or anything with the checkbox role)."""
        target = self._one(target)
        checked = target.get_attribute("aria-checked")
        is_on = checked == "true" if checked is not None else target.is_checked()
        if is_on == on:
            return
        if self.keyboard:  # Space toggles a checkbox, whatever element plays the part
            self.tab_to(target)
            self.page.keyboard.press("Space")
        else:
            target.click()

    def tick_and_arrive(self, target, what, on=True):
        """Tick a checkbox that is a link (a facet value): the page it opens is the next one."""
        started = time.perf_counter()
        with self.page.expect_navigation():
            self.tick(target, on)
        return self.arrive(what, started)

    def pick(self, radio):
        """Choose a radio button: click it; with the keyboard, Tab to its group and move with the arrows."""
        radio = self._one(radio)
        if not self.keyboard:
            radio.check()
            return
        name = radio.get_attribute("name")
        group = self.page.locator(f'input[type=radio][name="{name}"]')
        checked = self.page.locator(f'input[type=radio][name="{name}"]:checked')
        self.tab_to(checked.first if checked.count() else group.first)
        if not radio.is_checked():
            self.page.keyboard.press("Space")
        for _ in range(group.count()):
            if radio.is_checked():
                return
            self.page.keyboard.press("ArrowDown")
        assert radio.is_checked(), f"{radio} cannot be chosen with the arrow keys"

    def choose(self, select, option_text):
        """Pick an option of a <select> by the words it shows; the keyboard run moves with the arrows."""
        select = self._one(select)
        if not self.keyboard:
            select.select_option(label=option_text)
            return
        self.tab_to(select)
        labels = select.evaluate("s => Array.from(s.options).filter(o => !o.hidden && !o.disabled).map(o => o.text)")
        wanted = next(i for i, text in enumerate(labels) if text.strip() == option_text)
        current = select.evaluate("s => s.selectedIndex < 0 ? -1 : Array.from(s.options).filter(o => !o.hidden && !o.disabled).indexOf(s.options[s.selectedIndex])")
        key = "ArrowDown" if wanted > current else "ArrowUp"
        for _ in range(abs(wanted - current)):
            self.page.keyboard.press(key)
        assert select.evaluate("s => s.options[s.selectedIndex].text").strip() == option_text

    def upload(self, target, path):
        """Choose a file for a file field: open its file chooser (a click, or Space on it in the
        keyboard run) and pick `path` in it."""
        target = self._one(target)
        with self.page.expect_file_chooser() as chooser:
            if self.keyboard:
                self.tab_to(target)
                self.page.keyboard.press("Space")
            else:
                target.click()
        chooser.value.set_files(str(path))

    def select_text(self, phrase, container="#statement"):
        """Select words on the page with the mouse: press, drag, release."""
        points = self.page.evaluate(DRAG_POINTS, [container, phrase])
        self.page.mouse.move(points["x1"], points["y1"])
        self.page.mouse.down()
        self.page.mouse.move(points["x2"], points["y2"], steps=8)
        self.page.mouse.up()

    def tab_to(self, target):
        """Press Tab until `target` has the focus (fails if a keyboard user cannot reach it)."""
        presses = target.evaluate(TABS_TO)
        for _ in range(min(abs(presses), MAX_TABS)):  # the way there (Shift+Tab if it is behind), unchecked
            self.page.keyboard.press("Tab" if presses > 0 else "Shift+Tab")
        for _ in range(MAX_TABS):
            if target.evaluate("e => e === document.activeElement"):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"{target} cannot be reached with the Tab key")

    def _one(self, target):
        target.first.wait_for(state="visible")
        count = target.count()
        assert count == 1, f"{count} things on the page answer to {target}: a person could not tell which"
        return target

    # --- reading --------------------------------------------------------------------------------
    def sees(self, text):
        return self.page.get_by_text(text).first.is_visible()

    def heading(self, level=1):
        return self.page.get_by_role("heading", level=level).first.inner_text()


_checked = {}  # (width, skeleton) -> axe-core's serious findings, for the whole run


class _Timed:
    def __init__(self, person, what):
        self.person, self.what = person, what

    def __enter__(self):
        self.started = time.perf_counter()
        return self.person

    def __exit__(self, *exc):
        if exc[0] is None:
            self.person.timings.add(self.person.journey, self.person.variant, self.what,
                                    (time.perf_counter() - self.started) * 1000)
