"""PDF case summary, rendered by WeasyPrint from templates/export/pdf/: a cover, a table of
contents, the summary tables, each testimony (its codes grouped by the legal provisions they
engage, with the supporting passages quoted), the codebook definitions used, a methodology and a
manifest of SHA-256 hashes.

WeasyPrint holds every page it has laid out until the file is written (about 2.7 MB a page), so
the document is laid out in parts: the summary tables, the testimonies PART_SIZE at a time, the
appendices, in worker processes that each free a part's pages once it is written
(pdf_render.py). The records are read twice: once for the contents and the manifest, which keep
only a reference, a title and hashes per testimony, then streamed into the parts. The cover and
contents are laid out last, when every part's page numbers are known, and pdf_join.py joins the
parts into one tagged, bookmarked file with "Page x of y" on every page.
"""
import datetime as dt
import itertools
import multiprocessing
import os
import re
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor

import jinja2
from babel.dates import format_datetime
from markupsafe import Markup

from archive import TEMPLATES, i18n, templating
from archive.export import charts, pdf_join, place_map
from archive.export import tables as summary
from archive.export.pdf_render import render
from archive.i18n import N_
from archive.incidents import counts as incident_counts
from archive.search.results import MONTHS
from archive.text import direction

STYLESHEETS = [str(TEMPLATES / "export" / "case_summary.css")]
FURNITURE = [*STYLESHEETS, str(TEMPLATES / "export" / "furniture.css")]
BASE_URL = str(TEMPLATES / "export")
PART_SIZE = 40    # testimonies a part: a worker holds about 30 pages (70 with statements) at a time
MAX_WORKERS = 4
PAGE_PX, MAP_PX = 640, 600  # CSS px: A4 less its margins is 170 mm, 642 px; the map is kept within a page
NO_PROVISION = {"id": None, "label": N_("No legal provision in the codebook"), "title": ""}
APPENDICES = (("codebook", N_("Appendix A. Codebook definitions used")), ("methodology", N_("Appendix B. Methodology")),
              ("manifest", N_("Appendix C. Manifest of statement hashes")))


