"""WeasyPrint fetches nothing but the report's own assets: a template or chart naming a local
file or a loopback URL renders without it. A real HTTP server on 127.0.0.1 records every
request; the same document rendered with WeasyPrint's default fetcher is the positive
control (the references really would be fetched)."""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from weasyprint import HTML

from pitwall_report.rendering.pdf import html_to_pdf

from .pdf_checks import read_pdf

ALLOWED = "ALLOWEDMARKER"
SECRET = "SECRETMARKER"


def svg_with_text(text: str, extra: str = "") -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" width="300" height="60">'
            f'<text x="5" y="30" font-size="20">{text}</text>{extra}</svg>')


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


class Recorder(BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self) -> None:
        type(self).paths.append(self.path)
        body = svg_with_text(SECRET).encode()
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    class Handler(Recorder):
        paths: list[str] = []

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", Handler.paths
    finally:
        server.shutdown()
        server.server_close()


def hostile_document(base: str, secret_file: Path) -> str:
    """Every way a document can make WeasyPrint fetch: images, stylesheets, @import, CSS
    url(), fonts, and an SVG chart with an <image> inside."""
    local = secret_file.as_uri()
    chart = svg_with_text("chart", f'<image href="{base}/from-chart.svg" width="10" '
                                   f'height="10"/><image xlink:href="{local}" width="10" '
                                   'height="10"/>')
    return f"""<html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="stylesheet" href="file:///etc/passwd">
      <style>
        @import url("{base}/import.css");
        @font-face {{ font-family: Probe; src: url("{base}/font.woff"); }}
        body {{ background: url("{base}/background.svg"); }}
      </style></head><body>
      <img src="{base}/img.svg"><img src="{local}"><img src="file:///etc/passwd">
      <img src="{data_uri(svg_with_text(ALLOWED))}">
      <img src="{data_uri(chart)}">
      <p style="font-family: Probe">text</p>
    </body></html>"""


def test_nothing_outside_the_document_is_fetched(
    recorder: tuple[str, list[str]], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    base, requests = recorder
    secret_file = tmp_path / "secret.svg"
    secret_file.write_text(svg_with_text(SECRET))
    html = hostile_document(base, secret_file)

    with caplog.at_level(logging.WARNING, logger="pitwall.report.pdf"):
        rendered = html_to_pdf(html)

    assert requests == []
    text = read_pdf(rendered.content).text
    assert ALLOWED in text  # the report's own embedded asset is drawn
    assert SECRET not in text  # the local file was not read
    refused = [r.getMessage() for r in caplog.records if r.name == "pitwall.report.pdf"]
    assert any("file:///etc/passwd" in message for message in refused)
    assert any(secret_file.as_uri() in message for message in refused)
    assert any(f"{base}/img.svg" in message for message in refused)
    assert any(f"{base}/from-chart.svg" in message for message in refused)


def test_control_the_default_fetcher_would_fetch_them(
    recorder: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, requests = recorder
    secret_file = tmp_path / "secret.svg"
    secret_file.write_text(svg_with_text(SECRET))
    content = HTML(string=hostile_document(base, secret_file)).write_pdf()
    assert content is not None
    assert "/img.svg" in requests and "/style.css" in requests
    assert SECRET in read_pdf(content).text
