"""Reproducibility: the same ``random_state`` and data give bitwise-identical
models across fits, across processes and across a save/load round trip
(pickle, joblib, skops), for every optimizer of both classifiers. Fits in
concurrent threads are compared the same way in test_threading.py.

Bitwise means ``a.tobytes() == b.tobytes()`` with equal dtype and shape, not
closeness: any difference, however small, is a failure.
"""

import io
import json
import os
import pickle
import subprocess
import sys
import textwrap

import joblib
import numpy as np
import pytest
import scipy.sparse as sp
import skops.io
from sklearn.base import clone
from sklearn.datasets import make_classification

import sklinear
from sklinear import SoftmaxClassifier, SVMClassifier
from sklinear.optimizers import OPTIMIZERS

from _api_data import ESTIMATOR_OPTIMIZERS, ESTIMATORS
from _bitwise import assert_bitwise_equal, fitted_arrays, multiclass

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _budget(optimizer):
    """A small budget (every fit below takes milliseconds), of the optimizer's kind."""
    spec = OPTIMIZERS.get(optimizer)
    if spec is not None and not spec.counts_max_iter:
        return {"n_candidates": 200, "random_state": 0}
    return {"max_iter": 200, "random_state": 0}


def _binary_sparse():
    """CSR float32 with about 70% zeros, two string labels."""
    X, y = make_classification(n_samples=60, n_features=8, random_state=1)
    X[np.abs(X) < 1.0] = 0.0
    return sp.csr_matrix(X.astype(np.float32)), np.array(["no", "yes"])[y]


DATASETS = {"multiclass": multiclass(), "binary_sparse": _binary_sparse()}


def _case(Estimator, dataset="multiclass", **params):
    name = "-".join(
        [Estimator.__name__, dataset, *(f"{k}={v}" for k, v in params.items())]
    )
    return pytest.param(
        Estimator,
        dataset,
        {**_budget(params.get("optimizer")), "alpha": 1e-2, **params},
        id=name,
    )


#: Every optimizer of both estimators, plus penalties, losses and sgd options
#: that take other code paths (proximal steps, momentum, averaging, sparse
#: float32 data).
CASES = [
    _case(Estimator, optimizer=name) for Estimator, name in ESTIMATOR_OPTIMIZERS
] + [
    _case(SVMClassifier, loss="crammer_singer", optimizer="dual_cd"),
    _case(SVMClassifier, "binary_sparse", loss="squared_hinge", optimizer="dual_cd"),
    _case(SVMClassifier, loss="squared_hinge", optimizer="lbfgs"),
    _case(SVMClassifier, loss="crammer_singer", optimizer="gd", penalty="l1"),
    _case(SoftmaxClassifier, optimizer="gd", penalty="elasticnet"),
    _case(
        SoftmaxClassifier,
        optimizer="sgd",
        penalty="l1",
        batch_size=8,
        momentum=0.9,
        nesterov=True,
        average=True,
    ),
    _case(SVMClassifier, optimizer="sgd", early_stopping=True, batch_size=16),
    _case(SVMClassifier, "binary_sparse", optimizer="random_local_search"),
    _case(SoftmaxClassifier, "binary_sparse", optimizer="sgd", batch_size=4),
    _case(SVMClassifier, "binary_sparse", optimizer="auto", penalty="l1"),
]


def _fit(Estimator, dataset, params):
    X, y = DATASETS[dataset]
    return Estimator(**params).fit(X, y), X, y


# -- the same process ---------------------------------------------------------


@pytest.mark.parametrize("Estimator, dataset, params", CASES)
def test_two_fits_are_bitwise_identical(Estimator, dataset, params):
    """Two estimators with the same random_state on the same data agree bitwise,
    and so does a refit of the first one."""
    first, X, y = _fit(Estimator, dataset, params)
    expected = fitted_arrays(first, X)
    second = clone(first).fit(X, y)
    assert_bitwise_equal(fitted_arrays(second, X), expected)
    first.fit(X, y)  # a refit starts afresh (warm_start=False)
    assert_bitwise_equal(fitted_arrays(first, X), expected)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("optimizer", ["sgd", "random_search", "random_local_search"])
def test_random_state_changes_the_random_optimizers(Estimator, optimizer):
    """The identities above are not vacuous: another seed gives another model."""
    X, y = DATASETS["multiclass"]
    params = {**_budget(optimizer), "optimizer": optimizer}
    model_0 = Estimator(**{**params, "random_state": 0}).fit(X, y)
    model_1 = Estimator(**{**params, "random_state": 1}).fit(X, y)
    assert not np.array_equal(model_0.coef_, model_1.coef_)


# -- another process ----------------------------------------------------------

