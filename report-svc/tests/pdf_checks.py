"""Reading produced PDFs back with a real parser (pypdf)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

# A report's charts are vector PDF drawn on the page as form XObjects (rendering/placement.py),
# so a chart shows up as many line-to operators in what the page draws (and its labels as
# text); a missing chart leaves few.
LINE_TO = re.compile(rb"(?<![\w.])l(?![\w])")
DRAW_XOBJECT = re.compile(rb"(/[^\s/\[\]()<>{}%]+)\s+Do(?![\w])")


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    text: str
    page_texts: list[str]
    line_segments: list[int]
    title: str | None


def read_pdf(content: bytes) -> PdfFacts:
    reader = PdfReader(io.BytesIO(content))
    texts = [page.extract_text() or "" for page in reader.pages]
    segments = []
    for page in reader.pages:
        contents = page.get_contents()
        drawn = contents.get_data() if contents is not None else b""
        segments.append(_line_segments(drawn, page.get("/Resources"), set()))
    title = reader.metadata.title if reader.metadata else None
    return PdfFacts(len(reader.pages), "\n".join(texts), texts, segments, title)


def _line_segments(drawn: bytes, resources: Any, seen: set[int]) -> int:
    """Line-to operators in a content stream and in the form XObjects it draws (``Do``),
    each form counted once per page."""
    count = len(LINE_TO.findall(drawn))
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return count
    xobjects = xobjects.get_object()
    for name in set(DRAW_XOBJECT.findall(drawn)):
        form = xobjects.get(name.decode("latin-1"))
        if form is None or id(form.get_object()) in seen:
            continue
        form = form.get_object()
        seen.add(id(form))
        if form.get("/Subtype") == "/Form":
            count += _line_segments(form.get_data(), form.get("/Resources"), seen)
    return count
