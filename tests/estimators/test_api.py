"""The public API of both classifiers: fitted attributes, the two-class
convention, labels of any type, probabilities, convergence warnings,
verbosity and scikit-learn integration."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit, softmax
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklinear import SoftmaxClassifier, SVMClassifier
from sklinear.optimizers import OPTIMIZERS

from _api_data import (
    BINARY,
    ESTIMATOR_OPTIMIZERS,
    ESTIMATORS,
    FAST,
    IRIS,
    IRIS_NAMES,
    OPTIMIZER_CHOICES,
    X_IRIS,
    X_WINE,
    Y_IRIS,
    Y_WINE,
    can_fit,
)

# -- 1. fitted attributes ---------------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("binary", [False, True])
def test_fitted_attribute_shapes(Est, binary):
    """coef_, intercept_, classes_ and n_features_in_ have scikit-learn's shapes."""
    X, y = (X_IRIS[BINARY], Y_IRIS[BINARY]) if binary else (X_IRIS, Y_IRIS)
    est = Est(**FAST).fit(X, y)
    n_rows = 1 if binary else 3
    assert est.coef_.shape == (n_rows, 4)
    assert est.intercept_.shape == (n_rows,)
    assert_array_equal(est.classes_, np.unique(y))
    assert est.n_features_in_ == 4
    assert not hasattr(est, "feature_names_in_")


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_feature_names_in(Est):
    """A DataFrame with string columns sets feature_names_in_; a refit on an array removes it."""
    columns = ["sepal_l", "sepal_w", "petal_l", "petal_w"]
    est = Est(**FAST).fit(pd.DataFrame(X_IRIS, columns=columns), Y_IRIS)
    assert_array_equal(est.feature_names_in_, columns)
    assert est.n_features_in_ == 4
    assert_array_equal(
        est.predict(pd.DataFrame(X_IRIS, columns=columns)),
        Est(**FAST).fit(X_IRIS, Y_IRIS).predict(X_IRIS),
    )
    est.fit(X_IRIS, Y_IRIS)
    assert not hasattr(est, "feature_names_in_")


