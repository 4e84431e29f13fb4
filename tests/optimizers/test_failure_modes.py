"""Loops that cannot hang and splits that cannot be empty: clear warnings and errors."""

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sklinear import SoftmaxClassifier, SVMClassifier

RNG = np.random.default_rng(0)
Y = RNG.integers(3, size=20)
HUGE_CELL = RNG.normal(size=(20, 2))
HUGE_CELL[0, 0] = 1e200


@pytest.mark.parametrize(
    "estimator, X",
    [
        (SVMClassifier(penalty="l1"), HUGE_CELL),
        (SoftmaxClassifier(penalty="elasticnet"), HUGE_CELL),
        (
            SoftmaxClassifier(optimizer="gd", max_iter=1),
            RNG.normal(size=(20, 2)) * 1e155,
        ),
        (SVMClassifier(penalty="l1", margin=1e-200), RNG.normal(size=(20, 2))),
    ],
    ids=[
        "l1 svm, a 1e200 cell",
        "elastic net, a 1e200 cell",
        "gd, X * 1e155",
        "margin 1e-200",
    ],
)
def test_an_overflowing_curvature_ends_the_fit_with_a_warning(estimator, X):
    """Each of these looped forever in the backtracking search (the estimate of
    the curvature doubled to infinity); now the fit stops with the best finite
    iterate and says why."""
    with (
        np.errstate(over="ignore", invalid="ignore"),
        pytest.warns(ConvergenceWarning, match="curvature overflows; scale the data"),
    ):
        estimator.fit(X, Y)
    assert np.isfinite(estimator.coef_).all() and np.isfinite(estimator.objective_)


def test_a_validation_fraction_that_leaves_no_training_rows_is_named():
    """It used to report a test_size the user never set."""
    X, y = RNG.normal(size=(20, 2)), Y
    model = SoftmaxClassifier(
        optimizer="sgd", early_stopping=True, validation_fraction=0.999
    )
    with pytest.raises(ValueError, match=r"validation_fraction=0.999 holds out 20 of"):
        model.fit(X, y)
