"""Reading produced PDFs back with a real parser (pypdf)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader

# WeasyPrint draws an embedded SVG as vector paths in the page's content stream, so a chart
# shows up as many line-to operators (and its labels as text); a missing chart leaves few.
LINE_TO = re.compile(rb"(?<![\w.])l(?![\w])")


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
        segments.append(len(LINE_TO.findall(contents.get_data())) if contents is not None else 0)
    title = reader.metadata.title if reader.metadata else None
    return PdfFacts(len(reader.pages), "\n".join(texts), texts, segments, title)
