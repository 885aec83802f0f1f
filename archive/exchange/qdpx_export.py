"""A REFI-QDA project (.qdpx) of an export's testimonies: an export writer, like csv.py and json.py.

`archive/export/__init__.py` `write` has already narrowed the selection (role, consent) and records
the file (export_record, export_testimony, the audit log, its SHA-256) once it is written. Here:

- each testimony is a TextSource named by its reference, its redacted statement a UTF-8 file under
  `Sources/` (`plainTextPath="internal://<guid>.txt"`), its title the Description;
- each code a PlainTextSelection at code-point positions into that text (moved past redactions),
  named by its passage, coded with its abuse type and its perpetrators and place (codes of the
  project's codebook), its date in its Description, its note a Note, its coder a User;
- the witness's pseudonymous attributes (never name or contact) and the interview's as variables.

GUIDs are kept (exchange_guid), so a testimony or code exported twice has the same GUID.
"""
import uuid
import zipfile

from lxml import etree

from archive import store
from archive.exchange import PROJECT_NS, codes
from archive.export.redaction import Redactor
from archive.store import exchange as store_exchange
from archive.store.db import write_transaction

NS = f"{{{PROJECT_NS}}}"
# (variable, typeOfVariable, how to read it from an export row)
VARIABLES = (
    ("Witness pseudonym", "Text", lambda row: row["pseudonym"]),
    ("Witness gender", "Text", lambda row: row["gender"]),
    ("Witness age", "Integer", lambda row: row["age"]),
    ("Witness age band", "Text", lambda row: row["age_band"]),
    ("Witness nationality", "Text", lambda row: row["nationality"]),
    ("Witness minor", "Boolean", lambda row: None if row["minor"] is None else bool(row["minor"])),
    ("Language", "Text", lambda row: row["language"]),
    ("Interview date", "Text", lambda row: row["interview_date"]),
    ("Organisation", "Text", lambda row: row["organisation"]),
    ("Incident date", "Text", lambda row: row["incident_date_text"]),
    ("Consent", "Text", lambda row: row["consent"]),
    ("Confidentiality", "Text", lambda row: row["confidentiality"]),
)
DESCRIBED = (("Date", "date_text"), ("Victims", "victims"), ("Minors", "minors"))
VALUE_ELEMENTS = {"Text": "TextValue", "Integer": "IntegerValue", "Boolean": "BooleanValue"}


BATCH = 100  # testimonies read at a time: the statements go to the zip as they are read


def write(path, head, records, options, codebook, db, **context):
    references = records.selection.references  # never an identity: export_rows holds none
    exporter = head["exported_by"].split(" (")[0]
    root = etree.Element(NS + "Project", {
        "name": head["title"], "origin": "testimony-archive", "creationDateTime": head["exported_at"]},
        nsmap={None: PROJECT_NS})
    users, codebook_element = etree.SubElement(root, NS + "Users"), etree.SubElement(root, NS + "CodeBook")
    guids = {"codebook": codes.ensure_guids(db, codebook), "user": {}, "variable": _variable_guids(db)}
    _variables(root, guids["variable"])
    sources, notes, places = etree.SubElement(root, NS + "Sources"), [], set()
    with zipfile.ZipFile(path, "x", zipfile.ZIP_DEFLATED) as package:
        for start in range(0, len(references), BATCH):
            rows = _rows(db, references[start:start + BATCH])
            _more_guids(db, guids, rows, exporter)
            for row in rows:
                places |= {code["place_id"] for code in row["codes"] if code["place_id"]}
                guid = guids["testimony"][row["reference"]]
                package.writestr(f"Sources/{guid}.txt", _source(sources, row, guids, notes).encode("utf-8"))
        if not references:
            _more_guids(db, guids, [], exporter)
        root.set("creatingUserGUID", guids["user"][exporter])
        for name, guid in sorted(guids["user"].items()):
            etree.SubElement(users, NS + "User", {"guid": guid, "name": name})
        codebook_element.append(codes.codes_element(PROJECT_NS, codebook, guids["codebook"], places))
        if not len(sources):
            root.remove(sources)  # <Sources> holds at least one source
        if notes:
            held = etree.SubElement(root, NS + "Notes")
            held.extend(notes)
        etree.SubElement(root, NS + "Description").text = _described(head)
        package.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


def _rows(db, references):
    rows = {row["reference"]: row for row in store.export_rows(db, references)} if references else {}
    ids = [row["id"] for row in rows.values()]
    found_codes, redactions = (store.codes_of(db, ids), store.redactions_of(db, ids)) if ids else ({}, {})
    return [{**rows[reference], "codes": found_codes.get(rows[reference]["id"], []),
             "redactions": redactions.get(rows[reference]["id"], [])} for reference in references if reference in rows]


