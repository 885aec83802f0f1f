"""The Whoosh schema: one document per testimony.

Text fields are for matching and ranking; the statement itself is not stored in the index
(SQLite has it, and snippets are cut from there). Every statement is in `text` as written
(folded), and in the field of its language (`text_pl`, `text_ru`…) analysed with that language's
morphology; `concepts` holds the codebook concepts recognised in its words when it was indexed, and
`named` the perpetrators its words name.
Keyword fields hold codebook ids and other facet values, space-separated, exactly as the facets
and filters use them. Each text field has a twin holding its word pairs (`text_pairs`: `military truck`
as one term), from which phrases are answered without walking positions (search_index.vectorised).
"""
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Existence

from search_index import analysis

FACETS = (
    "abuse_type", "perpetrator", "place", "country", "year", "month", "legal",
    "nationality", "gender", "minor", "language", "confidentiality", "consent", "status",
    "incident",  # linked to an incident record (archive/incidents/) or not yet
)
# Searched by plain words, with a boost for where a match says most; and each language's field.
TEXT_FIELDS = {"title": 2.0, "text": 1.0, "places": 1.5, "codes": 1.2}
LANGUAGE_BOOST = 0.8  # an inflection matched counts a little less than the word as typed
LANGUAGE_FIELDS = {analysis.field_of(code): code for code in analysis.LANGUAGES}
PAIR_SEPARATOR = analysis.PAIR_SEPARATOR


# How each text field is analysed (search_index.analysis.by_name): its words, and the pairs of its twin.
ANALYZERS = {"title": analysis.FOLDED, "text": analysis.FOLDED, "places": analysis.FOLDED, "codes": "en",
             **LANGUAGE_FIELDS}


def pairs_of(fieldname):
    """The field that holds `fieldname`'s word pairs."""
    return f"{fieldname}_pairs"


def _pairs():
    """A twin field: one term for each two words in a row of its field (made when the document is,
    search_index.analysis.pairs_text), and nothing else kept (which documents have it: no frequency, no
    positions, no length, so scores are untouched)."""
    field = TEXT(analyzer=analysis.pair_lines(), phrase=False)
    field.format, field.scorable = Existence(), False
    return field


def build():
    """A fresh Schema. Whoosh pickles it into the index, so analyzers must stay importable."""
    facet = dict(stored=True, scorable=False, lowercase=False, commas=False)
    texts = {name: analysis.by_name(how) for name, how in ANALYZERS.items()}
    return Schema(
        id=ID(stored=True, unique=True),
        reference=ID(stored=True),
        revision=STORED(),
        title=TEXT(analyzer=texts["title"], stored=True),
        text=TEXT(analyzer=texts["text"], phrase=True),
        places=TEXT(analyzer=texts["places"]),  # coded places, in every spelling of the gazetteer
        codes=TEXT(analyzer=texts["codes"]),  # coded abuse types: labels and terms in all languages
        concepts=KEYWORD(scorable=True, lowercase=False, commas=False),  # 'place:kuznica abuse_type:beating'
        named=KEYWORD(scorable=True, lowercase=False, commas=False),  # 'perpetrator:PL perpetrator:pl_army'
        incident_start=ID(stored=True, sortable=True),  # earliest incident day (ISO), to sort by date
        incidents=STORED(),  # "start/end" day bounds of every coded incident, for date-range filters
        **{name: TEXT(analyzer=texts[name], phrase=True) for name in LANGUAGE_FIELDS},
        **{pairs_of(name): _pairs() for name in texts},
        **{name: KEYWORD(**facet) for name in FACETS},
    )


def outdated(built):
    """The fields in which an index's schema `built` differs from this version's (added, removed,
    or analysed another way): an index that differs must be rebuilt (`archive reindex`)."""
    expected = build()
    return sorted(name for name in set(expected.names()) | set(built.names())
                  if name not in built or name not in expected or type(built[name]) is not type(expected[name])
                  or getattr(built[name], "analyzer", None) != getattr(expected[name], "analyzer", None))
