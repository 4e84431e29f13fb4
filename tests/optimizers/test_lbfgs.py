"""L-BFGS: the compact inverse Hessian, scipy's strong Wolfe step, the exact
objective of its result, the presolve on a subsample, and the L1 penalty it
refuses."""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose

from sklinear import SoftmaxClassifier, SVMClassifier, make_problem
from sklinear.losses import LOSSES
from sklinear.objective import LinearObjective
from sklinear.optimizers import lbfgs
from sklinear.optimizers._lbfgs import _InverseHessian

from _reference import standardized_dataset


@pytest.mark.parametrize("Est", [SoftmaxClassifier, SVMClassifier])
def test_lbfgs_rejects_an_l1_penalty(Est):
    """The error names the optimizer that can handle it."""
    X, y = standardized_dataset("iris")
    with pytest.raises(ValueError, match="optimizer='lbfgs' cannot .* one of 'gd'"):
        Est(optimizer="lbfgs", penalty="l1").fit(X, y)


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


@pytest.mark.parametrize("n_pairs", [2, 5, 11])
@pytest.mark.parametrize("memory", [3, 6])
def test_resume_equals_replaying_the_pairs_through_update(n_pairs, memory):
    """resume() builds its matrices in one product each; it must give the
    H g of feeding the old memory's last pairs, corrected for the new penalty
    curvature, one at a time to update() (which drops those the shift left
    without positive curvature), whether the old memory wrapped or not."""
    rng = np.random.default_rng(n_pairs + memory)
    n, n_coef = 9, 6
    B = rng.normal(size=(n, n))
    B = 0.01 * B @ B.T
    old = _InverseHessian(n, 5, np.float64)
    for i in range(n_pairs):
        s = rng.normal(size=n)
        s[:n_coef] *= 3  # most of |s| in the weights
        # Curvature about 10 and about 1, alternately.
        old.update(s, (10.0 if i % 2 else 1.0) * s + B @ s)
    # The shift keeps the pairs of curvature 10 and drops those of 1.
    old_curvature, curvature = 0.0, -4.0
    resumed = _InverseHessian(n, memory, np.float64)
    resumed.resume((old, old_curvature), curvature, n_coef)
    replayed = _InverseHessian(n, memory, np.float64)
    for slot in old._slots[-memory:]:
        s, y = old._S[slot], old._Y[slot].copy()
        y[:n_coef] += (curvature - old_curvature) * s[:n_coef]
        replayed.update(s, y)
    assert 0 < len(resumed) == len(replayed) < min(memory, n_pairs, 5)
    g = rng.normal(size=n)
    assert_allclose(resumed.dot(g), replayed.dot(g), rtol=1e-12)


@pytest.mark.parametrize("penalty", ["l2", None])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_known_feature_scales_give_the_scaled_gradient_rule(
    penalty, fit_intercept, dtype
):
    """The rule lbfgs builds from known feature scales (its own or a path's)
    is the one ScaledGradient computes from the data, on weighted data of
    uneven scales."""
    from sklinear.optimizers._stationarity import ScaledGradient, feature_scales

    rng = np.random.default_rng(0)
    X = (rng.normal(size=(40, 5)) * [1e-3, 1.0, 30.0, 0.0, 2.0]).astype(dtype)
    y = rng.integers(0, 3, 40)
    weights = rng.uniform(0.5, 2.0, 40)
    problem = make_problem(
        X,
        y,
        penalty=penalty,
        alpha=1e-2,
        sample_weight=weights,
        fit_intercept=fit_intercept,
    )
    objective = LinearObjective(problem)
    known = ScaledGradient(objective, feature_scales(problem))
    expected = ScaledGradient(objective)
    assert_allclose(known.inverse_scales, expected.inverse_scales, rtol=1e-15)
    assert known.dtype == expected.dtype


def test_lbfgs_reuses_feature_scales_only_of_a_state_marked_same_data(monkeypatch):
    """A state marked same_data (a path's) brings its feature scales; any
    other warm start computes them from its data, and the fits agree."""
    import sklinear.optimizers._lbfgs as module

    objective, _, _ = _softmax_problem(200)
    computed = []
    original = module.feature_scales
    monkeypatch.setattr(
        module, "feature_scales", lambda p: computed.append(1) or original(p)
    )
    x0 = np.zeros(objective.n_params)
    first = lbfgs(objective, x0, tol=1e-8)
    assert len(computed) == 1
    assert_allclose(first.state["feature_scales"], original(objective.problem))
    shifted = LinearObjective(objective.problem.replace(alpha=1e-4))
    plain = lbfgs(shifted, first.x, tol=1e-8, state=first.state)
    assert len(computed) == 2
    marked = lbfgs(shifted, first.x, tol=1e-8, state={**first.state, "same_data": True})
    assert len(computed) == 2
    assert_allclose(marked.x, plain.x, rtol=0, atol=0)


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


