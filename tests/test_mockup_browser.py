"""Mock-up charts in real headless Chromium: visible in light, dark and print.

The page is standalone (no network, no script): the charts, docs/assets/css/mockup.css
and, when installed, Material's own stylesheets, so the overrides of Material's figure,
list and details styles are exercised too.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from factories import make_country, make_question
from support import ROOT

from generator.mockup import MOCKUP_LABEL, build_mockup, label_html

pytestmark = pytest.mark.browser

COUNTRY = make_country()
CASES = {
    "bar": make_question("browser-bar", chart="bar"),
    "stacked": make_question("browser-stacked", chart="stacked-bar",
                             disaggregation=["admin1"]),
    # Without groups a number leads with its histogram (by group, with the summary table).
    "numbers": make_question("browser-numbers", "integer"),
    "table": make_question("browser-table", chart="table", disaggregation=["population_group"]),
}


def material_css() -> str:
    try:
        import material
    except ImportError:
        return ""
    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.min.css")))


def page_html(scheme: str) -> str:
    css = material_css() + (ROOT / "docs" / "assets" / "css" / "mockup.css").read_text()
    body = "\n".join(
        f'<p>{label_html()} {build_mockup(q, COUNTRY).sentence}</p>\n'
        f'<div id="{name}">\n{build_mockup(q, COUNTRY).chart_html}\n</div>'
        for name, q in CASES.items()
    )
    return (f'<!doctype html><html lang="en" dir="ltr" data-md-color-scheme="{scheme}" '
            f'data-md-color-primary="indigo"><head><meta charset="utf-8"><style>{css}</style>'
            f'</head><body><article class="md-typeset" style="max-width:46rem;margin:1rem">'
            f"{body}</article></body></html>")


def png_pixels(png: bytes) -> tuple[int, int, int, list[bytes]]:
    """Decode an 8-bit RGB(A) PNG with the standard library: (width, height, channels, rows)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def pixel(decoded: tuple[int, int, int, list[bytes]], x: int, y: int) -> tuple[int, int, int]:
    _, _, channels, rows = decoded
    i = x * channels
    return rows[y][i], rows[y][i + 1], rows[y][i + 2]


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def distinct_colours(decoded: tuple[int, int, int, list[bytes]]) -> int:
    width, height, _, _ = decoded
    return len({pixel(decoded, x, y) for y in range(0, height, 3) for x in range(0, width, 3)})


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 900, "height": 900},
                                  java_script_enabled=True, offline=True)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_charts_are_visible_and_readable(page, tmp_path: Path, scheme: str) -> None:
    html = tmp_path / f"mockups-{scheme}.html"
    html.write_text(page_html(scheme), encoding="utf-8")
    page.goto(html.as_uri())
    dark = scheme == "slate"
    for name in CASES:
        figure = page.locator(f"#{name} figure.ctk-mockup")
        assert figure.is_visible()
        box = figure.bounding_box()
        # Material shrinks plain figures to fit their content; the chart must stay wide.
        assert box and box["width"] > 500 and box["height"] > 60, (name, box)
        label = figure.locator(".ctk-mockup-label")
        assert label.is_visible() and label.inner_text() == MOCKUP_LABEL
        shot = png_pixels(figure.screenshot())
        assert distinct_colours(shot) > 8, f"{name}: screenshot looks blank"
        background = pixel(shot, 3, int(box["height"]) // 2)
        assert (luminance(background) < 0.1) is dark, (name, background)
        if name == "table":
            cells = figure.locator("td")
            assert cells.count() > 5 and cells.first.is_visible()
            continue
        bars = figure.locator("tbody td")
        assert bars.count() >= 2 and bars.first.is_visible()
        # Bars are drawn by CSS from each cell's --w: measure where they are on screen.
        geometry = [g for g in figure.evaluate(GEOMETRY) if g[5] == g[5]]  # bars (with --w)
        if name == "stacked":
            # Each segment of the first row, sampled near its top-left corner (clear of the
            # value printed inside), must stand out from the page (WCAG 1.4.11).
            first_row = geometry[: len(CASES["stacked"].options)]
            # Segment lengths follow their values (one scale for the whole row).
            scales = [w / share for _, _, w, _, _, share in first_row if share > 5]
            assert len(scales) >= 2 and max(scales) - min(scales) < 0.1 * max(scales), scales
            for x, y, w, h, _, _ in first_row:
                assert h > 5, (name, h)
                if w >= 6:
                    colour = pixel(shot, int(x) + 3, int(y) + 2)
                    assert contrast(colour, background) >= 3, (name, scheme, colour)
        else:
            x, y, _, h, track, share = max(geometry, key=lambda g: g[5])
            assert track > 100 and share > 5, (name, track, share)
            middle = int(y + h / 2)
            bar = pixel(shot, int(x) + 2, middle)
            assert contrast(bar, background) >= 3, (name, scheme, bar, background)
            end = x + track * share / 100
            assert pixel(shot, int(end) - 3, middle) == bar, "bar shorter than its value"
            if share < 95:
                assert pixel(shot, int(end) + 3, middle) != bar, "bar longer than its value"


GEOMETRY = """fig => {
  const f = fig.getBoundingClientRect();
  return [...fig.querySelectorAll('tbody td')].map(td => {
    const b = td.getBoundingClientRect();
    return [b.x - f.x, b.y - f.y, b.width, b.height,
            parseFloat(getComputedStyle(td, '::before').width) || 0,
            parseFloat(td.style.getPropertyValue('--w'))];
  });
}"""


def test_label_text_contrast(page, tmp_path: Path) -> None:
    for scheme in ("default", "slate"):
        html = tmp_path / f"label-{scheme}.html"
        html.write_text(page_html(scheme), encoding="utf-8")
        page.goto(html.as_uri())
        label = page.locator("#bar .ctk-mockup-label")
        shot = png_pixels(label.screenshot())
        colours = {pixel(shot, x, y) for y in range(shot[1]) for x in range(shot[0])}
        darkest = min(colours, key=luminance)
        lightest = max(colours, key=luminance)
        assert contrast(darkest, lightest) >= 4.5, scheme


def test_label_and_bars_print(page, tmp_path: Path) -> None:
    html = tmp_path / "print.html"
    html.write_text(page_html("slate"), encoding="utf-8")
    page.goto(html.as_uri())
    page.emulate_media(media="print")
    figure = page.locator("#stacked figure.ctk-mockup")
    assert figure.locator(".ctk-mockup-label").is_visible()
    assert figure.locator("tbody td").first.is_visible()
    adjust = figure.evaluate("el => getComputedStyle(el).printColorAdjust")
    assert adjust == "exact"
    shot = png_pixels(figure.screenshot())
    assert distinct_colours(shot) > 8
    # Printing never uses the dark scheme (Material scopes it to screens).
    assert luminance(pixel(shot, 3, 3)) > 0.8
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
