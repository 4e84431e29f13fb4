"""Sparse and low-precision input to both classifiers: CSR and CSC data give the
dense fit and are never densified; float32 data trains in float32, float64
and integer data in float64."""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.utils.validation import check_array

from _api_data import (
    ESTIMATOR_OPTIMIZERS,
    ESTIMATORS,
    FAST,
    X_IRIS,
    X_WINE,
    Y_IRIS,
    Y_WINE,
    sparse_iris,
)

# -- 1. sparse input -----------------------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_matches_dense(Est, fmt):
    """CSR and CSC input give the dense fit's coefficients and predictions."""
    X = sparse_iris()
    Xs = getattr(sp, f"{fmt}_matrix")(X)
    dense = Est(random_state=0, **FAST).fit(X, Y_IRIS)
    sparse = Est(random_state=0, **FAST).fit(Xs, Y_IRIS)
    assert_allclose(sparse.coef_, dense.coef_, atol=1e-6)
    assert_allclose(sparse.intercept_, dense.intercept_, atol=1e-6)
    assert_array_equal(sparse.predict(Xs), dense.predict(X))
    assert_allclose(sparse.decision_function(Xs), dense.decision_function(X), atol=1e-6)
    assert sparse.objective(Xs, Y_IRIS) == pytest.approx(dense.objective_, rel=1e-8)


class _NoDensifyCSR(sp.csr_matrix):
    """A CSR matrix that fails on densification and counts products with it."""

    n_matmul = 0

    def toarray(self, *args, **kwargs):
        raise AssertionError("toarray() called: the sparse input was densified")

    def todense(self, *args, **kwargs):
        raise AssertionError("todense() called: the sparse input was densified")

    def __array__(self, *args, **kwargs):
        raise AssertionError("__array__() called: the sparse input was densified")

    def __matmul__(self, other):
        type(self).n_matmul += 1
        return super().__matmul__(other)


@pytest.mark.parametrize("Est, optimizer", ESTIMATOR_OPTIMIZERS)
def test_sparse_never_densified(Est, optimizer):
    """The (subclassed) sparse X reaches the computations as is and is never densified."""
    Xs = _NoDensifyCSR(sparse_iris())
    # scikit-learn's validation keeps the subclass (it is not converted to a
    # plain csr_matrix), so the guards below are live during fit and predict.
    assert type(check_array(Xs, accept_sparse=["csr", "csc"])) is _NoDensifyCSR
    with pytest.raises(AssertionError, match="densified"):
        np.asarray(Xs)
    _NoDensifyCSR.n_matmul = 0
    est = Est(optimizer=optimizer, n_candidates=100, random_state=0, **FAST)
    est.fit(Xs, Y_IRIS)
    # The objective multiplied with Xs itself; the dual solver's kernel reads
    # its CSR arrays row by row instead (densifying would still have raised).
    # Its exact finish copies the few rows of its active set (a plain CSR
    # copy, made dense only within its memory budget), never X.
    assert _NoDensifyCSR.n_matmul >= 1 or est.optimizer_ == "dual_cd"
    for method in ["predict", "decision_function"]:
        _NoDensifyCSR.n_matmul = 0
        getattr(est, method)(Xs)
        assert _NoDensifyCSR.n_matmul >= 1
    est.objective(Xs, Y_IRIS)
    if hasattr(est, "predict_proba"):
        est.predict_proba(Xs)
    # The same arithmetic as a plain CSR matrix: the same model, bit for bit.
    # (Against dense X the products round differently, and an approximate
    # solver's result moves with its path; that comparison is the test above.)
    plain = Est(optimizer=optimizer, n_candidates=100, random_state=0, **FAST)
    plain.fit(sp.csr_matrix(sparse_iris()), Y_IRIS)
    assert_array_equal(est.coef_, plain.coef_)
    assert_array_equal(est.intercept_, plain.intercept_)


# -- 2. float32 ------------------------------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("sparse", [False, True])
def test_float32_preserved(Est, sparse):
    """float32 X trains in float32 and predicts almost like the float64 fit."""
    X32 = X_WINE.astype(np.float32)
    X32 = sp.csr_matrix(X32) if sparse else X32
    est32 = Est(**FAST).fit(X32, Y_WINE)
    est64 = Est(**FAST).fit(X_WINE, Y_WINE)
    assert est32.coef_.dtype == np.float32
    assert est32.intercept_.dtype == np.float32
    assert est32.decision_function(X32).dtype == np.float32
    agreement = np.mean(est32.predict(X32) == est64.predict(X_WINE))
    assert agreement >= 0.97
    assert np.isfinite(est32.objective_)


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.int32])
def test_float64_and_int_give_float64(Est, dtype):
    """float64 and integer X give float64 coefficients."""
    X = np.round(X_IRIS * 10).astype(dtype)
    est = Est(**FAST).fit(X, Y_IRIS)
    assert est.coef_.dtype == np.float64
    assert est.intercept_.dtype == np.float64
    assert est.decision_function(X).dtype == np.float64
