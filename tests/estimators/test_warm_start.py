"""warm_start: a refit continues from the previous solution, fast and never
worse, a path over decreasing alphas costs fewer iterations than cold fits,
and a fit starts afresh when the data change shape or warm_start is off."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklinear import SoftmaxClassifier, SVMClassifier

from _api_data import BINARY, ESTIMATORS, FAST, X_IRIS, X_WINE, Y_IRIS, Y_WINE
from _reference import standardized_dataset


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_warm_start_refit_is_fast(Est):
    """warm_start=True: refitting on the same data takes far fewer iterations."""
    est = Est(warm_start=True, **FAST).fit(X_WINE, Y_WINE)
    first = est.n_iter_
    est.fit(X_WINE, Y_WINE)
    assert est.n_iter_ <= first // 4


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_warm_start_starts_from_solution(Est):
    """warm_start=True never ends worse than the previous solution; False resets."""
    est = Est(warm_start=True, **FAST).fit(X_WINE, Y_WINE)
    first = est.objective_
    est.fit(X_WINE, Y_WINE)
    assert est.objective_ <= first
    cold = Est(warm_start=False, random_state=0, **FAST).fit(X_WINE, Y_WINE)
    n_iter, coef = cold.n_iter_, cold.coef_.copy()
    cold.fit(X_WINE, Y_WINE)
    assert cold.n_iter_ == n_iter
    assert_array_equal(cold.coef_, coef)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_warm_start_with_new_shape_resets(Est):
    """warm_start=True on data with other features or classes starts from zeros."""
    est = Est(warm_start=True, random_state=0, **FAST).fit(X_WINE, Y_WINE)
    est.fit(X_IRIS, Y_IRIS)
    assert est.coef_.shape == (3, 4)
    cold = Est(random_state=0, **FAST).fit(X_IRIS, Y_IRIS)
    assert_array_equal(est.coef_, cold.coef_)
    est.fit(X_IRIS[BINARY], Y_IRIS[BINARY])
    assert est.coef_.shape == (1, 4)


@pytest.mark.parametrize(
    "Est, params",
    [
        (SoftmaxClassifier, {}),
        (SVMClassifier, {"random_state": 0}),
        (SoftmaxClassifier, {"penalty": "l1"}),
    ],
    ids=["softmax-lbfgs", "svm-dual_cd", "softmax-l1-gd"],
)
def test_warm_start_path_costs_fewer_iterations(Est, params):
    """A path over 10 decreasing alphas with warm_start takes fewer iterations than cold fits.

    Not the smoothed solvers of the hinge losses ("lbfgs", "gd"): at a new
    alpha they climb the smoothing ladder again, and cost about what cold
    fits cost (test_path.py checks that they reach the optima)."""
    X, y = standardized_dataset("wine")
    alphas = np.logspace(-1, -3, 10)
    warm = Est(warm_start=True, max_iter=5000, **params)
    warm_total = sum(warm.set_params(alpha=a).fit(X, y).n_iter_ for a in alphas)
    cold_total = sum(
        Est(alpha=a, max_iter=5000, **params).fit(X, y).n_iter_ for a in alphas
    )
    assert warm_total < cold_total
