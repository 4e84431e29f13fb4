"""Bad input to both classifiers raises clear errors (data, labels,
hyperparameters, weights, a step that blows up), and no method modifies its
inputs."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_array_equal
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import InvalidParameterError

from sklinear import SoftmaxClassifier, SVMClassifier

from _api_data import (
    ESTIMATOR_OPTIMIZERS,
    ESTIMATORS,
    FAST,
    IRIS_NAMES,
    START,
    X_IRIS,
    Y_IRIS,
    sparse_iris,
)

# -- 1. bad input --------------------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("bad, match", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_fit_rejects_nan_and_inf(Est, bad, match):
    """NaN or inf in X at fit raises a ValueError naming the problem."""
    X = X_IRIS.copy()
    X[3, 1] = bad
    with pytest.raises(ValueError, match=match):
        Est().fit(X, Y_IRIS)


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("bad, match", [(np.nan, "NaN"), (-np.inf, "infinity")])
def test_predict_rejects_nan_and_inf(Est, bad, match):
    """NaN or inf in X at predict raises a ValueError."""
    est = Est(**FAST).fit(X_IRIS, Y_IRIS)
    X = X_IRIS[:5].copy()
    X[0, 0] = bad
    with pytest.raises(ValueError, match=match):
        est.predict(X)


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("method", ["predict", "decision_function", "objective"])
def test_wrong_number_of_features(Est, method):
    """Data with another number of features than at fit is rejected."""
    est = Est(**FAST).fit(X_IRIS, Y_IRIS)
    args = (X_IRIS[:, :3], Y_IRIS) if method == "objective" else (X_IRIS[:, :3],)
    with pytest.raises(ValueError, match="3 features.*expecting 4 features"):
        getattr(est, method)(*args)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_single_class_rejected(Est):
    """A y with a single class raises a ValueError mentioning classes."""
    with pytest.raises(ValueError, match="class"):
        Est().fit(X_IRIS[:50], Y_IRIS[:50])


INVALID_PARAMS = [
    ("alpha", -1),
    ("l1_ratio", 2),
    ("max_iter", 0),
    ("learning_rate", -0.1),
    ("learning_rate", 0),
    ("learning_rate", "fast"),
    ("penalty", "l3"),
    ("optimizer", "newton"),
    ("tol", -1.0),
    ("n_candidates", 0),
    ("init_scale", 0.0),
    ("class_weight", "uniform"),
]


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("name, value", INVALID_PARAMS)
def test_invalid_hyperparameters(Est, name, value):
    """An invalid hyperparameter raises InvalidParameterError naming it."""
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        Est(**{name: value}).fit(X_IRIS, Y_IRIS)
    assert issubclass(InvalidParameterError, ValueError)


@pytest.mark.parametrize("margin", [0, -1.0])
def test_invalid_margin(margin):
    """SVMClassifier needs a positive margin."""
    with pytest.raises(InvalidParameterError, match="'margin' parameter"):
        SVMClassifier(margin=margin).fit(X_IRIS, Y_IRIS)


@pytest.mark.parametrize(
    "est", [SoftmaxClassifier(loss="hinge"), SVMClassifier(loss="cross_entropy")]
)
def test_loss_of_the_other_estimator_rejected(est):
    """Each estimator accepts only its own losses."""
    with pytest.raises(InvalidParameterError, match="'loss' parameter"):
        est.fit(X_IRIS, Y_IRIS)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_negative_sample_weight_rejected(Est):
    """Negative sample weights raise a ValueError, in fit and in objective."""
    sw = np.ones(len(Y_IRIS))
    sw[7] = -1.0
    with pytest.raises(ValueError, match="[Nn]egative"):
        Est().fit(X_IRIS, Y_IRIS, sample_weight=sw)
    est = Est(**FAST).fit(X_IRIS, Y_IRIS)
    with pytest.raises(ValueError, match="[Nn]egative"):
        est.objective(X_IRIS, Y_IRIS, sample_weight=sw)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_all_zero_sample_weight_rejected(Est):
    """Sample weights that are all zero raise a ValueError."""
    with pytest.raises(ValueError, match="non-zero"):
        Est().fit(X_IRIS, Y_IRIS, sample_weight=np.zeros(len(Y_IRIS)))


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_learning_rate_blow_up_raises(Est):
    """A fixed learning_rate that blows the objective up raises a ValueError naming it."""
    est = Est(optimizer="gd", learning_rate=1e6, alpha=1.0)
    with pytest.raises(ValueError, match="learning_rate"):
        est.fit(X_IRIS, Y_IRIS)
    assert not hasattr(est, "coef_")
    # A failed refit leaves the previous (finite) solution in place.
    est.set_params(learning_rate="auto").fit(X_IRIS, Y_IRIS)
    previous = est.coef_.copy()
    with pytest.raises(ValueError, match="learning_rate"):
        est.set_params(learning_rate=1e6).fit(X_IRIS, Y_IRIS)
    assert np.isfinite(est.coef_).all() and np.isfinite(est.intercept_).all()
    assert_array_equal(est.coef_, previous)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_learning_rate_blow_up_float32_no_runtime_warning(Est):
    """A huge learning_rate on float32 data raises the ValueError without RuntimeWarnings."""
    est = Est(optimizer="gd", learning_rate=1e50, alpha=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ValueError, match="learning_rate"):
            est.fit(X_IRIS.astype(np.float32), Y_IRIS)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_fixed_learning_rate_never_silently_returns_start(Est):
    """A fixed-step fit that never improves on zero must fail loudly, not succeed."""
    est = Est(optimizer="gd", learning_rate=1e3, alpha=0.0)
    loud = False
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        try:
            est.fit(X_IRIS, Y_IRIS)
        except ValueError as exc:
            loud = "learning_rate" in str(exc)
    loud = loud or any(issubclass(w.category, ConvergenceWarning) for w in record)
    assert loud or est.objective_ < 0.99 * START[Est]


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("strings", [False, True])
def test_objective_rejects_unseen_labels(Est, strings):
    """objective(X, y) with a label not seen during fit raises a ValueError."""
    y = IRIS_NAMES if strings else Y_IRIS
    est = Est(**FAST).fit(X_IRIS, y)
    y_bad = y.copy()
    y_bad[-1] = "unknown" if strings else 5
    assert y_bad.dtype == y.dtype
    with pytest.raises(ValueError, match="not seen during fit"):
        est.objective(X_IRIS, y_bad)
    with pytest.raises(ValueError, match="not seen during fit"):
        est.objective(X_IRIS, Y_IRIS if strings else IRIS_NAMES)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_objective_rejects_mixed_type_labels(Est):
    """An object y mixing ints and strings gives a ValueError, as fit does."""
    est = Est(**FAST).fit(X_IRIS, Y_IRIS)
    y_bad = Y_IRIS.astype(object)
    y_bad[-1] = "unknown"
    with pytest.raises(ValueError, match=r"y has labels of mixed types"):
        Est(**FAST).fit(X_IRIS, y_bad)
    with pytest.raises(ValueError, match=r"y has labels of mixed types"):
        est.objective(X_IRIS, y_bad)


# -- 2. inputs are not modified --------------------------------------------------


def _snapshot(X):
    if sp.issparse(X):
        return X.format, X.data.copy(), X.indices.copy(), X.indptr.copy()
    return X.copy()


def _unchanged(X, snapshot):
    if sp.issparse(X):
        now = (X.format, X.data, X.indices, X.indptr)
        return all(
            np.array_equal(a, b) for a, b in zip(now[1:], snapshot[1:], strict=True)
        ) and (now[0] == snapshot[0])
    return np.array_equal(X, snapshot) and X.dtype == snapshot.dtype


def _unsorted_csr(X):
    """A CSR matrix whose column indices are reversed within every row."""
    A = sp.csr_matrix(X)
    data, indices = A.data.copy(), A.indices.copy()
    for i in range(A.shape[0]):
        s, e = A.indptr[i], A.indptr[i + 1]
        data[s:e], indices[s:e] = data[s:e][::-1], indices[s:e][::-1]
    B = sp.csr_matrix((data, indices, A.indptr.copy()), shape=A.shape)
    assert not B.has_sorted_indices
    return B


MAKERS = {
    "dense": lambda X: X.copy(),
    "dense_f32_fortran": lambda X: np.asfortranarray(X, dtype=np.float32),
    "csr": sp.csr_matrix,
    "csc": sp.csc_matrix,
    "csr_unsorted": _unsorted_csr,
}


@pytest.mark.parametrize("Est, optimizer", ESTIMATOR_OPTIMIZERS)
@pytest.mark.parametrize("fmt", list(MAKERS))
def test_inputs_not_modified(Est, optimizer, fmt):
    """fit, predict, decision_function and objective leave X, y and sample_weight intact."""
    X = MAKERS[fmt](sparse_iris())
    y = Y_IRIS.copy()
    sw = np.linspace(0.5, 2.0, len(y))
    X0, y0, sw0 = _snapshot(X), y.copy(), sw.copy()
    est = Est(optimizer=optimizer, class_weight="balanced", n_candidates=100, **FAST)
    est.fit(X, y, sample_weight=sw)
    est.predict(X)
    est.decision_function(X)
    est.objective(X, y, sample_weight=sw)
    assert _unchanged(X, X0)
    assert_array_equal(y, y0)
    assert_array_equal(sw, sw0)
