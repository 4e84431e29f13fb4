"""Bitwise comparison of fitted models, shared by the reproducibility and
threading tests, and the small data set both fit on.

Bitwise means ``a.tobytes() == b.tobytes()`` with equal dtype and shape, not
closeness: any difference, however small, is a failure.
"""

import numpy as np
from sklearn.datasets import make_classification


def multiclass():
    """Dense float64, three classes, integer labels."""
    X, y = make_classification(
        n_samples=80,
        n_features=6,
        n_informative=4,
        n_classes=3,
        random_state=0,
    )
    return X, y


def fitted_arrays(estimator, X):
    """Everything a fit determines, as arrays to compare bitwise."""
    return {
        "coef_": estimator.coef_,
        "intercept_": estimator.intercept_,
        "classes_": estimator.classes_,
        "loss_curve_": estimator.loss_curve_,
        "n_iter_": np.asarray(estimator.n_iter_),
        "objective_": np.asarray(estimator.objective_),
        "predict": estimator.predict(X),
        "decision_function": estimator.decision_function(X),
    }


def assert_bitwise_equal(actual, expected):
    """Same keys, and arrays with the same dtype, shape and bytes."""
    assert actual.keys() == expected.keys()
    for key, value in expected.items():
        other = actual[key]
        assert other.dtype == value.dtype, key
        assert other.shape == value.shape, key
        assert np.array_equal(other, value), key
        if value.dtype != object:
            assert other.tobytes() == value.tobytes(), key
