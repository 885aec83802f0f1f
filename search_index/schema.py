"""The Whoosh schema: one document per testimony.

Text fields are for matching and ranking; the statement itself is not stored in the index
(SQLite has it, and snippets are cut from there). Every statement is in `text` as written
(folded), and in the field of its language (`text_pl`, `text_ru`…) analysed with that language's
morphology; `concepts` holds the codebook concepts recognised in its words when it was indexed.
Keyword fields hold codebook ids and other facet values, space-separated, exactly as the facets
and filters use them.
"""
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

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


def build():
    """A fresh Schema. Whoosh pickles it into the index, so analyzers must stay importable."""
    facet = dict(stored=True, scorable=False, lowercase=False, commas=False)
    return Schema(
        id=ID(stored=True, unique=True),
        reference=ID(stored=True),
        revision=STORED(),
        title=TEXT(analyzer=analysis.folded(), stored=True),
        text=TEXT(analyzer=analysis.folded(), phrase=True),
        places=TEXT(analyzer=analysis.folded()),  # coded places, in every spelling of the gazetteer
        codes=TEXT(analyzer=analysis.english()),  # coded abuse types: labels and terms in all languages
        concepts=KEYWORD(scorable=True, lowercase=False, commas=False),  # 'place:kuznica abuse_type:beating'
        incident_start=ID(stored=True, sortable=True),  # earliest incident day (ISO), to sort by date
        incidents=STORED(),  # "start/end" day bounds of every coded incident, for date-range filters
        **{name: TEXT(analyzer=analysis.language(code), phrase=True) for name, code in LANGUAGE_FIELDS.items()},
        **{name: KEYWORD(**facet) for name in FACETS},
    )


def outdated(built):
    """The fields in which an index's schema `built` differs from this version's (added, removed,
    or analysed another way): an index that differs must be rebuilt (`archive reindex`)."""
    expected = build()
    return sorted(name for name in set(expected.names()) | set(built.names())
                  if name not in built or name not in expected or type(built[name]) is not type(expected[name])
                  or getattr(built[name], "analyzer", None) != getattr(expected[name], "analyzer", None))