def _count_products(monkeypatch):
    """Count the products ``X W`` of nonzero ``W`` (a start from 0 needs none)."""
    calls = []
    original = LinearObjective.scores

    def spy(self, theta, out=None):
        if self.unpack(theta)[0].any():
            calls.append(1)
        return original(self, theta, out)

    monkeypatch.setattr(LinearObjective, "scores", spy)
    return calls


def test_lbfgs_state_holds_the_scores_of_its_result_if_asked():
    """With keep_scores, the scores kept are X W + b of the returned point,
    carried fewer than REFRESH steps, and its value is the objective on them
    (up to that rounding); without, the state holds none (a copy a fit
    never reads), and the value is computed afresh."""
    from sklinear.optimizers._lbfgs import REFRESH

    objective, X, _ = _softmax_problem(300)
    x0 = np.zeros(objective.n_params)
    plain = lbfgs(objective, x0, tol=1e-8)
    assert "scores" not in plain.state
    assert plain.fun == LinearObjective(objective.problem).value(plain.x)
    result = lbfgs(objective, x0, tol=1e-8, keep_scores=True)
    theta, scores, carried = result.state["scores"]
    assert np.array_equal(theta, result.x) and 0 < carried < REFRESH
    W, b = objective.unpack(result.x)
    assert_allclose(scores, X @ W + b, rtol=1e-12, atol=1e-12)
    exact = LinearObjective(objective.problem).value(result.x)
    assert_allclose(result.fun, exact, rtol=1e-13)
    assert np.array_equal(result.x, plain.x)


def test_lbfgs_refreshes_scores_carried_over_runs():
    """The steps scores were carried in the run that handed them on count:
    handed on at REFRESH - 1 steps, they are recomputed within this run's
    first steps, so rounding never accumulates along a path beyond REFRESH
    steps, and the scores kept at the end are X W + b."""
    from sklinear.optimizers._lbfgs import REFRESH

    objective, X, _ = _softmax_problem(300)
    first = lbfgs(objective, np.zeros(objective.n_params), tol=1e-8, keep_scores=True)
    theta, scores, _ = first.state["scores"]
    shifted = LinearObjective(objective.problem.replace(alpha=1e-4))
    state = {**first.state, "same_data": True, "scores": (theta, scores, REFRESH - 1)}
    result = lbfgs(shifted, first.x, tol=1e-8, state=state, keep_scores=True)
    assert result.nit > 1
    theta, scores, carried = result.state["scores"]
    assert carried < result.nit
    W, b = objective.unpack(result.x)
    assert_allclose(scores, X @ W + b, rtol=1e-13, atol=1e-13)
    assert_allclose(result.fun, shifted.value(result.x), rtol=1e-14)


def test_lbfgs_starts_from_the_scores_of_a_same_data_state(monkeypatch):
    """A state marked same_data (a path's) whose scores belong to x0 saves the
    start's product, and the fit is the one it would have been without (up
    to rounding: the kept scores were carried by the first fit's steps)."""
    objective, _, _ = _softmax_problem(300)
    first = lbfgs(objective, np.zeros(objective.n_params), tol=1e-8, keep_scores=True)
    shifted = LinearObjective(objective.problem.replace(alpha=1e-4))
    calls = _count_products(monkeypatch)
    plain = lbfgs(shifted, first.x, tol=1e-8, state=first.state)
    n_plain = len(calls)
    marked_state = {**first.state, "same_data": True}
    marked = lbfgs(shifted, first.x, tol=1e-8, state=marked_state)
    assert len(calls) - n_plain == n_plain - 1
    assert marked.nit == plain.nit
    assert_allclose(marked.x, plain.x, rtol=1e-9, atol=1e-12)
    assert_allclose(marked.fun, plain.fun, rtol=1e-14)
    # Scores of another point are not taken for x0's.
    elsewhere = lbfgs(shifted, 0.5 * first.x, tol=1e-8, state=marked_state)
    reference = lbfgs(shifted, 0.5 * first.x, tol=1e-8, state=first.state)
    assert np.array_equal(elsewhere.x, reference.x)
