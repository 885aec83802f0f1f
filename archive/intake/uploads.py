"""The text of an uploaded statement: a .txt (UTF-8), .docx (Word) or .pdf with a text layer.

The file name is used only for its extension, never as a path: the bytes are read in memory
(the app's MAX_CONTENT_LENGTH bounds them) and nothing is written to disk. Each failure is an
UploadError whose message says what to do instead. A PDF is read as paragraphs, without its
page layout, and its heading is offered as the title (archive/intake/pdf_text.py).
"""
import io
import zipfile

import docx
import pypdf
from pypdf.errors import DependencyError, PyPdfError

from archive import errors
from archive.i18n import say
from archive.intake.pdf_text import Statement, read_statement

KINDS = (".txt", ".docx", ".pdf")
# Page and line breaks some extractors emit; the archive stores plain lines.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


class UploadError(errors.Invalid):
    """The file's text could not be read; the message is for the person who uploaded it."""


def extract_statement(filename, content):
    """The Statement (text, and a title if the file has a heading) from an uploaded file's name
    (for its kind) and bytes."""
    kind = _kind(filename)
    if not content:
        raise UploadError(say("the file is empty"))
    statement = {".txt": _txt, ".docx": _docx, ".pdf": _pdf}[kind](content)
    statement.text = statement.text.translate(_BREAKS)
    if not statement.text.strip():
        raise UploadError(say("the file holds no text"))
    return statement


def _kind(filename):
    name = (filename or "").lower()
    for kind in KINDS:
        if name.endswith(kind):
            return kind
    raise UploadError(say("only .txt (UTF-8), .docx and .pdf files can be read; save the statement as one of them"))


def _txt(content):
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadError(say("the file is UTF-16, not UTF-8: save it as UTF-8 (e.g. Notepad: Save as, "
                              "Encoding UTF-8)"))
    try:
        return Statement(content.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise UploadError(say(
            "the file is not UTF-8 text (byte 0x%(byte)s at position %(position)s); it looks like a legacy encoding "
            "such as Windows-1250 or Windows-1256: save it as UTF-8", byte=format(content[err.start], "02X"),
            position=err.start + 1)) from None


def _docx(content):
    try:
        document = docx.Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise UploadError(say("the file cannot be read as a Word document (.docx); an old .doc must be saved "
                              "as .docx first")) from None
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines.extend("\t".join(cell.text for cell in row.cells) for row in block.rows)
        else:
            lines.append(block.text)
    return Statement("\n".join(lines))


def _pdf(content):
    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
    except (PyPdfError, ValueError, KeyError):
        raise UploadError(say("the file cannot be read as a PDF")) from None
    # Raised out here: an UploadError is a ValueError, and inside the try would read "cannot be read".
    if reader.is_encrypted and not _opens_without_password(reader):
        raise UploadError(say("the PDF is encrypted: remove its password and upload it again"))
    try:
        statement = read_statement(reader)
    except (PyPdfError, ValueError, KeyError):
        raise UploadError(say("the file cannot be read as a PDF")) from None
    if not statement.text.strip():
        raise UploadError(say("the PDF has no text layer (it looks scanned): run it through OCR, or paste the "
                              "text into the form"))
    return statement


def _opens_without_password(reader):
    """True for a PDF whose password only restricts printing or copying (it opens without one)."""
    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, DependencyError, NotImplementedError):
        return False
