"""sparsify() and densify(): coef_ as a CSR matrix and back, as scikit-learn's
linear classifiers have it, with every method still working on the model."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import NotFittedError

from sklinear import SoftmaxClassifier

from _api_data import BINARY, ESTIMATORS, X_IRIS, Y_IRIS

#: An L1 fit: the case sparsify is for (a third of the weights exactly zero).
L1 = {"penalty": "l1", "alpha": 0.05, "max_iter": 200}


def _outputs(model, X):
    outputs = {
        "predict": model.predict(X),
        "decision_function": model.decision_function(X),
    }
    if isinstance(model, SoftmaxClassifier):
        outputs["predict_proba"] = model.predict_proba(X)
        outputs["predict_log_proba"] = model.predict_log_proba(X)
    return outputs


def _assert_same_outputs(model, X, expected):
    for method, values in _outputs(model, X).items():
        if method == "predict":
            assert_array_equal(values, expected[method])
        else:  # a sparse product sums in another order
            tol = 100 * np.finfo(values.dtype).eps
            assert_allclose(values, expected[method], rtol=tol, atol=tol)


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("binary", [False, True], ids=["3_classes", "2_classes"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sparsify_densify_round_trip(Est, binary, dtype):
    X = X_IRIS[BINARY] if binary else X_IRIS
    y = Y_IRIS[BINARY] if binary else Y_IRIS
    X = X.astype(dtype)
    model = Est(**L1).fit(X, y)
    dense_coef = model.coef_.copy()
    assert (dense_coef == 0).any()
    expected = _outputs(model, X)

    assert model.sparsify() is model
    assert sp.issparse(model.coef_) and model.coef_.format == "csr"
    assert model.coef_.shape == dense_coef.shape == (1 if binary else 3, 4)
    assert model.coef_.dtype == dtype
    assert model.coef_.nnz == np.count_nonzero(dense_coef)
    assert isinstance(model.intercept_, np.ndarray)
    _assert_same_outputs(model, X, expected)
    _assert_same_outputs(model, sp.csr_matrix(X), expected)
    model.score(X, y)

    assert model.densify() is model
    assert type(model.coef_) is np.ndarray and model.coef_.dtype == dtype
    assert_array_equal(model.coef_, dense_coef)
    _assert_same_outputs(model, X, expected)
    # densify on a dense coef_ changes nothing.
    assert model.densify() is model
    assert_array_equal(model.coef_, dense_coef)


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("method", ["sparsify", "densify"])
def test_sparsify_densify_need_a_fitted_model(Est, method):
    with pytest.raises(NotFittedError, match=f"must be fitted before {method[:-1]}"):
        getattr(Est(), method)()


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_a_sparse_coef_survives_pickling(Est):
    model = Est(**L1).fit(X_IRIS, Y_IRIS)
    expected = _outputs(model, X_IRIS)
    copy = pickle.loads(pickle.dumps(model.sparsify()))
    assert sp.issparse(copy.coef_) and copy.coef_.format == "csr"
    _assert_same_outputs(copy, X_IRIS, expected)
    assert copy.objective(X_IRIS, Y_IRIS) == model.objective(X_IRIS, Y_IRIS)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_warm_start_from_a_sparsified_model(Est):
    """A warm refit starts from the kept solution and sets a dense coef_ again:
    the same model as a warm refit of the model never sparsified."""
    params = {**L1, "optimizer": "gd", "warm_start": True}
    plain = Est(**params).fit(X_IRIS, Y_IRIS)
    sparsified = Est(**params).fit(X_IRIS, Y_IRIS).sparsify()
    assert sparsified.objective(X_IRIS, Y_IRIS) == plain.objective(X_IRIS, Y_IRIS)
    for model in (plain, sparsified):
        model.set_params(alpha=0.02).fit(X_IRIS, Y_IRIS)
    assert type(sparsified.coef_) is np.ndarray
    assert_array_equal(sparsified.coef_, plain.coef_)
    assert sparsified.n_iter_ == plain.n_iter_


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_partial_fit_after_sparsify(Est):
    """Unlike scikit-learn's SGDClassifier, partial_fit needs no densify()."""
    params = {"optimizer": "sgd", "random_state": 0, "batch_size": 32}
    halves = np.array_split(np.random.default_rng(0).permutation(len(Y_IRIS)), 2)
    plain, sparsified = Est(**params), Est(**params)
    for model in (plain, sparsified):
        model.partial_fit(X_IRIS[halves[0]], Y_IRIS[halves[0]], classes=[0, 1, 2])
    sparsified.sparsify()
    for model in (plain, sparsified):
        model.partial_fit(X_IRIS[halves[1]], Y_IRIS[halves[1]])
    assert type(sparsified.coef_) is np.ndarray
    assert_array_equal(sparsified.coef_, plain.coef_)
