"""A REFI-QDA project (.qdpx) imported through the intake's path (archive/intake/__init__.py): each
text source validated as an import row (ImportRowSchema) and stored by `store_row`, each selection
validated as a code (CodeSchema, against the stored text) and stored with its passage, coder and
note; one transaction, with its import batch and audit entry. All or nothing: any problem (a code
not mapped onto the codebook, a selection whose text is not the text at its positions, an invalid
source) refuses the whole file, every problem named, and nothing is written.

A source whose text is already in the archive (same SHA-256) is a duplicate: it and its selections
are skipped, as an import skips a duplicate row. Codes an admin refused are left out, and a selection
coded only with them is skipped and reported.
"""
import re

from marshmallow import ValidationError

from archive import store
from archive.custody import audit
from archive.custody.hashing import file_sha256
from archive.exchange import ExchangeRefused, mapping, positions, qdpx_read
from archive.i18n import N_, say, say_plural
from archive.store import exchange as store_exchange
from archive.store.db import write_transaction
from archive.text import find_controls
from schemas.code import CodeSchema
from schemas.import_row import ImportRowSchema

# Our variables (qdpx_export.VARIABLES; "Witness minor" follows from the age) and the plain names other
# programs give the same attributes -> import fields.
FIELDS = {
    "witness pseudonym": "witness_pseudonym", "pseudonym": "witness_pseudonym",
    "witness gender": "witness_gender", "gender": "witness_gender",
    "witness age": "witness_age", "age": "witness_age", "witness age band": "witness_age_band",
    "witness nationality": "witness_nationality", "nationality": "witness_nationality",
    "language": "language", "interview date": "interview_date", "organisation": "organisation",
    "consent": "consent", "confidentiality": "confidentiality", "incident date": "incident_date",
}
MAX_CODER = 100
OUR_REFERENCE = re.compile(r"[A-Z]{1,8}-\d{4}-\d{3,6}")
DESCRIBED = re.compile(r"^(Date|Victims|Minors): (\S+)$", re.MULTILINE)  # as qdpx_export writes them
UNMAPPED = N_("code %(code)s (GUID %(guid)s) is not mapped onto the codebook: an admin maps it onto an abuse type, a "
              "perpetrator or a place, or refuses it, on Codebook › REFI-QDA exchange (or with archive import-qdc); "
              "then import the file again")


def import_project(db, path, codebook, actor, report, progress=None):
    """Import the .qdpx at `path` into `report` (an intake.ImportReport). Raises ImportRejected."""
    from archive import intake

    try:
        project = qdpx_read.read(path)
    except ExchangeRefused as err:
        raise intake.ImportRejected([(None, None, str(err))]) from None
    if progress:
        progress.start(len(project.sources))
    matches = _matches(db, codebook, project)
    problems = [(None, None, say(UNMAPPED, code=repr(m.name), guid=m.guid)) for m in matches.values()
                if not m.mapped and m.how != "refused" and m.guid in _used(project)]
    problems += [(None, None, say("a selection names code GUID %(guid)s, which the project's codebook does not hold",
                                  guid=guid))
                 for guid in sorted(_used(project) - set(matches))]
    schema, filename = ImportRowSchema(codebook), intake.printable_name(path)
    with write_transaction(db):
        batch_id = store.insert_import_batch(db, filename, file_sha256(path), actor)
        reason = f"import of {filename} (batch {batch_id})"
        seen = {"texts": {}, "references": set()}  # in this file: digest -> source, references taken
        for source in project.sources:
            report.rows += 1
            if progress:
                progress.advance()
            problems += _source(db, schema, codebook, source, project, matches, actor, reason, batch_id, report, seen,
                                write=not problems)
        if problems:
            limit = intake.MAX_REPORTED_PROBLEMS
            raise intake.ImportRejected(problems[:limit], len(problems) > limit)
        store.finish_import_batch(db, batch_id, report.rows, len(report.imported), len(report.duplicates))
        audit.record(db, actor, "import", filename, {
            "batch": batch_id, "file_sha256": file_sha256(path), "rows": report.rows, "imported": len(report.imported),
            "duplicates": len(report.duplicates), "format": "qdpx", "codes": report.codes})
    if project.other_sources:
        report.skipped.append(say_plural(  # the page's language; English on the command line
            "%(num)s source other than text (PDF, picture, audio, video) left out: the archive holds statements "
            "as text", "%(num)s sources other than text (PDF, picture, audio, video) left out: the archive holds "
            "statements as text", project.other_sources))
    return report


def _matches(db, codebook, project):
    codes = [code for code in project.codes if code.codable]
    return {m.guid: m for m in mapping.Mapper(db, codebook).match_all([(c.guid, c.name) for c in codes])}


def _used(project):
    return {guid for source in project.sources for guid in
            [*source.codes, *(g for selection in source.selections for g in selection.codes)]}


