"""Random search and random local search: the best of random candidates,
scored in batches, the same for the same seed, never worse with more
candidates, and beaten by local steps at the same budget."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklinear import make_problem
from sklinear.objective import LinearObjective
from sklinear.optimizers import random_search

from _api_data import ESTIMATORS, FAST, X_IRIS, Y_IRIS, lecture_objective
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


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_random_search_deterministic(Est):
    """random_search gives the same coef_ for the same seed, another for another seed."""
    params = dict(optimizer="random_search", n_candidates=200, **FAST)
    a = Est(random_state=0, **params).fit(X_IRIS, Y_IRIS)
    b = Est(random_state=0, **params).fit(X_IRIS, Y_IRIS)
    c = Est(random_state=1, **params).fit(X_IRIS, Y_IRIS)
    assert_array_equal(a.coef_, b.coef_)
    assert a.objective_ == b.objective_
    assert not np.array_equal(a.coef_, c.coef_)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_random_search_more_candidates_never_worse(Est):
    """With one seed the candidates are a prefix of a longer run, so more is never worse."""
    objectives = [
        Est(optimizer="random_search", random_state=3, n_candidates=n, init_scale=0.3)
        .fit(X_IRIS, Y_IRIS)
        .objective_
        for n in [10, 64, 100, 1000, 2000]
    ]
    assert np.all(np.diff(objectives) <= 0)
    assert objectives[-1] < objectives[0]


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("n_candidates", [1, 64, 150])
def test_random_search_is_best_candidate(Est, n_candidates):
    """random_search returns the best of init_scale * randn candidates, batch by batch."""
    seed, scale, alpha = 7, 0.3, 1e-2
    est = Est(
        optimizer="random_search",
        random_state=seed,
        n_candidates=n_candidates,
        init_scale=scale,
        alpha=alpha,
    ).fit(X_IRIS, Y_IRIS)
    n_features, n_classes = 4, 3
    n_params = n_features * n_classes + n_classes
    rng = np.random.RandomState(seed)
    thetas = np.vstack(
        [
            scale * rng.standard_normal((min(64, n_candidates - start), n_params))
            for start in range(0, n_candidates, 64)
        ]
    )
    values = []
    for theta in thetas:
        W = theta[: n_features * n_classes].reshape(n_features, n_classes)
        b = theta[n_features * n_classes :]
        values.append(lecture_objective(Est, X_IRIS, Y_IRIS, W, b, alpha))
    best = int(np.argmin(values))
    W_best = thetas[best, : n_features * n_classes].reshape(n_features, n_classes)
    assert est.objective_ == pytest.approx(values[best], rel=1e-10)
    assert_allclose(est.coef_, W_best.T, rtol=1e-15)
    assert_allclose(est.intercept_, thetas[best, n_features * n_classes :], rtol=1e-15)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_random_local_search_beats_random_search(Est):
    """At the same budget of 1000 evaluations, local steps find a lower objective."""
    for name in ["iris", "digits"]:
        X, y = standardized_dataset(name)
        common = dict(alpha=1e-3, n_candidates=1000, random_state=0)
        pure = Est(optimizer="random_search", **common).fit(X, y)
        local = Est(optimizer="random_local_search", **common).fit(X, y)
        assert local.objective_ < pure.objective_
