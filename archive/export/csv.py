"""CSV export: one row per testimony or per code, codebook labels beside ids, safe to open in Excel.

A cell that starts with `=`, `+`, `-`, `@`, tab, carriage return, line feed or NUL is prefixed with
a single quote, so that a spreadsheet shows it as text instead of running it as a formula (OWASP,
"CSV Injection"); every cell is quoted. `bom` writes UTF-8 with a byte-order mark, which Excel
needs to show Arabic, Polish or Cyrillic correctly.
"""
import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
IDENTITY_COLUMNS = ("witness_name", "witness_contact")
TESTIMONY_COLUMNS = (
    "reference", "title", "incident_date", "incident_date_label", "places", "abuse_types", "abuse_type_labels",
    "perpetrators", "perpetrator_labels", "legal", "legal_labels", "witness_pseudonym", "witness_gender",
    "witness_age", "witness_age_band", "witness_nationality", "witness_minor", *IDENTITY_COLUMNS, "small_group",
    "language", "language_detected", "interview_date", "organisation", "source", "consent", "confidentiality", "status",
    "redactions", "incidents", "incident_titles", "sha256", "text_sha256", "text",
)
CODE_COLUMNS = (
    "reference", "witness_pseudonym", *IDENTITY_COLUMNS, "small_group", "code_id", "abuse_type",
    "abuse_type_label", "perpetrators", "perpetrator_labels", "sides", "place", "place_label", "date",
    "date_label", "date_precision", "legal", "legal_labels", "victims", "minors", "passage", "sha256",
)
JOIN = "; "


def neutralised(value):
    """The cell as written: formulas defused, None empty, booleans as yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def columns(per, identify):
    chosen = TESTIMONY_COLUMNS if per == "testimony" else CODE_COLUMNS
    return [c for c in chosen if identify or c not in IDENTITY_COLUMNS]


def write(path, head, records, options, **context):
    names = columns(options.per, options.identify)
    with open(path, "w", encoding="utf-8-sig" if options.bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(names)
        rows = testimony_rows if options.per == "testimony" else code_rows
        for record in records:
            for row in rows(record):
                writer.writerow([neutralised(row.get(name)) for name in names])


def _witness(record):
    witness, identity = record["witness"], record["identity"] or {}
    return {"witness_pseudonym": witness["pseudonym"], "witness_gender": witness["gender"],
            "witness_age": witness["age"], "witness_age_band": witness["age_band"],
            "witness_nationality": witness["nationality"], "witness_minor": witness["minor"],
            "witness_name": identity.get("name"), "witness_contact": identity.get("contact"),
            "small_group": record["small_group"]}


def _joined(items, key):
    return JOIN.join(dict.fromkeys(str(item[key]) for item in items if item[key] is not None))


def _paired(items, key="id", label="label"):
    """(ids, labels): each id once, with its label at the same position in the other column."""
    pairs = dict.fromkeys((str(item[key]), str(item[label])) for item in items if item[key] is not None)
    return JOIN.join(i for i, _ in pairs), JOIN.join(text for _, text in pairs)


def testimony_rows(record):
    codes = record["codes"]
    stated = record.get("incident") or {"perpetrators": []}
    perpetrators = [p for code in codes for p in code["perpetrators"]] + stated["perpetrators"]
    legal = [p for code in codes for p in code["legal"]]
    date = record["incident_date"]
    abuse_types, abuse_type_labels = _paired(codes, "abuse_type")
    perpetrator_ids, perpetrator_labels = _paired(perpetrators)
    legal_ids, legal_labels = _paired(legal)
    incident_ids, incident_titles = _paired(record["incidents"], label="title")
    yield {
        **{k: record[k] for k in ("reference", "title", "language", "language_detected", "interview_date",
                                  "organisation", "source", "consent", "confidentiality", "status", "redactions",
                                  "sha256", "text_sha256", "text")},
        **_witness(record),
        "incident_date": date and date["text"], "incident_date_label": date and date["label"],
        "places": JOIN.join(record["places"]),
        "abuse_types": abuse_types, "abuse_type_labels": abuse_type_labels,
        "perpetrators": perpetrator_ids, "perpetrator_labels": perpetrator_labels,
        "legal": legal_ids, "legal_labels": legal_labels,
        "incidents": incident_ids, "incident_titles": incident_titles,
    }


def code_rows(record):
    for code in record["codes"]:
        place, date = code["place"], code["date"]
        yield {
            "reference": record["reference"], "sha256": record["sha256"], **_witness(record),
            "code_id": code["id"], "abuse_type": code["abuse_type"], "abuse_type_label": code["label"],
            **dict(zip(("perpetrators", "perpetrator_labels"), _paired(code["perpetrators"]))),
            "sides": _joined(code["perpetrators"], "side"),
            "place": place and place["id"], "place_label": place and place["label"],
            "date": date and date["text"], "date_label": date and date["label"],
            "date_precision": date and date["precision"],
            **dict(zip(("legal", "legal_labels"), _paired(code["legal"]))),
            "victims": code["victims"], "minors": code["minors"],
            "passage": code["passage"] and code["passage"]["text"],
        }
