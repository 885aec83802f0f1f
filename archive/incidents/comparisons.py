"""How far two profiles (archive/incidents/candidates.py) agree, the Fellegi–Sunter way: each part (date,
place, perpetrators, abuse types, group size, and the time of day, crossing and origin the texts say) falls into one level ("same day", "1 day apart", "same unit",
"different units of one side", …), each level carries a weight, log2 m/u — how much more often two accounts
of one event fall into it (m) than two accounts of different events (u) — and the weights of the parts both
records have, added to the prior odds (`prior`: from how many records the testimony meets in blocking),
give the probability that the pair tells one event. A part that one record lacks counts for nothing
either way.

The weights were estimated by expectation–maximisation on the blocked pairs of a generated archive of known
truth, without its labels (as an organisation has none): `python -m bench.linkage_fit` prints them, and
bench/results/incidents.md holds the fit and what it scores. The group size there is the one each statement's
text says (archive/incidents/group_sizes.py), as witnesses say it: exact, rounded, a range, or wrong.

The same level gives the score and the words a reviewer reads ("same day", "4 km apart", "different units:
…"), so the two cannot disagree.
"""
import collections
import math

from archive.i18n import N_, country_name, say, say_plural

WINDOW_DAYS = 3     # two exact days further apart than this are "apart" (and blocking's window)
CLOSE_DAYS = 15     # an inexact date known to within this many days (a day "~" is ±7) is "close"
CENTRED_DAYS = 1    # ... and "centred" when its middle is this close to the other's (the day it is "around")
NEAR_KM = (0.5, 10.0, 25.0, 50.0)   # place levels: the same place, then within these distances

# How many of the records a testimony meets in blocking tell its event, on average: EM's share of matches
# × blocked pairs × 2 / testimonies — 2.36 at 1,000 testimonies (seed 7, with group sizes and circumstances
# from the texts; 2.44 with sizes only, 2.59 with neither). The prior odds of a pair follow from it and the
# number the testimony meets (`prior`), so that a testimony among many of the same days and places needs
# more agreement than one among few.
PARTNERS = 2.36
# log2(m/u) per level, from `python -m bench.linkage_fit 1000 --seed 7` (a seed the bench does not score) on
# the generator of the evening of 2026-12-07 (group sizes, times of day, crossings and origins said in the
# statements' text, archive/incidents/group_sizes.py and circumstances.py); m floored at 1 % so that no level,
# however rare among true pairs there, vetoes a pair on its own. "apart" (exact days more than WINDOW_DAYS
# apart) is too rare among blocked pairs to estimate: set by hand, below every fitted date level. An
# archive's own weights (`archive incidents refit`, archive/incidents/fitting.py) take the place of these
# where it has them.
WEIGHTS = {
    # same day, a day apart, 2–3 days, an approximate day around the other's, other overlaps within a fortnight
    # (an approximate day off the other's middle), wider ones (a month), inexact and apart, apart
    "date": {"same_day": 3.44, "day_apart": 1.67, "days_apart": -1.63, "centred": 2.35, "overlap_close": -3.57,
             "overlap_wide": -0.74, "near_inexact": -4.18, "apart": -5.0},
    "place": {"same": 3.85, "within_10": 3.53, "within_25": 1.61, "within_50": 1.34, "far": -5.73},
    "perpetrators": {"same_unit": 1.73, "same_side": 1.49, "other_unit": -0.92, "other_side": -4.33},
    "abuse_types": {"same": 1.99, "within": 0.84, "overlap": -2.03, "none": -2.26},
    # the same exact number; overlapping ('about 80' and 75); within a quarter; further
    "size": {"same": 5.16, "overlap": 1.80, "near": -0.05, "far": -3.70},
    # what the statements' texts say (archive/incidents/circumstances.py): a time of day both name; two next
    # to each other ('evening' and 'night'); apart. A crossing both name; other ones. A country both name;
    # other ones. Most push-backs are at night and at the fence: sharing those tells little, differing more.
    "time_of_day": {"same": 0.70, "adjacent": -0.61, "apart": -0.97},
    "crossing": {"same": 0.50, "other": -1.12},
    "origin": {"same": 1.67, "other": -1.72},
}


