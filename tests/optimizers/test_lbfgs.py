"""Optimizers against exact references: proximal steps, L-BFGS, fixed steps, random search."""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose

from sklinear import SoftmaxClassifier, SVMClassifier, make_problem
from sklinear.losses import LOSSES
from sklinear.objective import LinearObjective
from sklinear.optimizers import OPTIMIZERS, lbfgs, random_search
from sklinear.optimizers._lbfgs import _InverseHessian

from _reference import solve_reference, standardized_dataset

ESTIMATOR = {
    "cross_entropy": SoftmaxClassifier,
    "squared_hinge": SVMClassifier,
    "hinge": SVMClassifier,
    "crammer_singer": SVMClassifier,
}


def fit(loss, **params):
    X, y = standardized_dataset(params.pop("data", "wine"))
    return ESTIMATOR[loss](loss=loss, **params).fit(X, y), X, y


@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
@pytest.mark.parametrize("loss", ["cross_entropy", "squared_hinge"])
def test_proximal_gd_reaches_smooth_l1_optima_with_exact_zeros(loss, penalty):
    """Smooth loss + L1 part: within 1e-6 of the optimum, zeros exactly where the reference has them."""
    est, X, y = fit(loss, penalty=penalty, alpha=1e-2, tol=1e-6, max_iter=5000)
    assert est.optimizer_ == "gd"
    W, b, optimum = solve_reference(X, y, loss=loss, penalty=penalty, alpha=1e-2)
    assert (est.objective_ - optimum) / optimum <= 1e-6
    assert np.array_equal(est._W == 0, np.abs(W) < 1e-7)


@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
@pytest.mark.parametrize("loss", ["hinge", "crammer_singer"])
def test_proximal_gd_reaches_hinge_l1_optima(loss, penalty):
    """Hinge + L1 part (an LP / QP): within 1e-2 at the defaults, 1e-5 at tol=1e-6."""
    for params, target in [({}, 1e-2), ({"tol": 1e-6, "max_iter": 20000}, 1e-5)]:
        est, X, y = fit(loss, data="iris", penalty=penalty, alpha=1e-2, **params)
        optimum = solve_reference(X, y, loss=loss, penalty=penalty, alpha=1e-2)[2]
        assert 0 <= (est.objective_ - optimum) / optimum <= target
        assert np.any(est.coef_ == 0) or penalty == "elasticnet"


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_hinge"])
def test_gd_and_lbfgs_agree_on_smooth_problems(loss):
    """Both reach the same optimum (1e-8 relative) at a tight tol."""
    a, *_ = fit(loss, optimizer="gd", alpha=1e-3, tol=1e-9, max_iter=20000)
    b, *_ = fit(loss, optimizer="lbfgs", alpha=1e-3, tol=1e-9, max_iter=20000)
    assert a.objective_ == pytest.approx(b.objective_, rel=1e-8)
    assert_allclose(a.coef_, b.coef_, atol=1e-4)


@pytest.mark.parametrize("loss", ["hinge", "crammer_singer"])
def test_gd_reaches_the_hinge_optimum(loss):
    """Smoothing with continuation takes gd within 1e-3 of the exact hinge optimum."""
    est, X, y = fit(loss, optimizer="gd", alpha=1e-2, tol=1e-3, max_iter=20000)
    optimum = solve_reference(X, y, loss=loss, alpha=1e-2)[2]
    assert 0 <= (est.objective_ - optimum) / optimum <= 1e-3


@pytest.mark.parametrize("Est", [SoftmaxClassifier, SVMClassifier])
def test_lbfgs_rejects_an_l1_penalty(Est):
    """The error names the optimizer that can handle it."""
    X, y = standardized_dataset("iris")
    with pytest.raises(ValueError, match="optimizer='lbfgs' cannot .* one of 'gd'"):
        Est(optimizer="lbfgs", penalty="l1").fit(X, y)


def test_fixed_step_gd_follows_the_slope():
    """The lecture's plain step with a sensible rate gets within 1e-3 of the softmax optimum."""
    est, X, y = fit(
        "cross_entropy",
        optimizer="gd",
        learning_rate=0.5,
        alpha=1e-2,
        tol=1e-8,
        max_iter=3000,
    )
    optimum = solve_reference(X, y, loss="cross_entropy", alpha=1e-2)[2]
    assert 0 <= (est.objective_ - optimum) / optimum <= 1e-3
    assert est.loss_curve_[0] > est.loss_curve_[-1]


