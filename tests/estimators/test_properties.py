"""Property-based robustness tests: on any finite data, every configuration of
both classifiers either fits, with finite weights that predict known classes,
or raises a ValueError with a clear message; never another exception, NaN
weights or a hang.

The data vary in shape (1 to 200 rows, 1 to 50 features, 2 to 20 labels),
dtype (float32, float64), layout (dense, CSR, CSC) and values (from tiny to
1e6 in magnitude, constant, duplicated and all-zero columns, duplicated rows);
the estimators in loss, penalty, optimizer, ``alpha`` (0 to 1e6), ``margin``,
``fit_intercept``, ``class_weight`` and step options. Budgets are small
(``max_iter`` 50 to 200, 5 to 50 epochs for sgd, ``n_candidates`` 20 to 100)
so that each example runs in milliseconds, and ``derandomize=True`` makes
every run draw the same examples. A watchdog turns a fit that has not
returned after :data:`HANG_SECONDS` into a failure instead of a hang.

RuntimeWarnings are errors in this project (pyproject.toml), so a numpy
overflow inside a fit fails these tests. The tests at the end of this file pin
the bugs these properties found (an sgd overflow before its blow-up check,
L-BFGS steps of 1e200 on tiny features, a failed refit that left a
half-updated model), now fixed.
"""

import contextlib
import math
import re
import signal
import threading

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from sklinear import SoftmaxClassifier, SVMClassifier
from sklinear.optimizers import OPTIMIZERS, SCHEDULES
from sklinear.penalties import make_penalty

pytestmark = [
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
    # Many labels on few rows: scikit-learn wonders whether y is a regression
    # target, which it is not here.
    pytest.mark.filterwarnings("ignore:The number of unique classes:UserWarning"),
    # The draws set every optimizer's budget whatever the optimizer, as a user
    # sweeping settings might; the warning about the unused one is tested in
    # test_registry.py.
    pytest.mark.filterwarnings("ignore:.* has no effect with optimizer=:UserWarning"),
]

#: (estimator class, loss): every loss of both estimators.
LOSSES = [
    (SVMClassifier, "hinge"),
    (SVMClassifier, "squared_hinge"),
    (SVMClassifier, "crammer_singer"),
    (SoftmaxClassifier, "cross_entropy"),
]
PENALTIES = ["l2", "l1", "elasticnet", None]
OPTIMIZER_NAMES = ["auto", *sorted(OPTIMIZERS)]
ALPHAS = [0.0, 1e-10, 1e-4, 1.0, 1e6]
DTYPES = [np.float32, np.float64]
LAYOUTS = ["dense", "csr", "csc"]
#: Scales of single columns: tiny, ordinary and large (up to 1e6), and zero.
COLUMN_SCALES = [0.0, 1e-30, 1e-8, 1e-3, 1.0, 1e3, 1e6]
#: Scales of whole data sets; those below 1e-38 are zero in float32.
DATA_SCALES = [1e-300, 1e-100, 1e-30, 1e-20, 1e-8, 1.0, 1e6]
#: Values of constant columns.
CONSTANTS = [0.0, 1.0, -1.0, 1e-30, 1e6, -1e6]
#: The largest magnitude drawn.
MAX_VALUE = 1e6

#: The ValueErrors a fit may raise, each with the words that make it clear.
CLEAR_MESSAGES = {
    "one class": r"needs samples of at least 2 classes .* only one class",
    "lbfgs and l1": r"optimizer='lbfgs' cannot minimize .* "
    r"penalty='(l1|elasticnet)' and alpha=.*: it supports .* one of 'gd'",
    "optimal and alpha=0": r"schedule='optimal' .* needs alpha > 0",
    "dual_cd outside its problems": r"optimizer='dual_cd' cannot minimize .*: "
    r"it supports (the losses|the penalties|only alpha > 0).* one of '",
    "blow-up": r"The objective blew up \(from .* to .* in \d+ iterations\): "
    r"(learning_rate=.* is too large|schedule='optimal' steps .* too large)",
    "no descent": r"No step of gradient descent lowered the objective .*: "
    r"learning_rate=.* is too large",
    "validation split": r"validation_fraction=.* holds out \d+ of the "
    r"n_samples=\d+ samples for validation.*(leaves no samples for training|"
    r"cannot hold every class)",
}

