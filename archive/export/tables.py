"""The summary tables of a set of testimonies: perpetrator side x abuse type, incidents by month,
places. Shared by the PDF case summary and the statistics page.

Every count is of testimonies, not of codes. A side x type cell counts the testimonies with a code
of that abuse type naming a perpetrator of that side in the same code, so that a beating by one
side and a push-back by another are never attributed across. A month counts the testimonies with
an incident dated within it (a date known only to the year counts in no month, and is reported
apart). Codes are read in batches, so memory grows with the number of distinct values only.
"""
from collections import Counter
from dataclasses import dataclass, field

import pycountry

from archive import store
from archive.i18n import country_name
from archive.search.results import month_label

BATCH = 500


@dataclass
class Tables:
    testimonies: int = 0
    pairs: Counter = field(default_factory=Counter)        # (abuse_type, side) -> testimonies
    abuse_types: Counter = field(default_factory=Counter)  # abuse_type -> testimonies
    sides: Counter = field(default_factory=Counter)        # side -> testimonies
    months: Counter = field(default_factory=Counter)       # "2021-11" -> testimonies
    years: Counter = field(default_factory=Counter)        # "2021" -> testimonies with a month in it
    not_in_a_month: int = 0                                 # testimonies with no incident dated to a month
    places: Counter = field(default_factory=Counter)       # place id -> testimonies
    unresolved_places: Counter = field(default_factory=Counter)  # place as written -> testimonies


def count(db, codebook, references):
    tables = Tables()
    for start in range(0, len(references), BATCH):
        rows = store.testimony_rows_by_reference(db, references[start:start + BATCH])
        codes = store.codes_of(db, [row["id"] for row in rows.values()])
        for row in rows.values():
            tables.testimonies += 1
            _add(tables, codes.get(row["id"], []), codebook)
    return tables


def _add(tables, codes, codebook):
    pairs, types, sides, months, places, unresolved = set(), set(), set(), set(), set(), set()
    for code in codes:
        code_sides = {codebook.side_of(p) for p in code["perpetrators"]}
        sides |= code_sides
        if code["abuse_type"]:
            types.add(code["abuse_type"])
            pairs |= {(code["abuse_type"], side) for side in code_sides}
        if code["date_from"] and code["date_from"][:7] == code["date_to"][:7]:
            months.add(code["date_from"][:7])
        if code["place_id"]:
            places.add(code["place_id"])
        elif code["place_text"]:
            unresolved.add(code["place_text"])
    tables.pairs.update(pairs)
    tables.abuse_types.update(types)
    tables.sides.update(sides)
    tables.months.update(months)
    tables.years.update({month[:4] for month in months})
    tables.not_in_a_month += not months
    tables.places.update(places)
    tables.unresolved_places.update(unresolved)


def side_by_type(tables, codebook):
    """{'sides': [{id, label, count}], 'rows': [{abuse_type, label, count, cells: [{side, count}]}]}:
    abuse types by number of testimonies, sides likewise."""
    sides = [{"id": side, "label": codebook.label("perpetrator", side), "count": n}
             for side, n in _by_count(tables.sides)]
    rows = [{"abuse_type": abuse_type, "label": codebook.label("abuse_type", abuse_type), "count": n,
             "cells": [{"side": side["id"], "count": tables.pairs[(abuse_type, side["id"])]} for side in sides]}
            for abuse_type, n in _by_count(tables.abuse_types)]
    return {"sides": sides, "rows": rows}


def by_month(tables):
    """[{month, label, count}] of the months with incidents, in order (charts.timeline folds the
    empty stretches between them)."""
    return [{"month": key, "label": _month_label(key), "count": tables.months[key]} for key in sorted(tables.months)]


def month_grid(tables):
    """The months as a year x month grid of only the years with incidents: [{'year', 'count',
    'months': [{month, label, count}] * 12}], a run of years without any as one row
    {'gap': (first year, last year)}. A year's count is of testimonies, so it can be less than the
    sum of its months (one testimony, two months). A year's row has 'gap' None."""
    rows, previous = [], None
    for year in sorted(int(y) for y in tables.years):
        if previous is not None and year > previous + 1:
            rows.append({"gap": (previous + 1, year - 1)})
        keys = [f"{year:04d}-{month:02d}" for month in range(1, 13)]
        rows.append({"gap": None, "year": year, "count": tables.years[str(year)],
                     "months": [{"month": key, "label": _month_label(key), "count": tables.months[key]}
                                for key in keys]})
        previous = year
    return rows


def _month_label(key):
    return month_label(key[:4], key[5:])


def places(tables, codebook):
    """[{id, label, country, lat, lon, count}] of the gazetteer's places, by number of testimonies."""
    return [{"id": place_id, "label": codebook.label("place", place_id), **_where(codebook, place_id), "count": n}
            for place_id, n in _by_count(tables.places)]


def unlisted_places(tables):
    """[{label, count}] of the places coded as written because the gazetteer has no such place."""
    return [{"label": text, "count": n} for text, n in _by_count(tables.unresolved_places)]


def _where(codebook, place_id):
    place = codebook.places.get(place_id, {})
    return {"country": place.get("country"), "country_name": _country_names(place.get("country")),
            "lat": place.get("lat"), "lon": place.get("lon")}


def _country_names(codes):
    """'PL/BY' -> 'Poland / Belarus' (a border river belongs to both); an unknown code as it is."""
    names = [country_label(pycountry.countries.get(alpha_2=code), code) for code in (codes or "").split("/") if code]
    return " / ".join(names)


def country_label(country, fallback):
    """A pycountry country's name as a person says it ('Türkiye', 'North Macedonia'), or `fallback`
    where ISO has none, or only an inverted formal one ('Palestine, State of'); in the interface's
    language where that is not English ('Polska', 'Білорусь')."""
    name = (getattr(country, "common_name", None) or country.name) if country else None
    english = name if name and ", " not in name and "(" not in name else fallback
    return country_name(country.alpha_2, english) if country else english


def _by_count(counter):
    return sorted(counter.items(), key=lambda item: (-item[1], str(item[0])))
