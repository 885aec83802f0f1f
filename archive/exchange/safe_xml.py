"""XML from other programs, parsed so that it cannot reach the network, expand entities or grow
without bound: no DTD at all (a document declaring one is refused, which stops billion laughs and
external entities before libxml2 sees them), lxml's own limits on (huge_tree off), and a cap on
every attribute's length."""
import re

from lxml import etree

from archive.exchange import ExchangeRefused
from archive.i18n import say

MAX_ATTRIBUTE_CHARS = 100_000  # a selection's name quotes its passage; longer is not a name
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_pis=True, collect_ids=False)


def parse(data, what):
    """The root element of `data` (bytes); `what` names the file in messages ("project.qde")."""
    if _DOCTYPE.search(data[:1 << 20]) or b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        raise ExchangeRefused(say("%(what)s declares a DTD or entities, which REFI-QDA files never need: refused "
                                  "(entities can expand without bound or read other files)", what=what))
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as err:
        raise ExchangeRefused(say("%(what)s is not well-formed XML: %(error)s", what=what, error=_said(err))) from None
    for element in root.iter():
        for name, value in element.attrib.items():
            if len(value) > MAX_ATTRIBUTE_CHARS:
                raise ExchangeRefused(say(
                    "%(what)s: attribute %(attribute)s of %(element)s (line %(line)s) is %(length)s characters long; "
                    "the limit is %(limit)s", what=what, attribute=etree.QName(name).localname,
                    element=etree.QName(element).localname, line=element.sourceline, length=format(len(value), ","),
                    limit=format(MAX_ATTRIBUTE_CHARS, ",")))
    return root


def _said(err):
    """lxml's message without the document's text (it may quote a statement)."""
    line = getattr(err, "lineno", None)
    message = str(getattr(err, "msg", "") or err).split(",")[0][:120]
    return say("%(error)s (line %(line)s)", error=message, line=line) if line else message


def local(element):
    """An element's name without its namespace ('TextSource')."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def children(element, name):
    return [child for child in element if local(child) == name]


def child(element, name):
    found = children(element, name)
    return found[0] if found else None


def text_of(element, name):
    found = child(element, name)
    return None if found is None else (found.text or "")
