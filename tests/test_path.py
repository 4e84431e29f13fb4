"""regularization_path and alpha_max: the path's solutions are the cold fits'
solutions, warm starts save iterations, and alpha_max is where W = 0 stops
being optimal."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from sklinear import (
    SoftmaxClassifier,
    SoftmaxClassifierCV,
    SVMClassifier,
    alpha_max,
    regularization_path,
)
from sklinear._path import L2_START_L1_RATIO, _data_gradient_at_zero, _prepare

from _api_data import X_IRIS, X_WINE, Y_IRIS, Y_WINE
from _reference import solve_reference, standardized_dataset

PATHS = [
    (SoftmaxClassifier, {"penalty": "l2", "optimizer": "lbfgs"}),
    (SoftmaxClassifier, {"penalty": "l1", "optimizer": "gd"}),
    (SoftmaxClassifier, {"penalty": "elasticnet", "l1_ratio": 0.5}),
    (SVMClassifier, {"penalty": "l2", "optimizer": "dual_cd", "random_state": 0}),
    (SVMClassifier, {"loss": "squared_hinge", "optimizer": "lbfgs"}),
]
IDS = [
    "softmax-l2-lbfgs",
    "softmax-l1-gd",
    "softmax-enet-gd",
    "svm-dual_cd",
    "svm-sq-lbfgs",
]


@pytest.mark.parametrize("Est, params", PATHS, ids=IDS)
def test_path_solutions_equal_cold_fits(Est, params):
    """Each solution of the warm path has the objective of a cold fit at its alpha.

    Both stop at tol = 1e-8 of a rule that bounds the suboptimality by a
    small multiple of tol * L (the duality gap for dual_cd: exactly tol * L);
    1e-6 * L leaves room for that multiple and rounding."""
    alphas = np.logspace(-1, -3, 5)
    tight = {"tol": 1e-8, "max_iter": 20000, **params}
    path = regularization_path(X_WINE, Y_WINE, estimator=Est(**tight), alphas=alphas)
    assert np.array_equal(path.alphas, alphas)
    for k, alpha in enumerate(alphas):
        cold = Est(alpha=alpha, **tight).fit(X_WINE, Y_WINE)
        assert path.objectives[k] == pytest.approx(cold.objective_, rel=1e-6)
        assert path.coefs[k].shape == cold.coef_.shape
        assert path.intercepts[k].shape == cold.intercept_.shape


@pytest.mark.parametrize("Est, params", PATHS[:2], ids=IDS[:2])
def test_warm_path_takes_fewer_iterations(Est, params):
    """The warm path's iterations total well under the cold fits' (wine)."""
    alphas = np.logspace(-1, -4, 10)
    path = regularization_path(X_WINE, Y_WINE, estimator=Est(**params), alphas=alphas)
    cold = sum(Est(alpha=a, **params).fit(X_WINE, Y_WINE).n_iter_ for a in alphas)
    assert path.n_iter.sum() < 0.7 * cold


def test_path_sorts_alphas_decreasing_and_uses_the_estimator_copy():
    est = SoftmaxClassifier(alpha=5.0)
    path = regularization_path(X_IRIS, Y_IRIS, estimator=est, alphas=[1e-3, 1e-1, 1e-2])
    assert np.array_equal(path.alphas, [1e-1, 1e-2, 1e-3])
    assert est.alpha == 5.0 and not hasattr(est, "coef_")
    assert list(path.classes) == [0, 1, 2]


@pytest.mark.parametrize(
    "params",
    [
        {"penalty": "l1"},
        {"penalty": "elasticnet", "l1_ratio": 0.5},
        {"penalty": "l1", "fit_intercept": False},
        {"penalty": "l1", "class_weight": {0: 3.0, 1: 1.0, 2: 0.5}},
        {"penalty": "l1", "loss": "squared_hinge"},
        {"penalty": "l1", "loss": "hinge"},
    ],
    ids=["l1", "enet", "no-intercept", "class-weight", "squared-hinge", "hinge"],
)
def test_alpha_max_is_where_w_becomes_zero(params):
    """At alpha_max the fit gives W = 0; 1% below, some weight is nonzero.

    A solver started at b = 0 may step W off zero before b settles and stop,
    at tol = 1e-8, with weights of that order: 1e-6 tells those from the
    weights of 1e-2 that 1% below alpha_max gives (the path is linear in
    alpha there)."""
    Est = SoftmaxClassifier if "loss" not in params else SVMClassifier
    top = alpha_max(X_IRIS, Y_IRIS, **params)
    fit = {"tol": 1e-8, "max_iter": 20000}
    at = Est(alpha=top, **params, **fit).fit(X_IRIS, Y_IRIS)
    below = Est(alpha=0.99 * top, **params, **fit).fit(X_IRIS, Y_IRIS)
    assert np.abs(at.coef_).max() <= 1e-6
    assert np.abs(below.coef_).max() >= 1e-3


def test_alpha_max_with_sample_weight():
    """Unbalanced weights move the intercept and the bound; it stays exact."""
    weights = np.where(Y_IRIS == 0, 5.0, 1.0)
    top = alpha_max(X_IRIS, Y_IRIS, penalty="l1", sample_weight=weights)
    assert top != pytest.approx(alpha_max(X_IRIS, Y_IRIS, penalty="l1"))
    est = SoftmaxClassifier(penalty="l1", tol=1e-8)
    at = est.set_params(alpha=top).fit(X_IRIS, Y_IRIS, weights).coef_
    assert np.abs(at).max() <= 1e-6
    below = est.set_params(alpha=0.99 * top).fit(X_IRIS, Y_IRIS, weights).coef_
    assert np.abs(below).max() >= 1e-3


@pytest.mark.parametrize(
    "params",
    [{"penalty": "l2"}, {"penalty": None}, {"penalty": "elasticnet", "l1_ratio": 0.0}],
)
def test_alpha_max_needs_an_l1_part(params):
    with pytest.raises(ValueError, match="alpha_max needs a penalty with an L1 part"):
        alpha_max(X_IRIS, Y_IRIS, **params)


def test_default_grids():
    """L1: from alpha_max, 4 decades; L2: from 1e3 max|G|, 8 decades."""
    path = regularization_path(X_IRIS, Y_IRIS, penalty="l1", alphas=4)
    assert path.alphas[0] == pytest.approx(
        alpha_max(X_IRIS, Y_IRIS, penalty="l1"), rel=1e-6
    )
    assert path.alphas[-1] / path.alphas[0] == pytest.approx(1e-4)
    assert np.all(path.coefs[0] == 0) and np.any(path.coefs[-1] != 0)
    path = regularization_path(X_IRIS, Y_IRIS, alphas=3)
    est = SoftmaxClassifier()
    gradient = _data_gradient_at_zero(_prepare(est, X_IRIS, Y_IRIS, None)[3])
    start = np.abs(gradient).max() / L2_START_L1_RATIO
    assert np.allclose(path.alphas, [start, start * 1e-4, start * 1e-8], rtol=1e-6)
    assert np.abs(path.coefs[0]).max() < 1e-3  # the intercept alone, nearly


def test_path_errors():
    with pytest.raises(ValueError, match="penalty=None has no alpha to vary"):
        regularization_path(X_IRIS, Y_IRIS, penalty=None)
    with pytest.raises(ValueError, match="alphas must be finite and positive"):
        regularization_path(X_IRIS, Y_IRIS, alphas=[1.0, 0.0])
    with pytest.raises(ValueError, match="alphas must be a positive integer"):
        regularization_path(X_IRIS, Y_IRIS, alphas=0)
    with pytest.raises(ValueError, match="eps must be in"):
        regularization_path(X_IRIS, Y_IRIS, alphas=3, eps=2.0)
    with pytest.raises(TypeError, match="estimator must be a SoftmaxClassifier or"):
        regularization_path(X_IRIS, Y_IRIS, estimator=LogisticRegression())
    # A regression target is refused as the classifiers refuse it, before any
    # fit or fold (the CV classes' folds would otherwise lack "classes").
    for fit in (
        lambda y: regularization_path(X_IRIS, y, alphas=3),
        lambda y: SoftmaxClassifierCV(alphas=3).fit(X_IRIS, y),
    ):
        with pytest.raises(ValueError, match="Unknown label type: continuous"):
            fit(X_IRIS[:, 0])


def test_a_repeated_alpha_is_fitted_again_without_extrapolating():
    """A grid may repeat a value: the line through two equal alphas has no
    slope in log alpha, so the next start is not extrapolated (it was, by a
    division by zero, into NaN). The repeated fit starts at its solution and
    takes no step, so the path goes on exactly as without the repeat."""
    X = StandardScaler().fit_transform(X_IRIS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = regularization_path(X, Y_IRIS, alphas=[0.1, 0.1, 0.01])
    plain = regularization_path(X, Y_IRIS, alphas=[0.1, 0.01])
    assert path.n_iter[1] == 0
    assert_array_equal(path.coefs[[0, 2]], plain.coefs)


def test_lbfgs_memory_is_kept_only_with_warm_start():
    """The curvature pairs stay in the model only where a warm start reads
    them, and the scores of the solution only on a path, which asks for them."""
    cold = SoftmaxClassifier(optimizer="lbfgs").fit(X_IRIS, Y_IRIS)
    assert not {"memory", "scores"} & set(cold._optimizer_state["lbfgs"])
    warm = SoftmaxClassifier(optimizer="lbfgs", warm_start=True).fit(X_IRIS, Y_IRIS)
    assert "memory" in warm._optimizer_state["lbfgs"]
    assert "scores" not in warm._optimizer_state["lbfgs"]
    path = SoftmaxClassifier(optimizer="lbfgs", warm_start=True)
    path._keep_scores = True  # as the paths set it
    path.fit(X_IRIS, Y_IRIS)
    assert {"memory", "scores"} <= set(path._optimizer_state["lbfgs"])


def test_path_computes_the_feature_scales_once(monkeypatch):
    """The fits of a path share the data, so L-BFGS's stopping rule takes the
    feature scales of the first fit; a warm-started estimator outside a path
    computes them at every fit, as its data may have changed."""
    import sklinear.optimizers._lbfgs as lbfgs_module

    computed = []
    original = lbfgs_module.feature_scales
    monkeypatch.setattr(
        lbfgs_module, "feature_scales", lambda p: computed.append(1) or original(p)
    )
    path = regularization_path(X_WINE, Y_WINE, alphas=[1e-1, 1e-2, 1e-3, 1e-4])
    assert len(computed) == 1 and path.n_iter.min() > 0
    warm = SoftmaxClassifier(warm_start=True)
    for alpha in (1e-1, 1e-2):
        warm.set_params(alpha=alpha).fit(X_WINE, Y_WINE)
    assert len(computed) == 3


def test_path_carries_the_scores_of_its_starts(monkeypatch):
    """L-BFGS keeps the scores of each solution, and the extrapolated start's
    are the same combination of them: no fit after the first computes the
    scores of its start, no extrapolation computes those of its point, and
    the solutions are those of a path that computes them all (at tol, as
    rounding steers the iterates apart). REFRESH is out of the way, so that
    the runs differ only by the products counted. The objectives, from the
    carried scores, are those of the solutions to rounding."""
    import sklinear._path as path_module
    import sklinear.optimizers._lbfgs as lbfgs_module
    from sklinear import make_problem, objective_value
    from sklinear.objective import LinearObjective

    alphas = np.logspace(-1, -4, 6)
    estimator = SoftmaxClassifier(optimizer="lbfgs", tol=1e-8)
    calls = []
    original = LinearObjective.scores

    def spy(self, theta, out=None):
        calls.append(1)
        return original(self, theta, out)

    monkeypatch.setattr(LinearObjective, "scores", spy)
    monkeypatch.setattr(lbfgs_module, "REFRESH", 10**6)
    runs = {}
    unknown = [(lbfgs_module, "_known_scores", (None, 0))]
    for name, patches in [
        ("carried", []),
        ("fits compute", unknown),
        ("all compute", [*unknown, (path_module, "_scores_of", None)]),
    ]:
        for module, function, value in patches:
            monkeypatch.setattr(module, function, lambda *args, value=value: value)
        del calls[:]
        path = regularization_path(X_WINE, Y_WINE, estimator=estimator, alphas=alphas)
        runs[name] = path, len(calls)
    (carried, n_carried), (fits, n_fits), (computed, n_all) = runs.values()
    assert n_fits - n_carried == len(alphas) - 1
    assert n_all - n_fits == len(alphas) - 2  # one extrapolation a fit from the 3rd
    for other in (fits, computed):
        np.testing.assert_allclose(carried.objectives, other.objectives, rtol=1e-10)
        np.testing.assert_allclose(carried.coefs, other.coefs, rtol=0, atol=1e-6)
    monkeypatch.undo()
    carried = regularization_path(X_WINE, Y_WINE, estimator=estimator, alphas=alphas)
    exact = [
        objective_value(make_problem(X_WINE, Y_WINE, alpha=a), coef, intercept)
        for a, coef, intercept in zip(
            alphas, carried.coefs, carried.intercepts, strict=True
        )
    ]
    np.testing.assert_allclose(carried.objectives, exact, rtol=1e-13)


def test_path_checks_the_magnitude_of_x_once(monkeypatch):
    """The path's fits are on data whose magnitude was checked: only the
    first validation checks it (the path's first fit validates with the
    check skipped, the others do not validate again), and data too large
    is still refused."""
    import sklinear._base as base
    from sklinear import SoftmaxClassifierCV

    checked = []
    original = base._check_magnitude

    def spy(X):
        checked.append(not base.CHECKED_MAGNITUDE.get())
        return original(X)

    monkeypatch.setattr(base, "_check_magnitude", spy)
    regularization_path(X_WINE, Y_WINE, alphas=[1e-1, 1e-2, 1e-3])
    assert checked == [True, False]
    del checked[:]
    SoftmaxClassifierCV(alphas=[1e-1, 1e-2], cv=3).fit(X_WINE, Y_WINE)
    assert sum(checked) == 2  # the data, then the refit's
    huge = X_WINE * 1e160
    for fit in (
        lambda: regularization_path(huge, Y_WINE, alphas=[1e-1, 1e-2]),
        lambda: SoftmaxClassifierCV(alphas=[1e-1, 1e-2], cv=3).fit(huge, Y_WINE),
    ):
        with pytest.raises(ValueError, match="too large"):
            fit()


def test_path_checks_its_last_model_on_the_scores_it_kept(monkeypatch):
    """The last fit of a path checks that its model beats a constant, on the
    scores L-BFGS kept (no product), and the check finds what it finds on
    scores computed afresh; the fits before it are not checked, as a grid may
    start where the model is its intercept. A feature weakly tied to 80/20
    labels: the models at alpha 0.3 and 0.1 predict the heavier class
    everywhere, the one at 1e-3 beats it. A path ending at 0.1 warns, as a
    single fit there does; one that goes on to 1e-3 does not."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    from sklinear.objective import LinearObjective

    rng = np.random.RandomState(0)
    X = rng.standard_normal((200, 3))
    y = np.repeat([0, 1], [160, 40])
    X[:, 0] += y
    original = LinearObjective.predict

    def path(alphas):
        given, constant = [], []

        def spy(self, theta, scores=None):
            given.append(scores is not None)
            labels = original(self, theta, scores)
            W, b = self.unpack(theta)
            assert np.array_equal(labels, (X @ W + b).argmax(axis=1))
            constant.append(np.mean(labels == y) <= 0.8)
            return labels

        monkeypatch.setattr(LinearObjective, "predict", spy)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            regularization_path(X, y, alphas=alphas, optimizer="lbfgs")
        monkeypatch.undo()
        named = sum("no better than a constant" in str(w.message) for w in caught)
        return given, constant, named

    assert path([0.3, 0.1]) == ([True], [True], 1)
    assert path([0.3, 0.1, 1e-3]) == ([True], [False], 0)
    with pytest.warns(ConvergenceWarning, match="no better than a constant"):
        SoftmaxClassifier(alpha=0.1).fit(X, y)