@pytest.mark.parametrize("Est, optimizer", ESTIMATOR_OPTIMIZERS)
def test_iteration_and_objective_attributes(Est, optimizer):
    """n_iter_ == len(loss_curve_), objective_ == objective(X, y), optimizer_ is a known name."""
    est = Est(optimizer=optimizer, random_state=0, n_candidates=300, **FAST)
    est.fit(X_WINE, Y_WINE)
    assert isinstance(est.n_iter_, (int, np.integer)) and est.n_iter_ >= 1
    assert est.n_iter_ == len(est.loss_curve_)
    assert isinstance(est.optimizer_, str) and est.optimizer_ in OPTIMIZERS
    if optimizer != "auto":
        assert est.optimizer_ == optimizer
    assert est.objective_ == pytest.approx(est.objective(X_WINE, Y_WINE), rel=1e-10)
    if est.optimizer_ != "random_search":  # a descent method keeps its best iterate
        assert est.objective_ == pytest.approx(est.loss_curve_.min(), rel=1e-10)
    if optimizer == "random_search":
        assert est.n_iter_ == -(-300 // 64)  # one iteration per batch of 64
        assert est.objective_ == est.loss_curve_[-1]
        assert np.all(np.diff(est.loss_curve_) <= 0)


# -- 2. the two-class convention --------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_binary_convention(Est):
    """Two classes: 1-D scores, positive means classes_[1], coef_ = W[:, 1] - W[:, 0]."""
    X, y = X_IRIS[BINARY], IRIS_NAMES[BINARY]
    X = X + np.random.RandomState(0).normal(scale=2.0, size=X.shape)  # overlap
    est = Est(**FAST).fit(X, y)
    d = est.decision_function(X)
    assert d.shape == (len(y),)
    assert np.any(d > 0) and np.any(d < 0)
    assert_array_equal(est.predict(X), est.classes_[(d > 0).astype(int)])
    assert est._W.shape == (4, 2)
    assert_allclose(est.coef_[0], est._W[:, 1] - est._W[:, 0], rtol=1e-12)
    assert_allclose(est.intercept_[0], est._b[1] - est._b[0], rtol=1e-12)
    assert_allclose(d, X @ est.coef_[0] + est.intercept_[0], rtol=1e-10, atol=1e-12)
    S = X @ est._W + est._b
    assert_allclose(d, S[:, 1] - S[:, 0], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_multiclass_decision_function_is_xw_plus_b(Est):
    """Three classes: decision_function is X W + b and coef_ is W transposed."""
    est = Est(**FAST).fit(X_IRIS, Y_IRIS)
    assert_allclose(est.coef_, est._W.T, rtol=0, atol=0)
    assert_allclose(est.decision_function(X_IRIS), X_IRIS @ est._W + est._b, rtol=1e-12)
    d = est.decision_function(X_IRIS)
    assert_array_equal(est.predict(X_IRIS), est.classes_[d.argmax(axis=1)])


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("binary", [False, True])
def test_fit_intercept_false(Est, binary):
    """fit_intercept=False gives intercept_ == 0 and scores X @ coef_.T."""
    X, y = (X_IRIS[BINARY], Y_IRIS[BINARY]) if binary else (X_IRIS, Y_IRIS)
    est = Est(fit_intercept=False, **FAST).fit(X, y)
    assert np.all(est.intercept_ == 0.0)
    assert np.all(est._b == 0.0)
    assert np.any(est.coef_ != 0.0)
    assert_allclose(est.decision_function(X), np.squeeze(X @ est.coef_.T), rtol=1e-12)


# -- 3. labels of any type --------------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize(
    "labels",
    [
        np.array(["setosa", "versicolor", "virginica"]),
        np.array([3, 7, 11]),
        np.array(["no", "yes"]),
        np.array([3, 7]),
    ],
    ids=["str3", "int3", "str2", "int2"],
)
def test_arbitrary_labels(Est, labels):
    """String, integer and float labels are returned by predict; score works."""
    mask = Y_IRIS < len(labels)
    X, y = X_IRIS[mask], labels[Y_IRIS[mask]]
    est = Est(**FAST).fit(X, y)
    assert_array_equal(est.classes_, np.sort(labels))
    pred = est.predict(X)
    assert pred.dtype == y.dtype
    assert set(pred) <= set(labels)
    assert est.score(X, y) > 0.9
    reference = Est(**FAST).fit(X, Y_IRIS[mask])
    assert_array_equal(pred, labels[reference.predict(X)])
    assert est.objective(X, y) == pytest.approx(est.objective_, rel=1e-10)


# -- 4. probabilities ------------------------------------------------------------------


@pytest.mark.parametrize("binary", [False, True])
def test_predict_proba(binary):
    """Rows sum to one, argmax is predict, and they are the softmax of the scores."""
    X, y = (X_IRIS[BINARY], IRIS_NAMES[BINARY]) if binary else (X_IRIS, IRIS_NAMES)
    X = X + np.random.RandomState(0).normal(scale=1.0, size=X.shape)
    est = SoftmaxClassifier(**FAST).fit(X, y)
    proba = est.predict_proba(X)
    assert proba.shape == (len(y), len(est.classes_))
    assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all((proba >= 0) & (proba <= 1))
    assert_array_equal(est.classes_[proba.argmax(axis=1)], est.predict(X))
    d = est.decision_function(X)
    expected = (
        np.column_stack([1 - expit(d), expit(d)]) if binary else softmax(d, axis=1)
    )
    assert_allclose(proba, expected, rtol=1e-10, atol=1e-15)
    assert_allclose(est.predict_log_proba(X), np.log(expected), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("binary", [False, True])
def test_log_proba_finite_for_extreme_inputs(binary):
    """predict_log_proba stays finite (and predict_proba normalised) for huge scores."""
    X, y = (X_IRIS[BINARY], Y_IRIS[BINARY]) if binary else (X_IRIS, Y_IRIS)
    est = SoftmaxClassifier(**FAST).fit(X, y)
    X_big = X * 1e6
    log_proba = est.predict_log_proba(X_big)
    assert np.all(np.isfinite(log_proba))
    assert np.all(log_proba <= 0)
    assert np.min(log_proba) < -1e3  # the extreme scores really are extreme
    proba = est.predict_proba(X_big)
    assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert_array_equal(est.classes_[log_proba.argmax(axis=1)], est.predict(X_big))


def test_svm_has_no_predict_proba():
    """SVMClassifier exposes neither predict_proba nor predict_log_proba."""
    est = SVMClassifier(**FAST).fit(X_IRIS, Y_IRIS)
    assert not hasattr(SVMClassifier(), "predict_proba")
    assert not hasattr(est, "predict_proba")
    assert not hasattr(est, "predict_log_proba")
    assert hasattr(SoftmaxClassifier(), "predict_proba")


# -- 5. convergence warnings ------------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize(
    "optimizer, learning_rate",
    [(name, "auto") for name in OPTIMIZER_CHOICES if not name.startswith("random")]
    + [("gd", 0.01)],
)
def test_max_iter_reached_warns(Est, optimizer, learning_rate):
    """An iterative method stopped by max_iter raises a ConvergenceWarning."""
    if not can_fit(Est, optimizer):
        pytest.skip(f"{optimizer} cannot fit {Est.__name__}'s loss")
    est = Est(optimizer=optimizer, learning_rate=learning_rate, max_iter=2)
    with pytest.warns(ConvergenceWarning, match="did not converge.*Increase max_iter"):
        est.fit(X_IRIS, Y_IRIS)
    assert est.n_iter_ == 2


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_a_stop_before_max_iter_gives_its_own_advice(Est):
    """Only a fit that used its whole budget is told to raise ``max_iter``: a
    step too small to move the model stops early, and more iterations of it
    would not help."""
    est = Est(optimizer="gd", learning_rate=1e-300, max_iter=1000)
    with pytest.warns(ConvergenceWarning) as caught:
        est.fit(X_IRIS, Y_IRIS)
    (message,) = [str(w.message) for w in caught if w.category is ConvergenceWarning]
    assert est.n_iter_ < est.max_iter
    assert "use a larger learning_rate" in message
    assert "max_iter" not in message


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_converged_fit_does_not_warn(Est):
    """A fit that converges raises no ConvergenceWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        est = Est(**FAST).fit(X_IRIS, Y_IRIS)
    assert est.n_iter_ < est.max_iter


# -- 6. verbose -------------------------------------------------------------------


@pytest.mark.parametrize("Est, optimizer", ESTIMATOR_OPTIMIZERS)
def test_verbose_one_line_per_iteration(Est, optimizer, capsys):
    """verbose=1 prints one line per iteration; verbose=0 prints nothing."""
    est = Est(optimizer=optimizer, verbose=1, n_candidates=200, random_state=0, **FAST)
    est.fit(X_IRIS, Y_IRIS)
    lines = [
        line for line in capsys.readouterr().out.splitlines() if "iteration" in line
    ]
    assert len(lines) == est.n_iter_ > 1
    est.set_params(verbose=0).fit(X_IRIS, Y_IRIS)
    assert capsys.readouterr().out == ""


# -- 7. scikit-learn integration ----------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_pipeline_cross_val_score(Est):
    """StandardScaler + estimator scores above 0.9 in 3-fold CV on iris, without warnings."""
    pipe = make_pipeline(StandardScaler(), Est(alpha=1e-3))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        scores = cross_val_score(
            pipe, IRIS.data, IRIS.target, cv=3, error_score="raise"
        )
    assert scores.mean() > 0.9


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_digits_slice_accuracy(Est):
    """On a slice of digits the training accuracy is high (a 10-class, 64-feature check)."""
    X, y = load_digits(return_X_y=True)
    X, y = X[:300] / 16.0, y[:300]
    est = Est(**FAST).fit(X, y)
    assert est.coef_.shape == (10, 64)
    assert est.score(X, y) > 0.95


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_clone_and_params_round_trip(Est):
    """clone, get_params and set_params round-trip every hyperparameter."""
    est = Est(alpha=0.3, penalty="elasticnet", l1_ratio=0.4, class_weight={0: 2.0})
    params = est.get_params()
    assert params["alpha"] == 0.3 and params["l1_ratio"] == 0.4
    cloned = clone(est)
    assert cloned is not est
    assert cloned.get_params() == params
    assert Est().set_params(**params).get_params() == params
    assert est.set_params(alpha=0.5) is est and est.alpha == 0.5
    fitted = Est(**FAST).fit(X_IRIS, Y_IRIS)
    assert not hasattr(clone(fitted), "coef_")


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_pickle_round_trip(Est):
    """A pickled and unpickled estimator predicts identically."""
    X, y = make_classification(
        n_samples=200, n_features=6, n_informative=4, n_classes=3, random_state=0
    )
    est = Est(**FAST).fit(X, y)
    restored = pickle.loads(pickle.dumps(est))
    assert_array_equal(restored.predict(X), est.predict(X))
    assert_array_equal(restored.decision_function(X), est.decision_function(X))
    assert_array_equal(restored.coef_, est.coef_)
    assert restored.objective(X, y) == est.objective(X, y)