def km(a, b):
    """Great-circle distance in km between (lat, lon, …) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


# --- each part: (level, facts) or None when one record lacks it ---------------------------------

def date_level(a, b, weights=None):
    """The best-weighted level over the pairs of the two records' dated intervals; facts: (gap, width, off)."""
    weights = (weights or WEIGHTS)["date"]
    best = None
    for first in a.intervals:
        for second in b.intervals:
            gap = max(0, max(first[0], second[0]) - min(first[1], second[1]))
            width = max(first[1] - first[0], second[1] - second[0])
            off = abs((first[0] + first[1]) - (second[0] + second[1])) / 2   # days between their middles
            level = _date(gap, width, off)
            if best is None or weights[level] > weights[best[0]]:
                best = (level, (gap, width, off))
    return best


def _date(gap, width, off=None):
    if width == 0:
        return ("same_day", "day_apart")[gap] if gap <= 1 else "days_apart" if gap <= WINDOW_DAYS else "apart"
    if gap == 0 and width <= CLOSE_DAYS:
        # 'around 8 November' (8 November ± 7) and the 8th or 9th: an approximate day says its middle
        return "centred" if off is not None and off <= CENTRED_DAYS else "overlap_close"
    if gap == 0:
        return "overlap_wide"
    return "near_inexact" if gap <= WINDOW_DAYS else "apart"


def place_level(a, b):
    """By the shortest distance between the two records' places; facts: km."""
    best = None
    for first in a.points:
        for second in b.points:
            distance = 0.0 if first[2] == second[2] else km(first, second)
            if best is None or distance < best:
                best = distance
    if best is None:
        return None
    names = ("same", "within_10", "within_25", "within_50")
    return next((name for name, limit in zip(names, NEAR_KM) if best <= limit), "far"), best


def perpetrator_level(a, b, book):
    """A unit both name; else a side both name where at most one of them names its unit; else two
    different units of one side (a twin's mark, or a uniform mistaken); else different sides.
    Facts: the shared units or sides, or the two records' units of the shared sides."""
    if not (a.sides and b.sides):
        return None
    if a.units & b.units:
        return "same_unit", sorted(a.units & b.units)
    shared = a.sides & b.sides
    if not shared:
        return "other_side", None
    mine = sorted(u for u in a.units if book.side_of(u) in shared)
    theirs = sorted(u for u in b.units if book.side_of(u) in shared)
    if mine and theirs:
        return "other_unit", (mine, theirs)
    return "same_side", sorted(shared)


def abuse_level(a, b):
    """The same types; one's all among the other's; some in common; none. Facts: the shared types."""
    if not (a.abuse_types and b.abuse_types):
        return None
    shared = a.abuse_types & b.abuse_types
    if a.abuse_types == b.abuse_types:
        level = "same"
    elif shared in (a.abuse_types, b.abuse_types):
        level = "within"
    else:
        level = "overlap" if shared else "none"
    return level, sorted(shared)


def size_level(a, b):
    """Group sizes (archive/incidents/group_sizes.py GroupSize) the same exact number; else that overlap
    (an approximate size by its bounds, 'about 80': 64–96); else within a quarter of the larger; else
    further. Facts: both sizes."""
    if not (a.size and b.size):
        return None
    (low, high), (other_low, other_high) = a.size.bounds, b.size.bounds
    if a.size == b.size and low == high:
        level = "same"
    elif max(low, other_low) <= min(high, other_high):
        level = "overlap"
    else:
        gap = max(low, other_low) - min(high, other_high)
        level = "near" if gap <= 0.25 * max(high, other_high) else "far"
    return level, (a.size, b.size)


