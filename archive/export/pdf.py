"""PDF case summary, rendered by WeasyPrint from templates/export/: a cover, a table of contents,
the summary tables, each testimony (its codes grouped by the legal provisions they engage, with
the supporting passages quoted), the codebook definitions used, a methodology and a manifest of
SHA-256 hashes.

The HTML is streamed from the records (read twice: once for the contents and the manifest, which
keep only a reference, a title and hashes per testimony, then for the body) into a temporary file.
WeasyPrint then lays out the whole document at once, which is where memory goes (bench/).
"""
import datetime as dt
import os
import tempfile

import jinja2

from archive import TEMPLATES
from archive.export import tables as summary
from archive.results import MONTHS

STYLESHEET = TEMPLATES / "export" / "case_summary.css"
RTL_LANGUAGES = {"ar", "fa", "ur", "he", "ps", "ckb", "yi"}
NO_PROVISION = {"id": None, "label": "No legal provision in the codebook", "title": ""}


def environment():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["direction"] = lambda language: "rtl" if language in RTL_LANGUAGES else "ltr"
    env.filters["moment"] = moment
    return env


def moment(stamp):
    """'2026-12-01T14:02:20+00:00' -> '1 December 2026, 14:02 UTC'."""
    when = dt.datetime.fromisoformat(stamp).astimezone(dt.timezone.utc)
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}, {when:%H:%M} UTC"


def write(path, head, records, options, codebook, db):
    from weasyprint import CSS, HTML  # heavy import: only when a PDF is made

    counted = summary.count(db, codebook, records.selection.references)
    entries = [_entry(record) for record in records]
    context = {
        "head": head, "options": options, "entries": entries, "records": _described(records, codebook),
        "side_by_type": summary.side_by_type(counted, codebook), "by_month": summary.by_month(counted),
        "not_in_a_month": counted.not_in_a_month, "places": summary.places(counted, codebook),
        "abuse_types": _used_abuse_types(counted, codebook), "provisions": _used_provisions(counted, codebook),
        "label": codebook.label,
    }
    handle, html_path = tempfile.mkstemp(suffix=".html", dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as html:
            for chunk in environment().get_template("export/case_summary.html").generate(**context):
                html.write(chunk)
        HTML(filename=html_path, base_url=str(TEMPLATES / "export")).write_pdf(
            path, stylesheets=[CSS(filename=str(STYLESHEET))], pdf_tags=True)  # tagged: screen readers can follow it
    finally:
        os.unlink(html_path)


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
    entry = codebook.legal_provisions[provision_id]
    return {"id": provision_id, "label": codebook.label("legal", provision_id), "title": entry["title"]}


def _used_abuse_types(counted, codebook):
    order = list(codebook.abuse_types)
    return [codebook.abuse_types[a] for a in sorted(counted.abuse_types, key=order.index)]


def _used_provisions(counted, codebook):
    used = {p for a in counted.abuse_types for p in codebook.legal_for(a)}
    return [_provision(codebook, p) for p in codebook.legal_provisions if p in used]
