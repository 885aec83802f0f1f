"""Import: records from a file -> validated rows -> one SQLite transaction -> the search index.

All or nothing: every record is validated; if any is wrong the transaction is rolled back and
`ImportRejected` lists every problem as (row, field, reason). A statement whose text is already
in the archive (same SHA-256 after normalisation) is skipped as a duplicate, so importing the
same file twice imports nothing new. The SQLite commit comes first; the index follows, and a
crash between the two is found by `archive check` and repaired by `archive reindex`.
"""
import os
from dataclasses import dataclass, field

from marshmallow import ValidationError

from archive import errors, languages, store
from archive.custody import audit
from archive.custody.hashing import file_sha256, text_sha256
from archive.i18n import say
from archive.intake import importer, incident
from archive.incidents import circumstances, group_sizes
from archive.intake.incident_table import IncidentTable
from archive.store import incidents as store_incidents
from archive.store.db import write_transaction
from archive.text import normalise
from schemas.import_row import ImportRowSchema

MAX_REPORTED_PROBLEMS = 1000


class ImportRejected(errors.Invalid):
    """The file was not imported. `problems` is a list of (row, field, reason); `conflict`: each is a
    reference the archive already holds (the records are right in themselves: the API's 409)."""

    def __init__(self, problems, truncated=False, conflict=False):
        self.problems, self.truncated, self.conflict = problems, truncated, conflict
        shown = "; ".join(describe(*problem) for problem in problems[:3])
        more = "; …" if len(problems) > 3 or truncated else ""
        super().__init__(say("nothing was imported: %(problems)s", problems=shown + more))


def describe(row, field, reason):
    """'row 3, field witness_age: reason' (row or field omitted when the problem is the file's)."""
    if row and field:
        return say("row %(row)s, field %(field)s: %(reason)s", row=row, field=field, reason=reason)
    if row:
        return say("row %(row)s: %(reason)s", row=row, reason=reason)
    if field:
        return say("field %(field)s: %(reason)s", field=field, reason=reason)
    return reason


@dataclass
class ImportReport:
    rows: int = 0
    imported: list = field(default_factory=list)        # testimony ids, in file order
    references: list = field(default_factory=list)      # their references
    duplicates: list = field(default_factory=list)      # (row, reference already holding that text)
    unknown_places: list = field(default_factory=list)  # (row, place as written)
    incidents_recorded: list = field(default_factory=list)  # the organisation's ids of new incidents
    incidents_linked: list = field(default_factory=list)    # ids of incidents already in the archive
    linked: list = field(default_factory=list)              # testimony ids newly linked to an incident
    codes: int = 0                                          # codes with passages (a REFI-QDA project's selections)
    skipped: list = field(default_factory=list)             # what a project held that the archive leaves out, in words
    batch: int = None                                       # the import batch's number
    indexed: bool = True  # False: stored, but the search index could not follow (`archive reindex` repairs it)


