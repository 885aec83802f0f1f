"""The audit log in words: what each kind of event is called, its details as a sentence, its time.

ACTION_WORDS names every action the code records (tests/unit/test_audit_words.py reads the source for
each `audit.record(` and fails when one is missing here). A detail is said through its action's
describer; a key no describer knows is still shown, as "key: value", so nothing recorded is hidden.
Details never hold a witness's identifying fields (archive/custody/audit.py), so nothing here filters them.
"""
from archive import times
from archive.i18n import N_, say

ACTION_WORDS = {  # English here; said in the reader's language (N_ marks them)
    "login": N_("Logged in"),
    "login_failed": N_("Failed login"),
    "login_throttled": N_("Login made to wait: too many failed logins"),
    "login_locked_out": N_("Login refused: too many failed logins"),  # written by versions before the throttle
    "logout": N_("Logged out"),
    "login_pending": N_("Password accepted; the second factor is asked"),
    "login_code_failed": N_("Failed login: wrong second-factor code"),
    "two_factor_enrolled": N_("Two-factor login turned on"),
    "two_factor_disabled": N_("Two-factor login turned off"),
    "two_factor_reset": N_("Two-factor login reset by an administrator"),
    "two_factor_required": N_("Roles required to use two-factor login changed"),
    "recovery_codes_renewed": N_("New recovery codes made"),
    "user_added": N_("Account added"),
    "user_changed": N_("Account changed"),
    "token_created": N_("API token issued"),
    "token_revoked": N_("API token revoked"),
    "demo_accounts_added": N_("Demo accounts added"),
    "add_testimony": N_("Testimony added"),
    "import": N_("Import"),
    "code_added": N_("Code added"),
    "code_changed": N_("Code changed"),
    "code_removed": N_("Code removed"),
    "redaction_added": N_("Passage marked for redaction"),
    "status_changed": N_("Status changed"),
    "coders_assigned": N_("Coders assigned"),
    "coding_submitted": N_("Double coding submitted"),
    "double_coding_settled": N_("Double coding settled"),
    "view_identity": N_("Witness identity viewed"),
    "identities_sealed": N_("Identities sealed"),
    "export": N_("Export"),
    "codebook_mapped": N_("Foreign codes mapped onto the codebook (REFI-QDA)"),
    "audit_exported": N_("Audit log exported"),
    "backup": N_("Backup"),
    "restore": N_("Restore"),
    "suggestion_dismissed": N_("Suggestion dismissed"),
    "suggestion_restored": N_("Suggestion offered again"),
    "case_file_shared": N_("Case file shared"),
    "case_file_unshared": N_("Case file no longer shared"),
    "consent_changed": N_("Consent changed"),
    "purged": N_("Testimony purged"),
    "incident_created": N_("Incident recorded"),
    "incident_changed": N_("Incident changed"),
    "incident_linked": N_("Testimony linked to an incident"),
    "incident_unlinked": N_("Testimony no longer a source of an incident"),
    "incident_leg_added": N_("Leg of an incident added"),
    "incident_leg_removed": N_("Leg of an incident removed"),
    "incident_leg_moved": N_("Legs of an incident reordered"),
    "incident_link_confirmed": N_("Candidate link confirmed"),
    "incident_link_rejected": N_("Candidate link rejected"),
}


def action_words(action):
    """The kind of event in words; an action this version does not know is shown as it is written."""
    return say(ACTION_WORDS[action]) if action in ACTION_WORDS else action.replace("_", " ").capitalize()


def readable_time(iso):
    """'2026-12-02T14:05:09+00:00' -> '2 Dec 2026, 14:05 UTC' (as written if it is not a time): the
    pages' own words (archive/times.py), for the CSV."""
    return times.readable(iso)


def _short(digest):
    return f"{digest[:12]}…" if isinstance(digest, str) and len(digest) > 16 else str(digest)


def _plural(count, one, many=None):
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _listed(values):
    return ", ".join(str(value) for value in values) if values else "none"


def _account_change(detail):
    said = []
    if "active" in detail:
        said.append("locked" if not detail["active"] else "unlocked")
    if detail.get("role"):
        said.append(f"role set to {detail['role']}")
    if detail.get("password"):
        said.append("new password set")
    return said, {"active", "role", "password"}


def _token(detail):
    said = [f"labelled “{detail['label']}”"] if detail.get("label") else []
    if detail.get("token"):
        said.append(f"token no. {detail['token']}")
    if detail.get("days"):
        said.append(f"expires after {_plural(detail['days'], 'day')}")
    return said, {"label", "token", "days"}


def _code(detail):
    said = [f"code no. {detail['code']}"] if detail.get("code") else []
    if detail.get("fields"):
        said.append(f"changed: {_listed(field.replace('_', ' ') for field in detail['fields'])}")
    return said, {"code", "fields"}


