"""Exports for legal advocacy: a search's result set or a case file, as CSV, JSON, a PDF case
summary or a REFI-QDA project (archive/exchange/qdpx_export.py), pseudonymised and consent-aware, and recorded.

    selection = selection.from_search(db, searcher, user, args)   # or from_case_file(...)
    done = export.write(db, codebook, user, selection, Options("pdf"), path)

`write` refuses a user without the `export` permission, writes the file from records streamed in
batches (records.py applies the disclosure rules), then records the export (who, when, what, how
many, the file's SHA-256) in `export_record` and the audit log, in one transaction. A file whose
recording failed (or whose writing failed half-way) is removed: no export leaves unrecorded.
"""
import os
import re
from dataclasses import asdict, dataclass

from archive import errors, store
from archive.custody import audit
from archive.custody.hashing import file_sha256
from archive.export import records as export_records
from archive.i18n import say, say_plural
from archive.security import access
from archive.store import consent as store_consent
from archive.store import db as database

FORMATS = ("csv", "json", "pdf", "qdpx")
# A PDF takes about 0.2 CPU seconds a testimony on every core there is (bench/results/export.md): past
# this many it is refused with advice, rather than hold a server's cores and a request for minutes.
PDF_LIMIT = 1000
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "pdf": "application/pdf",
               "qdpx": "application/zip"}


class ExportRefused(errors.Forbidden):
    """This user may not make this export (HTTP 403)."""


class ExportTooLarge(errors.Invalid):
    """Too many testimonies for a PDF (HTTP 422): split the selection, or export CSV or JSON."""


@dataclass(frozen=True)
class Options:
    format: str
    per: str = "testimony"      # CSV: one row per testimony or per code
    bom: bool = False           # CSV: UTF-8 with BOM, for Excel
    identify: bool = False      # witness name and contact, where role and consent allow
    statements: bool = False    # PDF: the full statements after the codes
    language: str = "en"        # PDF: the language of its furniture, the exporter's interface (archive/i18n.py)


@dataclass
class Done:
    name: str  # what the file is called when it is downloaded (file_name)
    path: str
    count: int
    left_out: dict
    warnings: list
    identified: int
    sha256: str
    export_id: int


class Source:
    """The records of one export, as often as a writer needs to read them (the PDF reads twice),
    noting the testimonies whose witness is identified (on the last reading)."""

    def __init__(self, db, codebook, user, selection, options):
        self.db, self.codebook, self.user, self.selection, self.options = db, codebook, user, selection, options
        self.small = export_records.small_groups(db) & set(selection.references)
        self.identified = []

    def __iter__(self):
        self.identified = []
        for record in export_records.iter_records(self.db, self.codebook, self.selection.references, self.user,
                                                  self.options.identify, self.small):
            if record["identity"] is not None:
                self.identified.append(record["reference"])
            yield record


def write(db, codebook, user, selection, options, path, now=None, progress=None):
    """Write the export to `path` and record it; returns Done. Raises ExportRefused, ExportTooLarge.
    `progress`, if given, is told in words how far a long export (a PDF) has come."""
    check(user, selection, options)
    source = Source(db, codebook, user, selection, options)
    head = header(codebook, user, selection, source.small, now or store.now())
    try:
        extra = {"progress": progress} if progress and options.format == "pdf" else {}
        _writer(options.format)(path, head, source, options, codebook=codebook, db=db, **extra)
        digest = file_sha256(path)
        with database.write_transaction(db):
            held = _still_held(db, selection.references)
            export_id = store.insert_export_record(db, {
                "actor": user["name"], "format": options.format, "options": asdict(options),
                "search": selection.search, "case_file_id": (selection.case_file or {}).get("id"),
                "records": len(selection.references), "left_out": selection.left_out,
                "identified": len(source.identified), "sha256": digest})
            audit.record(db, user["name"], "export", f"export {export_id}", {
                "format": options.format, "records": len(selection.references), "left_out": selection.left_out,
                "identified": source.identified, "sha256": digest, "search": selection.search,
                "case_file": selection.case_file})  # references whose witness identity the file shows
            store_consent.record_export_testimonies(db, export_id, list(held.values()),
                                                    [held[r] for r in source.identified if r in held])
    except BaseException:
        if os.path.exists(path):  # half-written, or written but not recorded: it must not leave
            os.unlink(path)
        raise
    return Done(file_name(selection, options, head["exported_at"]), str(path), len(selection.references),
                selection.left_out, head["warnings"], len(source.identified), digest, export_id)


