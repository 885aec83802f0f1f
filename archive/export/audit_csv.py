"""The audit view as CSV: one row per entry, newest first, in words and as recorded.

Cells are neutralised as every CSV export of the archive is (archive/export/csv.py): an actor is
whatever was typed into the login form, so `=HYPERLINK(…)` must reach a spreadsheet as text. The
recorded columns (time, action, detail as JSON, both hashes) let the rows be checked against the
chain outside the archive; the words are for reading.
"""
import csv
import io

from archive.custody.audit_words import action_words, detail_words, readable_time
from archive.export.csv import neutralised

COLUMNS = ("number", "at", "when", "actor", "action", "what", "subject", "details", "detail_json",
           "previous_hash", "hash")


def row_of(entry):
    return {"number": entry["id"], "at": entry["at"], "when": readable_time(entry["at"]), "actor": entry["actor"],
            "action": entry["action"], "what": action_words(entry["action"]), "subject": entry["subject"],
            "details": detail_words(entry["action"], entry["detail"]),
            "detail_json": entry["recorded_detail"],
            "previous_hash": entry["previous_hash"], "hash": entry["hash"]}


def lines(entries):
    """The file as text chunks, the header first, one entry at a time (a long log is streamed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")

    def flushed():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(COLUMNS)
    yield flushed()
    for entry in entries:
        row = row_of(entry)
        writer.writerow([neutralised(row[column]) for column in COLUMNS])
        yield flushed()
