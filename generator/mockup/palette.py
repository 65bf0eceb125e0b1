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
# Light to dark blues: order reads as order. No ramp can keep 3:1 on both the white and the
# slate page at both ends; this one stops short of navy so its darkest step stays visible
# on slate (2.4:1), and neighbouring segments are kept apart by a hairline and the legend.
# Light steps carry dark text, dark steps white.
SEQUENTIAL = ("#c6dbef", "#a6cde6", "#84b9dc", "#5fa2d0", "#3f8bc3", "#2b76b5", "#1f5fa0")
WHITE_TEXT = {"c1", "c3", "s6", "s7"}


def tones_for(spec: ChoiceSpec) -> tuple[str, ...]:
    """A colour class per option: g (grey), s1..s7 (ordered) or c1..c5 (categories)."""
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
