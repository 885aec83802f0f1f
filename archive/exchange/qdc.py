"""The codebook as a REFI-QDA codebook file (.qdc), and a foreign one mapped onto ours.

    data = qdc.export_codebook(db, codebook)                 # bytes of a .qdc
    found = qdc.read_codebook(data)                           # [ForeignCode], nested order
    report = qdc.map_codebook(db, codebook, data, actor, decisions={guid: 'abuse_type:beating' or 'refuse'})

Importing a codebook never changes ours: each of its codable codes is matched (archive/exchange/
mapping.py) and the rest are listed for an admin, who maps each onto one of our things or refuses it;
the decisions are kept (exchange_code_map) and audited, and every later import follows them.
"""
from dataclasses import dataclass

from lxml import etree

from archive.custody import audit
from archive.exchange import CODEBOOK_NS, ExchangeRefused, codes, mapping, safe_xml
from archive.i18n import say
from archive.store import exchange as store_exchange
from archive.store.db import write_transaction

MAX_CODES = 20_000


def export_codebook(db, codebook):
    """The .qdc bytes of the whole codebook."""
    guids = codes.ensure_guids(db, codebook)
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": f"testimony-archive (codebook {codebook.version})"},
                         nsmap={None: CODEBOOK_NS})
    root.append(codes.codes_element(CODEBOOK_NS, codebook, guids))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


@dataclass(frozen=True)
class ForeignCode:
    guid: str
    name: str
    codable: bool
    path: str  # its parents' names and its own, 'Violence / Beating'


def read_codebook(data, what=None):
    """The codes of a .qdc's bytes (or of a project's <CodeBook>), parents before children; `what` names
    the file in refusals (default: "the codebook", in the reader's language)."""
    what = what or say("the codebook")
    root = safe_xml.parse(data, what)
    if safe_xml.local(root) == "Project":
        root = safe_xml.child(root, "CodeBook")
        if root is None:
            return []
    if safe_xml.local(root) != "CodeBook":
        raise ExchangeRefused(say("%(what)s is not a REFI-QDA codebook (its root is <%(root)s>)", what=what,
                                  root=safe_xml.local(root)))
    codes_root = safe_xml.child(root, "Codes")
    return [] if codes_root is None else codes_of(codes_root, what)


def codes_of(codes_root, what):
    found = []

    def walk(element, parents):
        for code in safe_xml.children(element, "Code"):
            guid, name = code.get("guid"), code.get("name")
            if not guid or name is None:
                raise ExchangeRefused(say("%(what)s: a <Code> (line %(line)s) has no guid or no name", what=what,
                                          line=code.sourceline))
            if len(found) >= MAX_CODES:
                raise ExchangeRefused(say("%(what)s holds more than %(limit)s codes", what=what,
                                          limit=format(MAX_CODES, ",")))
            path = [*parents, name]
            codable = code.get("isCodable", "true") in ("true", "1")
            found.append(ForeignCode(_guid(guid), name, codable, " / ".join(path)))
            walk(code, path)

    walk(codes_root, [])
    return found


def _guid(value):
    return value.strip().strip("{}").lower()


@dataclass
class MappingReport:
    matched: list      # [(ForeignCode, Match)] mapped onto one of ours
    refused: list      # [(ForeignCode, Match)] an admin refused
    unmapped: list     # [(ForeignCode, Match)] still to decide
    decided: int = 0   # decisions saved now


def map_codebook(db, codebook, data, actor, decisions=None, what=None):
    """Match a foreign codebook's codable codes onto ours; save `decisions` ({guid: choice}, choice as
    mapping.parse_choice reads it) first, in one transaction with their audit entry."""
    foreign = [code for code in read_codebook(data, what) if code.codable]
    decided = save_decisions(db, codebook, foreign, decisions or {}, actor)
    return report_of(db, codebook, foreign, decided)


def save_decisions(db, codebook, foreign, decisions, actor):
    by_guid = {code.guid: code for code in foreign}
    chosen = {}
    for guid, choice in decisions.items():
        code = by_guid.get(_guid(guid))
        if code is None:
            raise ExchangeRefused(say("no code with GUID %(guid)s in the codebook", guid=guid))
        try:
            chosen[code.guid] = (code, *mapping.parse_choice(codebook, choice))
        except ValueError as err:
            raise ExchangeRefused(say("code %(code)s: %(reason)s", code=repr(code.name), reason=err)) from None
    if chosen:
        with write_transaction(db):
            for guid, (code, kind, target) in chosen.items():
                store_exchange.save_code_mapping(db, guid, code.name, kind, target, actor)
            audit.record(db, actor, "codebook_mapped", f"{len(chosen)} foreign code(s)", {
                "mapped": sum(1 for _, kind, _ in chosen.values() if kind),
                "refused": sum(1 for _, kind, _ in chosen.values() if not kind)})
    return len(chosen)


def report_of(db, codebook, foreign, decided=0):
    matches = mapping.Mapper(db, codebook).match_all([(code.guid, code.name) for code in foreign])
    report = MappingReport([], [], [], decided)
    for code, match in zip(foreign, matches):
        (report.matched if match.mapped else report.refused if match.how == "refused" else report.unmapped).append(
            (code, match))
    return report
