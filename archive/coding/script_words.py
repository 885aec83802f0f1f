"""What the coding page's script (archive/static/coding.js) says, in the interface's language.

The script cannot read the catalogues, so the page carries these sentences translated, as a JSON
data block (`<script type="application/json" id="coding-words">`, never run, so the page's
Content-Security-Policy allows it); the script looks each English sentence up there, and fills its
%(name)s placeholders itself. `N_` only marks a sentence for `pybabel extract`.
"""
from flask_babel import gettext

from archive.i18n import N_

SENTENCES = (
    N_("This statement did not load intact; reload the page before coding."),
    N_("characters %(start)s–%(end)s"),
    N_("Edit code"),
    N_("New code"),
    N_("Save changes"),
    N_("Save code"),
    N_("The archive could not be reached; nothing was stored. Try again."),
    N_("Not stored (%(status)s)."),
    N_("Best matches first"),
    N_("none yet"),
    N_("2021, 2021-11 or 2021-11-08; ~ for approximate."),
    N_("Not a date yet: write YYYY, YYYY-MM or YYYY-MM-DD (~ if approximate)."),
    N_("Precision: range (%(first)s to %(last)s)."),
    N_("Precision: %(precision)s."),
    N_("approximate (± 7 days)"),
    N_("approximate month (± 7 days)"),
    N_("approximate year (± 7 days)"),
    N_("day"),
    N_("month"),
    N_("year"),
    N_("“%(words)s” is not in the statement."),
    N_("Found at character %(at)s. Press “Code selection” to code it."),
    N_("Select a passage first: with the mouse, or type its words in “Find a passage”."),
    N_("New code, from a suggestion"),
    N_("From a suggestion: check each field (add the perpetrators if the sentence does not name them), then press "
       "“Save code”."),
    N_("This code has no passage yet: select its passage, then edit it."),
    N_("Saved."),
)


def translated():
    """{English sentence: the same in this request's language}, for the page's data block."""
    return {sentence: gettext(sentence) for sentence in SENTENCES}