def time_level(a, b):
    """A time of day both statements name; else two next to each other in the day; else apart. Facts: the
    shared times, or both records' times."""
    return _said_level(a.stated.times, b.stated.times, _adjacent)


def crossing_level(a, b):
    """A crossing both name (the fence, the river, the swamp); else other ones. Facts as time_level's."""
    return _said_level(a.stated.crossings, b.stated.crossings)


def origin_level(a, b):
    """A country both say the group came from; else other ones. Facts as time_level's."""
    return _said_level(a.stated.origins, b.stated.origins)


def _said_level(mine, theirs, near=None):
    if not (mine and theirs):
        return None
    if mine & theirs:
        return "same", sorted(mine & theirs)
    if near is not None:
        return ("adjacent" if near(mine, theirs) else "apart"), (sorted(mine), sorted(theirs))
    return "other", (sorted(mine), sorted(theirs))


def _adjacent(mine, theirs):
    from archive.incidents.circumstances import PERIODS

    return any(abs(PERIODS.index(p) - PERIODS.index(q)) in (1, len(PERIODS) - 1) for p in mine for q in theirs)


def levels(a, b, book, weights=None):
    """{part: (level, facts)} for the parts both records have (`weights`: those the date's best level is
    chosen by, WEIGHTS unless an archive's own)."""
    parts = {"date": date_level(a, b, weights), "place": place_level(a, b),
             "perpetrators": perpetrator_level(a, b, book),
             "abuse_types": abuse_level(a, b), "size": size_level(a, b),
             "time_of_day": time_level(a, b), "crossing": crossing_level(a, b), "origin": origin_level(a, b)}
    return {name: part for name, part in parts.items() if part is not None}


def prior(met, partners=PARTNERS):
    """log2 odds, before comparing, that one of the `met` records a testimony meets in blocking tells its
    event: `partners` of them are expected to, whatever the archive's size (at most even odds)."""
    share = min(0.5, partners / max(met, 1))
    return math.log2(share / (1.0 - share))


def probability(known, prior_weight, weights=None, shares=None):
    """The probability that a pair tells one event, from its levels and the prior log2 odds (`weights`:
    WEIGHTS unless the archive has its own, archive/incidents/fitting.py; `shares`: value_shares of the
    archive, to weigh a circumstance both say by how common it is)."""
    weights = weights or WEIGHTS
    weight = prior_weight + sum(weights[name][part[0]] for name, part in known.items())
    return 1.0 / (1.0 + 2.0 ** -(weight + (rarity(known, shares) if shares else 0.0)))


# The circumstances a pair may share, by value: two accounts that both say 'during the day' tell more than two
# that both say 'at night', as most push-backs are at night (splink's term-frequency adjustment).
BY_VALUE = {"time_of_day": "times", "crossing": "crossings", "origin": "origins"}
RARITY_CAP = 2.0   # no shared value adds or takes more than this (a value said once in a small archive)


def value_shares(profiles):
    """{part: ({value: share of the statements saying the part that say it}, Σ share²)} over `profiles`."""
    found = {}
    for part, field_name in BY_VALUE.items():
        said = [getattr(p.stated, field_name) for p in profiles if getattr(p.stated, field_name)]
        counts = collections.Counter(value for values in said for value in values)
        shares = {value: count / len(said) for value, count in counts.items()}
        found[part] = (shares, sum(share ** 2 for share in shares.values()))
    return found


def rarity(known, shares):
    """log2 of how much rarer than the average agreement the value a pair shares is: Σ share² / share of the
    rarest shared value (the weight of 'same' is the average over values; this adds what the value adds),
    within ±RARITY_CAP."""
    added = 0.0
    for part in BY_VALUE:
        level = known.get(part)
        if level and level[0] == "same" and part in shares:
            values, expected = shares[part]
            rarest = min(values.get(value, 1.0) for value in level[1])
            if rarest > 0 and expected > 0:
                added += max(-RARITY_CAP, min(RARITY_CAP, math.log2(expected / rarest)))
    return added


