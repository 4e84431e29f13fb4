"""The exact finish of the dual solver: the optimum of a guessed active set,
against exact solutions and the optimality conditions, and never trusted
when the guess is wrong."""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal

from sklinear import SVMClassifier
from sklinear.objective import LinearObjective
from sklinear.optimizers import _dual_cd
from sklinear.optimizers._active_set import (
    RIDGE,
    _ActiveSet,
    _optimality_system,
    active_set_solution,
    subspace_step,
)
from sklinear.optimizers._duals import _eta, into_box, separable
from sklinear.problem import make_problem

from _reference import dense_dual_dataset, solve_reference, standardized_dataset

LOSSES = ["hinge", "squared_hinge", "crammer_singer"]
EPS = np.finfo(np.float64).eps


def _loose_state(problem, tol=1e-2):
    """The dual variables and intercept of a fit stopped at ``tol``, without
    the exact finish: what the finish starts from."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_dual_cd, "active_set_solution", lambda *args: (None, None))
        result = _dual_cd.dual_cd(
            LinearObjective(problem), np.zeros(problem.n_params), tol=tol,
            random_state=0,
        )  # fmt: skip
    _, b = problem.unpack(result.x)
    return result.state["beta"], result.state["upper"], np.asarray(b, float)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_solution_meets_the_optimality_conditions_of_its_active_set(
    loss, fit_intercept
):
    """On the free variables the scores meet the margin exactly (plus
    beta / 2C for the squared hinge, plus the sample's common slack for
    Crammer-Singer), and with an intercept the dual's constraint holds: the
    linear algebra, checked from W and b recomputed here. (From a fit at a
    gap of 1e-6, whose active set is the optimum's: a wrong guess has values
    outside the box, clipped, which the conditions do not survive.)"""
    X, y = standardized_dataset("wine")
    problem = make_problem(X, y, loss=loss, alpha=1e-2, fit_intercept=fit_intercept)
    beta, upper, b = _loose_state(problem, tol=1e-6)
    rows = _dual_cd._rows(problem.X)
    exact, new_b = active_set_solution(problem, rows, beta, upper, b, 10**4)
    free = (exact > 0) & (exact < upper[:, None])
    if loss == "crammer_singer":
        free = exact > 0
    W = X.T @ _eta(exact, y)
    scores = X @ W + new_b
    label = scores[np.arange(len(y)), y][:, None]
    g = scores - label + 1.0  # the margin violations, the dual's gradient
    scale = np.abs(scores).max() + 1.0
    if loss == "hinge":
        residual = g[free]
    elif loss == "squared_hinge":
        residual = (g - exact / (2 * upper[:, None]))[free]
    else:  # every positive variable of a sample shares its slack
        slack = np.where(free, g, -np.inf).max(axis=1, keepdims=True)
        residual = (g - slack)[free]
    assert free.sum() > 0
    assert np.abs(residual).max() <= 1e3 * EPS * scale
    if fit_intercept:
        assert np.abs(_eta(exact, y).sum(axis=0)).max() <= 1e3 * EPS * upper.sum()
    # The mean of b is the scores' free shift: the solution keeps it.
    assert np.sum(new_b) == pytest.approx(np.sum(b), abs=1e3 * EPS * scale)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("sparse", [False, True])
def test_default_fits_end_at_the_exact_optimum(loss, fit_intercept, sparse):
    """At the default tol (a gap of 1e-4) the finish lands on the optimum:
    the certified gap is at rounding level, and the objective matches the
    exact QP/LP solution to the reference's own accuracy (1e-7)."""
    X, y = standardized_dataset("wine")
    clf = SVMClassifier(loss, alpha=1e-2, fit_intercept=fit_intercept, random_state=0)
    clf.fit(sp.csr_matrix(X) if sparse else X, y)
    *_, reference = solve_reference(
        X, y, loss=loss, alpha=1e-2, fit_intercept=fit_intercept
    )
    # Rounding of P and D: far below what a coordinate method reaches.
    assert clf.dual_gap_ <= 1e3 * EPS
    assert abs(clf.objective_ - reference) <= 1e-7 * reference


