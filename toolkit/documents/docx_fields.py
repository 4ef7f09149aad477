"""Small python-docx helpers for what it has no API for: fields (PAGE, NUMPAGES, PAGEREF),
bookmarks, and asking Word to update fields when the document opens."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def add_field(paragraph, instruction: str, cached: str = "1"):
    def fld(kind):
        r = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)
        return r

    fld("begin")
    r = paragraph.add_run()
    t = OxmlElement("w:instrText")
    t.set(qn("xml:space"), "preserve")
    t.text = f" {instruction} "
    r._r.append(t)
    fld("separate")
    paragraph.add_run(cached)
    fld("end")


def add_bookmark(paragraph, name: str, bid: int):
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bid))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bid))
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


def update_fields_on_open(document):
    settings = document.settings.element
    el = settings.find(qn("w:updateFields"))
    if el is None:
        el = OxmlElement("w:updateFields")
        settings.append(el)
    el.set(qn("w:val"), "true")
