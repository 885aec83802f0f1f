"""REFI-QDA files built by hand, shaped as other programs write them (QualCoder: `Sources/<guid>.txt` and
`internal://`; others `sources/`, `relative://`, text inside the XML, CRLF line ends, a byte-order mark),
for the import's tests and the browser journey. Positions are counted as the REFI-QDA standard counts
them: Unicode code points of the source's text as written (CRLF two, the BOM none)."""
import uuid
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


def guid():
    return str(uuid.uuid4())


@dataclass
class Code:
    name: str
    guid: str = field(default_factory=guid)
    children: list = field(default_factory=list)
    codable: bool = True


@dataclass
class Selection:
    phrase: str              # found in the source's text as written; its positions computed from it
    codes: list              # Code
    name: str | None = None  # the quoted text, if not the phrase itself ("" to leave it out)
    start: int | None = None  # given positions instead of finding the phrase
    end: int | None = None
    note: str | None = None
    description: str | None = None
    guid: str = field(default_factory=guid)


@dataclass
class Source:
    name: str
    text: str
    selections: list = field(default_factory=list)
    variables: dict = field(default_factory=dict)
    guid: str = field(default_factory=guid)


def positions(text, phrase):
    start = text.index(phrase)
    return start, start + len(phrase)


def code_xml(codes):
    def one(code):
        inner = "".join(one(child) for child in code.children)
        return (f'<Code guid="{code.guid}" name={quoteattr(code.name)} isCodable="{str(code.codable).lower()}">'
                f"{inner}</Code>")
    return "<Codes>" + "".join(one(code) for code in codes) + "</Codes>"


def project_xml(sources, codes, user="Maria QualCoder", embed=False, path_style="internal", folder="Sources",
                variables_on="source"):
    user_guid = guid()
    names = sorted({name for source in sources for name in source.variables})
    variables = {name: guid() for name in names}
    notes, parts, cases = [], [], []
    for source in sources:
        body = []
        if embed:
            # as XML serialisers write it: a CR escaped, or the parser would make CRLF a LF
            body.append(f"<PlainTextContent>{escape(source.text, {chr(13): '&#13;'})}</PlainTextContent>")
        for selection in source.selections:
            start, end = ((selection.start, selection.end) if selection.start is not None
                          else positions(source.text.lstrip("\ufeff"), selection.phrase))
            name = selection.phrase if selection.name is None else selection.name
            named = f" name={quoteattr(name)}" if name != "" else ""
            inner = f"<Description>{escape(selection.description)}</Description>" if selection.description else ""
            inner += "".join(f'<Coding guid="{guid()}" creatingUser="{user_guid}">'
                             f'<CodeRef targetGUID="{c.guid}"/></Coding>' for c in selection.codes)
            if selection.note:
                note_guid = guid()
                inner += f'<NoteRef targetGUID="{note_guid}"/>'
                notes.append(f'<Note guid="{note_guid}" name="memo"><PlainTextContent>{escape(selection.note)}'
                             "</PlainTextContent></Note>")
            body.append(f'<PlainTextSelection guid="{selection.guid}"{named} startPosition="{start}" '
                        f'endPosition="{end}" creatingUser="{user_guid}">{inner}</PlainTextSelection>')
        values = "".join(f'<VariableValue><VariableRef targetGUID="{variables[n]}"/><TextValue>{escape(v)}</TextValue>'
                         "</VariableValue>" for n, v in source.variables.items())
        if variables_on == "source":
            body.append(values)
        elif values:
            cases.append(f'<Case guid="{guid()}" name="case">{values}<SourceRef targetGUID="{source.guid}"/></Case>')
        path = "" if embed else (f' plainTextPath="internal://{source.guid}.txt"' if path_style == "internal"
                                 else f' plainTextPath="relative://{folder}/{source.guid}.txt"')
        parts.append(f'<TextSource guid="{source.guid}" name={quoteattr(source.name)}{path}>'
                     f'{"".join(body)}</TextSource>')
    declared = "".join(f'<Variable guid="{g}" name={quoteattr(n)} typeOfVariable="Text"/>'
                       for n, g in variables.items())
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{PROJECT_NS}" name="Border interviews" '
            f'origin="QualCoder 3.5"><Users><User guid="{user_guid}" name={quoteattr(user)}/></Users>'
            f"<CodeBook>{code_xml(codes)}</CodeBook>"
            + (f"<Variables>{declared}</Variables>" if declared else "")
            + (f"<Cases>{''.join(cases)}</Cases>" if cases else "")
            + f"<Sources>{''.join(parts)}</Sources>"
            + (f"<Notes>{''.join(notes)}</Notes>" if notes else "") + "</Project>")


def write_project(path, sources, codes, folder="Sources", embed=False, xml=None, extra=(), **options):
    """A .qdpx at `path`; `extra`: more (name, bytes) members, such as hostile ones."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("project.qde", xml if xml is not None else
                         project_xml(sources, codes, embed=embed, folder=folder, **options))
        if not embed:
            for source in sources:
                package.writestr(f"{folder}/{source.guid}.txt", source.text.encode("utf-8"))
        for name, data in extra:
            package.writestr(name, data)
    return path


def codebook_xml(codes):
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="{CODEBOOK_NS}" origin="Taguette">'
            f"{code_xml(codes)}</CodeBook>")