def _variable_guids(db):
    with write_transaction(db):
        return store_exchange.guids_for(db, "variable", [name for name, _, _ in VARIABLES])


def _more_guids(db, guids, rows, exporter):
    """The GUIDs of a batch's testimonies, codes and coders, given (and kept) in one write."""
    coders = {code["coder"] for row in rows for code in row["codes"]} | {exporter}
    with write_transaction(db):
        guids["user"].update(store_exchange.guids_for(db, "user", sorted(coders - set(guids["user"]))))
        guids.setdefault("testimony", {}).update(
            store_exchange.guids_for(db, "testimony", [row["reference"] for row in rows]))
        guids.setdefault("code", {}).update(
            store_exchange.guids_for(db, "code", [code["id"] for row in rows for code in row["codes"]]))


def _variables(root, variables):
    element = etree.SubElement(root, NS + "Variables")
    for name, kind, _ in VARIABLES:
        etree.SubElement(element, NS + "Variable", {"guid": variables[name], "name": name, "typeOfVariable": kind})


def _source(sources, row, guids, notes):
    """Add the testimony's TextSource; return its text as the source file holds it."""
    guid = guids["testimony"][row["reference"]]
    redactor = Redactor(row["text"], row["redactions"])
    text, moved = redactor.statement_mapped()
    title = redactor.other(row["title"])
    source = etree.SubElement(sources, NS + "TextSource", {
        "guid": guid, "name": row["reference"], "plainTextPath": f"internal://{guid}.txt"})
    if title:
        etree.SubElement(source, NS + "Description").text = title
    for code in row["codes"]:
        if code["passage_start"] is not None:
            _selection(source, code, guids, text, moved, notes, redactor)
    whole = dict.fromkeys(target for code in row["codes"] if code["passage_start"] is None for target in _targets(code))
    for kind, target in whole:  # codes awaiting their passage (an import's) code the whole source
        coding = etree.SubElement(source, NS + "Coding", {"guid": str(uuid.uuid5(uuid.UUID(guid), f"{kind}:{target}"))})
        etree.SubElement(coding, NS + "CodeRef", {"targetGUID": guids["codebook"][(kind, target)]})
    for name, kind, read in VARIABLES:
        value = read(row)
        if value is not None:
            held = etree.SubElement(source, NS + "VariableValue")
            etree.SubElement(held, NS + "VariableRef", {"targetGUID": guids["variable"][name]})
            etree.SubElement(held, NS + VALUE_ELEMENTS[kind]).text = (
                ("true" if value else "false") if kind == "Boolean" else str(value))
    return text


def _selection(source, code, guids, text, moved, notes, redactor):
    guid = guids["code"][str(code["id"])]
    coder = guids["user"][code["coder"]]
    start, end = moved(code["passage_start"]), moved(code["passage_end"], end=True)
    selection = etree.SubElement(source, NS + "PlainTextSelection", {
        "guid": guid, "name": text[start:end], "startPosition": str(start), "endPosition": str(end),
        "creatingUser": coder, "creationDateTime": code["created_at"]})
    described = [f"{label}: {code[key]}" for label, key in DESCRIBED if code[key] is not None]
    if described:  # what REFI-QDA has no place for, in lines the import reads back
        etree.SubElement(selection, NS + "Description").text = "\n".join(described)
    for kind, target in _targets(code):
        coding = etree.SubElement(selection, NS + "Coding", {
            "guid": str(uuid.uuid5(uuid.UUID(guid), f"{kind}:{target}")), "creatingUser": coder})
        etree.SubElement(coding, NS + "CodeRef", {"targetGUID": guids["codebook"][(kind, target)]})
    if code["note"]:
        note_guid = str(uuid.uuid5(uuid.UUID(guid), "note"))
        etree.SubElement(selection, NS + "NoteRef", {"targetGUID": note_guid})
        note = etree.Element(NS + "Note", {"guid": note_guid, "name": f"Note on {source.get('name')}",
                                           "creatingUser": coder, "creationDateTime": code["updated_at"]})
        # a note may repeat a redacted name: the redacted words go, as from the title
        etree.SubElement(note, NS + "PlainTextContent").text = redactor.other(code["note"])
        notes.append(note)


def _targets(code):
    """(kind, id) of the codebook codes one of our codes is coded with."""
    return ([("abuse_type", code["abuse_type"])] if code["abuse_type"] else []) + \
        [("perpetrator", p) for p in code["perpetrators"]] + ([("place", code["place_id"])] if code["place_id"] else [])


def _described(head):
    """The export's own description: what, by whom, when, and what was left out."""
    lines = [head["title"], f"Exported by {head['exported_by']} on {head['exported_at']} from testimony-archive "
             f"(codebook {head['codebook_version']}): {head['count']} testimonies."]
    return "\n".join(lines + head["warnings"])