def test_random_search_batches_change_nothing_but_speed():
    """Scoring candidates 64 per product gives the winner of one-at-a-time scoring."""
    X, y = standardized_dataset("wine")
    objective = LinearObjective(make_problem(X, y, loss="hinge", alpha=1e-3))
    x0 = np.zeros(objective.n_params)
    batched = random_search(
        objective, x0, n_candidates=300, init_scale=0.1, random_state=0
    )
    candidates = 0.1 * np.random.RandomState(0).standard_normal(
        (300, objective.n_params)
    )
    singles = np.array([objective.value(c) for c in candidates])
    assert batched.fun == pytest.approx(singles.min(), rel=1e-12)
    assert_allclose(batched.x, candidates[singles.argmin()])
    assert batched.nit == len(batched.loss_curve) == 5  # ceil(300 / 64) batches


def test_registry_names_are_the_estimators_choices():
    """Every registered optimizer is accepted by optimizer=."""
    X, y = standardized_dataset("iris")
    for name in OPTIMIZERS:
        est = SoftmaxClassifier(optimizer=name, random_state=0, alpha=1e-2).fit(X, y)
        assert est.optimizer_ == name


@pytest.mark.parametrize("optimizer", ["gd", "lbfgs"])
@pytest.mark.parametrize("loss", ["cross_entropy", "squared_hinge"])
@pytest.mark.parametrize("name", ["iris", "wine", "digits"])
def test_smooth_optima_at_tight_tol(name, loss, optimizer):
    """gd and lbfgs reach smooth optima within 1e-6 (relative) at tol=1e-8."""
    est, X, y = fit(
        loss, data=name, optimizer=optimizer, alpha=1e-3, tol=1e-8, max_iter=50000
    )
    optimum = solve_reference(X, y, loss=loss, alpha=1e-3)[2]
    assert -1e-9 <= (est.objective_ - optimum) / optimum <= 1e-6


@pytest.mark.parametrize("optimizer", ["gd", "lbfgs"])
@pytest.mark.parametrize("loss", ["hinge", "crammer_singer"])
@pytest.mark.parametrize("name", ["iris", "wine"])
def test_hinge_optima_within_1e_3(name, loss, optimizer):
    """Smoothing with continuation: gd and lbfgs land within 1e-3 of the exact QP optimum."""
    est, X, y = fit(
        loss, data=name, optimizer=optimizer, alpha=1e-2, tol=1e-3, max_iter=20000
    )
    optimum = solve_reference(X, y, loss=loss, alpha=1e-2)[2]
    assert 0 <= (est.objective_ - optimum) / optimum <= 1e-3


def test_crammer_singer_matches_linear_svc():
    """SVMClassifier(crammer_singer, no intercept) solves LinearSVC's CS problem, C = 1/(2 n alpha)."""
    from sklearn.svm import LinearSVC

    from _reference import objective_value

    X, y = standardized_dataset("wine")
    alpha = 1e-2
    est = SVMClassifier(
        loss="crammer_singer", fit_intercept=False, alpha=alpha, tol=1e-4
    ).fit(X, y)
    svc = LinearSVC(
        multi_class="crammer_singer",
        fit_intercept=False,
        C=1 / (2 * len(y) * alpha),
        tol=1e-8,
        max_iter=100_000,
    ).fit(X, y)
    theirs = objective_value(
        svc.coef_.T, None, X, y, loss="crammer_singer", alpha=alpha
    )
    assert est.objective_ == pytest.approx(theirs, rel=1e-4)
    assert np.mean(est.predict(X) == svc.predict(X)) > 0.97


def test_overshooting_fixed_step_raises():
    """A fixed step whose every move goes uphill is an error naming learning_rate, not a fit."""
    X, y = standardized_dataset("digits")
    with pytest.raises(ValueError, match="learning_rate=64.0 is too large"):
        SoftmaxClassifier(alpha=1e-3, optimizer="gd", learning_rate=64.0).fit(X, y)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n_pairs", [1, 3, 4, 9])
