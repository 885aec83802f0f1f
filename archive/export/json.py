"""JSON export: {the export's description..., "summary": the counts of testimonies, incidents and people,
"incidents": [...], "records": [...]}, shaped by schemas/export.py
(ExportDocumentSchema, published in /api/openapi.json). Records are written one at a time, so
the file is never held in memory."""
import json

from archive.export import incident_summary
from schemas.export import ExportDocumentSchema, ExportRecordSchema


def write(path, head, records, options, codebook, db, **context):
    references = records.selection.references
    head = {**head, "summary": incident_summary.summary(db, codebook, references),
            "incidents": incident_summary.incidents(db, codebook, references)}
    described = json.dumps(ExportDocumentSchema(exclude=("records",)).dump(head), ensure_ascii=False, indent=2)
    schema = ExportRecordSchema()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(described[:-2] + ',\n  "records": [')  # the head without its closing "\n}"
        for number, record in enumerate(records):
            handle.write(("\n    " if number == 0 else ",\n    ") + json.dumps(schema.dump(record), ensure_ascii=False))
        handle.write("\n  ]\n}\n")
