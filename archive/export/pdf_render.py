"""One part of the PDF case summary, laid out by WeasyPrint and written to its own file.

Runs in a worker process (pdf.py keeps a pool of them), so that a part's laid-out pages, the
memory WeasyPrint needs, are freed as soon as the part is written. What the join (pdf_join.py)
needs to know about the part comes back as plain data, in PDF points from the bottom left.
"""
from dataclasses import dataclass, field

PX = 0.75  # PDF points per CSS pixel


@dataclass
class Rendered:
    path: str
    pages: int
    anchors: dict = field(default_factory=dict)    # id -> (page index, x, y)
    bookmarks: list = field(default_factory=list)  # (level, label, page index, x, y)
    links: list = field(default_factory=list)      # (page index, target id, (x1, y1, x2, y2))


def render(html_path, pdf_path, stylesheets, base_url, tagged=True):
    """Lay out `html_path` and write it to `pdf_path`; returns Rendered. Links to ids that are in
    other parts are left for the join to make (WeasyPrint would only warn about each)."""
    from weasyprint import CSS, HTML  # heavy import: only in the process that renders

    document = HTML(filename=html_path, base_url=base_url).render(
        stylesheets=[CSS(filename=str(path)) for path in stylesheets])
    rendered = Rendered(pdf_path, len(document.pages))
    own = {name for page in document.pages for name in page.anchors}
    for number, page in enumerate(document.pages):
        height = page.height * PX

        def point(x, y):
            return round(x * PX, 2), round(height - y * PX, 2)

        for name, (x1, y1, _, _) in page.anchors.items():  # an element split over pages: where it starts
            rendered.anchors.setdefault(name, (number, *point(x1, y1)))
        for level, label, (x, y), _ in page.bookmarks:
            rendered.bookmarks.append((level, label, number, *point(x, y)))
        elsewhere = {}  # target -> the rectangle around every box of its link on this page
        for kind, target, (x1, y1, x2, y2), _ in page.links:
            if kind == "internal" and target not in own:
                left, bottom, right, top = elsewhere.get(target, (x1, y2, x2, y1))
                elsewhere[target] = (min(left, x1), max(bottom, y2), max(right, x2), min(top, y1))
        rendered.links += [(number, target, (*point(left, bottom), *point(right, top)))
                           for target, (left, bottom, right, top) in elsewhere.items()]
        page.links = [link for link in page.links if link[1] not in elsewhere]  # WeasyPrint could not
    document.write_pdf(pdf_path, pdf_tags=tagged)  # tagged: screen readers can follow it
    return rendered
