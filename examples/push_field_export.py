"""Push a field-collection export (a KoBoToolbox-style CSV) into the archive through its JSON API.

    python examples/push_field_export.py kobo-export.csv https://archive.example.org
    (the read-write token in $API_TOKEN: `archive user token NAME --label kobo --scope write`)

Each submission becomes one record of the import file's shape (docs/user-guide.md, importing a file),
and the whole export goes in as one batch, `POST /api/imports`: all of it or nothing, every problem named
by row and field (docs/api.md). Standard library only.
"""
import csv
import json
import os
import sys
import urllib.error
import urllib.request

# KoBo's column (its group/question path) -> the archive's import field.
COLUMNS = {
    "interview/date": "interview_date", "interview/interviewer": "interviewer",
    "witness/pseudonym": "witness_pseudonym", "witness/gender": "witness_gender", "witness/age": "witness_age",
    "witness/nationality": "witness_nationality", "witness/name": "witness_name",
    "incident/place": "location", "incident/date": "incident_date_from", "statement": "text",
    "consent/level": "consent",
}
ORGANISATION = "Forest Aid Network"


def records_from_csv(path):
    """The submissions of a KoBo CSV export as import records (empty answers left out)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            record = {field: row[column].strip() for column, field in COLUMNS.items() if row.get(column, "").strip()}
            record["abuse_types"] = row.get("incident/abuses", "").split()  # a select_multiple: space-separated
            record["source"] = f"KoBoToolbox submission {row['_uuid']}"
            record["organisation"] = ORGANISATION
            record["confidentiality"] = "restricted"
            yield record


def push(records, base_url, token):
    """POST the records as one batch; (HTTP status, the answer as JSON)."""
    request = urllib.request.Request(f"{base_url.rstrip('/')}/api/imports", data=json.dumps(records).encode(),
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def main(path, base_url):
    status, answer = push(list(records_from_csv(path)), base_url, os.environ["API_TOKEN"])
    if status == 201:
        print(f"imported {len(answer['imported'])} of {answer['rows']} (batch {answer['batch']}):",
              ", ".join(answer["imported"]))
        return 0
    print(f"nothing imported ({status}): {answer['message']}", file=sys.stderr)
    for problem in answer.get("errors", {}).get("rows", []):
        print(f"  row {problem['row']}, field {problem['field']}: {problem['reason']}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