def environment(language=i18n.DEFAULT):
    """The PDF's templates, their furniture in `language` (no request here: a job's thread renders them)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             extensions=["jinja2.ext.i18n"], bytecode_cache=templating.COMPILED)
    env.install_gettext_translations(i18n.translations(language), newstyle=True)
    env.filters["direction"] = direction
    env.filters["moment"] = lambda stamp: moment(stamp, language)
    env.filters["number"] = lambda value: i18n.number(value, language)
    env.filters["css_string"] = css_string
    env.globals["page_of_pages"] = page_of_pages(i18n.translations(language).gettext)
    env.globals.update(ui_language=language, ui_direction="rtl" if language in i18n.RIGHT_TO_LEFT else "ltr",
                       month_names=i18n.month_names)
    return env


def css_string(text):
    """`text` as a CSS string (a margin box's content), for a <style> element, whose text HTML does not
    unescape: a backslash, a quote or a '<' of a translation is escaped the CSS way instead."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    text = re.sub(r"[\r\n\f]", " ", text)  # CSS ends a string at any of its newlines
    return Markup(f'"{text}"')


def page_of_pages(gettext):
    """The footer's "Page x of y" as a margin box's content, in the order the language says it:
    'Page %(page)s of %(pages)s' -> "Page " counter(page) " of " counter(pages)."""
    pieces = re.split(r"%\((page|pages)\)s", gettext("Page %(page)s of %(pages)s"))
    return Markup(" ".join(f"counter({piece})" if index % 2 else css_string(piece)
                           for index, piece in enumerate(pieces) if index % 2 or piece))


def moment(stamp, language=i18n.DEFAULT):
    """'2026-12-01T14:02:20+00:00' -> '1 December 2026, 14:02 UTC' (in `language`: '1 grudnia 2026, 14:02 UTC')."""
    when = dt.datetime.fromisoformat(stamp).astimezone(dt.timezone.utc)
    if language == i18n.DEFAULT:
        return f"{when.day} {MONTHS[when.month - 1]} {when.year}, {when:%H:%M} UTC"
    return format_datetime(when, "d MMMM y, HH:mm", tzinfo=dt.timezone.utc, locale=language) + " UTC"


def write(path, head, records, options, codebook, db, progress=None):
    """`progress(words)`, if given, is told how many parts are laid out, then that they are joined."""
    counted = summary.count(db, codebook, records.selection.references)
    told = incident_counts.summary(db, codebook, records.selection.references, counted)
    entries = [_entry(record) for record in records]
    contents = _contents(entries, options.language)
    with tempfile.TemporaryDirectory(prefix="case-summary-", dir=os.path.dirname(os.path.abspath(path))) as work:
        parts = _Parts(work, {"head": head, "options": options, "label": codebook.label}, options.language)
        said = i18n.translations(options.language).gettext  # the job's page shows its progress in its language
        with _Counted(_executor(len(entries)), len(entries), progress, said) as pool:
            draft = pool.submit(render, *parts.job("front-draft", "front", contents=contents, pages={},
                                                   placeholder="9" * len(str(len(entries) + 20))))
            body = [future.result() for future in list(_body(pool, parts, records, entries, counted, codebook,
                                                                   told))]
            front, furniture = _front(pool, parts, contents, body, draft.result().pages, head["title"])
        if progress:
            progress(said(N_("Joining the parts into one file")))
        pdf_join.join([front, *body], furniture.path, path,
                      {"/Title": head["title"], "/Author": head["exported_by"], "/Creator": "testimony-archive"})


def _body(pool, parts, records, entries, counted, codebook, told):
    """Futures of the parts after the contents, submitted as the records stream in."""
    yield pool.submit(render, *parts.job("tables", "tables", **_tables(counted, codebook), told=told))
    described = _described(records, codebook)
    for first in itertools.count(0, PART_SIZE):
        batch = list(itertools.islice(described, PART_SIZE))
        if not batch:
            break
        yield pool.submit(render, *parts.job(f"testimonies-{first}", "testimonies", records=batch, first=first))
    yield pool.submit(render, *parts.job("appendix", "appendix", entries=entries,
                                         abuse_types=_used_abuse_types(counted, codebook),
                                         provisions=_used_provisions(counted, codebook)))


def _tables(counted, codebook):
    """The summary tables' context: the tables, the timeline and the map drawn for the page's width."""
    places = summary.places(counted, codebook)
    return {"side_by_type": summary.side_by_type(counted, codebook), "month_grid": summary.month_grid(counted),
            "timeline": charts.timeline(summary.by_month(counted), PAGE_PX), "not_in_a_month": counted.not_in_a_month,
            "places": places, "unlisted": summary.unlisted_places(counted),
            "map": (place_map.place_map(places, {"pdf": MAP_PX}) or {}).get("pdf")}


def _front(pool, parts, contents, body, pages, title):
    """The cover and the numbered contents, and the furniture of every page, laid out side by side.
    `pages`: how many pages the draft of the contents took; the numbers count them. The numbers sit
    in a column of fixed width, so they should not change that; if they do, both are laid out again."""
    while True:
        numbers = _page_numbers(body, pages)
        front = pool.submit(render, *parts.job("front", "front", contents=contents, pages=numbers, placeholder=""))
        furniture = pool.submit(render, *parts.job("furniture", "furniture", title=title,
                                                   pages=pages + sum(part.pages for part in body)))
        if front.result().pages == pages:
            return front.result(), furniture.result()
        pages = front.result().pages


class _Counted:
    """An executor that tells `progress` each time a part is laid out ("3 of 7 parts laid out"):
    the summary tables, one part per PART_SIZE testimonies, the appendices, the front and furniture."""

    def __init__(self, pool, testimonies, progress, said=str):
        self.pool, self.progress, self.done, self.said = pool, progress, 0, said
        self.total = 5 + -(-testimonies // PART_SIZE)  # a draft of the contents, the tables, the appendices, the front, the furniture

    def __enter__(self):
        self.pool.__enter__()
        if self.progress:
            self.progress(self.said(N_("Laying out the PDF: %(done)s of %(total)s parts")) % {"done": 0,
                                                                                          "total": self.total})
        return self

    def __exit__(self, *exc):
        return self.pool.__exit__(*exc)

    def submit(self, *args):
        future = self.pool.submit(*args)
        if self.progress:
            future.add_done_callback(self._tick)
        return future

    def _tick(self, future):
        self.done = min(self.done + 1, self.total)  # a contents laid out twice counts once
        self.progress(self.said(N_("Laying out the PDF: %(done)s of %(total)s parts")) % {"done": self.done,
                                                                                      "total": self.total})


class _Parts:
    """Writes each part's HTML into `work`; returns render()'s arguments. The furniture is untagged:
    it is drawn on as an artifact."""

    def __init__(self, work, shared, language=i18n.DEFAULT):
        self.work, self.shared, self.env = work, shared, environment(language)

    def job(self, name, template, **context):
        html_path = os.path.join(self.work, f"{name}.html")
        with open(html_path, "w", encoding="utf-8") as html:
            for chunk in self.env.get_template(f"export/pdf/{template}.html").generate(**self.shared, **context):
                html.write(chunk)
        pdf_path = os.path.join(self.work, f"{name}.pdf")
        if template == "furniture":
            return html_path, pdf_path, FURNITURE, BASE_URL, False
        return html_path, pdf_path, STYLESHEETS, BASE_URL


def _page_numbers(body, front_pages):
    """{anchor: page number in the joined document} for the parts after the cover and contents."""
    numbers, first = {}, front_pages + 1
    for part in body:
        for name, (page, _, _) in part.anchors.items():
            numbers[name] = first + page
        first += part.pages
    return numbers


def _contents(entries, language=i18n.DEFAULT):
    said = i18n.translations(language).gettext
    return [{"kind": "part", "anchor": "tables", "title": said("Summary tables")},
            {"kind": "part", "anchor": "testimonies", "title": said("Testimonies")},
            *({"kind": "entry", "anchor": f"t{number}", **entry} for number, entry in enumerate(entries, 1)),
            *({"kind": "part", "anchor": anchor, "title": said(title)} for anchor, title in APPENDICES)]


def _executor(testimonies):
    """Worker processes for a document of several parts; this process for one of one part, where
    starting workers would cost more than they save. Spawned, not forked: a server's threads may
    hold locks."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if testimonies <= PART_SIZE or workers == 1:
        return _InProcess()
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


class _InProcess:
    """The executor interface, run at once in this process."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, function, *args):
        future = Future()
        try:
            future.set_result(function(*args))
        except Exception as error:  # raised again by future.result(), as from a worker
            future.set_exception(error)
        return future


def _entry(record):
    """What the contents and the manifest keep of a testimony."""
    date = record["incident_date"]
    return {"reference": record["reference"], "title": record["title"], "language": record["language"],
            "pseudonym": record["witness"]["pseudonym"], "date": date["label"] if date else None,
            "sha256": record["sha256"], "text_sha256": record["text_sha256"], "redactions": record["redactions"]}


def _described(records, codebook):
    for record in records:
        yield {**record, "passages": _passages(record), "provisions": by_provision(record, codebook)}


def _passages(record):
    """[(code number, code)] of the codes that quote a passage; codes are numbered C1, C2, … within
    the testimony."""
    return [(number, code) for number, code in enumerate(record["codes"], 1) if code["passage"]]


def by_provision(record, codebook):
    """[(provision, [code numbers])]: each provision the codes engage, in the codebook's order, then
    the codes that engage none. A code engaging two provisions is under both."""
    grouped = {}
    for number, code in enumerate(record["codes"], 1):
        for provision in code["legal"] or [NO_PROVISION]:
            grouped.setdefault(provision["id"], []).append(number)
    order = list(codebook.legal_provisions)
    ordered = sorted(grouped, key=lambda p: order.index(p) if p in order else len(order))
    return [(_provision(codebook, p), grouped[p]) for p in ordered]


def _provision(codebook, provision_id):
    if provision_id is None:
        return NO_PROVISION
    return {"id": provision_id, "label": codebook.label("legal", provision_id), "title": codebook.title(provision_id)}


def _used_abuse_types(counted, codebook):
    order = list(codebook.abuse_types)
    return [{**codebook.abuse_types[a], "label": codebook.label("abuse_type", a), "definition": codebook.definition(a)}
            for a in sorted(counted.abuse_types, key=order.index)]


def _used_provisions(counted, codebook):
    used = {p for a in counted.abuse_types for p in codebook.legal_for(a)}
    return [_provision(codebook, p) for p in codebook.legal_provisions if p in used]
