"""The words a person reads for a stored value: a witness's gender, a consent, a confidentiality
level, a coding status, yes and no. The values stay as stored (and as import files write them); the
intake form's options and the search facets show these words, in the reader's language."""
import pycountry

from archive.i18n import N_, country_name, language_name, say

WORDS = {
    "male": N_("Male"), "female": N_("Female"), "other": N_("Other"), "unknown": N_("Unknown"),
    "internal": N_("Internal"), "legal": N_("Legal"), "publication": N_("Publication"), "withdrawn": N_("Withdrawn"),
    "public": N_("Public"), "restricted": N_("Restricted"), "confidential": N_("Confidential"),
    "new": N_("New"), "in_progress": N_("In progress"), "coded": N_("Coded"), "reviewed": N_("Reviewed"),
    "yes": N_("Yes"), "no": N_("No"), "linked": N_("Linked"), "not_linked": N_("Not yet linked"),
}


def word(value):
    """`value` as a person reads it, in the interface's language; an unknown value as it is, readable."""
    return say(WORDS[value]) if value in WORDS else value.replace("_", " ").capitalize()


def options(values):
    """[(value, word)] for a form's <select>."""
    return [(value, word(value)) for value in values]


def country(code):
    """A country's code ('SY') as the reader's language names it ('Syria', 'Сирия'); else as it is."""
    found = pycountry.countries.get(alpha_2=code) if isinstance(code, str) and len(code) == 2 else None
    return country_name(found.alpha_2, getattr(found, "common_name", None) or found.name) if found else code


def language(code):
    """A language's code ('pl') as the reader's language names it ('Polish', 'polski'); else as it is."""
    found = pycountry.languages.get(alpha_2=code) if isinstance(code, str) and len(code) == 2 else None
    return language_name(found.alpha_2, found.name) if found else code


def init_app(app):
    app.add_template_filter(word, "value_word")
    app.add_template_filter(country, "country")
    app.add_template_filter(language, "language")
