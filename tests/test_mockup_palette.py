"""Chart colours: distinguishable with common colour-vision deficiencies, 3:1 contrast on the
light and the dark page, sequential for ordered options, grey for don't know / other."""

from __future__ import annotations

import itertools
import re

import pytest
from factories import make_country, make_question
from support import ROOT

from generator.mockup import build_mockup
from generator.mockup.palette import CATEGORICAL, GREY, SEQUENTIAL, css_rules

CSS = (ROOT / "docs" / "assets" / "css" / "mockup.css").read_text(encoding="utf-8")
WHITE = "#ffffff"
SLATE = "#1e2129"  # Material's slate background: hsl(225, 15%, 14%)

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
}
MIN_DELTA_E = 10.0  # CIE76 distance that still reads as a different colour at a glance
# Neighbouring ordered steps: also told apart by their order, hairline and legend.
MIN_SEQUENTIAL_DELTA_E = 8.0


def linear(hex_colour: str) -> tuple[float, float, float]:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    h = hex_colour.lstrip("#")
    return tuple(channel(int(h[i:i + 2], 16)) for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(hex_colour: str) -> float:
    r, g, b = linear(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(hex_colour: str, vision: str) -> tuple[float, float, float]:
    rgb = linear(hex_colour)
    m = CVD[vision]
    return tuple(min(1.0, max(0.0, sum(m[i][j] * rgb[j] for j in range(3))))
                 for i in range(3))  # type: ignore[return-value]


def delta_e(a: str, b: str, vision: str) -> float:
    la, lb = lab(seen(a, vision)), lab(seen(b, vision))
    return sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5


def test_contrast_helpers() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert delta_e("#000000", "#ffffff", "normal") == pytest.approx(100, abs=0.1)


def test_css_holds_the_palette() -> None:
    assert css_rules() in CSS


@pytest.mark.parametrize("colour", [*CATEGORICAL, GREY])
@pytest.mark.parametrize("background", [WHITE, SLATE], ids=["light", "dark"])
def test_categorical_colours_have_3_to_1_contrast(colour: str, background: str) -> None:
    assert contrast(colour, background) >= 3.0


@pytest.mark.parametrize("vision", sorted(CVD))
def test_categorical_colours_stay_apart(vision: str) -> None:
    for a, b in itertools.combinations([*CATEGORICAL, GREY], 2):
        assert delta_e(a, b, vision) >= MIN_DELTA_E, (vision, a, b)


def test_the_old_orange_and_ochre_would_fail() -> None:
    """The issue: orange #d55e00 and ochre #b97a00 were hard to tell apart."""
    assert delta_e("#d55e00", "#b97a00", "deuteranopia") < MIN_DELTA_E


def test_sequential_palette_darkens_step_by_step() -> None:
    values = [luminance(c) for c in SEQUENTIAL]
    assert values == sorted(values, reverse=True)


def test_value_text_on_each_colour_is_readable() -> None:
    white = set(re.findall(r"td\.ctk-k-(\w+):not\(\.n\)", CSS))
    for cls, colour in [*((f"c{i}", c) for i, c in enumerate(CATEGORICAL, 1)),
                        *((f"s{i}", c) for i, c in enumerate(SEQUENTIAL, 1)), ("g", GREY)]:
        text = "#ffffff" if cls in white else "#000000"
        assert contrast(text, colour) >= 4.5, (cls, colour, text)


def classes(html: str) -> list[str]:
    legend = html.split("</thead>")[0]
    return re.findall(r'role="columnheader" class="ctk-k-(\w+)">', legend)


def test_ordered_options_get_sequential_colours_and_dont_know_grey() -> None:
    q = make_question(options=["Under 15 minutes", "15 to 30 minutes", "30 to 60 minutes",
                               "Over an hour", "Do not know"], chart="stacked-bar",
                      disaggregation=["admin1"], spec={"ordered": True})
    tones = classes(build_mockup(q, make_country()).chart_html)
    assert tones == ["s1", "s2", "s4", "s5", "g"]


def test_categories_get_distinct_colours_and_other_is_grey() -> None:
    q = make_question(options=["Piped", "Well", "River", "Truck", "Other (specify)"],
                      chart="stacked-bar", disaggregation=["admin1"])
    tones = classes(build_mockup(q, make_country()).chart_html)
    assert tones == ["c1", "c2", "c3", "c4", "g"]


PALETTES = {"categorical": CATEGORICAL, "sequential": SEQUENTIAL, "grey": (GREY,)}


@pytest.mark.parametrize("background", [WHITE, SLATE], ids=["light", "dark"])
def test_every_palette_colour_has_3_to_1_contrast(background: str) -> None:
    """WCAG 1.4.11 for every colour a chart can draw, on both page schemes.

    The old sequential blues failed: #c6dbef had 1.4:1 on white, #1f5fa0 2.4:1 on slate.
    """
    low = {f"{name} {colour}": round(contrast(colour, background), 2)
           for name, colours in PALETTES.items() for colour in colours
           if contrast(colour, background) < 3.0}
    assert low == {}


@pytest.mark.parametrize("vision", sorted(CVD))
def test_sequential_steps_and_grey_stay_apart(vision: str) -> None:
    """Neighbouring ordered segments, and "don't know" grey beside them, stay apart."""
    for a, b in itertools.pairwise(SEQUENTIAL):
        assert delta_e(a, b, vision) >= MIN_SEQUENTIAL_DELTA_E, (vision, a, b)
    for colour in SEQUENTIAL:
        assert delta_e(colour, GREY, vision) >= MIN_DELTA_E, (vision, colour)


def test_the_old_sequential_blues_would_fail() -> None:
    old = ("#c6dbef", "#a6cde6", "#84b9dc", "#5fa2d0", "#3f8bc3", "#2b76b5", "#1f5fa0")
    assert contrast(old[0], WHITE) < 3.0 and contrast(old[-1], SLATE) < 3.0
