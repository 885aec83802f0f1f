"""A .qdpx read into plain data: its users, codes, variables, notes and text sources with their
selections. Nothing here touches the archive; `qdpx_import` decides what becomes of each part.

Read as programs write it: the project file at the package's top, sources as PlainTextContent or as
files named by `plainTextPath` (`internal://` under `Sources/` or `sources/`, or `relative://`),
variables on a source or on a Case naming it. Sources other than text (PDF, pictures, audio,
video) are counted and left out.
"""
from dataclasses import dataclass, field

from archive.exchange import ExchangeRefused, package, positions, qdc, safe_xml
from archive.i18n import say

MAX_SOURCES = 5_000
MAX_SELECTIONS = 200_000
OTHER_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")


@dataclass
class Selection:
    guid: str
    name: str | None
    start: int
    end: int
    description: str | None
    coder: str | None          # a User's GUID
    codes: list                # code GUIDs
    notes: list                # note GUIDs


@dataclass
class Source:
    guid: str
    name: str
    description: str | None
    text: str                  # as written, without a byte-order mark
    selections: list
    codes: list                # code GUIDs coding the whole source
    variables: dict = field(default_factory=dict)  # variable name -> value as text


@dataclass
class Project:
    name: str
    users: dict                # GUID -> name
    codes: list                # [qdc.ForeignCode]
    notes: dict                # GUID -> text
    sources: list
    other_sources: int = 0


def read(path):
    """The Project in the .qdpx at `path`. Raises ExchangeRefused."""
    held = package.Package(path)
    try:
        name, data = held.project_xml()
        root = safe_xml.parse(data, name)
        if safe_xml.local(root) != "Project":
            raise ExchangeRefused(say("%(name)s is not a REFI-QDA project (its root is <%(root)s>)", name=name,
                                      root=safe_xml.local(root)))
        return _project(root, held, name)
    finally:
        held.close()


def _project(root, held, name):
    users = {_guid(u.get("guid")): u.get("name") or u.get("id") or "unnamed"
             for u in _under(root, "Users", "User")}
    codebook = safe_xml.child(root, "CodeBook")
    codes_root = safe_xml.child(codebook, "Codes") if codebook is not None else None
    codes = qdc.codes_of(codes_root, name) if codes_root is not None else []
    variables = {_guid(v.get("guid")): v.get("name") for v in _under(root, "Variables", "Variable")}
    notes = {_guid(n.get("guid")): (safe_xml.text_of(n, "PlainTextContent") or "")
             for n in _under(root, "Notes", "Note")}
    sources_root = safe_xml.child(root, "Sources")
    elements = list(sources_root) if sources_root is not None else []
    texts = [e for e in elements if safe_xml.local(e) == "TextSource"]
    if len(texts) > MAX_SOURCES:
        raise ExchangeRefused(say("the project holds %(count)s text sources; the limit is %(limit)s",
                                  count=format(len(texts), ","), limit=format(MAX_SOURCES, ",")))
    sources = [_source(e, held, variables) for e in texts]
    if sum(len(s.selections) for s in sources) > MAX_SELECTIONS:
        raise ExchangeRefused(say("the project holds more than %(limit)s selections",
                                  limit=format(MAX_SELECTIONS, ",")))
    _case_variables(root, sources, variables)
    other = sum(1 for e in elements if safe_xml.local(e) in OTHER_SOURCES)
    return Project(root.get("name") or "", users, codes, notes, sources, other)


def _under(root, group, name):
    found = safe_xml.child(root, group)
    return [] if found is None else safe_xml.children(found, name)


def _source(element, held, variables):
    guid, name = _guid(element.get("guid")), element.get("name") or "unnamed source"
    said = repr(name)  # the source as refusals name it: 'Interview 3'
    content, path = safe_xml.text_of(element, "PlainTextContent"), element.get("plainTextPath")
    if content is None and path:
        data = held.source(path)
        if data is None:
            raise ExchangeRefused(say("source %(source)s: its text %(path)s is not in the project file",
                                      source=said, path=repr(path)))
        content = positions.decode_source(data)
        if content is None:
            raise ExchangeRefused(say("source %(source)s: its text %(path)s is not UTF-8", source=said,
                                      path=repr(path)))
    if content is None:
        raise ExchangeRefused(say("source %(source)s has no text (neither PlainTextContent nor plainTextPath)",
                                  source=said))
    content = content[1:] if content.startswith(positions.BOM) else content
    selections = [_selection(s, said) for s in safe_xml.children(element, "PlainTextSelection")]
    return Source(guid, name, safe_xml.text_of(element, "Description"), content, selections,
                  _code_refs(element), _values(element, variables))


def _selection(element, said):
    guid = _guid(element.get("guid"))
    try:
        start, end = int(element.get("startPosition")), int(element.get("endPosition"))
    except (TypeError, ValueError):
        raise ExchangeRefused(say("source %(source)s, selection %(selection)s: startPosition and endPosition must "
                                  "be whole numbers", source=said, selection=guid)) from None
    coder = element.get("creatingUser")
    codings = safe_xml.children(element, "Coding")
    if coder is None and codings:
        coder = codings[0].get("creatingUser")
    return Selection(guid, element.get("name"), start, end, safe_xml.text_of(element, "Description"),
                     _guid(coder) if coder else None, _code_refs(element),
                     [_guid(n.get("targetGUID")) for n in safe_xml.children(element, "NoteRef")])


def _code_refs(element):
    refs = []
    for coding in safe_xml.children(element, "Coding"):
        ref = safe_xml.child(coding, "CodeRef")
        if ref is not None and ref.get("targetGUID"):
            refs.append(_guid(ref.get("targetGUID")))
    return refs


def _values(element, variables):
    found = {}
    for value in safe_xml.children(element, "VariableValue"):
        ref = safe_xml.child(value, "VariableRef")
        name = variables.get(_guid(ref.get("targetGUID"))) if ref is not None else None
        held = [child for child in value if safe_xml.local(child) != "VariableRef"]
        if name and held and held[0].text is not None:
            found[name] = held[0].text.strip()
    return found


def _case_variables(root, sources, variables):
    """A Case's variables apply to the sources it names (as QualCoder writes attributes)."""
    by_guid = {source.guid: source for source in sources}
    for case in _under(root, "Cases", "Case"):
        values = _values(case, variables)
        for ref in safe_xml.children(case, "SourceRef"):
            source = by_guid.get(_guid(ref.get("targetGUID")))
            if source is not None:
                source.variables = {**values, **source.variables}


def _guid(value):
    return (value or "").strip().strip("{}").lower()