def test_path_fits_after_the_first_skip_validation_only(monkeypatch):
    """The fits after the first skip fit's validation and nothing else: the
    path is bit for bit the one whose fits all go through fit, on string
    labels (encoded once, as fit encodes them), with the same warnings
    (max_iter=2 stops every fit short)."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    import sklinear._path as path_module

    labels = np.array(["a", "b", "c"])[Y_WINE]
    estimator = SoftmaxClassifier(optimizer="lbfgs", max_iter=2)
    runs = []
    for skip in (True, False):
        if not skip:
            monkeypatch.setattr(path_module, "_as_validated", lambda X: False)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            path = regularization_path(
                X_WINE, labels, estimator=estimator, alphas=[1e-1, 1e-2, 1e-3]
            )
        runs.append((path, [str(w.message) for w in caught]))
    (fast, fast_warnings), (full, full_warnings) = runs
    for key in ("coefs", "intercepts", "n_iter", "objectives"):
        np.testing.assert_array_equal(fast[key], full[key])
    assert len(fast_warnings) == 3 and fast_warnings == full_warnings


def test_path_with_callbacks_fits_through_fit(monkeypatch):
    """scikit-learn's callbacks are set up and torn down around fit: an
    estimator with callbacks fits every alpha of a path through fit."""
    callback = pytest.importorskip("sklearn.callback")
    from sklinear._base import BaseLinearClassifier

    fits = []
    original = BaseLinearClassifier.fit

    def spy(self, *args, **kwargs):
        fits.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(BaseLinearClassifier, "fit", spy)
    estimator = SoftmaxClassifier(optimizer="lbfgs").set_callbacks(
        callback.ScoringMonitor(scoring="accuracy")
    )
    alphas = [1e-1, 1e-2, 1e-3]
    path = regularization_path(X_WINE, Y_WINE, estimator=estimator, alphas=alphas)
    assert len(fits) == len(alphas) and np.all(path.n_iter > 0)


def test_smoothed_hinge_paths_climb_the_smoothing_ladder_again():
    """At a new alpha a smoothed solver starts at the largest smoothing.

    Resumed at the last, smallest one, the steps were too short for the
    distance to the new solution: on standardized iris the L1 SVM's path hit
    max_iter at alpha = 1e-2, 3% above the optimum (a cold fit took 1657
    iterations). The optimum is the exact LP solution."""
    X, y = standardized_dataset("iris")
    alphas = [1.0, 1e-1, 1e-2]
    estimator = SVMClassifier(penalty="l1", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        path = regularization_path(X, y, estimator=estimator, alphas=alphas)
    for k, alpha in enumerate(alphas):
        optimum = solve_reference(X, y, loss="hinge", penalty="l1", alpha=alpha)[2]
        # tol = 1e-4 bounds the smoothing error and the smoothed gradient by
        # tol * L each; ten times that covers both and their constants.
        assert optimum - 1e-9 <= path.objectives[k] <= optimum * (1 + 1e-3)
