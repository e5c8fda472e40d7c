"""Charts placed into a laid-out report as vector PDF, without WeasyPrint's SVG engine.

WeasyPrint lays the report out with an empty slot of each chart's size (a ``div`` whose
``id`` names the chart); matplotlib draws each chart as a one-page PDF (vector paths, text
as text). This module reads where the slots ended up and draws each chart page there as a
form XObject: its content stream is copied as is (still compressed), never parsed, so
placing four charts costs a few milliseconds whatever their number of path segments.

Both halves can run at the same time in different worker processes: the layout needs only
the charts' sizes, not their drawings (``services.report_render``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

SLOT_PREFIX = "chart-slot-"
# WeasyPrint lays out in CSS pixels (1/96 in) and writes PDF points (1/72 in).
PT_PER_PX = 0.75


@dataclass(frozen=True)
class ChartSlot:
    """Where a chart goes: a page index and a rectangle in PDF points (origin bottom left)."""

    name: str
    page: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class LaidOutReport:
    """The report's PDF with empty chart slots, and where those slots are."""

    content: bytes
    pages: int
    slots: list[ChartSlot]


def find_slots(pages: list[Any]) -> list[ChartSlot]:
    """The chart slots of a rendered WeasyPrint document (``Document.pages``)."""
    slots = []
    for index, page in enumerate(pages):
        page_height_pt = page.height * PT_PER_PX
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            slot_id = element.get("id", "") if element is not None else ""
            if not slot_id.startswith(SLOT_PREFIX) or box.element_tag != "div":
                continue
            # The padding box: the slot's height is its padding (its content box is empty).
            x, y = box.padding_box_x(), box.padding_box_y()
            width, height = box.padding_width(), box.padding_height()
            slots.append(ChartSlot(
                name=slot_id.removeprefix(SLOT_PREFIX), page=index,
                x=x * PT_PER_PX, y=page_height_pt - (y + height) * PT_PER_PX,
                width=width * PT_PER_PX, height=height * PT_PER_PX,
            ))
    return slots


@dataclass(frozen=True)
class _Form:
    ref: IndirectObject
    left: float
    bottom: float
    width: float
    height: float


def _chart_form(writer: PdfWriter, chart_pdf: bytes) -> _Form:
    """The chart's only page as a form XObject in ``writer``."""
    page = PdfReader(io.BytesIO(chart_pdf)).pages[0]
    contents = page["/Contents"].get_object()
    form: StreamObject
    if isinstance(contents, StreamObject):  # what matplotlib writes
        form = StreamObject()
        form._data = contents._data  # the encoded bytes: copied, not decoded
        for key in ("/Filter", "/DecodeParms"):
            if key in contents:
                form[NameObject(key)] = contents[key].clone(writer)
    else:  # an array of streams (valid PDF too)
        form = DecodedStreamObject()
        form.set_data(b"\n".join(_stream_of(part).get_data() for part in _array(contents)))
    box = page.mediabox
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(box).clone(writer),
        NameObject("/Resources"): page["/Resources"].clone(writer),
    })
    return _Form(writer._add_object(form), float(box.left), float(box.bottom),
                 float(box.width), float(box.height))


def _array(value: Any) -> ArrayObject:
    value = value.get_object()
    if not isinstance(value, ArrayObject):
        raise ValueError(f"expected a PDF array, found {type(value).__name__}")
    return value


def _dictionary(value: Any) -> DictionaryObject:
    value = value.get_object()
    if not isinstance(value, DictionaryObject):
        raise ValueError(f"expected a PDF dictionary, found {type(value).__name__}")
    return value


def _stream_of(value: Any) -> StreamObject:
    value = value.get_object()
    if not isinstance(value, StreamObject):
        raise ValueError(f"expected a PDF stream, found {type(value).__name__}")
    return value


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def place_charts(laid_out: LaidOutReport, charts: dict[str, bytes]) -> bytes:
    """The finished PDF: every slot with a chart gets it, scaled to the slot's width."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(laid_out.content)))
    drawn: dict[int, list[bytes]] = {}
    for number, slot in enumerate(laid_out.slots):
        if slot.name not in charts:
            continue
        form = _chart_form(writer, charts[slot.name])
        name = f"/PitwallChart{number}"
        page = writer.pages[slot.page]
        resources = _dictionary(page["/Resources"])
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        _dictionary(resources["/XObject"])[NameObject(name)] = form.ref
        sx, sy = slot.width / form.width, slot.height / form.height
        x, y = slot.x - form.left * sx, slot.y - form.bottom * sy
        drawn.setdefault(slot.page, []).append(
            f"q {sx:.6f} 0 0 {sy:.6f} {x:.4f} {y:.4f} cm "
            f"{name} Do Q\n".encode("ascii"))
    for index, operations in drawn.items():
        page = writer.pages[index]
        original = page["/Contents"]
        parts = (list(_array(original)) if isinstance(original.get_object(), ArrayObject)
                 else [original])
        # The page's own drawing is wrapped in q/Q so whatever state it leaves cannot skew
        # the charts drawn after it.
        page[NameObject("/Contents")] = ArrayObject([
            _stream(writer, b"q\n"), *parts, _stream(writer, b"Q\n" + b"".join(operations))])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
