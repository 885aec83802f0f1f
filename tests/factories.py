"""Valid import records and files to start each test from, and the archive they go into; tests
override only what they check."""
import csv
import io
import json

from schemas.import_row import FIELDS

PASSWORD = "correct horse battery staple"
# One account per role (and a second coder for double coding), all with PASSWORD. Those whose role
# requires two-factor login by default (admin, reviewer, lawyer) have it on, with the secret
# secret_for(name) in their phone; the others log in with the password alone.
ACCOUNTS = {"admin": "admin", "coder": "coder", "coder2": "coder", "reviewer": "reviewer",
            "lawyer": "lawyer", "viewer": "viewer"}

BASE_TEXT = ("At night Belarusian soldiers chased us with dogs to the fence near Kuźnica. "
             "A dog bit my brother's leg. They beat us with batons and took our phones.")


def record(n=1, **overrides):
    """A complete, valid import record; `n` makes its text and reference unique."""
    values = {
        "reference": f"T-2021-{n:04d}",
        "title": f"Chased with dogs near Kuźnica ({n})",
        "text": f"{BASE_TEXT} Statement number {n}.",
        "language": "en",
        "interview_date": "2021-12-02",
        "interviewer": "Marta K.",
        "organisation": "Border Witness Collective",
        "source": f"Interview recording BWC-2021-{n:03d}",
        "witness_pseudonym": f"Witness A-{n}",
        "witness_gender": "male",
        "witness_age": 34,
        "witness_nationality": "SY",
        "consent": "legal",
        "confidentiality": "restricted",
        "abuse_types": ["dog_attack", "beating", "theft"],
        "perpetrators": ["by_military_special"],
        "location": "Kuznitsa",
        "incident_date_from": "2021-11",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def csv_text(records, columns=None, delimiter=","):
    """Records as a CSV file's text, lists `;`-joined, as a spreadsheet would save them (Excel in a Polish,
    Ukrainian or Russian locale separates with `delimiter=";"`)."""
    columns = columns or [f for f in FIELDS if any(f in r for r in records)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", delimiter=delimiter)
    writer.writerow(columns)
    for r in records:
        writer.writerow([";".join(v) if isinstance(v, list) else ("" if r.get(c) is None else str(v))
                         for c, v in ((c, r.get(c)) for c in columns)])
    return out.getvalue()


def write(path, records, file_format):
    """Write `records` to `path` as 'csv', 'json' or 'jsonl'; returns the path."""
    if file_format == "csv":
        path.write_text(csv_text(records), encoding="utf-8")
    elif file_format == "json":
        path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def archive(root, records=(), accounts=False, actor="tester"):
    """The one archive factory: a new archive at `root` as `archive init` makes it, holding
    `records` (imported through the real file import, every one of them) and, if asked, ACCOUNTS."""
    from archive import service
    from archive.config import DataDir

    data = DataDir.at(root)
    service.init(data)
    if records:
        path = write(data.root.parent / f"{data.root.name}-records.jsonl", list(records), "jsonl")
        report = service.import_file(data, path, actor)
        assert len(report.imported) == len(records), "every record given must import"
    if accounts:
        add_accounts(data)
    return data


def add_accounts(data):
    """ACCOUNTS, added to the archive at `data` (those it does not hold already: a module's template
    archive may have them)."""
    from archive import service
    from archive.security import accounts, two_factor
    from archive.store.db import write_transaction

    db = service.open_db(data)
    try:
        with write_transaction(db):
            for name, role in ACCOUNTS.items():
                if accounts.get_user(db, name) is not None:
                    continue
                user_id = accounts.add_user(db, name, role, PASSWORD)
                if role in two_factor.default_required_roles():
                    enrol(db, user_id, secret_for(name))
    finally:
        db.close()


def secret_for(name):
    """The TOTP secret of a test account's phone: fixed per name, so a helper can type its codes."""
    import base64
    import hashlib

    return base64.b32encode(hashlib.sha256(f"test phone of {name}".encode()).digest()[:20]).decode()


def enrol(db, user_id, secret):
    """Two-factor login on for the account, as a confirmed enrolment leaves it (no recovery codes)."""
    from archive.security import sealing
    from archive.store import two_factor as rows

    rows.start_enrolment(db, user_id, sealing.seal(secret))
    rows.confirm(db, user_id, 0)


def phone_code(secret):
    """The code an authenticator app with `secret` shows now. Each call first moves the archive's clock on
    one step (tests/conftest.py moving_totp_clock), as a person's next login comes in a later step:
    logins in quick succession would otherwise type the same code twice, which the archive refuses."""
    import pyotp

    from archive.security import two_factor

    two_factor.clock.advance()
    return pyotp.TOTP(secret).at(two_factor.clock())
