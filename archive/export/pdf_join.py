"""The parts of the PDF case summary joined into one file with pikepdf (qpdf).

Each part is a complete PDF from WeasyPrint (pdf_render.py). Joined, they keep what one
WeasyPrint document would have had: the pages in order; one tag tree, each part's tree under the
document's, so that screen readers still follow it; one outline; the contents' links to pages in
other parts; and the page furniture (running title, "Page x of y"), which no part can know, drawn
from a furniture document of as many pages onto every page, marked as an artifact. qpdf copies
objects without Python holding them, and writes them in compressed object streams.
"""
import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem


def join(parts, furniture, out_path, metadata, lang="en"):
    """Write `parts` (pdf_render.Rendered, in order) as one PDF at `out_path`, with the pages of the
    `furniture` PDF drawn on them. `metadata`: {"/Title": …, "/Author": …}. Returns the page count."""
    with pikepdf.new() as joined:
        tree = _TagTree(joined)
        firsts, anchors, taken = [], {}, 0
        for part in parts:
            with pikepdf.open(part.path) as source:
                firsts.append(len(joined.pages))
                joined.pages.extend(source.pages)
                tree.adopt(source, joined.pages[firsts[-1]:])
                taken = _take_streams(joined, taken)
            for name, (page, x, y) in part.anchors.items():
                anchors[name] = (firsts[-1] + page, x, y)
        _outline(joined, [(level, label, first + page, x, y)
                          for part, first in zip(parts, firsts) for level, label, page, x, y in part.bookmarks])
        for number, (part, first) in enumerate(zip(parts, firsts)):
            for page, target, rect in part.links:
                if target in anchors:
                    tree.tag(number, _link(joined, joined.pages[first + page], rect, *anchors[target]))
        with pikepdf.open(furniture) as sheets:
            _draw_furniture(joined, sheets)
            _take_streams(joined, taken)
        joined.docinfo.update({Name(key): value for key, value in metadata.items()})
        joined.Root.Lang = lang
        joined.Root.MarkInfo = Dictionary(Marked=True)
        joined.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        joined.Root.PageMode = Name.UseOutlines
        joined.save(out_path, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return len(joined.pages)


def _take_streams(pdf, start):
    """Hold the data of the streams copied in since object `start`, so that their source can be
    closed: qpdf would read them from it when saving, and keeping every part open costs more memory
    than the joined document's own objects. Returns where the next call starts (qpdf numbers new
    objects upwards)."""
    objects = pdf.objects
    for number in range(start, len(objects)):
        stream = objects[number]
        if isinstance(stream, pikepdf.Stream):
            stream.write(stream.read_raw_bytes(), filter=stream.get("/Filter"), decode_parms=stream.get("/DecodeParms"))
    return len(objects)


class _TagTree:
    """One structure tree: Document, then each part's tree as a Part, and one parent tree mapping
    each page's marked content (and each annotation) to its elements, renumbered across parts."""

    def __init__(self, pdf):
        self.pdf = pdf
        self.nums = Array()
        root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, ParentTree=pdf.make_indirect(
            Dictionary(Nums=self.nums))))
        self.document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array()))
        root.K = Array([self.document])
        pdf.Root.StructTreeRoot = root
        self.nums = root.ParentTree.Nums  # the array as the document holds it
        self.parts = []

    def adopt(self, source, pages):
        """Add the tree of `source` (a part), whose pages have just been copied as `pages`."""
        if "/StructTreeRoot" not in source.Root:
            return
        tree = source.Root.StructTreeRoot
        part = tree.K[0]
        del part.P  # so that copying does not climb to the part's own root
        adopted = self.pdf.copy_foreign(part)  # pages already copied: /Pg refers to the joined pages
        adopted.S = Name.Part
        adopted.P = self.document
        self.document.K.append(adopted)
        self.parts.append(adopted)
        keys = {}
        nums = tree.ParentTree.Nums
        for index in range(0, len(nums), 2):
            keys[int(nums[index])] = len(self.nums) // 2
            self.nums.append(keys[int(nums[index])])
            elements = nums[index + 1]  # a page's array of elements, or an annotation's element
            self.nums.append(Array([self.pdf.copy_foreign(e) for e in elements]) if isinstance(elements, Array)
                             else self.pdf.copy_foreign(elements))
        for number, page in enumerate(pages):
            page.obj.StructParents = keys[number]
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = keys[int(annotation.StructParent)]

    def tag(self, part, annotation):
        """Put a link the join made in the tree, as a Link of part number `part`: a tagged PDF
        leaves no annotation out of its structure."""
        page = annotation.P
        element = self.pdf.make_indirect(Dictionary(
            Type=Name.StructElem, S=Name.Link, P=self.parts[part], Pg=page,
            K=Array([Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page)])))
        self.parts[part].K.append(element)
        annotation.StructParent = len(self.nums) // 2
        self.nums.append(annotation.StructParent)
        self.nums.append(element)


def _outline(pdf, bookmarks):
    """Bookmarks (level, label, page, x, y) in document order, nested by level."""
    with pdf.open_outline() as outline:
        branch = []  # (level, item) from the top to the latest item
        for level, label, page, x, y in bookmarks:
            while branch and branch[-1][0] >= level:
                branch.pop()
            item = OutlineItem(label, page, "XYZ", left=x, top=y)
            (branch[-1][1].children if branch else outline.root).append(item)
            branch.append((level, item))


def _link(pdf, page, rect, to, x, y):
    link = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array(rect), Border=Array([0, 0, 0]), P=page.obj,
        Contents=pikepdf.String(f"Go to page {to + 1}"), Dest=Array([pdf.pages[to].obj, Name.XYZ, x, y, 0])))
    if "/Annots" not in page.obj:
        page.obj.Annots = Array()
    page.obj.Annots.append(link)
    return link


def _draw_furniture(pdf, sheets):
    """Draw sheet n on page n as a form XObject, an artifact, in default coordinates (the page's
    own drawing is wrapped in q … Q)."""
    for page, sheet in zip(pdf.pages, sheets.pages):
        form = pdf.copy_foreign(sheet.as_form_xobject())
        name = page.add_resource(form, Name.XObject, prefix="Furniture")
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n/Artifact BMC\n" + bytes(name) + b" Do\nEMC\n")
