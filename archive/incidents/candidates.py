"""Candidate links: the incidents, and the testimonies not yet linked, that may tell the same event
as a testimony, each with a score and its reasons in words ("same day", "4 km apart", "both Belarus:
military", "group 80 vs 75"). A reviewer confirms or rejects each with a reason; a rejected pair is
never offered again.

Blocking, then scoring (Fellegi–Sunter record linkage):
- a profile holds what a record says of when, where, who, what and how many: every dated
  interval (partial dates by their day bounds), every place with coordinates (the gazetteer's),
  perpetrator sides and units, abuse types, a group size range, and what its text says of the time of
  day, the crossing and where the group came from (archive/incidents/circumstances.py);
- blocking keeps the pairs whose intervals lie within WINDOW_DAYS of each other, and, for
  records with no precise date (none, or wider than VAGUE_DAYS), the pairs within NEAR_KM;
- each part of a pair falls into a level with a weight learned by EM, and the score is the probability
  that the pair tells one event (archive/incidents/comparisons.py); the threshold was chosen on archives
  of known truth (bench/incidents_bench.py, docs/incidents.md).
"""
import bisect
import collections
import datetime as dt
import threading
from dataclasses import dataclass, field

from archive import errors, incidents, store
from archive.custody import audit
from archive.i18n import say
from archive.incidents import comparisons
from archive.incidents.comparisons import WINDOW_DAYS, km
from archive.incidents.circumstances import NONE, Circumstances, circumstances, stored
from archive.incidents.group_sizes import GroupSize, group_size
from archive.store import incidents as store_incidents
from archive.store.db import write_transaction

VAGUE_DAYS = 62     # a date wider than this (a year, a long range) does not block by date
NEAR_KM = 15.0      # blocking of vaguely dated records: a place this close
THRESHOLD = 0.4     # below this probability a pair is not offered: the lowest where precision reached 0.8
                    # on the archive the weights were fitted on (seed 7; docs/incidents.md)
SHOWN = 3


@dataclass
class Profile:
    kind: str                      # "testimony" or "incident"
    id: int
    intervals: list = field(default_factory=list)   # [(first day ordinal, last day ordinal)]
    points: list = field(default_factory=list)      # [(lat, lon, place id)]
    sides: set = field(default_factory=set)
    units: set = field(default_factory=set)
    abuse_types: set = field(default_factory=set)
    size: GroupSize = None         # how many people: coded, recorded, or as the statement says it
    stated: Circumstances = NONE   # the times of day, crossings and origins the statement's text states

    @property
    def precise(self):
        return [i for i in self.intervals if i[1] - i[0] <= VAGUE_DAYS]


# --- profiles from the archive ------------------------------------------------------------------

def _interval(date_from, date_to):
    if not date_from:
        return None
    return dt.date.fromisoformat(date_from).toordinal(), dt.date.fromisoformat(date_to or date_from).toordinal()


def _add_place(profile, book, place_id):
    place = book.places.get(place_id) if place_id else None
    if place and place["lat"] is not None and (place["lat"], place["lon"], place_id) not in profile.points:
        profile.points.append((place["lat"], place["lon"], place_id))


def _add_perpetrator(profile, book, perpetrator):
    if perpetrator in book.perpetrators:
        profile.sides.add(book.side_of(perpetrator))
        if book.perpetrators[perpetrator]["kind"] != "state":
            profile.units.add(perpetrator)


def testimony_profiles(db, book, testimony_ids=None, said=None):
    """Testimonies by what their stated incident and their codes say; the group size, where no code gives a
    number of victims, as the statement's text says it (archive/incidents/group_sizes.py: read when it was
    stored, table stated_group_size, or now for a testimony stored before). `said`: {testimony id: GroupSize
    or None} already known, reused and added to (a text never changes)."""
    rows = store_incidents.testimony_features(db, testimony_ids)
    ids = [row["id"] for row in rows]
    codes, stated = store.codes_of(db, ids), store.incident_perpetrators(db, ids)
    said = {} if said is None else said
    profiles = {}
    for row in rows:
        profile = Profile("testimony", row["id"])
        for interval in [_interval(row["incident_date_from"], row["incident_date_to"]),
                         *(_interval(c["date_from"], c["date_to"]) for c in codes.get(row["id"], []))]:
            if interval and interval not in profile.intervals:
                profile.intervals.append(interval)
        _add_place(profile, book, row["incident_place_id"])
        for perpetrator in stated.get(row["id"], []):
            _add_perpetrator(profile, book, perpetrator)
        victims = []
        for code in codes.get(row["id"], []):
            _add_place(profile, book, code["place_id"])
            for perpetrator in code["perpetrators"]:
                _add_perpetrator(profile, book, perpetrator)
            if code["abuse_type"]:
                profile.abuse_types.add(code["abuse_type"])
            if code["victims"]:
                victims.append(code["victims"])
        profile.size = GroupSize(max(victims), max(victims)) if victims else None
        profiles[row["id"]] = profile
    if any(profile.size is None and i not in said for i, profile in profiles.items()):
        for testimony_id, (low, high, approximate) in store_incidents.stated_sizes(db).items():
            said.setdefault(testimony_id, GroupSize(low, high, bool(approximate)) if low is not None else None)
    unread = [i for i, profile in profiles.items() if profile.size is None and i not in said]
    for testimony_id, text in store_incidents.texts_of(db, unread):   # stored before sizes were kept
        said[testimony_id] = group_size(text)
    for testimony_id, profile in profiles.items():
        if profile.size is None:
            profile.size = said.get(testimony_id)
    _add_circumstances(db, profiles)
    return profiles