@pytest.mark.parametrize("loss", LOSSES)
def test_a_wrong_guess_is_certified_not_trusted(loss):
    """Dual variables drawn at random give a wrong active set: the finish's
    point is scored and certified like any iterate, so its gap is an upper
    bound on its true suboptimality and the fit does not take it."""
    X, y = standardized_dataset("iris")
    problem = make_problem(X, y, loss=loss, alpha=1e-2)
    objective = LinearObjective(problem)
    rng = np.random.default_rng(0)
    shares = np.full(len(y), 1.0 / len(y))
    upper = shares / (2 * problem.alpha)
    beta = rng.uniform(0, 1, (len(y), 3)) * upper[:, None] / 3
    beta[np.arange(len(y)), y] = 0.0
    rows = _dual_cd._rows(problem.X)
    centre = X.mean(axis=0)
    exact = _dual_cd._exact(
        objective, rows, centre, beta, y, shares, upper, np.zeros(3), 10**4
    )
    *_, reference = solve_reference(X, y, loss=loss, alpha=1e-2)
    true_gap = (exact["fun"] - reference) / exact["fun"]
    assert true_gap > 1e-3  # the guess was wrong ...
    assert exact["gap"] >= true_gap - 1e-7  # ... and the certificate says so


def test_systems_beyond_the_memory_budget_are_not_built():
    """The finish builds a dense system of the active set's size: above the
    budget it declines, and the fit goes on by coordinate descent alone."""
    X, y = standardized_dataset("wine")
    problem = make_problem(X, y, loss="hinge", alpha=1e-2)
    beta, upper, b = _loose_state(problem)
    rows = _dual_cd._rows(problem.X)
    size = int(((beta > 0) & (beta < upper[:, None])).sum()) + 4
    assert active_set_solution(problem, rows, beta, upper, b, size - 1) == (None, None)
    assert active_set_solution(problem, rows, beta, upper, b, size)[0] is not None


def _lagrangian(problem, beta, b):
    r""":math:`D(\beta) - b^\top z` of uncentred rows, from scratch."""
    eta = _eta(beta, problem.y)
    V = problem.X.T @ eta
    value = separable(beta, _bounds(problem), problem.loss) - 0.5 * np.vdot(V, V)
    if problem.fit_intercept:
        value -= b @ eta.sum(axis=0)
    return value