def import_file(db, path, codebook, actor, progress=None):
    """Import `path` into `db`; return an ImportReport.

    `progress`, if given, is told `.start(number of records)` once the file has been read
    through, and `.advance()` after each record is checked. A REFI-QDA project (.qdpx) goes through
    archive/exchange/qdpx_import.py, which validates and stores its sources as this path does.
    """
    if is_project(path):
        from archive.exchange import qdpx_import
        return qdpx_import.import_project(db, path, codebook, actor, ImportReport(), progress)
    schema = ImportRowSchema(codebook)
    report, problems = ImportReport(), []
    seen_references, seen_texts, taken = {}, {}, []
    filename = printable_name(path)
    table = IncidentTable(db, codebook)
    try:
        total, reserved = importer.scan(path)  # references given in the file are not generated for others
        if progress:
            progress.start(total)
        file_format = importer.detect_format(path)
        records = importer.read_records(path, file_format, checked=True)  # scan checked the encoding
        with write_transaction(db):
            file_digest = file_sha256(path)
            batch_id = report.batch = store.insert_import_batch(db, filename, file_digest, actor)
            reason = f"import of {filename} (batch {batch_id})"
            for row_number, record, shape_problems in records:
                problems.extend(shape_problems)
                if row_number is None:  # the header's problems: its other columns are read on
                    continue
                report.rows += 1
                if progress:
                    progress.advance()
                if record is None:  # a row of the wrong shape: reported, its values not validated
                    continue
                record, named_incidents, incident_problems = table.check(row_number, record, file_format)
                problems.extend(incident_problems)
                try:
                    row = schema.load(record)
                except ValidationError as err:
                    problems.extend(_flatten(row_number, err.messages))
                    row = err.valid_data or {}
                text, digest = _normalised(row)
                existing = digest and (seen_texts.get(digest) or store.reference_with_text(db, digest))
                if existing:
                    report.duplicates.append((row_number, existing))
                    held = named_incidents and not problems and _testimony_named(db, existing)
                    if held:  # already in the archive: it may still tell of them (unless purged)
                        table.add_source(named_incidents, held)
                    continue
                repeated = _repeated_reference(row_number, row, seen_references)
                held = [] if repeated else _taken_reference(db, row_number, row)
                problems.extend(repeated + held)
                taken.extend(held)
                if problems:  # keep checking, to report every problem, but write nothing more
                    if digest:
                        seen_texts[digest] = f"row {row_number}"
                    if len(problems) > MAX_REPORTED_PROBLEMS:
                        break
                    continue
                stored = store_row(db, schema, row, actor, reason, batch_id, reserved)
                seen_texts[digest] = stored.reference
                if stored.unknown_place:
                    report.unknown_places.append((row_number, stored.unknown_place))
                report.imported.append(stored.testimony_id)
                report.references.append(stored.reference)
                table.add_source(named_incidents, {"id": stored.testimony_id, "reference": stored.reference})
            problems.extend(table.finish())
            if problems:
                raise ImportRejected(problems[:MAX_REPORTED_PROBLEMS], len(problems) > MAX_REPORTED_PROBLEMS,
                                     conflict=len(taken) == len(problems))
            report.incidents_recorded, report.incidents_linked, report.linked = table.write(actor, reason)
            store.finish_import_batch(db, batch_id, report.rows, len(report.imported), len(report.duplicates))
            audit.record(db, actor, "import", filename, {
                "batch": batch_id, "file_sha256": file_digest, "rows": report.rows,
                "imported": len(report.imported), "duplicates": len(report.duplicates),
                **({"incidents": len(report.incidents_recorded) + len(report.incidents_linked)}
                   if table.defined else {})})
    except importer.ImportFileError as err:  # reading stopped: what was found before it is reported too
        problems.append((None, None, str(err)))
        raise ImportRejected(problems[:MAX_REPORTED_PROBLEMS], len(problems) > MAX_REPORTED_PROBLEMS) from None
    return report


def is_project(path):
    """A REFI-QDA project: named .qdpx, or a zip file (a CSV or JSON never starts with PK)."""
    if str(path).lower().endswith(".qdpx"):
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:  # the import itself says what is wrong with the path
        return False


def _testimony_named(db, reference):
    """{id, reference} of a testimony held; None for a purged one, which is never a source again."""
    row = store.testimony_rows_by_reference(db, [reference]).get(reference)
    return {"id": row["id"], "reference": reference} if row else None


@dataclass
class StoredRow:
    testimony_id: int
    reference: str
    unknown_place: str = None  # the location as written, when the gazetteer does not know it


def store_row(db, schema, row, actor, reason, batch_id=None, reserved=(), status="new"):
    """Store one validated row (from `schema.load`) as a testimony with its witness, identity
    and codes; inside the caller's write transaction. The import and the intake form share it
    (and a REFI-QDA project's, whose coded sources start `in_progress`)."""
    text, digest = _normalised(row)
    when = schema.incident(row)
    place_id, unknown_place = _resolve_place(row, schema.codebook)
    testimony = {**_testimony(db, row, when, text, digest, batch_id, reserved),
                 **incident.columns(place_id, row.get("location"), when), "status": status}
    codes = _codes(row, when, place_id, schema.codebook)
    testimony_id = store.insert_testimony(db, testimony, _witness(row), _identity(row), codes, actor, reason,
                                          perpetrators=row["perpetrators"])
    store_incidents.record_stated_size(db, testimony_id, group_sizes.group_size(text))  # once: a text never changes
    store_incidents.record_stated_circumstances(db, testimony_id, circumstances.circumstances(text))
    return StoredRow(testimony_id, testimony["reference"], unknown_place)


def _normalised(row):
    """(the text as it will be stored, its SHA-256), or (None, None) when the text is invalid."""
    if "text" not in row:
        return None, None
    text = normalise(row["text"])
    return text, text_sha256(text)


def _flatten(row_number, messages):
    return [(row_number, _printable(name), reason) for name, reasons in sorted(messages.items()) for reason in reasons]


def _printable(name):
    """A key of a JSON record as a person can read it, even one holding a lone surrogate (`x\\ud800`)."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def printable_name(path):
    """The file's name as recorded: bytes that are not UTF-8 (kept by the OS as lone surrogates) become U+FFFD."""
    return os.fsencode(os.path.basename(str(path))).decode("utf-8", "replace")


