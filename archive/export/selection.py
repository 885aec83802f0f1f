"""What an export holds: a search's result set or a case file, narrowed to what may leave the archive.

A search runs through the searcher within the user's `access.search_scope`, exactly as the search
page runs it; a case file is read from SQLite. Either way each testimony must also pass
`access.may_open` (a case file may hold one the user can no longer open) and `access.exportable`
(consent `internal` or `withdrawn` never leaves), and the selection says how many were left out
and why.
"""
from dataclasses import dataclass, field

from archive import store
from archive.i18n import N_, say, say_plural
from archive.security import access
from schemas.search import search_kwargs

ALL = 10 ** 9  # "every result" for the searcher's page size
LEFT_OUT_REASONS = {  # the export's cover says them in the exporter's language (archive/i18n.py say)
    "internal": N_("consent is internal (kept in the archive, never shared)"),
    "withdrawn": N_("consent was withdrawn"),
    "not_open": N_("not open to your role"),
}


@dataclass
class Selection:
    references: list                               # exportable, in the order they are exported
    left_out: dict = field(default_factory=dict)   # reason (LEFT_OUT_REASONS) -> count
    search: dict | None = None                     # {q, filters, from, to, sort} as given
    case_file: dict | None = None                  # {id, name}

    @property
    def selected(self):
        return len(self.references) + sum(self.left_out.values())

    def left_out_sentences(self):
        """['3 testimonies left out: consent is internal …', …] for the cover and the CLI."""
        return [say_plural("%(num)s testimony left out: %(reason)s", "%(num)s testimonies left out: %(reason)s",
                           count, reason=say(LEFT_OUT_REASONS[reason]))
                for reason, count in self.left_out.items() if count]


def found_references(searcher, scope, args):
    """References of every testimony the search finds within `scope` (access.search_scope), in order."""
    found = searcher.search(**{**search_kwargs(args), "limit": ALL, "offset": 0}, scope=scope)
    return [hit["reference"] for hit in found["results"]]


def from_search(db, searcher, user, args):
    """The testimonies a search finds (args as loaded by SearchArgsSchema), in its order."""
    references = found_references(searcher, access.search_scope(user), args)
    return _narrowed(db, user, references, search=describe_search(args))


def from_case_file(db, user, case_file):
    return _narrowed(db, user, store.case_file_references(db, case_file["id"]),
                     case_file={"id": case_file["id"], "name": case_file["name"]})


def describe_search(args):
    return {"q": args["q"], "filters": search_kwargs(args)["filters"],
            "from": args["date_from"].text if args.get("date_from") else None,
            "to": args["date_to"].text if args.get("date_to") else None, "sort": args["sort"],
            "words": args["words"]}


def _narrowed(db, user, references, **described):
    rows = store.testimony_rows_by_reference(db, references)
    kept, left_out = [], dict.fromkeys(LEFT_OUT_REASONS, 0)
    for reference in references:
        row = rows.get(reference)
        if row is None:  # indexed but gone from SQLite: never exported; `archive check` reports it
            continue
        if not access.may_open(user, row):
            left_out["not_open"] += 1
        elif not access.exportable(row):
            left_out[row["consent"] if row["consent"] in left_out else "not_open"] += 1
        else:
            kept.append(reference)
    return Selection(kept, {k: v for k, v in left_out.items() if v}, **described)
