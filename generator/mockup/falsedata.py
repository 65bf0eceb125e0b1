"""Seeded false data: one value per fake assessed location, drawn with numpy.

Everything is vectorised over a few hundred fake locations: a build renders a mock-up for
every question, so per-question cost has to stay far below a millisecond.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

N_LOCATIONS = (150, 300)
N_THEMES = 4
# Each group gets at least this many locations, so every group has a median and a share.
MIN_PER_GROUP = 2


def rng_for(question_id: str) -> np.random.Generator:
    """A generator seeded from the question id alone: same id, same false data, any process.

    Python's hash() is salted per process, so the seed comes from sha256 instead.
    """
    digest = hashlib.sha256(f"country-toolkit/mockup/{question_id}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


def locations(rng: np.random.Generator, n_groups: int) -> np.ndarray:
    """Group index of every fake location (all 0 when there is no disaggregation)."""
    n = int(rng.integers(N_LOCATIONS[0], N_LOCATIONS[1] + 1))
    n = max(n, 2 * MIN_PER_GROUP * n_groups)
    # Uneven group sizes look like a real assessment and make "largest groups" meaningful.
    weights = rng.uniform(0.4, 1.6, n_groups)
    floor = np.repeat(np.arange(n_groups), MIN_PER_GROUP)
    rest = rng.choice(n_groups, size=n - floor.size, p=weights / weights.sum())
    return np.concatenate([floor, rest])


def single_choice(rng: np.random.Generator, group: np.ndarray, n_groups: int,
                  n_options: int) -> np.ndarray:
    """Index of the option each location reported (select_one, yes_no)."""
    base = rng.gamma(1.5, size=n_options)
    base /= base.sum()
    # Groups lean away from the overall shares so a disaggregation shows contrasts.
    shares = rng.gamma(base * 4 * n_options + 0.2, size=(n_groups, n_options))
    shares /= shares.sum(axis=1, keepdims=True)
    cumulative = shares.cumsum(axis=1)[group]
    u = rng.random(group.size)
    return np.minimum((u[:, None] >= cumulative).sum(axis=1), n_options - 1)


def multiple_choice(rng: np.random.Generator, group: np.ndarray, n_groups: int,
                    n_options: int) -> np.ndarray:
    """Boolean matrix (locations x options): which options each location selected."""
    base = rng.uniform(0.08, 0.75, n_options)
    probs = np.clip(base + rng.normal(0.0, 0.08, (n_groups, n_options)), 0.02, 0.95)
    return rng.random((group.size, n_options)) < probs[group]


def numbers(rng: np.random.Generator, group: np.ndarray, n_groups: int,
            integer: bool) -> np.ndarray:
    """A skewed positive quantity per location (counts, distances, prices look like this)."""
    scale = 10 ** rng.uniform(1.0, 2.5) if integer else rng.uniform(1.0, 20.0)
    group_scale = rng.uniform(0.6, 1.6, n_groups)
    x = rng.lognormal(0.0, 0.6, group.size) * scale * group_scale[group]
    return np.round(x) if integer else np.round(x, 1)


def themes(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """Theme index of each free-text answer, -1 where the location gave no answer."""
    answered = rng.random(group.size) < rng.uniform(0.55, 0.9)
    theme = rng.choice(N_THEMES, size=group.size, p=rng.dirichlet(np.full(N_THEMES, 2.0)))
    return np.where(answered, theme, -1)


def dates(rng: np.random.Generator, group: np.ndarray, until: dt.date) -> np.ndarray:
    """A date per location in the 12 months before `until`, recent dates more likely."""
    offsets = (rng.beta(1.2, 2.0, group.size) * 365).astype(np.int64)
    return np.datetime64(until, "D") - offsets