def _repeated_reference(row_number, row, seen_references):
    """A reference an earlier row of the file gives too (a wrong file: 422)."""
    reference = row.get("reference")
    if reference is None:
        return []
    if reference in seen_references:
        return [(row_number, "reference", say("%(reference)s is also used by row %(row)s", reference=reference,
                                              row=seen_references[reference]))]
    seen_references[reference] = row_number
    return []


def _taken_reference(db, row_number, row):
    """A reference the archive already holds (a conflict with what it holds: 409)."""
    reference = row.get("reference")
    if reference is not None and store.reference_taken(db, reference):
        return [(row_number, "reference", say("%(reference)s is already in the archive, with a different text",
                                              reference=reference))]
    return []


def _testimony(db, row, when, text, digest, batch_id, reserved):
    return {
        "reference": row.get("reference") or store.next_reference(db, _reference_year(row, when), reserved),
        "title": row.get("title") or _title_from(text), "text": text,
        "language": row["language"].lower() if row.get("language") else None,
        "language_detected": None if row.get("language") else languages.detect(text),
        "interview_date": row["interview_date"].text if row.get("interview_date") else None,
        "sha256": digest, "sha256_received": text_sha256(row["text"]),
        "import_batch_id": batch_id,
        **{k: row.get(k) for k in ("interviewer", "organisation", "source", "consent", "confidentiality")},
    }


def _resolve_place(row, codebook):
    """(gazetteer id, None) for the location as written; an unknown place is kept and flagged
    as (None, location)."""
    if not row.get("location"):
        return None, None
    place_id = codebook.resolve_place(row["location"])
    return place_id, None if place_id else row["location"]


def _witness(row):
    age, band, minor = row.get("witness_age", (None, None, None))
    witness = {"pseudonym": row.get("witness_pseudonym"), "gender": row.get("witness_gender"), "age": age,
               "age_band": band, "nationality": row.get("witness_nationality"), "minor": minor}
    return witness if any(v is not None for v in witness.values()) else None


def _identity(row):
    identity = {"name": row.get("witness_name"), "contact": row.get("witness_contact")}
    return identity if any(identity.values()) else None


def _codes(row, when, place_id, codebook):
    """One code per abuse type, awaiting its passage, with the perpetrators, place and date stated
    at intake. Without an abuse type there is no code: those belong to the testimony's incident."""
    shared = {
        "perpetrators": row["perpetrators"], "place_id": place_id, "place_text": row.get("location"),
        "date_text": when.text if when else None,
        "date_from": when.start.isoformat() if when else None,
        "date_to": when.end.isoformat() if when else None,
        "date_precision": when.precision if when else None,
        "codebook_version": codebook.version,
    }
    return [{**shared, "abuse_type": abuse_type} for abuse_type in row["abuse_types"]]


def _reference_year(row, when):
    if when:
        return when.year
    if row.get("interview_date"):
        return row["interview_date"].year
    return store.now()[:4]


def _title_from(text, length=80):
    first_line = text.strip().split("\n", 1)[0]
    return first_line if len(first_line) <= length else first_line[:length].rsplit(" ", 1)[0] + "…"



# --- one testimony, from the intake form -----------------------------------------------------

class TestimonyRejected(errors.Invalid):
    """The form's record was not stored. `problems` is {field: [reason, ...]}; `conflict`: the record is
    right in itself, but the archive already holds its statement or its reference (the API's 409)."""

    def __init__(self, problems, conflict=False):
        self.problems, self.conflict = problems, conflict
        super().__init__(say("the testimony was not stored: %(fields)s", fields=", ".join(sorted(problems))))


def add_testimony(db, record, codebook, actor, reason="added through the intake form"):
    """Validate one record as an import row would be and store it; return its StoredRow. `reason` is
    the history's (the intake form's, or the API's).

    Refused as a whole (TestimonyRejected naming each field) for any invalid field, a text
    already in the archive, or a reference already taken. Error messages never quote
    identifying fields (the schema's own messages do not)."""
    schema = ImportRowSchema(codebook)
    try:
        row = schema.load(record)
    except ValidationError as err:
        raise TestimonyRejected({name: list(reasons) for name, reasons in err.messages.items()}) from None
    with write_transaction(db):  # checked and stored in one transaction: no other writer in between
        problems = {}
        existing = store.reference_with_text(db, _normalised(row)[1])
        if existing:
            problems["text"] = [say("this statement is already in the archive, as %(reference)s", reference=existing)]
        if row.get("reference") and store.reference_taken(db, row["reference"]):
            problems["reference"] = [say("%(reference)s is already in the archive", reference=row["reference"])]
        if problems:
            raise TestimonyRejected(problems, conflict=True)
        stored = store_row(db, schema, row, actor, reason)
        audit.record(db, actor, "add_testimony", stored.reference, {"testimony": stored.testimony_id})
    return stored
