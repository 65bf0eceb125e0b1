"""Plausible false answers for every assessed unit, drawn with numpy in one call per question.

Plausibility comes from the question's spec (spec.py): "don't know" and "other" stay
small, rare events are rare, exclusive options are never combined, numbers stay in their
typical range and inside min/max, integers stay integers. Units of a province (admin1)
and of a population group lean the same way, so a disaggregation shows real contrasts.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .spec import RARE_SHARE, ChoiceSpec, NumberSpec

N_THEMES = 4


def _small(rng: np.random.Generator, role: str) -> float:
    """Expected % of a reply people rarely give."""
    return float(rng.uniform(1.0, 4.0) if role == "dont_know" else rng.uniform(2.0, 7.0))


def _base_shares(rng: np.random.Generator, spec: ChoiceSpec) -> np.ndarray:
    """Expected % of units giving each reply (select_one, yes_no), adding up to 100."""
    k = len(spec.labels)
    shares = np.full(k, np.nan)
    for i, role in enumerate(spec.roles):
        if role in ("dont_know", "other"):
            shares[i] = _small(rng, role)
    for i, v in spec.shares.items():
        shares[i] = v
    events = [i for i in range(k) if spec.roles[i] == "answer" and i not in spec.shares]
    absent = [i for i in range(k) if spec.roles[i] == "none" and i not in spec.shares]
    if spec.expected_share is not None or spec.rare:
        # The event (Yes / any real answer) in a set share; its absence takes the rest.
        event = spec.expected_share if spec.expected_share is not None else (
            RARE_SHARE * rng.uniform(0.5, 1.5))
        if events and absent:
            split = rng.dirichlet(np.full(len(events), 2.0)) * event
            shares[events] = split
            events = []
    free = [i for i in range(k) if np.isnan(shares[i])]
    left = max(100.0 - float(np.nansum(shares)), 0.0)
    if free:
        if spec.ordered:
            # Ordered bands: one hump, as real distance or frequency bands have.
            peak = rng.uniform(0, len(free) - 1)
            w = np.exp(-0.5 * ((np.arange(len(free)) - peak) / max(len(free) / 3, 0.8)) ** 2)
        else:
            w = rng.gamma(1.5, size=len(free)) + 0.15
        shares[free] = w / w.sum() * left
    shares = np.nan_to_num(shares)
    total = shares.sum()
    return shares / total * 100 if total > 0 else np.full(k, 100.0 / k)


def _lean(rng: np.random.Generator, base: np.ndarray, region: np.ndarray,
          group: np.ndarray, spread: float) -> np.ndarray:
    """Per-unit probabilities (n, k): the base shares tilted by province and group."""
    k = base.size
    tilt_r = rng.normal(0.0, spread, (int(region.max()) + 1, k))
    tilt_g = rng.normal(0.0, spread / 2, (int(group.max()) + 1, k))
    p = (base / 100)[None, :] * np.exp(tilt_r[region] + tilt_g[group])
    return p


def single_choice(rng: np.random.Generator, spec: ChoiceSpec, region: np.ndarray,
                  group: np.ndarray) -> np.ndarray:
    """The index of each unit's reply."""
    base = _base_shares(rng, spec)
    # Authors' shares and rare events keep their level; other replies vary more by place.
    spread = 0.25 if (spec.shares or spec.rare or spec.expected_share is not None) else 0.5
    p = _lean(rng, base, region, group, spread)
    p /= p.sum(axis=1, keepdims=True)
    cum = np.cumsum(p, axis=1)
    u = rng.random(region.size)[:, None]
    return np.minimum((u > cum).sum(axis=1), len(spec.labels) - 1)


