"""The audit log in words: what each kind of event is called, its details as a sentence, its time.

ACTION_WORDS names every action the code records (tests/unit/test_audit_words.py reads the source for
each `audit.record(` and fails when one is missing here). A detail is said through its action's
describer; a key no describer knows is still shown, as "key: value", so nothing recorded is hidden.
Details never hold a witness's identifying fields (archive/custody/audit.py), so nothing here filters them.
"""
from archive import times
from archive.i18n import N_, say, say_plural

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
    "language_corrected": N_("Language of a statement corrected"),
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
    "incident_weights_refitted": N_("Weights of candidate links refitted"),
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


def _listed(values):
    return ", ".join(str(value) for value in values) if values else say("none")


def _account_change(detail):
    said = []
    if "active" in detail:
        said.append(say("locked") if not detail["active"] else say("unlocked"))
    if detail.get("role"):
        said.append(say("role set to %(role)s", role=detail["role"]))
    if detail.get("password"):
        said.append(say("new password set"))
    return said, {"active", "role", "password"}


def _token(detail):
    said = [say("labelled “%(label)s”", label=detail["label"])] if detail.get("label") else []
    if detail.get("token"):
        said.append(say("token no. %(number)s", number=detail["token"]))
    if detail.get("scope") == "read":
        said.append(say("read only"))
    elif detail.get("scope") == "write":
        said.append(say("read and write"))
    if detail.get("days"):
        said.append(say_plural("expires after %(num)s day", "expires after %(num)s days", detail["days"]))
    return said, {"label", "token", "days", "scope"}


def _code(detail):
    said = [say("code no. %(number)s", number=detail["code"])] if detail.get("code") else []
    if detail.get("fields"):
        said.append(say("changed: %(fields)s", fields=_listed(field.replace("_", " ") for field in detail["fields"])))
    return said, {"code", "fields"}


def _import(detail):
    said = []
    if "rows" in detail:
        said.append(say_plural("%(imported)s of %(num)s record imported", "%(imported)s of %(num)s records imported",
                               detail["rows"], imported=detail.get("imported", 0)))
    if detail.get("duplicates"):
        said.append(say_plural("%(num)s duplicate skipped", "%(num)s duplicates skipped", detail["duplicates"]))
    if detail.get("incidents"):
        said.append(say_plural("%(num)s incident named", "%(num)s incidents named", detail["incidents"]))
    if detail.get("batch"):
        said.append(say("batch %(batch)s", batch=detail["batch"]))
    if detail.get("file_sha256"):
        said.append(say("file SHA-256 %(digest)s", digest=_short(detail["file_sha256"])))
    return said, {"rows", "imported", "duplicates", "incidents", "batch", "file_sha256"}


def _export(detail):
    said = []
    if detail.get("format"):
        said.append(str(detail["format"]).upper())
    if "records" in detail:
        said.append(say_plural("%(num)s testimony", "%(num)s testimonies", detail["records"]))
    left_out = detail.get("left_out") or {}
    if left_out:
        said.append(say("left out: %(counts)s",
                        counts=_listed(f"{count} ({reason})" for reason, count in left_out.items())))
    if detail.get("identified"):
        said.append(say("witness identity shown for %(references)s", references=_listed(detail["identified"])))
    if detail.get("case_file"):
        said.append(say("case file %(case_file)s", case_file=detail["case_file"]))
    elif detail.get("search"):
        said.append(say("a search"))
    if detail.get("sha256"):
        said.append(say("file SHA-256 %(digest)s", digest=_short(detail["sha256"])))
    return said, {"format", "records", "left_out", "identified", "case_file", "search", "sha256"}


def _settled(detail):
    decisions = detail.get("decisions") or {}
    accepted = sum(value == "accept" for value in decisions.values())
    said = [say_plural("%(num)s disagreement decided (%(accepted)s accepted, %(rejected)s rejected)",
                       "%(num)s disagreements decided (%(accepted)s accepted, %(rejected)s rejected)",
                       len(decisions), accepted=accepted, rejected=len(decisions) - accepted)]
    said.append(say_plural("%(num)s code copied into the coding", "%(num)s codes copied into the coding",
                           len(detail.get("coded") or [])))
    said.append(say_plural("%(num)s blind code superseded", "%(num)s blind codes superseded",
                           len(detail.get("superseded") or [])))
    return said, {"decisions", "coded", "superseded"}


