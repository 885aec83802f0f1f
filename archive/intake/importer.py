"""Reading import files: CSV (UTF-8, with or without BOM; comma, semicolon or tab separated), a JSON
array, or JSON Lines.

`read_records(path)` yields `(row_number, record, problems)` one at a time, so memory stays flat
on large files. Row numbers are what a person sees: for CSV the data row counted from 1 after the
header (its line in the file may differ when fields hold newlines); for JSON the array position
from 1; for JSON Lines the line number. A row whose shape is wrong (too few or too many values, a
line that is not JSON, a record that is not an object) comes with `record` None and its problem,
and reading goes on, so that one run reports every row; so does a header naming an unknown or
repeated column, whose values are left out. Only what stops the reading itself (the encoding, no
header, a JSON array that cannot be followed past a broken record) raises `ImportFileError`.
Problems inside a record are for the schema to report.
"""
import csv
import os

from archive import errors
from archive.i18n import say
from archive.security import safe_json
from schemas.import_incident import is_csv_column
from schemas.import_row import FIELDS, MAX_TEXT_CHARS

csv.field_size_limit(MAX_TEXT_CHARS * 4 + 1)  # the schema, not the csv module, reports long texts
MAX_FILE_BYTES = 2 * 1024 ** 3
# Excel writes "CSV" (and "CSV UTF-8") with the locale's list separator: a semicolon in Polish, Ukrainian
# and Russian, so the very file our "save it as CSV UTF-8" advice produces. A tab: text copied from a sheet.
DELIMITERS = (",", ";", "\t")
_HEADER_CHARS = 1 << 16
_READ_CHUNK = 1 << 20


class ImportFileError(errors.Invalid):
    """The file cannot be read as records at all; nothing is imported."""