def _still_held(db, references):
    """{reference: testimony id}, inside the recording transaction: a testimony purged while the file
    was being written means the file must not leave (a purge lists the exports recorded before it)."""
    held = {reference: row["id"] for reference, row in store.testimony_rows_by_reference(db, references).items()}
    if len(held) < len(set(references)):
        raise ExportRefused(say("a testimony in this export was purged while the file was made; export again"))
    return held


def check(user, selection, options):
    """Refuse, before any work, an export this user may not make. Raises ExportRefused, ExportTooLarge."""
    if not access.can(user, "export"):
        raise ExportRefused(say("your role may not export testimonies"))
    if options.identify and not access.can(user, "read_identity"):
        raise ExportRefused(say("your role may not see witnesses' identities; export without identities"))
    if options.identify and options.format == "qdpx":
        raise ExportRefused(say("a REFI-QDA project never holds witnesses' identities; export without "
                                "identities"))
    if options.format == "pdf" and len(selection.references) > PDF_LIMIT:
        raise ExportTooLarge(say_plural(
            "%(num)s testimony is too many for one PDF (at most %(most)s): narrow the search or split the case "
            "file, or export CSV or JSON",
            "%(num)s testimonies are too many for one PDF (at most %(most)s): narrow the search or split the case "
            "file, or export CSV or JSON", len(selection.references), most=PDF_LIMIT))


def header(codebook, user, selection, small, at):
    """What an export says about itself (the JSON head, the PDF cover)."""
    warnings = selection.left_out_sentences()
    if small:
        shown = ", ".join(sorted(small)[:20]) + (" …" if len(small) > 20 else "")
        warnings.append(say_plural(
            "%(num)s witness (%(shown)s) shares nationality, age band and incident month with fewer than "
            "%(others)s others in the archive: together these details could single them out",
            "%(num)s witnesses (%(shown)s) share nationality, age band and incident month with fewer than "
            "%(others)s others in the archive: together these details could single them out",
            len(small), shown=shown, others=export_records.SMALL_GROUP - 1))
    return {"title": title_of(selection), "exported_at": at, "exported_by": f"{user['name']} ({user['role']})",
            "search": selection.search, "case_file": selection.case_file, "count": len(selection.references),
            "left_out": selection.left_out, "warnings": warnings, "codebook_version": codebook.version}


def title_of(selection):
    """The export's title, in the exporter's language as its warnings are: the PDF's cover and running
    header say it on every page."""
    if selection.case_file:
        return say("Case file: %(name)s", name=selection.case_file["name"])
    if selection.search and selection.search["q"]:
        return say("Search: %(query)s", query=selection.search["q"])
    return say("Search of the archive")


def file_name(selection, options, at):
    """What the downloaded file is called: what it is, what it holds, and when, e.g.
    `case-summary-dogs-2026-12-02.pdf`, `codes-case-file-bruzgi-2026-12-02.csv`."""
    kind = {"pdf": "case-summary", "json": "testimonies", "qdpx": "project"}.get(options.format,
                                                            "codes" if options.per == "code" else "testimonies")
    if selection.case_file:
        about = "case-file-" + selection.case_file["name"]
    elif selection.search and selection.search["q"]:
        about = selection.search["q"]
    elif selection.search and selection.search["filters"]:
        about = "-".join(value for values in selection.search["filters"].values() for value in values)
    else:
        about = "all"
    slug = re.sub(r"[\W_]+", "-", about.lower()).strip("-")[:60].strip("-") or "search"
    return f"{kind}-{slug}-{at[:10]}.{options.format}"


def _writer(name):
    from archive.exchange import qdpx_export
    from archive.export import csv, json, pdf
    return {"csv": csv.write, "json": json.write, "pdf": pdf.write, "qdpx": qdpx_export.write}[name]
