"""Random search: the best of random candidates, scored in batches."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sklinear import make_problem
from sklinear.objective import LinearObjective
from sklinear.optimizers import random_search

from _reference import standardized_dataset


def test_random_search_batches_change_nothing_but_speed():
    """Scoring candidates 64 per product gives the winner of one-at-a-time scoring."""
    X, y = standardized_dataset("wine")
    objective = LinearObjective(make_problem(X, y, loss="hinge", alpha=1e-3))
    x0 = np.zeros(objective.n_params)
    batched = random_search(
        objective, x0, n_candidates=300, init_scale=0.1, random_state=0
    )
    candidates = 0.1 * np.random.RandomState(0).standard_normal(
        (300, objective.n_params)
    )
    singles = np.array([objective.value(c) for c in candidates])
    assert batched.fun == pytest.approx(singles.min(), rel=1e-12)
    assert_allclose(batched.x, candidates[singles.argmin()])
    assert batched.nit == len(batched.loss_curve) == 5  # ceil(300 / 64) batches
