"""Fixtures of the optimizer tests."""

import pytest

from sklinear import SoftmaxClassifier, SVMClassifier

from _reference import standardized_dataset

ESTIMATOR = {
    "cross_entropy": SoftmaxClassifier,
    "squared_hinge": SVMClassifier,
    "hinge": SVMClassifier,
    "crammer_singer": SVMClassifier,
}


def _fit(loss, **params):
    X, y = standardized_dataset(params.pop("data", "wine"))
    return ESTIMATOR[loss](loss=loss, **params).fit(X, y), X, y


@pytest.fixture
def fit():
    """``fit(loss, data="wine", **params)``: the classifier of ``loss`` with
    ``params``, fitted on a standardized data set; returns it, X and y."""
    return _fit
