"""A foreign code -> one of ours: an abuse type, a perpetrator or a place. Never a new abuse type.

In order: a GUID this archive gave (a file it exported), an admin's decision for that GUID (mapped by
hand, or refused), then the code's name, folded (case, diacritics), matched against every name our
codebook has for a thing in any of its languages: ids, labels, each language's terms, perpetrators'
aliases, every spelling of a place. A name that fits two things is ambiguous and left for an admin,
as is a name that fits none.
"""
from dataclasses import dataclass

from archive.i18n import say
from archive.store import exchange as store_exchange
from archive.text import fold_phrase

KINDS = ("abuse_type", "perpetrator", "place")


@dataclass(frozen=True)
class Match:
    guid: str
    name: str
    target_kind: str | None   # None: not mapped (refused, or undecided)
    target_id: str | None
    how: str                  # 'guid', 'decided', 'refused', 'name', 'ambiguous', 'unknown'

    @property
    def mapped(self):
        return self.target_kind is not None


class Mapper:
    def __init__(self, db, codebook):
        self.codebook = codebook
        self.decisions = store_exchange.code_mappings(db)
        self.names = _names(codebook)
        self.db = db

    def match_all(self, codes):
        """[Match] for [(guid, name)], in order."""
        owners = store_exchange.owners_of(self.db, [guid for guid, _ in codes])
        return [self._match(guid, name, owners.get(guid.lower())) for guid, name in codes]

    def _match(self, guid, name, owner):
        if owner and owner[0] in KINDS and self._known(*owner):
            return Match(guid, name, owner[0], owner[1], "guid")
        decided = self.decisions.get(guid.lower())
        if decided:
            if decided["target_kind"] is None:
                return Match(guid, name, None, None, "refused")
            if self._known(decided["target_kind"], decided["target_id"]):
                return Match(guid, name, decided["target_kind"], decided["target_id"], "decided")
        targets = self.names.get(fold_phrase(name), set())
        if len(targets) == 1:
            kind, target = next(iter(targets))
            return Match(guid, name, kind, target, "name")
        return Match(guid, name, None, None, "ambiguous" if targets else "unknown")

    def _known(self, kind, target):
        return target in {"abuse_type": self.codebook.abuse_types, "perpetrator": self.codebook.perpetrators,
                          "place": self.codebook.places}[kind]

    def label(self, kind, target):
        return self.codebook.label(kind, target)


def _names(codebook):
    """{folded name: {(kind, id), ...}} of everything a code may be named after."""
    names = {}

    def add(kind, target, *spellings):
        for spelling in spellings:
            folded = fold_phrase(spelling or "")
            if folded:
                names.setdefault(folded, set()).add((kind, target))

    for abuse in codebook.abuse_types.values():
        add("abuse_type", abuse["id"], abuse["id"].replace("_", " "), abuse["label"],
            *(term for terms in abuse["terms"].values() for term in terms))
    for perpetrator in codebook.perpetrators.values():
        add("perpetrator", perpetrator["id"], perpetrator["id"].replace("_", " "), perpetrator["label"],
            perpetrator["label"].split(": ", 1)[-1], *perpetrator.get("aliases", []))
    for place in codebook.places.values():
        add("place", place["id"], place["name"], *place["variants"])
    return names


def choices(codebook):
    """[(value, label)] an admin picks from to map a code by hand: 'abuse_type:beating', …, labelled in
    the interface's language (the values stay ids)."""
    found = []
    for abuse in codebook.abuse_types.values():
        depth = len(codebook.ancestors(abuse["id"])) - 1
        found.append((f"abuse_type:{abuse['id']}", ("— " * depth) + codebook.label("abuse_type", abuse["id"])))
    found += [(f"perpetrator:{p['id']}", say("Perpetrator: %(label)s", label=codebook.label("perpetrator", p["id"])))
              for p in codebook.perpetrators.values()]
    return found


def parse_choice(codebook, value):
    """'abuse_type:beating' -> ('abuse_type', 'beating'); '' or 'refuse' -> (None, None). Raises
    ValueError for anything else (never a new abuse type)."""
    if value in ("", "refuse"):
        return None, None
    kind, _, target = value.partition(":")
    table = {"abuse_type": codebook.abuse_types, "perpetrator": codebook.perpetrators,
             "place": codebook.places}.get(kind)
    if table is None or target not in table:
        raise ValueError(say("%(choice)s is not in the codebook: map onto an abuse type, a perpetrator or a place "
                             "that exists, or refuse the code", choice=repr(value)))
    return kind, target
