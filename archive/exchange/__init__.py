"""REFI-QDA exchange: codebooks (.qdc) and coded projects (.qdpx) in and out, as QualCoder, ATLAS.ti,
MAXQDA and NVivo write them (docs/refi-qda.md).

- `qdc`: our codebook as REFI-QDA codes, and a foreign codebook mapped onto ours (`mapping`);
- `qdpx_export`: a selection of testimonies (archive/export/selection.py, with its role and consent
  rules and redactions) as a project: text sources, codes as PlainTextSelections, coders as Users,
  notes, witness attributes as variables; an export writer like csv.py and json.py;
- `qdpx_read` and `qdpx_import`: a project file read safely (`package`, `safe_xml`) and imported
  through the intake's validated, all-or-nothing path;
- `positions`: offsets in Unicode code points, across a byte-order mark, CRLF and NFC.
"""
from archive import errors

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


class ExchangeRefused(errors.Invalid):
    """A .qdc or .qdpx file that cannot be read as REFI-QDA, or that is hostile (HTTP 422); nothing
    was written."""