#: Seconds a single fit may take before it counts as a hang (they take ms).
HANG_SECONDS = 20

SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,  # the same examples on every machine, nothing saved
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


class Hang(Exception):
    """A fit did not return within :data:`HANG_SECONDS`."""


@contextlib.contextmanager
def watchdog(seconds=HANG_SECONDS):
    """Raise :class:`Hang` in the block if it runs longer than ``seconds``.

    SIGALRM interrupts the Python loops of the optimizers, so an endless loop
    fails the test with a traceback that shows where it was stuck. A no-op
    where there is no SIGALRM, or off the main thread.
    """
    usable = (
        hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise Hang(f"fit did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _layout(X, layout):
    """``X`` dense, or as a CSR or CSC matrix."""
    if layout == "dense":
        return X
    return {"csr": sp.csr_matrix, "csc": sp.csc_matrix}[layout](X)


@st.composite
def datasets(draw, min_classes=2, max_classes=20):
    """``(X, y)``: random finite data with awkward columns and labels.

    ``y`` takes between ``min_classes`` and ``max_classes`` distinct labels
    (integers that are not ``0..K-1``, or strings); with ``min_classes=1`` it
    may hold a single class, as it must with one row.
    """
    n_samples = draw(st.integers(1 if min_classes < 2 else 2, 200), label="rows")
    n_features = draw(st.integers(1, 50), label="features")
    n_labels = draw(st.integers(max(min_classes, 1), max_classes), label="labels")
    dtype = draw(st.sampled_from(DTYPES), label="dtype")
    layout = draw(st.sampled_from(LAYOUTS), label="layout")
    rng = np.random.RandomState(draw(st.integers(0, 2**32 - 1), label="seed"))

    if draw(st.booleans(), label="one scale for all columns"):
        scales = np.full(n_features, draw(st.sampled_from(DATA_SCALES), label="scale"))
    else:
        scales = np.array(
            draw(
                st.lists(
                    st.sampled_from(COLUMN_SCALES),
                    min_size=n_features,
                    max_size=n_features,
                ),
                label="column scales",
            )
        )
    X = rng.standard_normal((n_samples, n_features)) * scales
    X = np.clip(X, -MAX_VALUE, MAX_VALUE)
    # Mostly-zero data, as sparse matrices tend to hold.
    zero_fraction = draw(st.sampled_from([0.0, 0.5, 0.95]), label="zero fraction")
    X[rng.random_sample(X.shape) < zero_fraction] = 0.0
    # Constant columns.
    n_constant = draw(st.integers(0, n_features), label="constant columns")
    for j in rng.choice(n_features, size=n_constant, replace=False):
        X[:, j] = draw(st.sampled_from(CONSTANTS), label="constant")
    # Duplicated columns (copies of another column, possibly a constant one).
    n_duplicated = draw(st.integers(0, n_features - 1), label="duplicated columns")
    for j in rng.choice(n_features, size=n_duplicated, replace=False):
        X[:, j] = X[:, rng.randint(n_features)]
    # Duplicated rows.
    if draw(st.booleans(), label="duplicated rows"):
        half = n_samples // 2
        X[n_samples - half :] = X[:half]
    X = X.astype(dtype)
    assert np.all(np.isfinite(X)) and np.abs(X).max(initial=0.0) <= MAX_VALUE

    labels = np.arange(n_labels) * 7 - 3
    if draw(st.booleans(), label="string labels"):
        labels = np.array([f"class {k}" for k in labels])
    codes = rng.randint(n_labels, size=n_samples)
    if min_classes >= 2 and len(np.unique(codes)) < 2:
        codes[:2] = [0, 1]
    return _layout(X, layout), labels[codes]


@st.composite
def estimators(draw):
    """A classifier with any loss, penalty, optimizer and alpha, on a small budget."""
    Estimator, loss = draw(st.sampled_from(LOSSES), label="loss")
    optimizer = draw(st.sampled_from(OPTIMIZER_NAMES), label="optimizer")
    params = {
        "loss": loss,
        "penalty": draw(st.sampled_from(PENALTIES), label="penalty"),
        "alpha": draw(st.sampled_from(ALPHAS), label="alpha"),
        "l1_ratio": draw(st.sampled_from([0.0, 0.15, 1.0]), label="l1_ratio"),
        "optimizer": optimizer,
        "fit_intercept": draw(st.booleans(), label="fit_intercept"),
        "class_weight": draw(st.sampled_from([None, "balanced"]), label="weights"),
        "max_iter": draw(st.integers(50, 200), label="max_iter"),
        "n_candidates": draw(st.integers(20, 100), label="n_candidates"),
        "random_state": draw(st.integers(0, 2**31 - 1), label="random_state"),
    }
    if optimizer == "random_local_search":
        params["step_size"] = draw(st.sampled_from([1e-4, 1e-2, 1.0]), label="step")
    if optimizer in ("gd", "sgd"):
        params["learning_rate"] = draw(
            st.sampled_from(["auto", 1e-3, 1.0]), label="learning_rate"
        )
        params["momentum"] = draw(st.sampled_from([0.0, 0.9]), label="momentum")
        params["nesterov"] = draw(st.booleans(), label="nesterov")
    if optimizer == "sgd":
        params["max_iter"] = draw(st.integers(5, 50), label="epochs")
        params["batch_size"] = draw(st.sampled_from([1, 16, 256]), label="batch")
        params["schedule"] = draw(st.sampled_from(sorted(SCHEDULES)), label="schedule")
        params["average"] = draw(st.booleans(), label="average")
        params["early_stopping"] = draw(st.booleans(), label="early_stopping")
    if loss != "cross_entropy":
        params["margin"] = draw(st.sampled_from([1.0, 1e-3, 10.0]), label="margin")
    return Estimator(**params)


def _resolved_optimizer(estimator):
    return estimator._select_optimizer()


def _max_abs(X):
    return float(abs(X).max()) if X.shape[0] * X.shape[1] else 0.0


def _expected_error(estimator, y):
    """Which ValueError the configuration must raise, or None."""
    if len(np.unique(y)) < 2:
        return "one class"
    # make_penalty counts elastic net as L1 even with l1_ratio=0.
    if estimator.optimizer == "lbfgs" and estimator.penalty in ("l1", "elasticnet"):
        return "lbfgs and l1"
    if estimator.optimizer == "sgd" and estimator.early_stopping:
        # Both sides of the held-out split need a sample of every class.
        n_samples, n_classes = len(y), len(np.unique(y))
        n_valid = max(1, math.ceil(estimator.validation_fraction * n_samples))
        if min(n_valid, n_samples - n_valid) < n_classes:
            return "validation split"
    if (
        estimator.optimizer == "sgd"
        and estimator.schedule == "optimal"
        and estimator.alpha == 0
    ):
        return "optimal and alpha=0"
    if estimator.optimizer == "dual_cd" and OPTIMIZERS["dual_cd"].refuses(
        estimator.loss,
        make_penalty(estimator.penalty, estimator.l1_ratio).name,
        estimator.alpha,
    ):
        return "dual_cd outside its problems"
    return None


def _fixed_step(estimator):
    """Whether the configuration takes steps that may overshoot (then ValueError)."""
    return estimator.optimizer in ("gd", "sgd") and (
        estimator.learning_rate != "auto"
        or (estimator.optimizer == "sgd" and estimator.schedule == "optimal")
    )


def check_fit_or_value_error(estimator, X, y):
    """The property: a fitted model with finite weights, or a clear ValueError.

    Returns the fitted estimator, or None when ``fit`` raised.
    """
    expected = _expected_error(estimator, y)
    try:
        with watchdog():
            estimator.fit(X, y)
    except ValueError as exc:
        message = str(exc)
        matched = [
            name
            for name, pattern in CLEAR_MESSAGES.items()
            if re.search(pattern, message, flags=re.DOTALL)
        ]
        assert matched, f"unclear ValueError: {message!r}"
        event(f"ValueError: {matched[0]}")
        if expected is not None:
            assert matched == [expected], message
        else:
            # Only a step that is not chosen by the optimizer may overshoot.
            assert matched[0] in ("blow-up", "no descent"), message
            assert _fixed_step(estimator), message
        return None
    assert expected is None, f"expected a ValueError ({expected}), but fit succeeded"
    event(f"fitted by {estimator.optimizer_}")

    classes = np.unique(y)
    n_rows = 1 if len(classes) == 2 else len(classes)
    assert np.array_equal(estimator.classes_, classes)
    assert estimator.coef_.shape == (n_rows, X.shape[1])
    assert estimator.intercept_.shape == (n_rows,)
    assert estimator.coef_.dtype == X.dtype
    assert np.all(np.isfinite(estimator.coef_)), estimator.coef_
    assert np.all(np.isfinite(estimator.intercept_)), estimator.intercept_
    assert np.isfinite(estimator.objective_)
    assert np.all(np.isfinite(estimator.loss_curve_))
    if not estimator.fit_intercept:
        assert np.all(estimator.intercept_ == 0)

    with watchdog():
        predictions = estimator.predict(X)
        scores = estimator.decision_function(X)
    assert predictions.shape == (X.shape[0],)
    assert np.all(np.isin(predictions, classes))
    assert np.all(np.isfinite(scores))
    if isinstance(estimator, SoftmaxClassifier):
        proba = estimator.predict_proba(X)
        assert np.all((proba >= 0) & (proba <= 1))
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-3)
    return estimator


# -- the properties -----------------------------------------------------------


@settings(max_examples=500, **SETTINGS)
@given(data=datasets(), estimator=estimators())
@example(  # all zeros: every candidate scores the same
    data=(np.zeros((3, 2)), np.array([0, 1, 1])),
    estimator=SVMClassifier(optimizer="gd", max_iter=50),
)
@example(  # the largest values, in float32, unregularized, as sparse columns
    data=(
        sp.csc_matrix(np.array([[1e6, -1e6], [-1e6, 1e6], [1e6, 1e6]], np.float32)),
        np.array(["a", "b", "c"]),
    ),
    estimator=SoftmaxClassifier(alpha=0.0, max_iter=50),
)
@example(  # tiny values, huge alpha, a constant column, 20 classes on 20 rows
    data=(
        np.column_stack([np.linspace(-1e-30, 1e-30, 20), np.ones(20)]),
        np.arange(20),
    ),
    estimator=SVMClassifier("crammer_singer", alpha=1e6, max_iter=50),
)
def test_fit_gives_finite_model_or_value_error(data, estimator):
    """Any finite data, any configuration: finite coef_ and known classes, or a
    ValueError naming the problem; never NaN, another exception or a hang."""
    X, y = data
    check_fit_or_value_error(estimator, X, y)


@settings(max_examples=60, **SETTINGS)
@given(data=datasets(min_classes=1, max_classes=1), estimator=estimators())
def test_a_single_class_raises_value_error(data, estimator):
    """One class in y (one row has no other choice): a ValueError saying so."""
    X, y = data
    assert len(np.unique(y)) == 1
    with watchdog(), pytest.raises(ValueError, match=CLEAR_MESSAGES["one class"]):
        estimator.fit(X, y)
    assert not hasattr(estimator, "coef_")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("optimizer", OPTIMIZER_NAMES)
@pytest.mark.parametrize("Estimator", [SVMClassifier, SoftmaxClassifier])
def test_one_row_raises_value_error(Estimator, optimizer, layout):
    """A single row holds a single class, so there is nothing to separate."""
    X = _layout(np.array([[1.0, -2.0, 0.0]]), layout)
    with pytest.raises(ValueError, match=CLEAR_MESSAGES["one class"]):
        Estimator(optimizer=optimizer).fit(X, ["only"])


@settings(max_examples=100, **SETTINGS)
@given(data=datasets(), estimator=estimators())
def test_predictions_on_new_data_are_known_classes(data, estimator):
    """A fitted model labels new rows, extreme ones included, with its classes."""
    X, y = data
    fitted = check_fit_or_value_error(estimator, X, y)
    assume(fitted is not None)
    rng = np.random.RandomState(0)
    X_new = rng.choice([-1e6, -1.0, 0.0, 1e-30, 1.0, 1e6], size=(7, X.shape[1]))
    X_new = X_new.astype(X.dtype)
    with watchdog():
        predictions = fitted.predict(X_new)
    assert np.all(np.isin(predictions, fitted.classes_))


# -- known bugs: minimal reproducers ------------------------------------------


#: Fits that raise a ValueError after ``fit`` has started to set attributes.
FAILING_REFITS = [
    pytest.param({}, np.full(30, 7), 2, id="one class"),
    pytest.param(
        {"optimizer": "lbfgs", "penalty": "l1"}, np.arange(30) % 2, 2, id="lbfgs+l1"
    ),
    pytest.param(
        {"optimizer": "gd", "learning_rate": 1e9, "max_iter": 5},
        np.arange(30) % 2,
        4,
        id="blow-up",
    ),
]


@pytest.mark.parametrize("params, y_new, n_features", FAILING_REFITS)
def test_a_failed_refit_leaves_the_previous_model(params, y_new, n_features):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((30, 2))
    model = SVMClassifier(alpha=1e-2).fit(X, np.arange(30) % 3)
    before = model.predict(X)
    X_new = rng.standard_normal((30, n_features)) * 1e6
    with pytest.raises(ValueError):
        model.set_params(**params).fit(X_new, y_new)
    assert np.array_equal(model.classes_, [0, 1, 2])
    assert model.n_features_in_ == 2
    assert np.array_equal(model.predict(X), before)


def test_sgd_fixed_step_blow_up_is_a_value_error_not_an_overflow():
    X = np.array([[-7e5], [2e5], [-6e5], [-1e6]], dtype=np.float32)
    y = np.array([0, 1, 2, 0])
    estimator = SVMClassifier(
        "squared_hinge",
        optimizer="sgd",
        learning_rate=1.0,
        batch_size=1,
        max_iter=5,
        random_state=0,
    )
    with pytest.raises(ValueError, match=CLEAR_MESSAGES["blow-up"]):
        estimator.fit(X, y)


#: Tiny but finite features: float64 at the default alpha, float32 at huge and
#: unit alpha.
TINY_FEATURES = [
    pytest.param(np.float64, 1e-100, 1e-4, id="float64-1e-100-alpha=1e-4"),
    pytest.param(np.float32, 1e-30, 1e6, id="float32-1e-30-alpha=1e6"),
    pytest.param(np.float32, 1e-20, 1.0, id="float32-1e-20-alpha=1"),
]


@pytest.mark.parametrize("dtype, value, alpha", TINY_FEATURES)
def test_lbfgs_hinge_on_tiny_features_does_not_overflow(dtype, value, alpha):
    X = np.full((5, 1), value, dtype=dtype)
    y = np.arange(5) % 2
    estimator = SVMClassifier(alpha=alpha, max_iter=100)
    estimator.fit(X, y)


@pytest.mark.parametrize("dtype, value, alpha", TINY_FEATURES)
def test_lbfgs_hinge_on_tiny_features_reaches_the_optimum(dtype, value, alpha):
    """The same bug also stops L-BFGS early: its line search cannot shorten a
    step of 1e200 enough and gives up at iteration 3.

    The features are all but zero, so the optimum is the best intercept: a
    margin of 1 for the three samples of class 0, and mean hinge loss
    (2 * 2) / 5 = 0.8; "gd" gets there, "lbfgs" stops at 0.8667.
    """
    X = np.full((5, 1), value, dtype=dtype)
    y = np.arange(5) % 2
    assert SVMClassifier(alpha=alpha, optimizer="gd").fit(X, y).objective_ < 0.81
    assert SVMClassifier(alpha=alpha, optimizer="lbfgs").fit(X, y).objective_ < 0.81