def _add_circumstances(db, profiles):
    """What each statement says of the time of day, the crossing and the group's origin: as read when it was
    stored (table stated_circumstances), or now for one stored before (`archive init` keeps them)."""
    kept = store_incidents.stated_circumstances(db)
    for testimony_id, profile in profiles.items():
        if testimony_id in kept:
            profile.stated = stored(kept[testimony_id])
    unread = [i for i in profiles if i not in kept]
    for testimony_id, text in store_incidents.texts_of(db, unread):
        profiles[testimony_id].stated = circumstances(text)


def incident_profiles(db, book, testimonies=None):
    """Incidents by what they record, their legs say, and their sources' codes say (`testimonies`:
    testimony profiles already made, to reuse)."""
    legs = store_incidents.all_legs(db)
    rows = store_incidents.incidents_by_id(db, [r[0] for r in db.execute("SELECT id FROM incident_record")])
    sources = {}
    for testimony_id, incident_id in store_incidents.source_pairs(db):
        sources.setdefault(incident_id, []).append(testimony_id)
    testimonies = testimonies if testimonies is not None else testimony_profiles(
        db, book, sorted({t for ts in sources.values() for t in ts}))
    profiles = {}
    for incident_id, row in rows.items():
        profile = Profile("incident", incident_id)
        for interval in [_interval(row["date_from"], row["date_to"]),
                         *(_interval(leg["date_from"], leg["date_to"]) for leg in legs.get(incident_id, []))]:
            if interval and interval not in profile.intervals:
                profile.intervals.append(interval)
        _add_place(profile, book, row["place_id"])
        for perpetrator in row["perpetrators"]:
            _add_perpetrator(profile, book, perpetrator)
        for leg in legs.get(incident_id, []):
            _add_place(profile, book, leg["place_id"])
            _add_perpetrator(profile, book, leg["perpetrator_id"])
        said = []
        for testimony_id in sources.get(incident_id, []):
            told = testimonies.get(testimony_id)
            if told:
                if told.size:
                    said.append(told.size.bounds)
                profile.sides |= told.sides
                profile.units |= told.units
                profile.abuse_types |= told.abuse_types
                profile.stated = Circumstances(profile.stated.times | told.stated.times,
                                             profile.stated.crossings | told.stated.crossings,
                                             profile.stated.origins | told.stated.origins)
                if not profile.intervals:
                    profile.intervals = list(told.intervals)
                if not profile.points:
                    profile.points = list(told.points)
        if row["people_min"] is not None:
            profile.size = GroupSize(row["people_min"], row["people_max"])
        elif said:   # not recorded: from the fewest to the most its sources say
            profile.size = GroupSize(min(low for low, _ in said), max(high for _, high in said))
        profiles[incident_id] = profile
    return profiles, sources


# --- blocking -----------------------------------------------------------------------------------

class Blocks:
    """Profiles indexed for blocking: precise intervals sorted by start, and the rest by place."""

    def __init__(self, profiles):
        self.starts, self.entries, self.vague = [], [], []
        for profile in profiles:
            precise = profile.precise
            for interval in precise:
                self.entries.append((interval[0], interval[1], profile))
            if not precise:
                self.vague.append(profile)
        self.entries.sort(key=lambda e: e[0])
        self.starts = [e[0] for e in self.entries]

    def near(self, profile):
        found = {}
        for first, last in profile.precise:
            low = bisect.bisect_left(self.starts, first - WINDOW_DAYS - VAGUE_DAYS)
            high = bisect.bisect_right(self.starts, last + WINDOW_DAYS)
            for start, end, other in self.entries[low:high]:
                if end >= first - WINDOW_DAYS:
                    found[(other.kind, other.id)] = other
        for other in self.vague:  # a vaguely dated record meets anyone near it, whatever the date
            if _close(profile, other):
                found[(other.kind, other.id)] = other
        if not profile.precise:
            for _, _, other in self.entries:
                if (other.kind, other.id) not in found and _close(profile, other):
                    found[(other.kind, other.id)] = other
        return found.values()


