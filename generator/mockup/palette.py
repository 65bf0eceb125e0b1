"""Colours of the chart segments: categorical, sequential for ordered options, grey for
"don't know" and "other".

The CSS (docs/assets/css/mockup.css) defines one class per colour; tests check that it
holds exactly these values, that categorical colours stay apart under protanopia,
deuteranopia and tritanopia, and that each has 3:1 contrast on the light and the slate
(dark) page.
"""

from __future__ import annotations

from .spec import ChoiceSpec

# Okabe-Ito blue and vermillion, then a violet, green and pink chosen to stay apart from
# them and from grey for the common colour-vision deficiencies, all with 3:1 contrast on
# white and on Material's slate background.
CATEGORICAL = ("#0072b2", "#d55e00", "#a724ff", "#18a56d", "#cc79a7")
GREY = "#808080"
# Ordered options: light to dark, khaki through green, teal and blue to plum (a viridis-like
# path). A chart colour needs 3:1 on the white and on the slate page alike, which leaves only
# relative luminance 0.145 to 0.30: far too narrow a band for a one-hue ramp to show order,
# so lightness falls steadily while the hue turns. Neighbouring steps and grey stay apart
# under protanopia, deuteranopia and tritanopia. Five steps: a stacked bar draws at most
# five coloured segments (results.MAX_SEGMENTS); longer ordered lists share steps in bars.
SEQUENTIAL = ("#a79155", "#59976a", "#088f9b", "#477bb4", "#945d8d")
# Value text over a segment: black on light colours, white where black falls under 4.5:1.
WHITE_TEXT = {"c1", "c3", "s5"}


def tones_for(spec: ChoiceSpec) -> tuple[str, ...]:
    """A colour class per option: g (grey), s1..s5 (ordered) or c1..c5 (categories)."""
    answers = [i for i, r in enumerate(spec.roles) if r not in ("dont_know", "other")]
    tones = ["g"] * len(spec.roles)
    if spec.ordered and len(answers) > 1:
        last = len(answers) - 1
        steps = len(SEQUENTIAL) - 1
        for pos, i in enumerate(answers):
            tones[i] = f"s{round(pos * steps / last) + 1}"
    else:
        for pos, i in enumerate(answers):
            tones[i] = f"c{pos % len(CATEGORICAL) + 1}"
    return tuple(tones)


def recolour(tones: list[str]) -> tuple[str, ...]:
    """Categorical classes renumbered in drawing order, so drawn segments never share one."""
    out, pos = [], 0
    for t in tones:
        if t.startswith("c"):
            out.append(f"c{pos % len(CATEGORICAL) + 1}")
            pos += 1
        else:
            out.append(t)
    return tuple(out)


def css_rules() -> str:
    """The palette as CSS, kept in mockup.css (a test compares the two)."""
    lines = [f".ctk-k-c{i} {{ --ctk-key: {c}; }}" for i, c in enumerate(CATEGORICAL, 1)]
    lines += [f".ctk-k-s{i} {{ --ctk-key: {c}; }}" for i, c in enumerate(SEQUENTIAL, 1)]
    lines.append(f".ctk-k-g {{ --ctk-key: {GREY}; }}")
    return "\n".join(lines)
