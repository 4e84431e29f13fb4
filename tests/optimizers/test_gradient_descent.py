"""Gradient descent: the fixed step, momentum, proximal steps for L1 parts and
smoothing with continuation for the hinges, against exact optima."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sklinear import SoftmaxClassifier

from _api_data import ESTIMATORS, FAST, START, X_IRIS, Y_IRIS, lecture_objective
from _reference import solve_reference, standardized_dataset


@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
@pytest.mark.parametrize("loss", ["cross_entropy", "squared_hinge"])
def test_proximal_gd_reaches_smooth_l1_optima_with_exact_zeros(loss, penalty, fit):
    """Smooth loss + L1 part: within 1e-6 of the optimum, zeros exactly where the reference has them."""
    est, X, y = fit(loss, penalty=penalty, alpha=1e-2, tol=1e-6, max_iter=5000)
    assert est.optimizer_ == "gd"
    W, b, optimum = solve_reference(X, y, loss=loss, penalty=penalty, alpha=1e-2)
    assert (est.objective_ - optimum) / optimum <= 1e-6
    assert np.array_equal(est._W == 0, np.abs(W) < 1e-7)


@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
@pytest.mark.parametrize("loss", ["hinge", "crammer_singer"])
def test_proximal_gd_reaches_hinge_l1_optima(loss, penalty, fit):
    """Hinge + L1 part (an LP / QP): within 1e-2 at the defaults, 1e-5 at tol=1e-6."""
    for params, target in [({}, 1e-2), ({"tol": 1e-6, "max_iter": 20000}, 1e-5)]:
        est, X, y = fit(loss, data="iris", penalty=penalty, alpha=1e-2, **params)
        optimum = solve_reference(X, y, loss=loss, penalty=penalty, alpha=1e-2)[2]
        assert 0 <= (est.objective_ - optimum) / optimum <= target
        assert np.any(est.coef_ == 0) or penalty == "elasticnet"


@pytest.mark.parametrize("loss", ["hinge", "crammer_singer"])
def test_gd_reaches_the_hinge_optimum(loss, fit):
    """Smoothing with continuation takes gd within 1e-3 of the exact hinge optimum."""
    est, X, y = fit(loss, optimizer="gd", alpha=1e-2, tol=1e-3, max_iter=20000)
    optimum = solve_reference(X, y, loss=loss, alpha=1e-2)[2]
    assert 0 <= (est.objective_ - optimum) / optimum <= 1e-3


def test_fixed_step_gd_follows_the_slope(fit):
    """The lecture's plain step with a sensible rate gets within 1e-3 of the softmax optimum."""
    est, X, y = fit(
        "cross_entropy",
        optimizer="gd",
        learning_rate=0.5,
        alpha=1e-2,
        tol=1e-8,
        max_iter=3000,
    )
    optimum = solve_reference(X, y, loss="cross_entropy", alpha=1e-2)[2]
    assert 0 <= (est.objective_ - optimum) / optimum <= 1e-3
    assert est.loss_curve_[0] > est.loss_curve_[-1]


def test_overshooting_fixed_step_raises():
    """A fixed step whose every move goes uphill is an error naming learning_rate, not a fit."""
    X, y = standardized_dataset("digits")
    with pytest.raises(ValueError, match="learning_rate=64.0 is too large"):
        SoftmaxClassifier(alpha=1e-3, optimizer="gd", learning_rate=64.0).fit(X, y)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_fixed_step_gd_decreases_objective(Est):
    """gd with a small fixed learning_rate ends well below the objective at zero."""
    est = Est(optimizer="gd", learning_rate=0.05, max_iter=100, **FAST)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X_IRIS, Y_IRIS)
    zero = lecture_objective(Est, X_IRIS, Y_IRIS, np.zeros((4, 3)), np.zeros(3), 1e-2)
    assert zero == pytest.approx(START[Est])
    assert est.objective_ < 0.7 * zero
    assert est.loss_curve_[-1] < est.loss_curve_[0]
    if Est is SoftmaxClassifier:  # smooth with a small step: monotone
        assert np.all(np.diff(est.loss_curve_) <= 1e-12)


def test_momentum_speeds_up_fixed_step_descent():
    """Heavy-ball and Nesterov momentum need fewer iterations than the plain step."""
    X, y = standardized_dataset("wine")
    iterations = {}
    for momentum, nesterov in [(0.0, False), (0.9, False), (0.9, True)]:
        est = SoftmaxClassifier(
            optimizer="gd",
            learning_rate=0.1,
            momentum=momentum,
            nesterov=nesterov,
            alpha=1e-2,
            tol=1e-6,
            max_iter=5000,
        )
        iterations[momentum, nesterov] = est.fit(X, y).n_iter_
    assert iterations[0.9, False] < iterations[0.0, False] / 2
    assert iterations[0.9, True] < iterations[0.0, False] / 2