def _bounds(problem):
    return np.full(problem.n_samples, 1 / (2 * problem.alpha * problem.n_samples))


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_subspace_step_raises_the_lagrangian_inside_the_box(loss, fit_intercept):
    """From the duals of a loose fit, a subspace step stays in the dual's box,
    moves only the samples it names, changes V by exactly their rows times
    the change of their eta, and raises the Lagrangian at its intercept: all
    recomputed here from scratch."""
    X, y = standardized_dataset("wine")
    problem = make_problem(X, y, loss=loss, alpha=1e-3, fit_intercept=fit_intercept)
    beta, upper, b = _loose_state(problem, tol=1e-1)
    assert_allclose(upper, _bounds(problem), rtol=1e-15)
    V = X.T @ _eta(beta, y)
    step, work = subspace_step(problem, _dual_cd._rows(X), beta, upper, b, V, 10**4)
    assert step is not None and work > 0
    samples, rows, delta_V, new_b = step
    after = beta.copy()
    after[samples] = rows
    others = np.setdiff1d(np.arange(len(y)), samples)
    assert_array_equal(after[others], beta[others])
    assert (after >= 0).all() and (after[np.arange(len(y)), y] == 0).all()
    if loss == "hinge":
        assert (after <= upper[:, None]).all()
    elif loss == "crammer_singer":
        assert (after.sum(axis=1) <= upper).all()
    scale = np.abs(X).max() * np.abs(after - beta).sum(axis=0).max()
    assert_allclose(delta_V, X.T @ (_eta(after, y) - _eta(beta, y)),
                    atol=100 * EPS * len(samples) * scale)  # fmt: skip
    before, gained = (
        _lagrangian(problem, beta, new_b),
        _lagrangian(problem, after, new_b),
    )
    # Far above the rounding of either value.
    assert gained - before > 1e3 * EPS * (abs(before) + 1.0)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_subspace_step_on_a_face_with_more_free_variables_than_rank(
    fit_intercept, seed
):
    """80 free variables on rows of 2 features and 3 classes: their Gram
    matrix has rank at most d(k - 1) = 4, the dual grows linearly along the
    face's null directions, and the ridged system's solution runs off by
    about 1e11 box widths. An arc halved from t = 1 lands in the box's corners: no point of
    its first nine raises the Lagrangian (checked here). Started where its
    largest move spans one box width, the step raises it."""
    rng = np.random.default_rng(seed)
    n, k, alpha = 40, 3, 1e-2
    X, y = rng.normal(size=(n, 2)), np.arange(n) % k
    problem = make_problem(X, y, loss="hinge", alpha=alpha, fit_intercept=fit_intercept)
    upper = _bounds(problem)
    beta = rng.uniform(0.2, 0.8, size=(n, k)) * upper[:, None]
    beta[np.arange(n), y] = 0.0
    b, rows = np.zeros(k), _dual_cd._rows(X)
    found = _ActiveSet(problem, beta, upper, 10**4)
    _, target, new_b = _optimality_system(
        problem, rows, found, found.rows_of(X), beta, b, RIDGE
    )
    assert found.m == 2 * n
    assert np.abs(target - beta).max() > 1e6 * upper.max()
    for t in 0.5 ** np.arange(9):  # the arc from t = 1
        halved = into_box(beta + t * (target - beta), upper, "hinge")
        assert _lagrangian(problem, halved, new_b) < _lagrangian(problem, beta, new_b)

    step, _ = subspace_step(problem, rows, beta, upper, b, X.T @ _eta(beta, y), 10**4)
    assert step is not None
    samples, moved, _, step_b = step
    assert_array_equal(step_b, b)  # a partial step keeps the intercept
    after = beta.copy()
    after[samples] = moved
    before = _lagrangian(problem, beta, step_b)
    assert _lagrangian(problem, after, step_b) - before > 1e3 * EPS * abs(before)


def test_a_partial_step_keeps_the_intercept():
    """Standardized wine times 1e-3: the rows are negligible next to the
    intercept's constraints, the step's system hardly determines b*, and a
    step that stopped at 1/75 of the way to its target took b* = 1.6e16
    (the epochs then pulled it back, in 94 epochs in all). The intercept of
    beta* belongs to beta* alone: a partial step keeps the current one, and
    no step moves it by a margin."""
    X, y = standardized_dataset("wine")
    problem = make_problem(X * 1e-3, y, loss="hinge", alpha=1e-2)
    moves, step = [], _dual_cd.subspace_step

    def spy(problem, rows, beta, upper, b, V, max_size):
        found = step(problem, rows, beta, upper, b, V, max_size)
        if found[0] is not None:
            moves.append(np.ptp(found[0][3] - b))
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_dual_cd, "subspace_step", spy)
        fit = _dual_cd.dual_cd(LinearObjective(problem), np.zeros(problem.n_params),
                               tol=1e-6, max_iter=3000, random_state=0)  # fmt: skip
    assert fit.success and moves
    assert max(moves) < problem.loss.margin