# --- words -----------------------------------------------------------------------------------------

def reasons(known, book):
    """The levels in a reviewer's words, in the parts' order."""
    return [WORDS[name](part, book) for name, part in known.items()]


def _date_words(part, book):
    gap, width = part[1][:2]
    if part[0] == "centred":
        return say("about the same day")
    if gap:
        return say_plural("%(num)s day apart", "%(num)s days apart", gap)
    if width:
        return say_plural("dates overlap (known to within %(num)s day)",
                          "dates overlap (known to within %(num)s days)", width + 1)
    return say("same day")


def _place_words(part, book):
    return say("same place") if part[0] == "same" else say("%(distance)s km apart", distance=f"{part[1]:.0f}")


def _perpetrator_words(part, book):
    level, facts = part
    if level == "other_side":
        return say("different perpetrators")
    if level == "other_unit":
        return say("different units: %(units)s vs %(others)s",
                   units=", ".join(book.label("perpetrator", u) for u in facts[0]),
                   others=", ".join(book.label("perpetrator", u) for u in facts[1]))
    return say("both %(perpetrators)s", perpetrators=", ".join(sorted(book.label("perpetrator", p) for p in facts)))


def _abuse_words(part, book):
    if not part[1]:
        return say("no abuse type in common")
    return say("both told of %(abuse_types)s",
               abuse_types=", ".join(sorted(book.label("abuse_type", t).lower() for t in part[1])))


def _size_words(part, book):
    size, other = part[1]
    return say("group %(size)s vs %(other)s", size=_size(size), other=_size(other))


def _size(size):
    said = str(size.low) if size.low == size.high else f"{size.low}–{size.high}"
    return say("about %(size)s", size=said) if size.approximate else said


# The words of each time of day, crossing and country, as a reviewer reads them ('both at night', 'one at
# the river, the other at the fence', 'both from Syria').
SAID_WORDS = {"night": N_("at night"), "dawn": N_("at dawn or early in the morning"), "day": N_("during the day"),
              "evening": N_("in the evening"),
              "fence": N_("at the fence"), "river": N_("at the river"), "swamp": N_("in the swamp")}
# Countries by their ISO 3166 code, named in the interface's language by CLDR (archive/i18n.py country_name).
COUNTRIES = {"syria": ("SY", "Syria"), "iraq": ("IQ", "Iraq"), "afghanistan": ("AF", "Afghanistan"),
             "yemen": ("YE", "Yemen"), "iran": ("IR", "Iran"), "congo": ("CD", "DR Congo"),
             "cameroon": ("CM", "Cameroon"), "somalia": ("SO", "Somalia")}


def _said(words):
    return " / ".join(country_name(*COUNTRIES[word]) if word in COUNTRIES else say(SAID_WORDS[word])
                      for word in words)


def _circumstance_words(part, book):
    level, facts = part
    if level == "same":
        return say("both %(said)s", said=_said(facts))
    return say("one %(said)s, the other %(other)s", said=_said(facts[0]), other=_said(facts[1]))


def _origin_words(part, book):
    level, facts = part
    if level == "same":
        return say("both groups from %(countries)s", countries=_said(facts))
    return say("groups from %(countries)s vs %(others)s", countries=_said(facts[0]), others=_said(facts[1]))


WORDS = {"date": _date_words, "place": _place_words, "perpetrators": _perpetrator_words,
         "abuse_types": _abuse_words, "size": _size_words, "time_of_day": _circumstance_words,
         "crossing": _circumstance_words, "origin": _origin_words}


def merged(fitted):
    """An archive's fitted weights over WEIGHTS: a level the fit left out (or a level added since) keeps
    the weight the archive ships with."""
    return {part: {level: fitted.get(part, {}).get(level, weight) for level, weight in levels.items()}
            for part, levels in WEIGHTS.items()}
