"""The Whoosh schema: one document per testimony.

Text fields are for matching and ranking; the statement itself is not stored in the index
(SQLite has it, and snippets are cut from there). Keyword fields hold codebook ids and
other facet values, space-separated, exactly as the facets and filters use them.
"""
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from search_index import analysis

FACETS = (
    "abuse_type", "perpetrator", "place", "country", "year", "month", "legal",
    "nationality", "gender", "minor", "language", "confidentiality", "consent", "status",
    "incident",  # linked to an incident record (archive/incidents/) or not yet
)
# Searched by plain words, with a boost for where a match says most.
TEXT_FIELDS = {"title": 2.0, "text": 1.0, "text_en": 0.8, "places": 1.5, "codes": 1.2}


def build():
    """A fresh Schema. Whoosh pickles it into the index, so analyzers must stay importable."""
    facet = dict(stored=True, scorable=False, lowercase=False, commas=False)
    return Schema(
        id=ID(stored=True, unique=True),
        reference=ID(stored=True),
        revision=STORED(),
        title=TEXT(analyzer=analysis.folded(), stored=True),
        text=TEXT(analyzer=analysis.folded(), phrase=True),
        text_en=TEXT(analyzer=analysis.english(), phrase=True),
        places=TEXT(analyzer=analysis.folded()),  # coded places, in every spelling of the gazetteer
        codes=TEXT(analyzer=analysis.english()),  # coded abuse types: labels and terms in all languages
        incident_start=ID(stored=True, sortable=True),  # earliest incident day (ISO), to sort by date
        incidents=STORED(),  # "start/end" day bounds of every coded incident, for date-range filters
        **{name: KEYWORD(**facet) for name in FACETS},
    )