def _source(db, schema, codebook, source, project, matches, actor, reason, batch_id, report, seen, write):
    from archive import intake

    said = repr(source.name)  # the source as problems name it: 'Interview 3'
    record = _record(source, matches, codebook)
    try:
        row = schema.load(record)
    except ValidationError as err:
        return [(None, None, say("source %(source)s, %(field)s: %(reasons)s", source=said, field=field,
                                 reasons="; ".join(map(str, reasons))))
                for field, reasons in sorted(err.messages.items())]
    text, digest = intake._normalised(row)
    existing = seen["texts"].get(digest) or store.reference_with_text(db, digest)
    if existing:
        report.duplicates.append((source.name, existing))
        return []
    mapped, schema_of_codes = positions.Mapping(source.text), CodeSchema(codebook, text)
    codes, problems = [], []
    for selection in source.selections:
        found, trouble = _codes(selection, mapped, text, schema_of_codes, project, matches, said)
        codes += found
        problems += trouble
    reference = row.get("reference")
    if reference and (reference in seen["references"] or store.reference_taken(db, reference)):
        problems.append((None, None, say("source %(source)s: %(reference)s is already in the archive or the file, "
                                         "with a different text", source=said, reference=reference)))
    seen["texts"][digest] = reference or source.name
    seen["references"].add(reference)
    if problems or not write:
        return problems
    # coded as the first code saved on the coding page leaves it
    stored = intake.store_row(db, schema, row, actor, reason, batch_id, status="in_progress" if codes else "new")
    report.imported.append(stored.testimony_id)
    report.references.append(stored.reference)
    store_exchange.keep_guid(db, "testimony", stored.reference, source.guid)
    for selection, columns, coder in codes:
        code_id = store.insert_code(db, stored.testimony_id, {**columns, "codebook_version": codebook.version},
                                    actor, reason, coder=coder)
        store_exchange.keep_guid(db, "code", code_id, selection.guid)
        report.codes += 1
    return []


def _record(source, matches, codebook):
    """The import row of a source: its text, title, attributes, and the codes coding it whole."""
    record = {"text": source.text, "title": (source.description or source.name).strip().split("\n")[0][:300]}
    if _is_reference(source.name):
        record["reference"] = source.name
    for name, value in source.variables.items():
        field = FIELDS.get(name.strip().lower())
        if field == "witness_age_band":
            record.setdefault("witness_age", value)
        elif field == "incident_date":  # EDTF, a range as "from/to"
            record["incident_date_from"], _, to = value.partition("/")
            if to:
                record["incident_date_to"] = to
        elif field:
            record[field] = value
    whole = [matches[guid] for guid in source.codes if guid in matches and matches[guid].mapped]
    record["abuse_types"] = [m.target_id for m in whole if m.target_kind == "abuse_type"]
    record["perpetrators"] = [m.target_id for m in whole if m.target_kind == "perpetrator"]
    places = [m.target_id for m in whole if m.target_kind == "place"]
    if places:
        record["location"] = codebook.places[places[0]]["name"]
    return record


def _count(value):
    """A count as written in a Description, for CodeSchema to check; text that is no number stays text."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else value


def _coder(name):
    """A User's name as the code's coder: one line, printable, at most MAX_CODER characters."""
    name = " ".join((name or "").split())
    if not name or find_controls(name):
        return "unknown coder"
    return name[:MAX_CODER]


def _is_reference(name):
    """A source named as this archive names testimonies (T-2021-0042) keeps that reference."""
    return bool(OUR_REFERENCE.fullmatch(name))


def _codes(selection, mapped, text, code_schema, project, matches, said):
    """([(selection, code columns, coder name)], problems) of one selection."""
    where = {"source": said, "selection": selection.guid}
    targets = [matches[g] for g in selection.codes if g in matches and matches[g].mapped]
    if not targets:
        return [], []  # coded only with refused codes (or unmapped: reported once, by code)
    span, reason = mapped.span(selection.start, selection.end, selection.name)
    if span is None:
        return [], [(None, None, say("source %(source)s, selection %(selection)s: %(reason)s", reason=reason,
                                     **where))]
    if span.text != text[span.start:span.end]:
        return [], [(None, None, say("source %(source)s, selection %(selection)s: its text is not the stored text at "
                                     "its positions", **where))]
    abuse_types = [m.target_id for m in targets if m.target_kind == "abuse_type"]
    if not abuse_types:
        return [], [(None, None, say("source %(source)s, selection %(selection)s: none of its codes is an abuse type "
                                     "(a code needs one)", **where))]
    description = selection.description or ""
    described = dict(DESCRIBED.findall(description))
    date, _, date_to = described.get("Date", "").partition("/")
    notes = [project.notes.get(guid, "") for guid in selection.notes] + [DESCRIBED.sub("", description)]
    body = {"start": span.start, "end": span.end, "selected_text": span.text,
            "perpetrators": [m.target_id for m in targets if m.target_kind == "perpetrator"],
            "place": next((m.target_id for m in targets if m.target_kind == "place"), None),
            "date": date or None, "date_to": date_to or None,
            "victims": _count(described.get("Victims")), "minors": _count(described.get("Minors")),
            "note": "\n\n".join(n.strip() for n in notes if n and n.strip()) or None}
    found, problems = [], []
    for abuse_type in dict.fromkeys(abuse_types):
        try:
            columns = code_schema.load({**body, "abuse_type": abuse_type})
        except ValidationError as err:
            problems += [(None, None, say("source %(source)s, selection %(selection)s, %(field)s: %(reasons)s",
                                          field=field, reasons="; ".join(map(str, reasons)), **where))
                         for field, reasons in sorted(err.messages.items())]
            continue
        columns = {k: v for k, v in columns.items() if k not in ("redact", "reason")}
        found.append((selection, columns, _coder(project.users.get(selection.coder))))
    return found, problems
