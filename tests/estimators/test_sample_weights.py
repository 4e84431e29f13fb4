"""Sample and class weights of both classifiers: an integer weight is that many
repetitions of the row, a zero weight its removal, and class_weight the
equivalent sample_weight, in fit and in objective."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.utils import compute_sample_weight

from sklinear import SoftmaxClassifier

from _api_data import ESTIMATORS, FAST, X_IRIS, X_WINE, Y_IRIS, Y_WINE

PRECISE = {"alpha": 1e-2, "tol": 1e-10, "max_iter": 5000}


def test_integer_weight_equals_repetition():
    """SoftmaxClassifier: weight k equals the row repeated k times, weight 0 removes it."""
    rng = np.random.RandomState(0)
    sw = rng.randint(0, 4, size=len(Y_IRIS))
    weighted = SoftmaxClassifier(**PRECISE).fit(X_IRIS, Y_IRIS, sample_weight=sw)
    rows = np.repeat(np.arange(len(Y_IRIS)), sw)
    repeated = SoftmaxClassifier(**PRECISE).fit(X_IRIS[rows], Y_IRIS[rows])
    assert np.sum(sw == 0) > 10 and np.sum(sw > 1) > 10
    assert_allclose(weighted.coef_, repeated.coef_, atol=1e-6)
    assert_allclose(weighted.intercept_, repeated.intercept_, atol=1e-6)


def test_zero_weight_equals_removal():
    """SoftmaxClassifier: rows of weight 0 do not matter."""
    sw = np.ones(len(Y_IRIS))
    sw[::3] = 0.0
    weighted = SoftmaxClassifier(**PRECISE).fit(X_IRIS, Y_IRIS, sample_weight=sw)
    kept = sw > 0
    removed = SoftmaxClassifier(**PRECISE).fit(X_IRIS[kept], Y_IRIS[kept])
    assert_allclose(weighted.coef_, removed.coef_, atol=1e-6)
    assert_allclose(weighted.intercept_, removed.intercept_, atol=1e-6)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_objective_weight_equals_repetition(Est):
    """objective(X, y, sample_weight=k) equals the objective on rows repeated k times."""
    est = Est(**FAST).fit(X_IRIS, Y_IRIS)
    sw = np.random.RandomState(1).randint(0, 4, size=len(Y_IRIS))
    rows = np.repeat(np.arange(len(Y_IRIS)), sw)
    assert est.objective(X_IRIS, Y_IRIS, sample_weight=sw) == pytest.approx(
        est.objective(X_IRIS[rows], Y_IRIS[rows]), rel=1e-10
    )


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("class_weight", ["balanced", {0: 1.0, 1: 3.0, 2: 0.5}])
def test_class_weight_equals_sample_weight(Est, class_weight):
    """class_weight gives the same fit as the equivalent sample_weight."""
    by_class = Est(class_weight=class_weight, random_state=0, **FAST)
    by_class.fit(X_WINE, Y_WINE)
    sw = compute_sample_weight(class_weight, Y_WINE)
    by_sample = Est(random_state=0, **FAST).fit(X_WINE, Y_WINE, sample_weight=sw)
    assert_allclose(by_class.coef_, by_sample.coef_, atol=1e-8)
    assert_allclose(by_class.intercept_, by_sample.intercept_, atol=1e-8)
    unweighted = Est(**FAST).fit(X_WINE, Y_WINE)
    assert not np.allclose(by_class.coef_, unweighted.coef_, atol=1e-3)
    # objective() applies class_weight too.
    assert by_class.objective(X_WINE, Y_WINE) == pytest.approx(
        by_class.objective_, rel=1e-10
    )