def _import(detail):
    said = []
    if "rows" in detail:
        said.append(f"{detail.get('imported', 0)} of {_plural(detail['rows'], 'record')} imported")
    if detail.get("duplicates"):
        said.append(f"{_plural(detail['duplicates'], 'duplicate')} skipped")
    if detail.get("incidents"):
        said.append(f"{_plural(detail['incidents'], 'incident')} named")
    if detail.get("batch"):
        said.append(f"batch {detail['batch']}")
    if detail.get("file_sha256"):
        said.append(f"file SHA-256 {_short(detail['file_sha256'])}")
    return said, {"rows", "imported", "duplicates", "incidents", "batch", "file_sha256"}


def _export(detail):
    said = []
    if detail.get("format"):
        said.append(str(detail["format"]).upper())
    if "records" in detail:
        said.append(_plural(detail["records"], "testimony", "testimonies"))
    left_out = detail.get("left_out") or {}
    if left_out:
        said.append("left out: " + _listed(f"{count} ({reason})" for reason, count in left_out.items()))
    if detail.get("identified"):
        said.append(f"witness identity shown for {_listed(detail['identified'])}")
    if detail.get("case_file"):
        said.append(f"case file {detail['case_file']}")
    elif detail.get("search"):
        said.append("a search")
    if detail.get("sha256"):
        said.append(f"file SHA-256 {_short(detail['sha256'])}")
    return said, {"format", "records", "left_out", "identified", "case_file", "search", "sha256"}


def _settled(detail):
    decisions = detail.get("decisions") or {}
    accepted = sum(value == "accept" for value in decisions.values())
    said = [f"{_plural(len(decisions), 'disagreement')} decided ({accepted} accepted, "
            f"{len(decisions) - accepted} rejected)"]
    said.append(f"{_plural(len(detail.get('coded') or []), 'code')} copied into the coding")
    said.append(f"{_plural(len(detail.get('superseded') or []), 'blind code')} superseded")
    return said, {"decisions", "coded", "superseded"}


def _custody(detail):
    said = [f"file SHA-256 {_short(detail['sha256'])}"] if detail.get("sha256") else []
    if detail.get("replaced_database_kept_as"):
        said.append(f"the replaced database kept as {detail['replaced_database_kept_as']}")
    return said, {"sha256", "replaced_database_kept_as"}


def _audit_export(detail):
    said = [_plural(detail.get("entries", 0), "entry", "entries")]
    if detail.get("through"):
        said.append(f"up to no. {detail['through']}")
    if detail.get("filter"):
        said.append("filtered by " + _listed(f"{key.replace('_', ' ')} {value}"
                                              for key, value in detail["filter"].items()))
    return said, {"entries", "through", "filter"}


def _simple(key, words):
    def describe(detail):
        return ([words(detail[key])] if key in detail and detail[key] not in (None, "") else []), {key}
    return describe


def _incident(detail):
    """incident no. 3; leg no. 4; with T-2021-0002; score 0.82"""
    said = [f"{key} no. {detail[key]}" for key in ("incident", "leg", "code") if detail.get(key) is not None]
    if detail.get("testimony"):
        said.append(f"with {detail['testimony']}")
    if detail.get("score") is not None:
        said.append(f"score {detail['score']}")
    return said, {"incident", "leg", "code", "testimony", "score"}


SECOND_FACTORS = {"code": "with an authenticator code", "recovery": "with a recovery code",
                  "enrolled": "after setting up two-factor login"}

DESCRIBERS = {
    "login": _simple("second_factor", lambda used: SECOND_FACTORS.get(used, f"second factor: {used}")),
    "two_factor_required": _simple("roles", lambda roles: f"required for: {_listed(roles)}"),
    **{action: _incident for action in ACTION_WORDS if action.startswith("incident_")},
    "user_added": _simple("role", lambda role: f"role {role}"),
    "user_changed": _account_change,
    "token_created": _token,
    "token_revoked": _token,
    "code_added": _code,
    "code_changed": _code,
    "code_removed": _code,
    "redaction_added": _simple("redaction", lambda number: f"redaction no. {number}"),
    "status_changed": lambda d: ([f"from {str(d.get('from', '?')).replace('_', ' ')} "
                                  f"to {str(d.get('to', '?')).replace('_', ' ')}"], {"from", "to"}),
    "import": _import,
    "add_testimony": _simple("testimony", lambda number: f"testimony no. {number}"),
    "coders_assigned": _simple("coders", lambda coders: f"coders: {_listed(coders)}"),
    "double_coding_settled": _settled,
    "view_identity": _simple("found", lambda found: "identity shown" if found else "no identity on record"),
    "export": _export,
    "audit_exported": _audit_export,
    "backup": _custody,
    "restore": _custody,
}


def detail_words(action, detail):
    """The entry's detail as a sentence ('' when there is none)."""
    said, known = DESCRIBERS.get(action, lambda d: ([], set()))(detail)
    said += [f"{key.replace('_', ' ')}: {_value(value)}" for key, value in sorted(detail.items())
             if key not in known]
    return "; ".join(said)


def _value(value):
    if isinstance(value, list):
        return _listed(value)
    if isinstance(value, dict):
        return _listed(f"{key} {item}" for key, item in value.items())
    return str(value)