def _close(a, b):
    return any(km(p, q) <= NEAR_KM for p in a.points for q in b.points)


# --- candidates for a testimony, and for the whole archive ---------------------------------------

@dataclass
class Candidate:
    kind: str          # "incident" or "testimony"
    id: int
    score: float
    reasons: list


class Linker:
    """Everything candidates are computed from, read once: for one testimony (a page) or for all."""

    def __init__(self, db, book, said=None):
        """`said`: the group sizes a previous linker of this archive read from its texts, to reuse."""
        self.book = book
        self.said = dict(said or {})
        self.testimonies = testimony_profiles(db, book, said=self.said)
        self.said = {i: size for i, size in self.said.items() if i in self.testimonies}   # a purged one: gone
        self.incidents, self.sources = incident_profiles(db, book, self.testimonies)
        self.linked = {}
        for incident_id, testimony_ids in self.sources.items():
            for testimony_id in testimony_ids:
                self.linked.setdefault(testimony_id, set()).add(incident_id)
        self.rejected = store_incidents.rejected_pairs(db)
        fitted = store_incidents.linkage_weights(db)   # the archive's own (`archive incidents refit`), if fitted
        self.weights = comparisons.merged(fitted["weights"]) if fitted else comparisons.WEIGHTS
        self.partners = fitted["partners"] if fitted else comparisons.PARTNERS
        self.shares = comparisons.value_shares(self.testimonies.values())   # how common each circumstance is here
        others = [p for t, p in self.testimonies.items() if t not in self.linked]
        self.blocks = Blocks([*self.incidents.values(), *others])

    def candidates(self, testimony_id, limit=SHOWN, threshold=THRESHOLD):
        profile = self.testimonies.get(testimony_id)
        if profile is None:
            return []
        mine = self.linked.get(testimony_id, set())
        met = self._met(profile)
        prior = comparisons.prior(len(met), self.partners)
        found = []
        for other in met:
            if other.kind == "testimony":
                if ("testimony", min(testimony_id, other.id), max(testimony_id, other.id)) in self.rejected:
                    continue
            elif other.id in mine or ("incident", testimony_id, other.id) in self.rejected:
                continue
            known = comparisons.levels(profile, other, self.book, self.weights)
            if "date" in known or "place" in known:
                value = round(comparisons.probability(known, prior, self.weights, self.shares), 3)
                if value >= threshold:
                    found.append((value, other.kind, other.id, known))
        found.sort(key=lambda c: (-c[0], c[1], c[2]))  # words only for those shown
        return [Candidate(kind, id_, value, comparisons.reasons(known, self.book))
                for value, kind, id_, known in (found[:limit] if limit else found)]

    def score(self, testimony_id, other):
        """(score, [reason, …]) of one pair as `candidates` gives it: the probability that the testimony
        and `other` (a profile) tell one event, among the records the testimony meets."""
        profile = self.testimonies[testimony_id]
        known = comparisons.levels(profile, other, self.book, self.weights)
        if "date" not in known and "place" not in known:
            return 0.0, []
        value = comparisons.probability(known, comparisons.prior(len(self._met(profile)), self.partners), self.weights,
                                        self.shares)
        return round(value, 3), comparisons.reasons(known, self.book)

    def _met(self, profile):
        """The records a testimony meets in blocking, itself left out."""
        return [other for other in self.blocks.near(profile) if (other.kind, other.id) != (profile.kind, profile.id)]


KEPT = 4   # archives whose linker is kept at once: a server has one, a test run or a host of archives many
_built = collections.OrderedDict()   # database file -> (what it held, codebook, Linker), the last used last
_building = threading.Lock()


def linker(db, book):
    """The Linker for the archive as it stands. Building one reads every testimony and incident (about a
    second at 10,000), so it is kept, per database file, until a testimony, a code, an incident, a decision
    or the weights change (store_incidents.linkage_state) or the codebook is another. One linker per file,
    whatever its revisions: a new one replaces the old, reusing the group sizes the old read from the texts
    (a text never changes); and at most KEPT files, the one used longest ago let go first."""
    path = store_incidents.database_file(db)
    state = store_incidents.linkage_state(db)
    with _building:  # one build at a time: two requests arriving together build it once
        kept = _built.pop(path, None)
        if kept is None or kept[0] != state or kept[1] is not book:
            kept = (state, book, Linker(db, book, said=kept[2].said if kept else None))
        _built[path] = kept
        while len(_built) > KEPT:
            _built.popitem(last=False)
    return kept[2]