def detect_format(path):
    """'csv', 'json' or 'jsonl', by extension, else by the first character."""
    extension = os.path.splitext(str(path))[1].lower()
    if extension in (".csv", ".json", ".jsonl"):
        return extension[1:]
    if extension == ".ndjson":
        return "jsonl"
    with open(path, "rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        return "jsonl"
    return "csv"


def check_file(path):
    """Refuse, before reading any record, a file that is empty, huge, or not UTF-8."""
    size = os.path.getsize(path)
    if size == 0:
        raise ImportFileError(say("the file is empty"))
    if size > MAX_FILE_BYTES:
        raise ImportFileError(say("the file is %(size)s bytes; the limit is %(limit)s", size=format(size, ","),
                                  limit=format(MAX_FILE_BYTES, ",")))
    with open(path, "rb") as handle:
        head = handle.read(4096)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head.count(0) > len(head) // 4:
            raise ImportFileError(say("the file is UTF-16 (or another wide encoding); save it as UTF-8 "
                                      "(Excel: 'CSV UTF-8')"))
        handle.seek(0)
        for line_number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as err:
                byte = line[err.start]
                raise ImportFileError(say(
                    "line %(line)s: byte 0x%(byte)s at column %(column)s is not UTF-8; the file looks like a legacy "
                    "encoding (e.g. Windows-1250): save it as UTF-8 (Excel: 'CSV UTF-8')",
                    line=line_number, byte=format(byte, "02X"), column=err.start + 1)) from None


def read_records(path, file_format=None, checked=False):
    """(row number, record or None, [(row, field, reason)]) triples; `checked` skips `check_file`
    when a first pass already ran it. A header problem comes first, as row None."""
    if not checked:
        check_file(path)
    file_format = file_format or detect_format(path)
    readers = {"csv": _read_csv, "json": _read_json_array, "jsonl": _read_json_lines}
    found = False
    for row_number, record, problems in readers[file_format](path):
        found = found or row_number is not None
        yield row_number, record, problems
    if not found:
        raise ImportFileError(say("the file has no records (only a header row)") if file_format == "csv"
                              else say("the file has no records"))


def scan(path):
    """(number of rows, the references the file gives explicitly): a first, cheap pass."""
    count, references = 0, set()
    for row_number, record, _ in read_records(path):
        count += row_number is not None
        if record and isinstance(record.get("reference"), str) and record["reference"].strip():
            references.add(record["reference"].strip())
    return count, references


def csv_delimiter(path):
    """The separator of a CSV file, read from its header only (never guessed from a witness's words): the
    one of DELIMITERS that names the most known columns; a comma when none names more."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = handle.readline(_HEADER_CHARS)

    def known(delimiter):
        try:
            columns = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:
            return 0
        return sum(c.strip() in FIELDS or is_csv_column(c.strip()) for c in columns)

    return max(DELIMITERS, key=known)  # the first, a comma, on a tie


def _read_csv(path):
    delimiter = csv_delimiter(path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True, delimiter=delimiter)
        try:
            header = next(reader, None)
            if not header or not any(h.strip() for h in header):
                raise ImportFileError(say("line 1: the first line must name the columns"))
            columns, header_problems = _check_header([h.strip() for h in header])
            if header_problems:
                yield None, None, [(None, None, problem) for problem in header_problems]
            for row_number, values in enumerate(reader, start=1):
                if not any(v.strip() for v in values):
                    continue  # a blank line, as spreadsheets leave at the end
                if len(values) != len(columns):
                    yield row_number, None, [(row_number, None, say(
                        "%(values)s values for %(columns)s columns (line %(line)s of the file)",
                        values=len(values), columns=len(columns), line=reader.line_num))]
                    continue
                yield row_number, {column: value for column, value in zip(columns, values) if column}, []
        except csv.Error as err:
            raise ImportFileError(say("line %(line)s: malformed CSV (%(error)s)", line=reader.line_num,
                                      error=err)) from None


def _check_header(columns):
    """(the columns, with None for each one left out, [problems]). Unknown and repeated columns are
    reported and left out; a header of no known column, or without `text`, stops the import."""
    known = [c for c in columns if c in FIELDS or is_csv_column(c)]
    unknown = [c for c in columns if c not in known]
    if len(unknown) == len(columns):
        # Most likely a file saved without its header row: never echo what may be a witness's data.
        raise ImportFileError(say("line 1 must name the columns (reference, title, text, …); none of its "
                                  "%(count)s values is a known column name", count=len(columns)))
    if "text" not in columns:
        raise ImportFileError(say("the column 'text' is missing"))
    problems = []
    if unknown:
        named = ", ".join(say("column %(number)s ('%(name)s')", number=number, name=c[:40])
                          for number, c in enumerate(columns, start=1) if c in unknown)
        problems.append(say("line 1: unknown column(s): %(columns)s; their values are not imported; the known ones "
                            "are: %(known)s, and an incident's incident.<field> and leg<N>.<field>",
                            columns=named, known=", ".join(FIELDS)))
    repeated = sorted({c for c in columns if c in known and columns.count(c) > 1})
    if repeated:
        problems.append(say("line 1: column(s) named twice: %(columns)s", columns=", ".join(repeated)))
    kept = [c if c in known and c not in columns[:number] else None for number, c in enumerate(columns)]
    return kept, problems


def _read_json_lines(path):
    with open(path, encoding="utf-8-sig") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = safe_json.loads(line.rstrip("\r\n"))
            except safe_json.JSONRefused as err:
                yield line_number, None, [(line_number, None, say("not valid JSON (%(error)s)", error=err))]
                continue
            yield line_number, *_object(record, line_number)


def _read_json_array(path):
    """Objects of a top-level JSON array, decoded one at a time from a sliding buffer."""
    with open(path, encoding="utf-8-sig") as handle:
        buffer, offset = handle.read(_READ_CHUNK), 0

        def skip(chars):
            nonlocal buffer, offset
            while True:
                while offset < len(buffer) and buffer[offset] in chars:
                    offset += 1
                if offset < len(buffer):
                    return buffer[offset]
                more = handle.read(_READ_CHUNK)
                if not more:
                    return ""
                buffer, offset = more, 0

        if skip(" \t\r\n") != "[":
            raise ImportFileError(say("a JSON import file must be an array of objects: [ {...}, {...} ]"))
        offset += 1
        position = 0
        while True:
            if skip(" \t\r\n") == "]":
                offset += 1
                if skip(" \t\r\n"):
                    raise ImportFileError(say("after record %(record)s: more content follows the end of the array",
                                              record=position))
                return
            position += 1
            while True:
                try:
                    record, end = safe_json.raw_decode(buffer, offset)
                    break
                except safe_json.NotJSON as err:
                    more = handle.read(_READ_CHUNK)
                    if not more:
                        raise ImportFileError(say("record %(record)s: not valid JSON (%(error)s)", record=position,
                                                  error=err)) from None
                    buffer, offset = buffer[offset:] + more, 0
                except safe_json.JSONRefused as err:  # its end cannot be found: nothing after it can be read
                    raise ImportFileError(say("record %(record)s: not valid JSON (%(error)s)", record=position,
                                              error=err)) from None
            yield position, *_object(record, position)
            offset = end
            separator = skip(" \t\r\n")
            if separator == ",":
                offset += 1
            elif separator != "]":
                raise ImportFileError(say("after record %(record)s: expected ',' or ']'", record=position))


def _object(record, row_number):
    """(record, []) for an object; (None, [its problem]) for anything else."""
    if not isinstance(record, dict):
        return None, [(row_number, None, say("expected an object {...}, found %(found)s",
                                             found=type(record).__name__))]
    return record, []