SUBPROCESS_SCRIPT = textwrap.dedent(
    """
    import json, pickle, sys, warnings
    import numpy as np
    import sklinear

    warnings.simplefilter("ignore")
    cases, data_path, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(data_path, "rb") as f:
        datasets = pickle.load(f)
    arrays = {}
    for key, (name, dataset, params) in json.loads(cases).items():
        X, y = datasets[dataset]
        model = getattr(sklinear, name)(**params).fit(X, y)
        arrays[key + "/coef_"] = model.coef_
        arrays[key + "/intercept_"] = model.intercept_
        arrays[key + "/loss_curve_"] = model.loss_curve_
        arrays[key + "/decision_function"] = model.decision_function(X)
        arrays[key + "/predict"] = model.predict(X)
    arrays["sklinear.__file__"] = np.array(sklinear.__file__)
    np.savez(out_path, **arrays)
    """
)


@pytest.fixture(scope="module")
def fitted_in_subprocess(tmp_path_factory):
    """The arrays of every case, fitted in one fresh interpreter.

    One process for all cases: starting an interpreter and importing
    scikit-learn takes about a second. ``PYTHONHASHSEED`` differs from this
    process's, so nothing may depend on string hashing either.
    """
    tmp = tmp_path_factory.mktemp("subprocess")
    data_path, out_path = tmp / "data.pkl", tmp / "fitted.npz"
    with open(data_path, "wb") as f:
        pickle.dump(DATASETS, f)
    cases = {
        case.id: (Estimator.__name__, dataset, params)
        for case in CASES
        for Estimator, dataset, params in [case.values]
    }
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            SUBPROCESS_SCRIPT,
            json.dumps(cases),
            str(data_path),
            str(out_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert completed.returncode == 0, completed.stderr
    with np.load(out_path) as fitted:
        return {key: fitted[key] for key in fitted.files}


@pytest.mark.parametrize("Estimator, dataset, params", CASES)
def test_fit_in_another_process_is_bitwise_identical(
    Estimator, dataset, params, fitted_in_subprocess, request
):
    """A fresh interpreter fits the same model, byte for byte."""
    model, X, _ = _fit(Estimator, dataset, params)
    key = request.node.callspec.id
    here = fitted_arrays(model, X)
    there = {
        name: fitted_in_subprocess[f"{key}/{name}"]
        for name in ["coef_", "intercept_", "loss_curve_", "decision_function"]
    }
    assert_bitwise_equal(there, {name: here[name] for name in there})
    assert np.array_equal(fitted_in_subprocess[f"{key}/predict"], here["predict"])


def test_the_other_process_imports_the_same_sklinear(fitted_in_subprocess):
    """The comparisons above are between the same code."""
    assert str(fitted_in_subprocess["sklinear.__file__"]) == sklinear.__file__


# -- save and load ------------------------------------------------------------

#: Modules whose types a saved sklinear model may hold.
TRUSTED_MODULES = ("sklinear.", "sklearn.", "numpy.")


def _pickle_round_trip(model):
    return pickle.loads(pickle.dumps(model))


def _joblib_round_trip(model):
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    buffer.seek(0)
    return joblib.load(buffer)


def _skops_round_trip(model):
    data = skops.io.dumps(model)
    untrusted = skops.io.get_untrusted_types(data=data)
    # Review before trusting: only our own, scikit-learn's and numpy's types.
    assert untrusted, "skops trusts sklinear's classes by default?"
    assert all(name.startswith(TRUSTED_MODULES) for name in untrusted), untrusted
    assert f"sklinear._classes.{type(model).__name__}" in untrusted
    return skops.io.loads(data, trusted=untrusted)


ROUND_TRIPS = {
    "pickle": _pickle_round_trip,
    "joblib": _joblib_round_trip,
    "skops": _skops_round_trip,
}


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
@pytest.mark.parametrize("Estimator, dataset, params", CASES)
def test_save_load_round_trip_is_bitwise_identical(
    Estimator, dataset, params, round_trip
):
    """A loaded model predicts the same, and continues (warm start) the same."""
    model, X, y = _fit(Estimator, dataset, params)
    loaded = ROUND_TRIPS[round_trip](model)
    assert type(loaded) is type(model)
    assert loaded.get_params() == model.get_params()
    assert loaded.optimizer_ == model.optimizer_
    assert_bitwise_equal(fitted_arrays(loaded, X), fitted_arrays(model, X))
    if isinstance(model, SoftmaxClassifier):
        assert np.array_equal(loaded.predict_proba(X), model.predict_proba(X))

    # The optimizer's saved state (step size, smoothing, sgd's step counter,
    # momentum and average) survives too: a warm start continues identically.
    model.set_params(warm_start=True, max_iter=20).fit(X, y)
    loaded.set_params(warm_start=True, max_iter=20).fit(X, y)
    assert_bitwise_equal(fitted_arrays(loaded, X), fitted_arrays(model, X))
    if params["optimizer"] == "sgd":
        model.partial_fit(X, y)
        loaded.partial_fit(X, y)
        assert_bitwise_equal(fitted_arrays(loaded, X), fitted_arrays(model, X))
