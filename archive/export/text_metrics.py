"""How wide a chart's label is, in px, so that labels can be kept apart without a browser.

The charts ask for DejaVu Sans (then Verdana, about as wide): its advance widths are read from the font
file when it is installed (Debian's fonts-dejavu-core, which the PDF export needs anyway), else a
character counts as FALLBACK_EM, the widest average of any place name of the gazetteer in that
font (0.63 em), so that an estimate errs towards room to spare.
"""
import functools
import math
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FALLBACK_EM = 0.64
ASCENT, DESCENT = 0.928, 0.236   # DejaVu Sans's, in ems: the line box a label's text fills


@functools.lru_cache(maxsize=1)
def _advances():
    """{code point: advance in ems}, or None without the font."""
    try:
        from fontTools.ttLib import TTFont  # WeasyPrint's own dependency

        font = TTFont(str(FONT), lazy=True)
    except (ImportError, OSError):
        return None
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"]
    return {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()}


def extent(size):
    """(px above the baseline, px below it) of a line of text at `size` px. Chromium rounds each up
    to a whole pixel, so do we: two labels that do not touch here do not touch on the screen."""
    return math.ceil(ASCENT * size), math.ceil(DESCENT * size)


def width(text, size, letter_spacing=0.0):
    """The width of `text` at `size` px, `letter_spacing` px added after each character."""
    advances = _advances()
    if advances is None:
        ems = len(text) * FALLBACK_EM
    else:
        ems = sum(advances.get(ord(character), FALLBACK_EM) for character in text)
    return ems * size + letter_spacing * len(text)
