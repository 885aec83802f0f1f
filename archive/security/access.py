"""Who may do what: roles, permissions, and the rules that protect witnesses.

One written table (PERMISSIONS) says which role may do what; docs/admin-guide.md shows the same table and
a test walks every route as every role against it. The rules are plain functions of a user (a
dict with at least `role`, or None for an anonymous visitor) and a testimony row, so that pages,
the API, exports and the CLI all ask the same questions:

- may this user open this testimony at all (its confidentiality and the witness's consent)?
- may this user see the witness's identifying fields (role and consent)?
- may this testimony leave the archive in an export (consent)?
- may this user open this case file, or change who else may (its owner and whom it is shared with)?
"""
from archive.i18n import N_

ROLES = {
    "admin": "Manages users and the codebook; reads public and restricted testimonies.",
    "coder": "Adds testimonies and codes them.",
    "reviewer": "Settles codes and double-coding disagreements, marks testimonies reviewed, reads history.",
    "lawyer": "Searches, reads and exports, within the witnesses' consent.",
    "viewer": "Searches and reads pseudonymised public and restricted testimonies.",
}

# permission -> (roles that have it, what it allows)
PERMISSIONS = {
    "search": (("admin", "coder", "reviewer", "lawyer", "viewer"), N_("search and read pseudonymised testimonies")),
    "add_testimony": (("coder", "reviewer"), N_("add testimonies (form, upload, import)")),
    "code": (("coder", "reviewer"), N_("code testimonies: add, edit and remove codes")),
    "link_incidents": (("coder", "reviewer"), N_("record incidents and their legs, and link testimonies to them")),
    "review": (("reviewer",), N_("settle codes and disagreements, mark reviewed, assign double coding, "
                              "read the history of testimonies and codes")),
    "read_identity": (("reviewer", "lawyer"), N_("see a witness's identifying fields, where consent allows")),
    "export": (("reviewer", "lawyer"), N_("export search results and case files, within consent")),
    "manage_users": (("admin",), N_("add, change and lock accounts")),
    "manage_codebook": (("admin",), N_("reload and browse the codebook's administration")),
    "audit": (("admin",), N_("read and verify the audit log")),
    # A witness's decisions over time (archive/consent/__init__.py, archive/consent/purge.py).
    "change_consent": (("admin", "reviewer"), N_("record a witness's change of consent or withdrawal, on a "
                                              "testimony the role may open")),
    "handle_withdrawals": (("admin", "reviewer"), N_("list withdrawn testimonies and what must follow (case "
                                                  "files, exports, backups)")),
    "purge": (("admin",), N_("erase a withdrawn testimony for good (typed confirmation, reason)")),
}

# confidentiality -> roles that may open such a testimony (consent narrows it further)
CONFIDENTIALITY_ROLES = {
    "public": ("admin", "coder", "reviewer", "lawyer", "viewer"),
    "restricted": ("admin", "coder", "reviewer", "lawyer", "viewer"),
    "confidential": ("coder", "reviewer", "lawyer"),
}
# A withdrawn testimony is kept (nothing is deleted until it is purged) but only a reviewer can still
# open it. Admins handle withdrawals too (`handle_withdrawals`, `purge`), from the list of withdrawn
# testimonies, without reading them: a withdrawal never widens who reads a statement.
WITHDRAWN_ROLES = ("reviewer",)
# What a token may do: `read` answers GET, HEAD and OPTIONS only; `write` whatever its account may.
# A new token is read-only unless its maker chooses otherwise (least privilege, as for a new account).
TOKEN_SCOPES = ("read", "write")
DEFAULT_SCOPE = "read"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# A witness's consent, narrowest last but one: `withdrawn` ends every use but a reviewer's reading.
CONSENTS = ("internal", "legal", "publication", "withdrawn")
# Consents under which a testimony may leave the archive (exports); `internal` and `withdrawn` never.
EXPORTABLE_CONSENTS = ("legal", "publication")
# Consents under which the witness's identity may be shown to a role with `read_identity`.
IDENTITY_CONSENTS = ("legal", "publication")
# A case file is one lawyer's work on a case: private to the account that made it and to the
# accounts it shares it with, on top of the `export` permission. Nobody else learns it exists (its
# page answers 404), whatever their role: reviewers and administrators included.
# what -> who, of "owner" and "shared with"
CASE_FILE_RULES = {
    "open it, add and remove testimonies, export it": ("owner", "shared with"),
    "rename it, share it, stop sharing it": ("owner",),
}


def role_of(user):
    return user["role"] if user else None


def can(user, permission):
    """Has this user (None: anonymous) the permission?"""
    roles, _ = PERMISSIONS[permission]
    return role_of(user) in roles


def may_open(user, testimony, public_view=False):
    """May this user open the testimony (a row with `confidentiality` and `consent`)?
    Anonymous visitors see only what a public read-only view shows, and only when it is on."""
    if user is None:
        return public_view and testimony["confidentiality"] == "public" and testimony["consent"] == "publication"
    role = user["role"]
    if testimony["consent"] == "withdrawn":
        return role in WITHDRAWN_ROLES
    return role in CONFIDENTIALITY_ROLES[testimony["confidentiality"]]


def may_see_identity(user, testimony):
    """Identifying fields: a role with `read_identity`, on a testimony it may open, with consent."""
    return (can(user, "read_identity") and may_open(user, testimony)
            and testimony["consent"] in IDENTITY_CONSENTS)


def exportable(testimony):
    return testimony["consent"] in EXPORTABLE_CONSENTS


def search_scope(user, public_view=False):
    """{facet: allowed values}: the testimonies this user's searches may find, as facet filters
    the searcher applies before anything is counted (so facet counts never reveal the rest)."""
    if user is None:
        if not public_view:
            return {"confidentiality": []}  # nothing
        return {"confidentiality": ["public"], "consent": ["publication"]}
    role = user["role"]
    levels = [level for level, roles in CONFIDENTIALITY_ROLES.items() if role in roles]
    consents = ["internal", "legal", "publication"] + (["withdrawn"] if role in WITHDRAWN_ROLES else [])
    return {"confidentiality": levels, "consent": consents}


def may_open_case_file(user, case_file, shared_with):
    """Its owner, or an account it is shared with (`shared_with`: account names), with `export`."""
    return can(user, "export") and (owns_case_file(user, case_file) or user["name"].casefold() in
                                    {name.casefold() for name in shared_with})


def owns_case_file(user, case_file):
    """Only the owner renames a case file or changes whom it is shared with."""
    return can(user, "export") and case_file["created_by"].casefold() == user["name"].casefold()
