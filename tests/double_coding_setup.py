"""A double-coded testimony to start from: two coders' blind codings that agree on some codes and
differ on others, saved the way the coding page saves codes (stage from `stage_for`)."""
from archive import double_coding, store
from archive.security import accounts
from archive.store.db import write_transaction
from tests import factories

TEXT = factories.BASE_TEXT  # "... chased us with dogs ... A dog bit my brother's leg. They beat us ..."
REVIEWER = {"id": 3, "name": "reviewer", "role": "reviewer"}
CODER = {"id": 1, "name": "coder", "role": "coder"}
CODER2 = {"id": 2, "name": "coder2", "role": "coder"}


def add_account(db, name, role):
    """An account, as `archive user add` makes it (password tests.conftest.PASSWORD)."""
    from tests.factories import PASSWORD
    with write_transaction(db):
        accounts.add_user(db, name, role, PASSWORD)


def passage_of(phrase):
    start = TEXT.index(phrase)
    return {"passage_start": start, "passage_end": start + len(phrase), "passage_text": phrase}


def code_blind(db, testimony_id, coder, abuse_type, phrase, perpetrators, **more):
    """Save one code as `coder` would on the coding page."""
    code = {"abuse_type": abuse_type, "perpetrators": perpetrators, **passage_of(phrase),
            "codebook_version": store.codebook_version(db), **more,
            "stage": double_coding.stage_for(db, testimony_id, coder)}
    with write_transaction(db):
        return store.insert_code(db, testimony_id, code, coder, None)


def double_coded(db, import_records, reference="T-2021-0001", submit=True):
    """T-2021-0001 (imported without codes), assigned to coder and coder2, who code it as follows:
    both: dog_attack by BY border guards (same passage);
    coder only: beating by BY border guards; coder2 only: theft by PL border guards.
    So the disagreements are abuse_type:beating, abuse_type:theft and side:PL."""
    import_records([factories.record(1, abuse_types=None, perpetrators=None, location=None,
                                     incident_date_from=None, text=TEXT, reference=reference)])
    for name, role in (("coder", "coder"), ("coder2", "coder"), ("reviewer", "reviewer")):
        if not db.execute("SELECT 1 FROM user WHERE name = ?", [name]).fetchone():
            add_account(db, name, role)
    testimony = store.get_testimony_row(db, reference)
    coded_by_both(db, testimony, submit=submit, note="Phones taken")
    return store.get_testimony_row(db, reference)


def coded_by_both(db, testimony, reason=None, submit=True, note=None):
    """Assign `testimony` (its text TEXT) to coder and coder2 and save their blind codes (see
    double_coded); `note` is coder2's note on the theft."""
    double_coding.assign(db, testimony, ["coder", "coder2"], REVIEWER, reason)
    tid = testimony["id"]
    code_blind(db, tid, "coder", "dog_attack", "A dog bit my brother's leg.", ["by_border_guard"])
    code_blind(db, tid, "coder", "beating", "They beat us with batons", ["by_border_guard"])
    code_blind(db, tid, "coder2", "dog_attack", "A dog bit my brother's leg.", ["by_border_guard"])
    code_blind(db, tid, "coder2", "theft", "took our phones", ["pl_border_guard"], **({"note": note} if note else {}))
    if submit:
        for coder in (CODER, CODER2):
            double_coding.submit(db, testimony, coder)
