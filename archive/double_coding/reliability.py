"""How far the coders of double-coded testimonies agree, read from the database.

Units are double-coded testimonies (settled or not). A coder's coding of a unit counts once they
have submitted it: before that it is missing data. The dimensions are each abuse type and each
perpetrator side that any coder applied: for each, a unit holds per coder whether their coding has
it (a code of that abuse type; a code naming a perpetrator of that side). archive/double_coding/agreement.py
turns those units into percent agreement, kappa and alpha. A disagreement is a unit and a
dimension value on which the submitted coders differ.
"""
from dataclasses import dataclass, field

from archive import store
from archive.double_coding import agreement as statistics
from archive.double_coding import alpha_interval

DIMENSIONS = {"abuse_type": "Abuse type", "side": "Perpetrator side"}


@dataclass
class Disagreement:
    testimony_id: int
    reference: str
    dimension: str          # 'abuse_type' or 'side'
    value: str
    label: str
    applied_by: list        # coders whose coding has it
    not_by: list            # coders whose coding has not
    passages: dict = field(default_factory=dict)  # coder -> [passage text or None, one per code]

    @property
    def key(self):
        """The disagreement's name in a settlement: 'abuse_type:beating', 'side:PL'."""
        return f"{self.dimension}:{self.value}"


def codings(db, testimony_ids):
    """{testimony id: {coder: [blind or superseded codes]}} for every coder who submitted."""
    assignments = store.assignments_by_testimony(db, testimony_ids)
    codes = store.codes_of(db, list(assignments), stages=("blind", "superseded"))
    found = {}
    for testimony_id, rows in assignments.items():
        submitted = [a["coder"] for a in rows if a["submitted_at"]]
        found[testimony_id] = {coder: [c for c in codes.get(testimony_id, []) if c["coder"] == coder]
                               for coder in submitted}
    return found


def values_of(codes, dimension, book):
    """The dimension's values that a coder's codes apply."""
    if dimension == "abuse_type":
        return {code["abuse_type"] for code in codes if code["abuse_type"]}
    return {book.side_of(p) for code in codes for p in code["perpetrators"]}


def _codes_with(codes, dimension, value, book):
    return [code for code in codes if value in values_of([code], dimension, book)]


def report(db, book, testimony_ids=None):
    """Per dimension value: {dimension, value, label, n, percent, kappa, alpha, interval, caution,
    caution_reason} (archive/double_coding/alpha_interval.py: the bootstrap interval for alpha and the warning when
    the figures are too thin), who coded, how many units, and the page's warning when they are too few."""
    ids = store.double_coded_ids(db) if testimony_ids is None else list(testimony_ids)
    coded = codings(db, ids)
    coders = sorted({coder for by_coder in coded.values() for coder in by_coder})
    rows = []
    for dimension in DIMENSIONS:
        applied = {tid: {coder: values_of(codes, dimension, book) for coder, codes in by_coder.items()}
                   for tid, by_coder in coded.items()}
        values = sorted({value for by_coder in applied.values() for found in by_coder.values() for value in found})
        for value in values:
            units = [[(value in by_coder[coder]) if coder in by_coder else None for coder in coders]
                     for by_coder in applied.values()]
            result = statistics.agreement(units)
            read = alpha_interval.reading(units, result.alpha)
            rows.append({"dimension": dimension, "value": value, "label": _label(book, dimension, value),
                         "n": result.n, "percent": result.percent, "kappa": result.kappa, "alpha": result.alpha,
                         "interval": read.interval, "caution": read.caution, "caution_reason": read.reason})
    units = sum(len(by_coder) >= 2 for by_coder in coded.values())
    caution = alpha_interval.few_words(units) if units < alpha_interval.MIN_UNITS else None
    return {"rows": rows, "coders": coders, "units": units, "caution": caution}


def find_disagreements(db, book, testimony_ids=None):
    """Every unit and dimension value on which the coders who submitted differ."""
    ids = store.double_coded_ids(db) if testimony_ids is None else list(testimony_ids)
    references = {tid: rows[0]["reference"] for tid, rows in store.assignments_by_testimony(db, ids).items()}
    found = []
    for testimony_id, by_coder in codings(db, ids).items():
        if len(by_coder) < 2:
            continue
        for dimension in DIMENSIONS:
            applied = {coder: values_of(codes, dimension, book) for coder, codes in by_coder.items()}
            for value in sorted(set().union(*applied.values())):
                having = [coder for coder in by_coder if value in applied[coder]]
                if len(having) == len(by_coder):
                    continue
                found.append(Disagreement(
                    testimony_id=testimony_id, reference=references[testimony_id], dimension=dimension,
                    value=value, label=_label(book, dimension, value), applied_by=having,
                    not_by=[coder for coder in by_coder if coder not in having],
                    passages={coder: [code["passage_text"] for code in _codes_with(by_coder[coder], dimension,
                                                                                    value, book)]
                              for coder in having}))
    return found


def _label(book, dimension, value):
    return book.label("abuse_type" if dimension == "abuse_type" else "perpetrator", value)
