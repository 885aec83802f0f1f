"""The coding vocabulary: abuse types, legal provisions, perpetrators, date precisions, places.

Loaded from the project's own `archive/data/codebook.yaml`; ids there are stable forever.
`Codebook` answers the questions the rest of the archive asks: is this id known, what are an
abuse type's ancestors, which side does a unit belong to, which place does a spelling mean.
"""
import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from archive.dates import PRECISIONS
from archive.text import fold_phrase


@dataclass
class Codebook:
    version: str
    abuse_types: dict = field(default_factory=dict)       # id -> {id, label, parent, definition, legal, terms,
    #                                                        names_only: the terms that suggest nothing alone}
    legal_provisions: dict = field(default_factory=dict)  # id -> {id, instrument, article, title}
    perpetrators: dict = field(default_factory=dict)      # id -> {id, label, kind, side}
    places: dict = field(default_factory=dict)            # id -> {id, name, country, lat, lon, variants}
    date_precisions: dict = field(default_factory=dict)   # id -> {id, label, example}
    _place_by_spelling: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, raw):
        book = cls(version=str(raw["version"]))
        book.legal_provisions = {p["id"]: {"titles": {}, **p} for p in raw["legal_provisions"]}
        book.abuse_types = {a["id"]: {"legal": [], "terms": {}, "names_only": {}, "labels": {}, "definitions": {}, **a}
                            for a in raw["abuse_types"]}
        book.date_precisions = {d["id"]: {"labels": {}, **d} for d in raw["date_precisions"]}
        for side in raw["perpetrators"]["state"]:
            side_labels = side.get("labels", {})
            book.perpetrators[side["id"]] = {"id": side["id"], "label": side["label"], "labels": side_labels,
                                             "kind": "state", "side": side["id"]}
            for unit in side["units"]:
                unit_labels = unit.get("labels", {})
                book.perpetrators[unit["id"]] = {
                    "id": unit["id"], "label": f"{side['label']}: {unit['label']}", "kind": "unit",
                    "side": side["id"], "aliases": unit.get("aliases", []),
                    "labels": {language: f"{side_labels.get(language, side['label'])}: {label}"
                               for language, label in unit_labels.items()},
                }
        for actor in raw["perpetrators"]["non_state"]:
            book.perpetrators[actor["id"]] = {"labels": {}, **actor, "kind": "non_state", "side": actor["id"]}
        for place in raw["places"]:
            book.places[place["id"]] = {"variants": [], "lat": None, "lon": None, **place}
            for spelling in [place["name"], *place.get("variants", [])]:
                book._place_by_spelling.setdefault(fold_phrase(spelling), place["id"])
        book._check()
        return book

    def _check(self):
        """Refuse a codebook whose references do not resolve, rather than fail later mid-import."""
        for abuse in self.abuse_types.values():
            if abuse["parent"] is not None and abuse["parent"] not in self.abuse_types:
                raise ValueError(f"abuse type {abuse['id']}: unknown parent {abuse['parent']}")
            for language, terms in abuse["names_only"].items():  # a marking of its terms, not more terms
                unknown = set(terms) - set(abuse["terms"].get(language, []))
                if unknown:
                    raise ValueError(f"abuse type {abuse['id']}: names_only {language} {sorted(unknown)} are not its terms")
            for provision in abuse["legal"]:
                if provision not in self.legal_provisions:
                    raise ValueError(f"abuse type {abuse['id']}: unknown legal provision {provision}")
        if set(self.date_precisions) != set(PRECISIONS):
            raise ValueError(f"date precisions must be exactly {PRECISIONS}")

    def ancestors(self, abuse_type):
        """The abuse type and every parent up to its top-level category, nearest first."""
        chain = []
        while abuse_type is not None:
            chain.append(abuse_type)
            abuse_type = self.abuse_types[abuse_type]["parent"]
        return chain

    def legal_for(self, abuse_type):
        return self.abuse_types[abuse_type]["legal"]

    def side_of(self, perpetrator):
        """`pl_border_guard` -> `PL`; a side or non-state actor is its own side."""
        return self.perpetrators[perpetrator]["side"]

    def resolve_place(self, spelling):
        """The place id for any spelling, transliteration or case/diacritic variant, else None."""
        return self._place_by_spelling.get(fold_phrase(spelling))

    def place_countries(self, place_id):
        """Countries of a place; border features such as rivers belong to several ('PL/BY')."""
        return self.places[place_id]["country"].split("/")

    def closest(self, table, value, n=3):
        """Ids of `table` ('abuse_types' or 'perpetrators') that someone writing `value` probably
        meant: by its label, a term or alias in any language, or a near spelling of the id. For a
        "did you mean" after an unknown id."""
        entries = getattr(self, table)
        names = {}
        for entry_id, entry in entries.items():
            spellings = [entry_id, entry.get("label", ""), *entry.get("aliases", []),
                         *(term for terms in entry.get("terms", {}).values() for term in terms)]
            for spelling in spellings:
                names.setdefault(fold_phrase(spelling).replace(" ", "_"), entry_id)
        wanted = fold_phrase(value).replace(" ", "_")
        if wanted in names:
            return [names[wanted]]
        return list(dict.fromkeys(names[match] for match in difflib.get_close_matches(wanted, names, n=n * 3,
                                                                                      cutoff=0.75)))[:n]

    def label(self, kind, value, language=None):
        """A human label for a facet or field value, in `language` (default: the interface's, see
        archive/i18n.py) where the codebook has one, else in English; the value itself if unknown.
        A legal provision's label is its citation (instrument and article), the same in every language."""
        table = {
            "abuse_type": self.abuse_types, "perpetrator": self.perpetrators, "place": self.places,
            "legal": self.legal_provisions, "date_precision": self.date_precisions,
        }.get(kind, {})
        entry = table.get(value)
        if entry is None:
            return value
        if kind == "legal":
            return f"{entry['instrument']} {entry['article']}"
        translated = entry.get("labels", {}).get(language or _interface_language())
        return translated or entry.get("label") or entry.get("name") or value

    def definition(self, abuse_type, language=None):
        """An abuse type's definition in `language` (default: the interface's), else in English."""
        entry = self.abuse_types[abuse_type]
        return entry["definitions"].get(language or _interface_language()) or entry.get("definition")

    def title(self, provision, language=None):
        """A legal provision's title in `language` (default: the interface's), else in English."""
        entry = self.legal_provisions[provision]
        return entry["titles"].get(language or _interface_language()) or entry["title"]


def _interface_language():
    from archive.i18n import interface_language  # the web's choice; English outside a request

    return interface_language()


DEFAULT_PATH = resources.files("archive") / "data" / "codebook.yaml"


@lru_cache(maxsize=4)
def load(path=None):
    """The codebook at `path` (default: the project's own), parsed once per process."""
    source = DEFAULT_PATH if path is None else path
    with open(source, encoding="utf-8") as handle:
        return Codebook.from_dict(yaml.safe_load(handle))
