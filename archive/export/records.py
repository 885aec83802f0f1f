"""Export records: testimony references -> what an export may show of each, read in batches.

The disclosure rules are applied here, once, for every format:
- the witness appears by pseudonym; name and contact only when the export asks for them AND
  `access.may_see_identity` allows it for this user and this testimony;
- redacted passages are `[redacted]` in the statement, the title and every quoted passage;
- `small_group` flags a witness whose nationality, age band and incident month are shared by fewer
  than SMALL_GROUP witnesses in the whole archive, so that the combination could single them out.
"""
from collections import Counter

from archive import store
from archive.custody.hashing import text_sha256
from archive.export import incident_summary
from archive.export.redaction import Redactor
from archive.intake import incident
from archive.search.results import date_of, describe_code, describe_incident
from archive.security import access

BATCH = 100
SMALL_GROUP = 3
AGE_BANDS = ((0, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64))


def iter_records(db, codebook, references, user, identify=False, small=frozenset(), batch=BATCH):
    """One export record per reference, in order; only `batch` testimonies are held at a time.
    `small`: references whose witness is in a small group (see small_groups)."""
    for start in range(0, len(references), batch):
        chunk = references[start:start + batch]
        rows = {row["reference"]: row for row in store.export_rows(db, chunk)}
        ids = [row["id"] for row in rows.values()]
        codes, redactions = store.codes_of(db, ids), store.redactions_of(db, ids)
        linked = incident_summary.of_testimonies(db, ids)
        for reference in chunk:
            row = rows[reference]
            identity = None
            if identify and access.may_see_identity(user, row) and row["witness_id"] is not None:
                identity = store.get_witness_identity(db, row["witness_id"])
            yield record(row, codes.get(row["id"], []), redactions.get(row["id"], []), codebook,
                         identity, reference in small, linked.get(row["id"], []))


def record(row, codes, redactions, codebook, identity, small_group, incidents=()):
    redactor = Redactor(row["text"], redactions)
    text = redactor.statement()
    described = [_code(code, codebook, redactor) for code in codes]
    stated = describe_incident(row, codebook)
    dated = sorted((c for c in [*codes, incident.as_code_columns(row)] if c["date_from"]), key=lambda c: c["date_from"])
    return {
        "reference": row["reference"],
        "title": redactor.other(row["title"]),
        "language": row["language"], "language_detected": row["language_detected"],
        "interview_date": row["interview_date"],
        "organisation": row["organisation"], "source": row["source"],
        "consent": row["consent"], "confidentiality": row["confidentiality"], "status": row["status"],
        "witness": {"pseudonym": row["pseudonym"], "gender": row["gender"], "age": row["age"],
                    "age_band": row["age_band"] or age_band(row["age"]), "nationality": row["nationality"],
                    "minor": None if row["minor"] is None else bool(row["minor"])},
        "identity": {"name": identity["name"], "contact": identity["contact"]} if identity else None,
        "small_group": small_group,
        "incident_date": date_of(dated[0]) if dated else None,
        "places": list(dict.fromkeys(c["place"]["label"] for c in [*described, stated or {}] if c.get("place"))),
        "incident": stated,
        "codes": described,
        "incidents": list(incidents),
        "sha256": row["sha256"],
        "redactions": len(redactor),
        "text": text,
        "text_sha256": text_sha256(text),
    }


def _code(code, codebook, redactor):
    described = describe_code(code, codebook)
    described.update(victims=code["victims"], minors=code["minors"])
    for perpetrator in described["perpetrators"]:
        perpetrator["side"] = codebook.side_of(perpetrator["id"])
    if described["passage"]:
        passage = described["passage"]
        passage["text"] = redactor.passage(passage["start"], passage["end"], passage["text"])
    return described


def age_band(age):
    if age is None:
        return None
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}"
    return "65+"


def _period(date_from, date_to):
    """The incident's month where the date names one, else its year, else None."""
    if not date_from:
        return None
    return date_from[:7] if date_from[:7] == date_to[:7] else date_from[:4]


def small_groups(db):
    """References of testimonies whose witness shares nationality, age band and incident period
    with fewer than SMALL_GROUP witnesses in the whole archive."""
    keys = {reference: (nationality, band or age_band(age), _period(date_from, date_to))
            for reference, nationality, age, band, date_from, date_to in store.quasi_identifiers(db)}
    sizes = Counter(keys.values())
    return {reference for reference, key in keys.items()
            if sizes[key] < SMALL_GROUP and any(part is not None for part in key)}
