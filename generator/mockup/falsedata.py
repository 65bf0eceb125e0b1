"""Seeded false data for a few hundred fake assessed locations, drawn with numpy.

A build renders a mock-up for every question, so each draw is one vectorised call: for
choices and themes the counts of fake locations per group and reply come straight from
multinomial/binomial draws (the same distribution as simulating each location and
counting, at a fraction of the cost); numbers and dates are drawn per location because
their analysis (median, earliest...) needs the individual values.
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


def group_sizes(rng: np.random.Generator, n_groups: int) -> np.ndarray:
    """Number of fake locations in each group (one group when there is no disaggregation)."""
    n = max(int(rng.integers(N_LOCATIONS[0], N_LOCATIONS[1] + 1)), 2 * MIN_PER_GROUP * n_groups)
    if n_groups == 1:
        return np.array([n])
    # Uneven sizes look like a real assessment and make "largest groups" meaningful.
    weights = rng.uniform(0.4, 1.6, n_groups)
    return rng.multinomial(n - MIN_PER_GROUP * n_groups, weights / weights.sum()) + MIN_PER_GROUP


def single_choice(rng: np.random.Generator, sizes: np.ndarray, n_options: int) -> np.ndarray:
    """Locations per group (rows) reporting each option (columns): select_one, yes_no."""
    base = rng.gamma(1.5, size=n_options)
    # Groups lean away from the overall shares so a disaggregation shows contrasts.
    shares = base * np.exp(rng.normal(0.0, 0.5, (sizes.size, n_options)))
    shares /= shares.sum(axis=1, keepdims=True)
    return rng.multinomial(sizes, shares)


def multiple_choice(rng: np.random.Generator, sizes: np.ndarray, n_options: int) -> np.ndarray:
    """Locations per group (rows) selecting each option (columns): select_multiple."""
    base = rng.uniform(0.08, 0.75, n_options)
    probs = np.clip(base + rng.normal(0.0, 0.08, (sizes.size, n_options)), 0.02, 0.95)
    return rng.binomial(sizes[:, None], probs)


def numbers(rng: np.random.Generator, sizes: np.ndarray, integer: bool) -> np.ndarray:
    """A skewed positive value per location, grouped in order (counts, distances, prices)."""
    scale = 10 ** rng.uniform(1.0, 2.5) if integer else rng.uniform(1.0, 20.0)
    group_scale = np.repeat(rng.uniform(0.6, 1.6, sizes.size), sizes)
    x = rng.lognormal(0.0, 0.6, group_scale.size) * scale * group_scale
    return np.round(x) if integer else np.round(x, 1)


def themes(rng: np.random.Generator, sizes: np.ndarray) -> np.ndarray:
    """Free-text answers per group (rows) coded into each theme (columns)."""
    answered = rng.binomial(sizes, rng.uniform(0.55, 0.9))
    return rng.multinomial(answered, rng.dirichlet(np.full(N_THEMES, 2.0)))


def dates(rng: np.random.Generator, n: int, until: dt.date) -> np.ndarray:
    """A date per location in the 12 months before `until`, recent dates more likely."""
    offsets = (rng.beta(1.2, 2.0, n) * 365).astype(np.int64)
    return np.datetime64(until, "D") - offsets