def test_subspace_steps_finish_a_dense_dual_to_a_tight_tol():
    """Five overlapping classes in 20 features at alpha=1e-4: near the optimum
    about 85 variables stay free against a rank of at most d(k - 1) + k - 1
    = 84, and the ridged solutions ran off the box. The steps were refused
    and the fit was at a gap of 1.3e-6 after 5000 epochs; it now certifies
    1e-6 in 775 epochs."""
    problem = make_problem(*dense_dual_dataset(), loss="hinge", alpha=1e-4)
    fit = _dual_cd.dual_cd(LinearObjective(problem), np.zeros(problem.n_params),
                           tol=1e-6, max_iter=2500, random_state=0)  # fmt: skip
    assert fit.success and fit.dual_gap <= 1e-6


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_subspace_step_aims_at_the_exact_solution(loss, fit_intercept):
    """From a fit at a gap of 1e-6, whose active set is the optimum's, the
    step's target is what active_set_solution solves, up to the relative
    shift RIDGE of the diagonal that keeps the step's system nonsingular.
    (Whether the step is then taken depends on a gain of 1e-13 there, at
    the rounding of the Lagrangian: the polish's business, not the step's.)"""
    X, y = standardized_dataset("wine")
    problem = make_problem(X, y, loss=loss, alpha=1e-2, fit_intercept=fit_intercept)
    beta, upper, b = _loose_state(problem, tol=1e-6)
    rows = _dual_cd._rows(X)
    exact, exact_b = active_set_solution(problem, rows, beta, upper, b, 10**4)
    found = _ActiveSet(problem, beta, upper, 10**4)
    X_s = found.rows_of(X)
    _, target, new_b = _optimality_system(problem, rows, found, X_s, beta, b, RIDGE)
    assert_allclose(target, exact[found.samples], atol=1e4 * RIDGE * exact.max())
    assert_allclose(new_b, exact_b, atol=1e4 * RIDGE * (np.abs(exact_b).max() + 1))


@pytest.mark.parametrize(
    "loss, fit_intercept",
    [("hinge", True), ("hinge", False), ("crammer_singer", False)],
)
def test_subspace_steps_take_fewer_epochs_to_the_same_optimum(loss, fit_intercept):
    """On standardized digits at alpha=1e-3 the epochs settle the free
    variables' values slowly (460 to 1000 epochs without the steps); with
    them the fit certifies the same optimum in a third to two fifths of
    them, asked here for less than 0.6 of them."""
    X, y = standardized_dataset("digits")
    problem = make_problem(X, y, loss=loss, alpha=1e-3, fit_intercept=fit_intercept)
    objective, x0 = LinearObjective(problem), np.zeros(problem.n_params)
    fit = _dual_cd.dual_cd(objective, x0, random_state=0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_dual_cd, "STEP_BELOW", -np.inf)
        plain = _dual_cd.dual_cd(objective, x0, random_state=0)
    assert fit.success and plain.success
    assert fit.fun == pytest.approx(plain.fun, rel=2e-4)  # both within tol=1e-4
    assert fit.nit < 0.6 * plain.nit


def test_a_set_beyond_the_budget_is_looked_at_less_and_less_often():
    """Where no system fits the memory budget, a fit would look at its
    active set after every epoch for nothing (on a 20000 x 256 set, 1326
    times in 1493 epochs, 5% of the fit): the waits double, up to 32
    epochs."""
    X, y = standardized_dataset("wine")
    problem = make_problem(X, y, loss="hinge", alpha=1e-5)
    calls = []

    def spy(*args):
        calls.append(args)
        return None, 0.0  # as for a set beyond the budget

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_dual_cd, "subspace_step", spy)
        fit = _dual_cd.dual_cd(LinearObjective(problem), np.zeros(problem.n_params),
                               tol=1e-30, max_iter=300, random_state=0)  # fmt: skip
    assert fit.nit == 300
    # Waits of 2, 4, ..., 32 epochs, then 32 at a time, after the first
    # full epoch whose gap is below 0.1.
    assert 1 <= len(calls) <= 5 + 300 // 32 + 1
