"""Reading import files: CSV (UTF-8, with or without BOM), a JSON array, or JSON Lines.

`read_records(path)` yields `(row_number, record)` one at a time, so memory stays flat on
large files. Row numbers are what a person sees: for CSV the data row counted from 1 after the
header (its line in the file may differ when fields hold newlines); for JSON the array position
from 1; for JSON Lines the line number. Problems with the file itself (encoding, syntax,
columns) raise `ImportFileError` naming the line or row; problems inside a record are for the
schema to report.
"""
import csv
import json
import os

from schemas.import_row import FIELDS, MAX_TEXT_CHARS

csv.field_size_limit(MAX_TEXT_CHARS * 4 + 1)  # the schema, not the csv module, reports long texts
MAX_FILE_BYTES = 2 * 1024 ** 3
_READ_CHUNK = 1 << 20


class ImportFileError(ValueError):
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
        raise ImportFileError("the file is empty")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    with open(path, "rb") as handle:
        head = handle.read(4096)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head.count(0) > len(head) // 4:
            raise ImportFileError("the file is UTF-16 (or another wide encoding); save it as UTF-8 "
                                  "(Excel: 'CSV UTF-8')")
        handle.seek(0)
        for line_number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as err:
                byte = line[err.start]
                raise ImportFileError(
                    f"line {line_number}: byte 0x{byte:02X} at column {err.start + 1} is not UTF-8; "
                    "the file looks like a legacy encoding (e.g. Windows-1250): save it as UTF-8 "
                    "(Excel: 'CSV UTF-8')") from None


def read_records(path, file_format=None, checked=False):
    """(row number, record) pairs; `checked` skips `check_file` when a first pass already ran it."""
    if not checked:
        check_file(path)
    file_format = file_format or detect_format(path)
    readers = {"csv": _read_csv, "json": _read_json_array, "jsonl": _read_json_lines}
    found = False
    for row_number, record in readers[file_format](path):
        found = True
        yield row_number, record
    if not found:
        raise ImportFileError("the file has no records" + (" (only a header row)" if file_format == "csv" else ""))


def scan(path):
    """(number of records, the references the file gives explicitly): a first, cheap pass."""
    count, references = 0, set()
    for _, record in read_records(path):
        count += 1
        if isinstance(record.get("reference"), str) and record["reference"].strip():
            references.add(record["reference"].strip())
    return count, references


def _read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
            if not header or not any(h.strip() for h in header):
                raise ImportFileError("line 1: the first line must name the columns")
            columns = _check_header([h.strip() for h in header])
            for row_number, values in enumerate(reader, start=1):
                if not any(v.strip() for v in values):
                    continue  # a blank line, as spreadsheets leave at the end
                if len(values) != len(columns):
                    raise ImportFileError(
                        f"row {row_number} (line {reader.line_num}): {len(values)} values for {len(columns)} columns")
                yield row_number, dict(zip(columns, values))
        except csv.Error as err:
            raise ImportFileError(f"line {reader.line_num}: malformed CSV ({err})") from None


def _check_header(columns):
    unknown = [c for c in columns if c not in FIELDS]
    if len(unknown) == len(columns):
        # Most likely a file saved without its header row: never echo what may be a witness's data.
        raise ImportFileError("line 1 must name the columns (reference, title, text, …); none of its "
                              f"{len(columns)} values is a known column name")
    if unknown:
        named = ", ".join(f"column {columns.index(c) + 1} ('{c[:40]}')" for c in unknown)
        raise ImportFileError(f"unknown column(s): {named}; the known ones are: {', '.join(FIELDS)}")
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise ImportFileError(f"column(s) named twice: {', '.join(repeated)}")
    if "text" not in columns:
        raise ImportFileError("the column 'text' is missing")
    return columns


def _read_json_lines(path):
    with open(path, encoding="utf-8-sig") as handle:
        row_number = 0
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row_number += 1
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ImportFileError(f"line {line_number}: not valid JSON ({err.msg} at column {err.colno})") from None
            yield line_number, _object(record, f"line {line_number}")


def _read_json_array(path):
    """Objects of a top-level JSON array, decoded one at a time from a sliding buffer."""
    decoder = json.JSONDecoder()
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
            raise ImportFileError("a JSON import file must be an array of objects: [ {...}, {...} ]")
        offset += 1
        position = 0
        while True:
            if skip(" \t\r\n") == "]":
                offset += 1
                if skip(" \t\r\n"):
                    raise ImportFileError(f"after record {position}: more content follows the end of the array")
                return
            position += 1
            while True:
                try:
                    record, end = decoder.raw_decode(buffer, offset)
                    break
                except json.JSONDecodeError as err:
                    more = handle.read(_READ_CHUNK)
                    if not more:
                        raise ImportFileError(f"record {position}: not valid JSON ({err.msg})") from None
                    buffer, offset = buffer[offset:] + more, 0
            yield position, _object(record, f"record {position}")
            offset = end
            separator = skip(" \t\r\n")
            if separator == ",":
                offset += 1
            elif separator != "]":
                raise ImportFileError(f"after record {position}: expected ',' or ']'")


def _object(record, where):
    if not isinstance(record, dict):
        raise ImportFileError(f"{where}: expected an object {{...}}, found {type(record).__name__}")
    return record