def for_testimony(db, book, testimony_id, user=None):
    """The top candidates of one testimony, described for its incidents page: only testimonies the
    user may open are named (an incident names no witness)."""
    from archive.incidents import pages
    from archive.security import access
    from archive.security.auth import current_user

    user = user or current_user()
    listed = []
    for candidate in linker(db, book).candidates(testimony_id, limit=None):
        if candidate.kind == "incident":
            what = pages.describe(store_incidents.get_incident(db, candidate.id), book)
        else:
            row = store.testimony_with_id(db, candidate.id)
            if not access.may_open(user, row):
                continue
            what = {"reference": row["reference"], "title": row["title"], "language": row["language"]}
        listed.append({"kind": candidate.kind, "id": candidate.id, "score": candidate.score,
                       "reasons": candidate.reasons, "what": what})
        if len(listed) == SHOWN:
            break
    return listed


def decide(db, book, testimony, decision, user, other=None):
    """Record a reviewer's decision; a confirmed pair is linked. Two testimonies confirmed as one event
    are a new incident of both, unless one of them is already the source of an incident: the other then
    joins that incident (a second incident of one event would count it twice). Returns the ids of the
    testimonies whose links changed (to reindex)."""
    linked = linker(db, book)
    target = (linked.incidents.get(decision["incident"]) if decision["incident"] is not None
              else linked.testimonies.get(other["id"]) if other else None)
    if target is None:
        raise errors.NotFound(say("no such candidate"))
    joining = (_incident_to_join(db, testimony, other)
               if decision["incident"] is None and decision["decision"] == "confirmed" else None)
    value, reasons = linked.score(testimony["id"], target)
    actor, reason = user["name"], decision["reason"].strip()
    with write_transaction(db):
        store_incidents.insert_decision(db, testimony["id"], decision["incident"], other and other["id"],
                                        decision["decision"], value, reasons, reason, actor)
        action = "incident_link_confirmed" if decision["decision"] == "confirmed" else "incident_link_rejected"
        audit.record(db, actor, action, testimony["reference"],
                     {"incident": decision["incident"], "testimony": other and other["reference"], "score": value})
        if decision["decision"] == "rejected":
            return []
        if decision["incident"] is not None:
            incidents.link_testimony(db, decision["incident"], testimony, user, reason=reason)
            return [testimony["id"]]
        if joining is not None:
            incident_id, newcomer = joining
            if newcomer is None:  # already sources of one incident together: nothing to link
                return []
            incidents.link_testimony(db, incident_id, newcomer, user, reason=reason)
            return [newcomer["id"]]
        incident_id = incidents.create_incident(db, _incident_of(testimony, book), user, testimony=testimony)
        incidents.link_testimony(db, incident_id, other, user, reason=reason)
        return [testimony["id"], other["id"]]


def _incident_to_join(db, testimony, other):
    """(incident id, the testimony to link to it) when one of a confirmed pair is already a source of an
    incident; (id, None) when both are sources of one; None when neither is. Refused where the archive cannot
    tell which incident the pair shares: one of them a source of several, or each of a different one."""
    of = store_incidents.incidents_of(db, [testimony["id"], other["id"]])
    mine, theirs = set(of.get(testimony["id"], ())), set(of.get(other["id"], ()))
    if mine & theirs:
        return min(mine & theirs), None
    if not mine and not theirs:
        return None
    if mine and theirs:
        raise errors.Refused(say("%(one)s and %(other)s are already sources of different incidents: if they tell "
                                 "one event, link each to the same incident from its incidents page",
                                 one=testimony["reference"], other=other["reference"]))
    source, newcomer, found = (testimony, other, mine) if mine else (other, testimony, theirs)
    if len(found) > 1:
        raise errors.Refused(say("%(reference)s is a source of several incidents: confirm the incident these two "
                                 "testimonies share, from the incidents page", reference=source["reference"]))
    return next(iter(found)), newcomer


def _incident_of(testimony, book):
    """A new incident from a testimony's stated incident, when two testimonies are confirmed as one."""
    return {"title": testimony["title"] or testimony["reference"], "date_text": testimony["incident_date_text"],
            "date_from": testimony["incident_date_from"], "date_to": testimony["incident_date_to"],
            "date_precision": testimony["incident_date_precision"], "place_id": testimony["incident_place_id"],
            "place_text": testimony["incident_place_text"], "people_min": None, "people_max": None,
            "minors": None, "women": None, "note": None, "external_id": None,
            "perpetrators": testimony.get("incident_perpetrators", []),
            "reason": "two testimonies confirmed as telling the same event"}