def multiple_choice(rng: np.random.Generator, spec: ChoiceSpec, region: np.ndarray,
                    group: np.ndarray) -> np.ndarray:
    """(n, k) selected flags: several real answers, or one exclusive option on its own."""
    k, n = len(spec.labels), region.size
    base = np.empty(k)
    for i, role in enumerate(spec.roles):
        if i in spec.shares:
            base[i] = spec.shares[i]
        elif spec.rare:
            base[i] = RARE_SHARE * rng.uniform(0.3, 1.2) if role == "answer" else 0.0
        elif role in ("dont_know", "other"):
            base[i] = _small(rng, role)
        elif role == "none":
            base[i] = 0.0  # given to the units that select nothing else
        else:
            base[i] = rng.uniform(8.0, 70.0)
    if spec.expected_share is not None:
        answers = [i for i in range(k) if spec.roles[i] == "answer" and i not in spec.shares]
        if answers:
            # Units reporting anything at all ~ expected share: spread it over the options.
            base[answers] = spec.expected_share / max(len(answers) ** 0.5, 1)
    p = np.clip(_lean(rng, base, region, group, 0.35), 0.0, 0.97)
    exclusive = np.array(spec.exclusive)
    p[:, exclusive] = 0.0
    chosen = rng.random((n, k)) < p
    if spec.max_choices:
        # Keep max_choices of a unit's picks, likelier ones first but not always (weighted
        # sampling without replacement: key u ** (1 / p)).
        rank = np.where(chosen, rng.random((n, k)) ** (1 / np.maximum(p, 1e-6)), -1.0)
        keep = np.argsort(-rank, axis=1)[:, : spec.max_choices]
        limited = np.zeros_like(chosen)
        np.put_along_axis(limited, keep, True, axis=1)
        chosen &= limited
    # Exclusive replies stand alone: a few units give don't know; a unit that chose nothing
    # answers "none" when the list has it, else its likeliest option.
    dk = [i for i in range(k) if exclusive[i] and spec.roles[i] == "dont_know"]
    for i in dk:
        share = spec.shares.get(i, _small(rng, "dont_know")) / 100
        alone = rng.random(n) < share
        chosen[alone] = False
        chosen[alone, i] = True
    empty = ~chosen.any(axis=1)
    none = [i for i in range(k) if exclusive[i] and spec.roles[i] != "dont_know"]
    if none:
        chosen[empty, none[0]] = True
    elif empty.any():
        picks = np.where(exclusive[None, :], -1.0, p)[empty].argmax(axis=1)
        chosen[np.flatnonzero(empty), picks] = True
    return chosen


def numbers(rng: np.random.Generator, spec: NumberSpec, region: np.ndarray) -> np.ndarray:
    """A value per unit: 95% inside the typical range, never outside min/max."""
    a, b = spec.typical
    n = region.size
    if b <= a:
        x = np.full(n, a)
    else:
        # Skewed like counts and distances: normal in log space when the range allows.
        shift = 1.0 - min(a, 0.0)
        la, lb = np.log(a + shift), np.log(b + shift)
        tilt = rng.normal(0.0, (lb - la) / 10, int(region.max()) + 1)[region]
        centre = rng.uniform(0.4, 0.6) * (lb - la) + la
        x = np.exp(rng.normal(centre, (lb - la) / 3.92, n) + tilt) - shift
        # The few far-off draws are drawn again inside the typical range: clipping them
        # would pile them up on one value, the same maximum in every province.
        far = (x < a - (b - a) * 0.25) | (x > b + (b - a) * 0.5)
        x[far] = rng.uniform(a, b, int(far.sum()))
    x = np.round(x) if spec.integer else np.round(x, 1)
    low = np.ceil(spec.low) if spec.integer else spec.low
    high = np.floor(spec.high) if spec.integer and np.isfinite(spec.high) else spec.high
    if spec.nonzero is not None:
        # Events counted per unit (arrivals, visits): most units report none.
        x = np.maximum(x, 1.0 if spec.integer else 0.1)
        x[rng.random(n) >= spec.nonzero / 100] = 0.0
    return np.clip(x, low, high) + 0.0  # + 0.0 turns -0.0 into 0.0


def themes(rng: np.random.Generator, n: int) -> np.ndarray:
    """The theme each free-text answer is coded into; -1 where left blank."""
    answered = rng.random(n) < rng.uniform(0.55, 0.9)
    theme = rng.choice(N_THEMES, n, p=rng.dirichlet(np.full(N_THEMES, 2.0)))
    return np.where(answered, theme, -1)


def dates(rng: np.random.Generator, n: int, start: dt.date, end: dt.date) -> np.ndarray:
    """A date per unit from `start` to `end`, recent dates more likely (events are
    remembered and reported more when recent; the month chart shows the slope)."""
    span = (end - start).days
    offsets = np.minimum((rng.beta(1.2, 2.0, n) * span).astype(np.int64), span)
    return np.datetime64(end, "D") - offsets