def test_compact_inverse_hessian_equals_the_bfgs_recursion(n_pairs, dtype):
    """The compact H g equals the dense BFGS inverse updates
    H <- (I - rho s y^T) H (I - rho y s^T) + rho s s^T over the last ``memory``
    pairs, from gamma I (Nocedal and Wright, eq. 6.17 and 7.20); pairs
    without positive curvature are left out, and clear() forgets them all."""
    rng = np.random.default_rng(n_pairs)
    n, memory = 12, 4
    A = rng.normal(size=(n, n))
    A = A @ A.T + n * np.eye(n)
    H = _InverseHessian(n, memory, dtype)
    kept = []
    for _ in range(n_pairs):
        s = rng.normal(size=n)
        H.update(s.astype(dtype), (A @ s).astype(dtype))
        H.update(s.astype(dtype), (-s).astype(dtype))  # negative curvature
        kept = (kept + [(s, A @ s)])[-memory:]
    assert len(H) == len(kept)
    s, y = kept[-1]
    dense = (s @ y) / (y @ y) * np.eye(n)
    for s, y in kept:
        rho = 1.0 / (s @ y)
        V = np.eye(n) - rho * np.outer(y, s)
        dense = V.T @ dense @ V + rho * np.outer(s, s)
    g = rng.normal(size=n)
    result = H.dot(g.astype(dtype))
    assert result.dtype == dtype
    assert_allclose(result, dense @ g, rtol=1e-4 if dtype == np.float32 else 1e-10)
    H.clear()
    assert len(H) == 0
    assert_allclose(H.dot(g), g)


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_lbfgs_reports_the_exact_objective_of_its_result(loss):
    """Trial steps reuse scores by linearity, but the reported value is the
    objective computed afresh at the returned point, to the last digit."""
    X, y = standardized_dataset("wine")
    problem = make_problem(X, y, loss=loss, alpha=1e-3)
    result = lbfgs(
        LinearObjective(problem), np.zeros(problem.n_params), tol=1e-8, memory=5
    )
    assert result.nit > 5
    assert result.fun == LinearObjective(problem).value(result.x)


@pytest.mark.parametrize("scale", [1e-3, 1.0, 3.0, 1e3])
def test_lbfgs_step_is_scipys_strong_wolfe_step(scale):
    """The unit step is accepted without entering scipy's search only when
    scipy's search would return it: from short directions (t = 1 too short
    for the curvature condition) to long ones (t = 1 fails sufficient
    decrease), the step taken is the one scipy.optimize.line_search finds."""
    import warnings

    from scipy.optimize import line_search

    from sklinear.optimizers._lbfgs import ARMIJO, CURVATURE, _search

    objective, _, _ = _softmax_problem(300)
    theta = np.random.default_rng(0).normal(size=objective.n_params)
    fun, grad = objective.value_and_gradient(theta)
    direction = -scale * grad / np.linalg.norm(grad)
    slope = grad @ direction
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy may warn where it fails
        expected = line_search(
            objective.value,
            lambda t: objective.value_and_gradient(t)[1],
            theta,
            direction,
            gfk=grad,
            old_fval=fun,
            c1=ARMIJO,
            c2=CURVATURE,
        )[0]
        step = _search(objective.line(theta, direction), fun, slope, 0.0)
    assert expected is not None
    assert step == pytest.approx(expected, rel=1e-10)
    assert (step == 1.0) == (scale == 3.0)  # each branch is exercised


def _softmax_problem(n_samples, alpha=1e-3, container=np.asarray):
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=n_samples,
        n_features=5,
        n_informative=3,
        n_classes=3,
        random_state=0,
    )
    objective = LinearObjective(make_problem(container(X), y, alpha=alpha))
    return objective, X, y


def _spy_on_subsets(objective):
    calls = []
    subset = objective.subset

    def spy(rows):
        calls.append(subset(rows))
        return calls[-1]

    objective.subset = spy
    return calls


@pytest.mark.parametrize("container", [np.asarray, sp.csr_matrix], ids=["dense", "csr"])
def test_lbfgs_presolves_on_a_subsample_and_reaches_the_optimum(container):
    """A cold start on many rows (here 4000 for 18 parameters) first iterates
    on every 16th row (a view of dense X) and still ends at the full problem's
    optimum: LogisticRegression's at C = 1 / (2 n alpha)."""
    from sklearn.linear_model import LogisticRegression

    objective, X, y = _softmax_problem(4000, container=container)
    calls = _spy_on_subsets(objective)
    result = lbfgs(objective, np.zeros(objective.n_params), tol=1e-10)
    assert len(calls) == 1 and calls[0].n_samples == 250
    if container is np.asarray:
        assert np.shares_memory(calls[0].problem.X, X)
    reference = LogisticRegression(
        C=1.0 / (2 * len(y) * objective.problem.alpha), tol=1e-12, max_iter=10_000
    ).fit(X, y)
    optimum = objective.value(objective.pack(reference.coef_.T, reference.intercept_))
    assert result.fun <= optimum * (1 + 1e-9)


@pytest.mark.parametrize("case", ["few rows", "warm start", "hinge"])
def test_lbfgs_presolves_only_cold_smooth_fits_on_many_rows(case):
    """No subsample for 500 rows (31 rows for 18 parameters), for a warm
    start (its start is already good) or for a hinge loss (its continuation
    starts smoothed)."""
    objective, X, y = _softmax_problem(500 if case == "few rows" else 4000)
    x0 = np.zeros(objective.n_params)
    if case == "warm start":
        x0[0] = 0.1
    if case == "hinge":
        objective = LinearObjective(objective.problem.replace(loss=LOSSES["hinge"]))
    calls = _spy_on_subsets(objective)
    lbfgs(objective, x0, tol=1e-3)
    assert calls == []