def _custody(detail):
    said = [say("file SHA-256 %(digest)s", digest=_short(detail["sha256"]))] if detail.get("sha256") else []
    if detail.get("replaced_database_kept_as"):
        said.append(say("the replaced database kept as %(path)s", path=detail["replaced_database_kept_as"]))
    return said, {"sha256", "replaced_database_kept_as"}


def _audit_export(detail):
    said = [say_plural("%(num)s entry", "%(num)s entries", detail.get("entries", 0))]
    if detail.get("through"):
        said.append(say("up to no. %(number)s", number=detail["through"]))
    if detail.get("filter"):
        said.append(say("filtered by %(filter)s", filter=_listed(f"{key.replace('_', ' ')} {value}"
                                                                 for key, value in detail["filter"].items())))
    return said, {"entries", "through", "filter"}


def _simple(key, words):
    def describe(detail):
        return ([words(detail[key])] if key in detail and detail[key] not in (None, "") else []), {key}
    return describe


# "incident no. 3", "leg no. 4", "code no. 5": one sentence for each.
NUMBERED = {"incident": N_("incident no. %(number)s"), "leg": N_("leg no. %(number)s"),
            "code": N_("code no. %(number)s")}


def _incident(detail):
    """incident no. 3; leg no. 4; with T-2021-0002; score 0.82"""
    said = [say(NUMBERED[key], number=detail[key]) for key in ("incident", "leg", "code")
            if detail.get(key) is not None]
    if detail.get("testimony"):
        said.append(say("with %(reference)s", reference=detail["testimony"]))
    if detail.get("score") is not None:
        said.append(say("score %(score)s", score=detail["score"]))
    return said, {"incident", "leg", "code", "testimony", "score"}


SECOND_FACTORS = {"code": N_("with an authenticator code"), "recovery": N_("with a recovery code"),
                  "enrolled": N_("after setting up two-factor login")}


def _second_factor(used):
    return say(SECOND_FACTORS[used]) if used in SECOND_FACTORS else say("second factor: %(used)s", used=used)


DESCRIBERS = {
    "login": _simple("second_factor", _second_factor),
    "two_factor_required": _simple("roles", lambda roles: say("required for: %(roles)s", roles=_listed(roles))),
    **{action: _incident for action in ACTION_WORDS if action.startswith("incident_")},
    "user_added": _simple("role", lambda role: say("role %(role)s", role=role)),
    "user_changed": _account_change,
    "token_created": _token,
    "token_revoked": _token,
    "code_added": _code,
    "code_changed": _code,
    "code_removed": _code,
    "redaction_added": _simple("redaction", lambda number: say("redaction no. %(number)s", number=number)),
    "status_changed": lambda d: ([say("from %(before)s to %(after)s", before=str(d.get("from", "?")).replace("_", " "),
                                      after=str(d.get("to", "?")).replace("_", " "))], {"from", "to"}),
    "language_corrected": lambda d: ([say("from %(before)s to %(after)s", before=d.get("from") or d.get("detected") or "?",
                                          after=d.get("to", "?"))], {"from", "detected", "to"}),
    "import": _import,
    "add_testimony": _simple("testimony", lambda number: say("testimony no. %(number)s", number=number)),
    "coders_assigned": _simple("coders", lambda coders: say("coders: %(coders)s", coders=_listed(coders))),
    "double_coding_settled": _settled,
    "view_identity": _simple("found", lambda found: say("identity shown") if found else say("no identity on record")),
    "export": _export,
    "audit_exported": _audit_export,
    "backup": _custody,
    "restore": _custody,
}


def detail_words(action, detail):
    """The entry's detail as a sentence ('' when there is none)."""
    said, known = DESCRIBERS.get(action, lambda d: ([], set()))(detail)
    said += [f"{key.replace('_', ' ')}: {_value(value)}" for key, value in sorted(detail.items())
             if key not in known and key != "api_token"]
    if detail.get("api_token") is not None:  # written during a request an API token authenticated
        said.append(say("through the API token “%(label)s”", label=detail["api_token"]))
    return "; ".join(said)


def _value(value):
    if isinstance(value, list):
        return _listed(value)
    if isinstance(value, dict):
        return _listed(f"{key} {item}" for key, item in value.items())
    return str(value)
