"""Loops that cannot hang and splits that cannot be empty: clear warnings and errors."""

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sklinear import SoftmaxClassifier, SVMClassifier
from sklinear.objective import LinearObjective
from sklinear.optimizers import gradient_descent
from sklinear.problem import make_problem

RNG = np.random.default_rng(0)
Y = RNG.integers(3, size=20)
HUGE_CELL = RNG.normal(size=(20, 2))
HUGE_CELL[0, 0] = 1e200


OVERFLOWING = [
    ("hinge", "l1", HUGE_CELL),
    ("cross_entropy", "elasticnet", HUGE_CELL),
    ("cross_entropy", "l2", RNG.normal(size=(20, 2)) * 1e155),
]
OVERFLOWING_IDS = ["l1 svm, a 1e200 cell", "elastic net, a 1e200 cell", "X * 1e155"]


@pytest.mark.parametrize("loss, penalty, X", OVERFLOWING, ids=OVERFLOWING_IDS)
def test_an_overflowing_curvature_ends_gradient_descent(loss, penalty, X):
    """Each of these looped forever in the backtracking search (the estimate of
    the curvature doubled to infinity); now gradient descent stops with the
    best finite iterate and says why. (The estimators refuse such data before
    fitting; the optimizer must still end on it.)"""
    problem = make_problem(X, Y, loss=loss, penalty=penalty, alpha=1e-4)
    with np.errstate(over="ignore", invalid="ignore"):
        result = gradient_descent(LinearObjective(problem), np.zeros(problem.n_params))
    assert not result.success
    assert "curvature overflows; scale the data" in result.message
    assert np.isfinite(result.x).all() and np.isfinite(result.fun)


@pytest.mark.parametrize("loss, penalty, X", OVERFLOWING, ids=OVERFLOWING_IDS)
def test_the_estimators_refuse_data_that_overflows(loss, penalty, X):
    Estimator = SoftmaxClassifier if loss == "cross_entropy" else SVMClassifier
    with pytest.raises(ValueError, match="X holds values too large"):
        Estimator(penalty=penalty).fit(X, Y)


def test_a_tiny_margin_ends_the_fit_with_a_warning():
    """The backtracking search also looped forever at margin=1e-200."""
    estimator = SVMClassifier(penalty="l1", margin=1e-200)
    with (
        np.errstate(over="ignore", invalid="ignore"),
        pytest.warns(ConvergenceWarning, match="curvature overflows; scale the data"),
    ):
        estimator.fit(RNG.normal(size=(20, 2)), Y)
    assert np.isfinite(estimator.coef_).all() and np.isfinite(estimator.objective_)


def test_a_validation_fraction_that_leaves_no_training_rows_is_named():
    """It used to report a test_size the user never set."""
    X, y = RNG.normal(size=(20, 2)), Y
    model = SoftmaxClassifier(
        optimizer="sgd", early_stopping=True, validation_fraction=0.999
    )
    with pytest.raises(ValueError, match=r"validation_fraction=0.999 holds out 20 of"):
        model.fit(X, y)
