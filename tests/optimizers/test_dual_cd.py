"""The dual coordinate-descent solver: its kernel against a plain NumPy step,
its fits against exact solutions, and its certificate."""

import warnings

import numpy as np
import pytest
import scipy.optimize
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_blobs
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from sklinear import SVMClassifier
from sklinear.objective import LinearObjective
from sklinear.optimizers import _dual_cd, dual_cd
from sklinear.optimizers._dual_cd import _LOSS_CODES, _eta
from sklinear.optimizers._dual_cd_fast import epoch
from sklinear.optimizers._duals import _flows, into_box, separable
from sklinear.problem import make_problem

from _reference import dense_dual_dataset, solve_reference, standardized_dataset

LOSSES = ["hinge", "squared_hinge", "crammer_singer"]


# -- the kernel against NumPy ----------------------------------------------------------


def _root(function, low, high):
    """The root of a decreasing ``function`` on ``[low, high]``, by bisection
    to the last bit (another method than the kernel's sorted scan)."""
    while True:
        middle = 0.5 * (low + high)
        if middle in (low, high):
            return middle
        if function(middle) > 0:
            low = middle
        else:
            high = middle


def numpy_block(loss, scores, beta, label, q, upper, margin):
    """The exact block step of one sample, written out with NumPy."""
    others = np.arange(len(scores)) != label
    gain = scores[others] - scores[label] + margin
    new = np.zeros_like(beta)
    if q == 0:  # a zero row: the block is linear (squared: separable)
        if loss == "hinge":
            new[others] = np.where(gain > 0, upper, 0.0)
        elif loss == "squared_hinge":
            new[others] = np.maximum(2 * upper * gain, 0.0)
        elif gain.max() > 0:
            new[np.flatnonzero(others)[gain.argmax()]] = upper
        return new
    c = beta[others] + gain / q + beta.sum()
    if loss == "hinge":
        values = lambda t: np.clip(c - t, 0, upper)  # noqa: E731
    elif loss == "squared_hinge":
        values = lambda t: np.maximum(q / (q + 0.5 / upper) * (c - t), 0)  # noqa: E731
    else:
        values = lambda t: np.maximum(c - t, 0)  # noqa: E731
    high = max(np.maximum(c, 0).sum(), 1.0) * 2
    total = _root(lambda t: values(t).sum() - t, 0.0, high)
    if loss == "crammer_singer" and total > upper:
        total = _root(lambda t: values(t).sum() - upper, c.min() - upper, c.max())
    new[others] = values(total)
    return new


def numpy_epoch(
    X, y, upper, sqnorm, beta, W, b, residual, offset, scale, order, loss, active,
    threshold,
):  # fmt: skip
    """An epoch of NumPy block steps, each over the sample's ``active``
    classes (a boolean mask, updated in place by the shrinking rule). Returns
    the sum of ``upper[i]`` times the loss at the scores each visit started
    from, over the samples with every class active."""
    seen = 0.0
    for i in order:
        if upper[i] <= 0:
            continue
        on = active[i]
        label = np.flatnonzero(np.flatnonzero(on) == y[i])[0]
        scores = (X[i] @ W + b - offset[i] * residual)[on]
        if on.all():
            hinge = np.maximum(np.delete(scores - scores[label] + 1.0, label), 0)
            seen += (
                upper[i]
                * {
                    "hinge": hinge.sum(),
                    "squared_hinge": hinge @ hinge,
                    "crammer_singer": hinge.max(),
                }[loss]
            )
        new = beta[i].copy()
        new[on] = numpy_block(
            loss, scores, beta[i, on], label, sqnorm[i], upper[i], 1.0
        )
        step = new - beta[i]
        delta = -step
        delta[y[i]] = step.sum()
        beta[i] = new
        b += (scale - offset[i]) * delta
        residual += delta
        W += np.outer(X[i], delta)
        gain = np.full(len(on), -np.inf)
        gain[on] = scores - scores[label] + 1.0
        on &= ~((new == 0) & (gain < -threshold) & (np.arange(len(on)) != y[i]))
    return seen


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("k", [4, 7])
def test_epoch_matches_numpy(loss, sparse, dtype, k):
    """Epochs of the kernel equal epochs of the NumPy block steps, on rows
    with zeros, a zero row and a zero bound, centred or not, with and
    without variables set aside by shrinking. The kernel sums four classes
    at a time: 7 classes take a group of four and the rest, and shrinking
    leaves every count in between."""
    rng = np.random.default_rng(0)
    n, d = 30, 5
    X = rng.standard_normal((n, d)).astype(dtype)
    X[rng.random((n, d)) < 0.4] = 0
    X[3] = 0
    y = rng.integers(k, size=n)
    upper = rng.uniform(0.1, 2.0, size=n)
    upper[5] = 0
    offset = rng.standard_normal(n)
    offset[::2] = 0  # some rows see no centring
    scale = 0.7
    sqnorm = np.einsum("ij,ij->i", X, X, dtype=np.float64) + rng.uniform(0, 1, n)
    sqnorm[3] = 0
    start = [np.zeros((n, k)), np.zeros((d, k)), np.zeros(k), np.zeros(k)]
    kernel = [a.copy() for a in start]
    expected = [a.copy() for a in start]
    if sparse:
        Xs = sp.csr_matrix(X)
        rows = (np.empty((0, 0), dtype), Xs.data, Xs.indices, Xs.indptr, True)
    else:
        empty = np.empty(0, np.int32)
        rows = (X, np.empty(0, dtype), empty, empty, False)
    classes, keep = np.ones((n, k), dtype=np.uint8), np.zeros(n, dtype=np.uint8)
    active = np.ones((n, k), dtype=bool)
    # No shrinking, then a threshold that sets some variables aside.
    for threshold in [np.inf, 0.2, 0.2]:
        order = rng.permutation(n)
        _, seen = epoch(
            *rows, y, upper, sqnorm, *kernel, offset, scale, order,
            _LOSS_CODES[loss], 1.0, classes, threshold, keep,
        )  # fmt: skip
        expected_seen = numpy_epoch(
            X.astype(np.float64),
            y,
            upper,
            sqnorm,
            *expected,
            offset,
            scale,
            order,
            loss,
            active,
            threshold,
        )
        assert_array_equal(classes.view(bool), active)
        assert seen == pytest.approx(expected_seen, rel=1e-10)
    for got, want in zip(kernel, expected, strict=True):
        assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    assert 0 < active.sum() < active.size  # the rule was exercised
    beta = kernel[0]
    assert np.all(beta >= 0) and not beta[np.arange(n), y].any()
    assert not beta[5].any()  # bound 0: never moves
    if loss == "hinge":
        assert np.all(beta <= upper[:, None])
    elif loss == "crammer_singer":
        assert np.all(beta.sum(axis=1) <= upper * (1 + 1e-12))


def test_flows_are_the_sums_of_numpy_add_at():
    """The compiled sums of the dual mass per class pair give np.add.at's
    bits: each entry summed over the rows in order."""
    rng = np.random.default_rng(0)
    n, k = 500, 6
    y = rng.integers(k, size=n)
    beta = rng.exponential(size=(n, k)) * 10.0 ** rng.integers(-8, 8, size=(n, 1))
    beta[rng.random((n, k)) < 0.5] = 0
    beta[np.arange(n), y] = 0
    expected = np.zeros((k, k))
    np.add.at(expected, y, beta)
    assert_array_equal(_flows(beta, y), expected)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_featureless_rows_score_a_cold_start_to_the_same_bits(loss, sparse, dtype):
    """A cold start's objective is taken without a pass over X: on rows that
    store nothing, the same bits as on the real rows with W = 0."""
    X, y = standardized_dataset("wine")
    X = X.astype(dtype)
    X[np.abs(X) < 0.5] = 0
    rows = _dual_cd._rows(sp.csr_matrix(X) if sparse else X)
    problem = make_problem(X, y, loss=loss, alpha=1e-2)
    shares = np.random.default_rng(0).uniform(0, 1, size=len(y))
    shares /= shares.sum()
    W = np.zeros((X.shape[1], 3))
    featureless = _dual_cd._featureless(rows, len(y))
    for b in [np.zeros(3), np.array([0.3, -1.7, 2.5e-9])]:
        value = _dual_cd._primal(problem, rows, y, shares, W, b)
        assert _dual_cd._primal(problem, featureless, y, shares, W, b) == value


def _block_value(x, old, gain, q, upper, loss):
    """The change of the negated dual when a block moves from ``old`` to ``x``."""
    d = x - old
    value = -(gain @ d) + q / 2 * (d @ d + d.sum() ** 2)
    return value + (x @ x / (4 * upper) if loss == "squared_hinge" else 0.0)


@pytest.mark.parametrize("loss", LOSSES)
def test_numpy_block_is_the_qp_optimum(loss):
    """The NumPy block step used above solves its QP (checked by cvxpy on
    random instances with ties, bounds active and a zero row)."""
    cp = pytest.importorskip("cvxpy")
    rng = np.random.default_rng(1)
    k = 5
    for trial in range(12):
        scores = rng.standard_normal(k).round(1)  # rounding makes ties
        label = trial % k
        upper = rng.uniform(0.2, 1.5)
        beta = rng.uniform(0, upper / k, size=k)
        beta[label] = 0
        q = 0.0 if trial == 0 else rng.uniform(0.1, 3.0)
        new = numpy_block(loss, scores, beta, label, q, upper, 1.0)
        others = np.arange(k) != label
        b = cp.Variable(k - 1)
        old = beta[others]
        gain = scores[others] - scores[label] + 1.0
        change = b - old
        # The dual block objective to minimize: the change of -D.
        value = -(gain @ change) + q / 2 * (
            cp.sum_squares(change) + cp.square(cp.sum(change))
        )
        constraints = [b >= 0]
        if loss == "hinge":
            constraints.append(b <= upper)
        elif loss == "crammer_singer":
            constraints.append(cp.sum(b) <= upper)
        else:
            value = value + cp.sum_squares(b) / (4 * upper)
        cp.Problem(cp.Minimize(value), constraints).solve(solver=cp.CLARABEL)

        # Both feasible; ours no worse than the QP solver's (to its accuracy).
        ours = _block_value(new[others], old, gain, q, upper, loss)
        theirs = _block_value(np.maximum(b.value, 0), old, gain, q, upper, loss)
        assert ours <= theirs + 1e-8


# -- fits against exact solutions -------------------------------------------------------


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fit_is_certified_against_the_exact_solution(loss, fit_intercept, dtype):
    """The fit's objective is within tol * L of the exact optimum (the
    certificate's claim) and not below it beyond the reference's accuracy.
    float32 rows are solved and certified in float64: only the returned
    coefficients are rounded to float32."""
    X, y = standardized_dataset("iris")
    X = X.astype(dtype)
    exact = X.astype(np.float64)  # the problem float32 rows define
    tol = 1e-8
    problem = make_problem(X, y, loss=loss, alpha=1e-2, fit_intercept=fit_intercept)
    # Iris without an intercept needs about 1000 epochs to 1e-8.
    result = dual_cd(
        LinearObjective(problem),
        np.zeros(problem.n_params),
        tol=tol,
        random_state=0,
        max_iter=10_000,
    )
    *_, reference = solve_reference(
        exact, y, loss=loss, alpha=1e-2, fit_intercept=fit_intercept
    )
    assert result.success and result.dual_gap <= tol
    # Any reference point is feasible: P - P_ref <= P - P* <= tol * P.
    assert result.fun - reference <= tol * result.fun
    # The reference solvers are accurate to 1e-7 of the objective.
    assert reference - result.fun <= 1e-7 * reference
    assert result.x.dtype == dtype
    # The coefficients as returned (rounded to float32 or not), scored exactly.
    exact_problem = make_problem(
        exact, y, loss=loss, alpha=1e-2, fit_intercept=fit_intercept
    )
    returned = LinearObjective(exact_problem).value(result.x.astype(np.float64))
    assert returned - reference <= 1e-6 * reference


@pytest.mark.parametrize("loss", LOSSES)
def test_dual_value_bounds_every_primal_value(loss):
    """Weak duality, computed here from the returned dual variables: D(beta)
    is below the objective of the exact solution and of the fit."""
    X, y = standardized_dataset("wine")
    alpha = 1e-2
    problem = make_problem(X, y, loss=loss, alpha=alpha, fit_intercept=False)
    result = dual_cd(
        LinearObjective(problem), np.zeros(problem.n_params), tol=1e-6, random_state=0
    )
    beta = result.state["beta"]
    upper = result.state["upper"]
    W = X.T @ _eta(beta, y)
    dual = beta.sum() - 0.5 * np.sum(W * W)
    if loss == "squared_hinge":
        dual -= np.sum(beta**2 / (4 * upper[:, None]))
    dual *= 2 * alpha
    *_, reference = solve_reference(X, y, loss=loss, alpha=alpha, fit_intercept=False)
    assert dual <= reference * (1 + 1e-7)
    assert (result.fun - dual) / result.fun == pytest.approx(result.dual_gap, rel=1e-6)


def test_raw_features_converge_with_an_intercept():
    """Unscaled, all-positive features (the intercept's hardest case)."""
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    clf = SVMClassifier(alpha=1e-3, random_state=0).fit(X, y)
    assert clf.optimizer_ == "dual_cd" and clf.dual_gap_ <= clf.tol
    *_, reference = solve_reference(X, y, loss="hinge", alpha=1e-3)
    assert clf.objective_ - reference <= clf.tol * clf.objective_


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("sparse", [False, True])
def test_weighted_fits_are_certified_against_the_exact_solution(loss, sparse):
    """Sample weights times class weights scale the bounds: the weighted
    optimum, dense or sparse, within the certificate of the exact one."""
    X, y = standardized_dataset("iris")
    weights = np.random.default_rng(0).uniform(0.2, 3.0, size=len(y))
    clf = SVMClassifier(
        loss, alpha=1e-2, tol=1e-8, class_weight={0: 2.0, 1: 0.5, 2: 1.0},
        random_state=0,
    )  # fmt: skip
    clf.fit(sp.csr_matrix(X) if sparse else X, y, sample_weight=weights)
    combined = weights * np.array([2.0, 0.5, 1.0])[y]
    *_, reference = solve_reference(X, y, loss=loss, alpha=1e-2, sample_weight=combined)
    assert clf.dual_gap_ <= 1e-8
    assert clf.objective_ - reference <= 1e-8 * clf.objective_
    assert reference - clf.objective_ <= 1e-7 * reference


# -- inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", LOSSES)
def test_sparse_csc_and_fortran_give_the_same_bits(loss):
    """Dense rows skip their zeros, so every layout takes the same steps."""
    X, y = standardized_dataset("wine")
    X = X.copy()
    X[np.abs(X) < 0.5] = 0
    fits = [
        SVMClassifier(loss, alpha=1e-2, random_state=0).fit(data, y)
        for data in (X, np.asfortranarray(X), sp.csr_matrix(X), sp.csc_matrix(X))
    ]
    for fit in fits[1:]:
        assert fit.n_iter_ == fits[0].n_iter_
        assert_array_equal(fit.coef_, fits[0].coef_)
        assert_array_equal(fit.intercept_, fits[0].intercept_)


def test_float32_is_certified_at_its_precision():
    X, y = standardized_dataset("wine")
    clf32 = SVMClassifier(alpha=1e-2, random_state=0).fit(X.astype(np.float32), y)
    clf64 = SVMClassifier(alpha=1e-2, random_state=0).fit(X, y)
    assert clf32.coef_.dtype == np.float32
    assert clf32.dual_gap_ <= clf32.tol
    # Both within tol of the same optimum, up to float32 rounding of L.
    assert clf32.objective_ == pytest.approx(clf64.objective_, rel=2 * clf64.tol)


@pytest.mark.parametrize("loss", LOSSES)
def test_zero_weights_equal_dropped_rows(loss):
    """Rows of weight 0 are never visited, and the others in the same order."""
    X, y = standardized_dataset("wine")
    weights = np.ones(len(y))
    weights[::3] = 0
    kept = weights > 0
    weighted = SVMClassifier(loss, alpha=1e-2, random_state=0)
    weighted.fit(X, y, sample_weight=weights)
    dropped = SVMClassifier(loss, alpha=1e-2, random_state=0).fit(X[kept], y[kept])
    assert weighted.n_iter_ == dropped.n_iter_
    assert_allclose(weighted.coef_, dropped.coef_, rtol=1e-12, atol=1e-14)
    assert_allclose(weighted.intercept_, dropped.intercept_, rtol=1e-12, atol=1e-14)


# -- warm starts, shrinking, stopping -----------------------------------------------------


@pytest.mark.parametrize("loss", LOSSES)
def test_warm_path_reaches_the_cold_optima(loss):
    """Along decreasing alphas the rescaled duals end at certified optima."""
    X, y = standardized_dataset("wine")
    warm = SVMClassifier(loss, warm_start=True, random_state=0)
    for alpha in [1e-1, 1e-2, 1e-3]:
        warm.set_params(alpha=alpha).fit(X, y)
        cold = SVMClassifier(loss, alpha=alpha, random_state=0).fit(X, y)
        assert warm.dual_gap_ <= warm.tol and cold.dual_gap_ <= cold.tol
        # Both certified within tol of the optimum, so within tol of each other.
        assert abs(warm.objective_ - cold.objective_) <= warm.tol * max(
            warm.objective_, cold.objective_
        )


@pytest.mark.parametrize("loss", LOSSES)
def test_warm_path_agrees_with_cold_fits_within_certified_gaps(loss):
    """The benchmark's grid (8 alphas from 1e-1 to 1e-4): each warm fit and
    its cold twin are certified within their gaps of one optimum, so their
    objectives differ by at most the larger gap times its objective."""
    X, y = standardized_dataset("wine")
    warm = SVMClassifier(loss, warm_start=True, random_state=0)
    for alpha in np.logspace(-1, -4, 8):
        warm.set_params(alpha=alpha).fit(X, y)
        cold = SVMClassifier(loss, alpha=alpha, random_state=0).fit(X, y)
        assert warm.dual_gap_ <= warm.tol and cold.dual_gap_ <= cold.tol
        bound = max(warm.dual_gap_ * warm.objective_, cold.dual_gap_ * cold.objective_)
        # Plus the rounding of two objectives summed in float64.
        slack = 1e-13 * max(warm.objective_, cold.objective_)
        assert abs(warm.objective_ - cold.objective_) <= bound + slack


def _first_epoch_start(problem, x0, state):
    """The dual variables, intercept and constraint residual a fit's first
    epoch starts from (copied as the kernel receives them)."""
    seen = {}

    def spy(*args):
        if not seen:
            # epoch(*rows, y, upper, sqnorm, beta, V, b, residual, ...)
            seen.update(upper=args[6].copy(), beta=args[8].copy(), b=args[10].copy(),
                        residual=args[11].copy())  # fmt: skip
        return epoch(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_dual_cd, "epoch", spy)
        dual_cd(LinearObjective(problem), x0, max_iter=1, random_state=0, state=state)
    return seen


def test_into_box_takes_a_total_back_in_as_many_passes_as_it_needs():
    """A Crammer-Singer total scaled to its bound can round an ulp above it,
    and a second pass then scales again. That pass indexed the totals of the
    rows still over by the rows' positions in beta: an IndexError (or another
    row's total) once a row past the first needed it."""
    rng = np.random.default_rng(0)
    rows, bounds = [], []
    while len(rows) < 3:  # rows that one scaling leaves an ulp above the bound
        row = rng.random(23) * 1e-2
        bound = row.sum() * (1 - rng.random() * 1e-3)
        if (row * np.nextafter(bound / row.sum(), 0.0)).sum() > bound:
            rows.append(row)
            bounds.append(bound)
    inside = np.full(23, 1e-3)  # rows 0 and 2 are within their bounds
    beta = np.array([inside, rows[0], inside, rows[1], rows[2]])
    upper = np.array([1.0, bounds[0], 1.0, bounds[1], bounds[2]])
    boxed = into_box(beta, upper, "crammer_singer")
    assert (boxed.sum(axis=1) <= upper).all()
    assert_array_equal(boxed[[0, 2]], beta[[0, 2]])
    # Each row scaled by one factor, to its bound up to the rounding.
    over = [1, 3, 4]
    scales = upper[over] / beta[over].sum(axis=1)
    assert_allclose(boxed[over], beta[over] * scales[:, None], rtol=1e-14)
    assert_allclose(boxed[over].sum(axis=1), upper[over], rtol=1e-14)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("factor", [1 / 3, 3.0], ids=["alpha-down", "alpha-up"])
def test_warm_start_keeps_the_duals_feasible_for_the_new_alpha(loss, factor):
    """A warm start keeps the dual variables where the bounds C_i ~ 1/alpha
    grew (W and the intercept's residual are the last solution's) and scales
    them down with the bounds where they shrank: either way the start is in
    the new dual box, and it keeps the last intercept."""
    X, y = standardized_dataset("wine")
    first_problem = make_problem(X, y, loss=loss, alpha=1e-2)
    first = dual_cd(LinearObjective(first_problem), np.zeros(first_problem.n_params),
                    tol=1e-10, random_state=0)  # fmt: skip
    assert first.success
    problem = make_problem(X, y, loss=loss, alpha=1e-2 * factor)
    start = _first_epoch_start(problem, first.x, first.state)
    old, beta, upper = first.state["beta"], start["beta"], start["upper"]
    assert_allclose(upper, first.state["upper"] / factor, rtol=1e-15)
    if factor < 1:
        assert_array_equal(beta, old)  # as they are: W does not move
    else:
        assert_allclose(beta, old / factor, rtol=1e-15, atol=0)
    assert (beta >= 0).all()
    assert (beta[np.arange(len(y)), y] == 0).all()
    if loss == "hinge":
        assert (beta <= upper[:, None]).all()
    elif loss == "crammer_singer":
        assert (beta.sum(axis=1) <= upper * (1 + 1e-15)).all()
    # Scaled by one factor for every sample: the residual of sum_i eta_i = 0
    # is the last one's, scaled alike.
    assert_allclose(start["residual"], _dual_cd._total(beta, y), atol=1e-12)
    assert_array_equal(start["b"], problem.unpack(first.x)[1])


def test_warm_start_gap_is_the_lost_data_term():
    r"""From an exact solution at alpha, the warm start at alpha' < alpha keeps
    W, so its dual value scales by alpha'/alpha and its gap is the data term
    times (1 - alpha'/alpha), relative to the start's objective: what the
    user guide derives."""
    X, y = standardized_dataset("wine")
    alpha, smaller = 1e-2, 1e-2 / 3
    problem = make_problem(X, y, loss="hinge", alpha=alpha)
    first = dual_cd(LinearObjective(problem), np.zeros(problem.n_params), tol=1e-12,
                    random_state=0)  # fmt: skip
    assert first.success and first.dual_gap <= 1e-12
    W, b = problem.unpack(first.x)
    data_term = first.fun - alpha * np.vdot(W, W)
    new = make_problem(X, y, loss="hinge", alpha=smaller)
    start = _first_epoch_start(new, first.x, first.state)
    beta, residual = start["beta"], start["residual"]
    # W of the duals, the fit's way: sum_i x_i eta_i less the centre times z.
    weights = X.T @ _eta(beta, y) - np.outer(X.mean(axis=0), residual)
    assert_allclose(weights, W, rtol=1e-9, atol=1e-12)
    dual = _dual_cd._dual(
        new, separable(beta, start["upper"], new.loss), weights, start["b"], residual
    )
    value = LinearObjective(new).value(first.x)
    assert value == pytest.approx(data_term + smaller * np.vdot(W, W), rel=1e-12)
    assert dual == pytest.approx(first.fun * smaller / alpha, rel=1e-9)
    expected = data_term * (1 - smaller / alpha) / value
    assert (value - dual) / value == pytest.approx(expected, rel=1e-7)


def test_warm_start_from_a_hard_margin_solution_is_optimal_at_once():
    """A solution with no dual variable at its bound violates no margin (its
    data term is 0): W unchanged, it is the optimum at every smaller alpha,
    and the warm fit certifies it in one epoch."""
    X, y = standardized_dataset("wine")
    clf = SVMClassifier(alpha=1e-4, tol=1e-10, warm_start=True, random_state=0)
    clf.fit(X, y)
    state = clf._optimizer_state["dual_cd"]
    assert (state["beta"] < state["upper"][:, None]).all()  # separable: hard margin
    coef = clf.coef_.copy()
    clf.set_params(alpha=1e-6, tol=1e-4).fit(X, y)
    assert clf.n_iter_ == 1 and clf.dual_gap_ <= 1e-4
    assert_allclose(clf.coef_, coef, rtol=1e-6, atol=1e-8)


def test_shrinking_changes_the_path_not_the_optimum():
    X, y = standardized_dataset("wine")
    problem = make_problem(X, y, loss="hinge", alpha=1e-3)
    results = [
        dual_cd(LinearObjective(problem), np.zeros(problem.n_params), tol=1e-9,
                random_state=0, shrinking=shrinking)
        for shrinking in (True, False)
    ]  # fmt: skip
    for result in results:
        assert result.success
    assert results[0].fun == pytest.approx(results[1].fun, rel=2e-9)


def test_max_iter_reports_a_certified_gap():
    X, y = standardized_dataset("wine")
    with pytest.warns(ConvergenceWarning, match="duality gap"):
        clf = SVMClassifier(alpha=1e-4, max_iter=2, random_state=0).fit(X, y)
    assert clf.n_iter_ == 2 and clf.dual_gap_ > clf.tol
    assert len(clf.loss_curve_) == 2 and clf.objective_ == clf.loss_curve_.min()


def _text_like():
    """L2-normalized sparse rows, 300 x 2000, 5 classes, each with a word."""
    rng = np.random.default_rng(0)
    n, d, k = 300, 2000, 5
    y = rng.integers(k, size=n)
    X = sp.random(n, d, density=0.01, random_state=0, format="csr")
    X = X + sp.csr_matrix((np.ones(n), (np.arange(n), y * 7)), shape=(n, d))
    return sp.csr_matrix(X.multiply(1 / np.sqrt(X.multiply(X).sum(axis=1)))), y


def test_no_fit_stops_before_its_first_epoch():
    """On L2-normalized sparse rows the gradient at W = 0 is tiny; the gap
    is not, and the default fit learns (the issue's text case, small)."""
    X, y = _text_like()
    clf = SVMClassifier(random_state=0).fit(X, y)
    assert clf.n_iter_ >= 1 and clf.dual_gap_ <= clf.tol
    assert clf.score(X, y) == 1.0


def _counted(monkeypatch, name):
    """Record the values of each call of ``_dual_cd.<name>``."""
    calls, function = [], getattr(_dual_cd, name)

    def counted(*args):
        calls.append(function(*args))
        return calls[-1]

    monkeypatch.setattr(_dual_cd, name, counted)
    return calls


@pytest.mark.parametrize("loss", LOSSES)
def test_guessed_gaps_skip_certificates_not_stops(loss, monkeypatch):
    """Full epochs whose guessed gap is far above tol skip the certificate's
    pass over X; the dual path, the stop and the result stay those of a fit
    that certifies every full epoch."""
    X, y = _text_like()
    problem = make_problem(X, y, loss=loss, alpha=1e-4)
    results, certified, guessed = [], [], []
    for margin in [_dual_cd.GUESS_MARGIN, np.inf]:  # inf: never skip
        monkeypatch.setattr(_dual_cd, "GUESS_MARGIN", margin)
        gaps, guesses = (
            _counted(monkeypatch, "_gap"),
            _counted(monkeypatch, "_guessed_gap"),
        )
        results.append(
            dual_cd(
                LinearObjective(problem), np.zeros(problem.n_params), random_state=0
            )
        )
        certified.append(len(gaps))
        guessed.append(
            sum(g > max(margin * 1e-4, _dual_cd.POLISH_BELOW) for g in guesses)
        )
        monkeypatch.undo()
    guessing, certifying = results
    assert guessing.success and guessing.dual_gap <= 1e-4
    assert guessing.nit == certifying.nit and guessing.fun == certifying.fun
    assert_array_equal(guessing.x, certifying.x)
    assert guessed[0] >= 2 and certified[0] == certified[1] - guessed[0]
    assert not guessed[1]


def test_the_guesses_are_those_of_a_numpy_epoch():
    """The guessed gap of a full epoch: its visits' losses (checked against
    NumPy in test_epoch_matches_numpy) and the penalty of its W, against the
    Lagrangian; a guess after every visit has stopped moving is the exact
    gap."""
    X, y = standardized_dataset("iris")
    problem = make_problem(X, y, loss="hinge", alpha=1e-2, fit_intercept=False)
    result = dual_cd(
        LinearObjective(problem),
        np.zeros(problem.n_params),
        tol=1e-12,
        max_iter=100_000,
        random_state=0,
    )
    assert result.success
    beta, upper = result.state["beta"], result.state["upper"]
    rows = _dual_cd._rows(X)
    W = X.T @ _eta(beta, y)
    n, k = beta.shape
    seen = epoch(
        *rows, y, upper, np.einsum("ij,ij->i", X, X), beta.copy(), W.copy(),
        np.zeros(k), np.zeros(k), np.zeros(n), 0.0, np.arange(n),
        0, 1.0, np.ones((n, k), np.uint8), np.inf, np.zeros(n, np.uint8),
    )[1]  # fmt: skip
    guess = _dual_cd._guessed_gap(
        problem, seen, beta, upper, W, np.zeros(k), np.zeros(k)
    )
    value = _dual_cd._primal(problem, rows, y, upper * 2e-2, W, np.zeros(k))
    assert 2e-2 * seen == pytest.approx(value - 1e-2 * np.vdot(W, W), rel=1e-9)
    assert guess == pytest.approx(result.dual_gap, abs=1e-9)


@pytest.mark.parametrize("max_iter", [1, 2, 3, 4])
def test_the_last_epoch_is_a_candidate_after_guessed_ones(max_iter):
    """A fit stopped by max_iter after epochs whose certificates were skipped
    still returns an evaluated iterate below the start, with a certified gap."""
    X, y = _text_like()
    problem = make_problem(X, y, loss="hinge", alpha=1e-4)
    objective = LinearObjective(problem)
    start = objective.value(np.zeros(problem.n_params))
    result = dual_cd(
        objective, np.zeros(problem.n_params), max_iter=max_iter, random_state=0
    )
    assert not result.success and result.nit == max_iter
    assert result.fun < start / 2
    assert result.fun == pytest.approx(objective.value(result.x), rel=1e-12)
    assert result.fun == min(result.loss_curve) == result.loss_curve[-1]
    optimum = dual_cd(
        objective, np.zeros(problem.n_params), tol=1e-10, random_state=0
    ).fun
    assert 0 < (result.fun - optimum) / result.fun <= result.dual_gap


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("alpha", [1e-4, 1e6])
def test_features_of_negligible_norm_still_fit_the_intercept(loss, alpha):
    """With rows of norm 1e-30 the intercept carries the fit; its step has a
    floor (a share of a margin per unit of the bound), so it converges
    instead of crawling. (The only warning is that the weights learned
    nothing, which they cannot here.)"""
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((40, 3)) * 1e-30, rng.integers(3, size=40)
    with pytest.warns(ConvergenceWarning, match="learned nothing") as caught:
        clf = SVMClassifier(loss, alpha=alpha, random_state=0).fit(X, y)
    assert len(caught) == 1  # converged: no "did not converge" warning
    assert clf.dual_gap_ <= clf.tol
    # The optimum is that of the best constant scores, to 1e-30.
    *_, reference = solve_reference(np.zeros_like(X), y, loss=loss, alpha=alpha)
    assert clf.objective_ - reference <= clf.tol * clf.objective_


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("scale", [1e-3, 1e-6])
def test_rows_small_next_to_alpha_leave_the_intercept_to_fit_quickly(loss, scale):
    """Standardized wine times 1e-3 or 1e-6 at alpha=1e-4: the duals reach
    their bounds in the first epoch and the intercept is left to fit. With its
    step tied to the bounds it converges well within 200 epochs (tied to the
    rows' norm, the hinge fits crawled past 1000), to the exact optimum."""
    X, y = standardized_dataset("wine")
    X = X * scale
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        clf = SVMClassifier(loss, alpha=1e-4, max_iter=200, random_state=0).fit(X, y)
    assert not [w for w in caught if "did not converge" in str(w.message)]
    assert clf.dual_gap_ <= clf.tol
    *_, reference = solve_reference(X, y, loss=loss, alpha=1e-4)
    assert clf.objective_ - reference <= clf.tol * clf.objective_


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("n_centers", [2, 3])
@pytest.mark.parametrize("alpha", [0.1, 0.01])
def test_extreme_class_weights_certify_by_an_intercept_jump(loss, n_centers, alpha):
    """scikit-learn's check_class_weight_classifiers data, class weights
    1000 against 1e-4: the light classes' tiny mass is the whole residual,
    the multiplier steps moved the intercept by about 3e-5 of a margin an
    epoch, and the certificate found no flow to balance (9 of these 12 fits
    ended at max_iter with gaps of 0.68 to 1). A line search of the primal
    along the residual puts the intercept in place, and the certificate
    closes (in 22 to 436 epochs here)."""
    X, y = make_blobs(centers=n_centers, random_state=0, cluster_std=20)
    X, _, y, _ = train_test_split(X, y, test_size=0.5, random_state=0)
    class_weight = {0: 1000.0, 1: 1e-4, 2: 1e-4}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        clf = SVMClassifier(
            loss, alpha=alpha, class_weight=class_weight, max_iter=1000, random_state=0
        ).fit(X, y)
    assert not [w for w in caught if "did not converge" in str(w.message)]
    assert clf.dual_gap_ <= clf.tol
    assert np.mean(clf.predict(X) == 0) > 0.87  # as scikit-learn's check asks


def test_intercept_on_line_minimizes_the_data_term_along_its_direction():
    """Against the exact minimum along the line: the Weston-Watkins data
    term is convex and piecewise linear in the step, so its minimum is at a
    breakpoint, where some margin s_j - s_y + 1 crosses zero. Brent stops
    within 1e-6 of its bracket, at most [0, max(4 t*, 2)] in steps that move
    a score difference by at most one, and the term's slope there is at most
    K - 1: that bounds how far above the minimum the intercept may be."""
    X, y = standardized_dataset("iris")
    problem = make_problem(X, y, loss="hinge", alpha=1e-2)
    objective = LinearObjective(problem)
    rng = np.random.default_rng(0)
    # An intercept that favours class 0 by far, moved back along the line.
    W, b = rng.standard_normal((4, 3)), np.array([6.0, -3.0, -3.0])
    direction = np.array([-1.0, 0.5, 0.5])
    unit = direction / np.ptp(direction)

    def data_term(t):
        return objective.data_loss(problem.pack(W, b + t * unit))

    moved = _dual_cd._intercept_on_line(problem, W, b, direction)
    t = (moved - b) @ unit / (unit @ unit)
    assert_allclose(moved, b + t * unit, rtol=0, atol=1e-12)
    scores = X @ W + b
    margins = scores - scores[np.arange(len(y)), y][:, None] + 1.0
    slopes = unit[None, :] - unit[y][:, None]
    moving = slopes != 0
    crossings = -margins[moving] / slopes[moving]
    breakpoints = np.concatenate([[0.0], crossings[crossings > 0]])
    values = np.array([data_term(point) for point in breakpoints])
    best = values.min()
    t_star = breakpoints[values.argmin()]
    slack = (problem.n_classes - 1) * 1e-6 * max(4 * t_star, 2.0)
    assert t > 0
    assert best - 1e-15 * best <= data_term(t) <= best + slack


@pytest.mark.parametrize("scale", [1e-250, 1e250])
def test_intercept_on_line_is_scale_free(scale):
    """The line is walked in the units of the scores: a direction of any
    size, tiny as the residual of bounds of 1e-300, gives the same intercept
    and no overflow."""
    X, y = standardized_dataset("iris")
    problem = make_problem(X, y, loss="squared_hinge", alpha=1e-2)
    W, b = np.zeros((4, 3)), np.array([6.0, -3.0, -3.0])
    direction = np.array([-1.0, 0.5, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        moved = _dual_cd._intercept_on_line(problem, W, b, direction * scale)
    assert_allclose(moved, _dual_cd._intercept_on_line(problem, W, b, direction))


@pytest.mark.parametrize("loss", ["hinge", "crammer_singer"])
def test_intercept_on_line_at_a_margin_of_1e200(loss):
    """Scores, steps and values near 1e200: the search runs in units of its
    bracket and of its start, with no overflow. These losses are
    homogeneous in the margin and the scores, so the minimum along the line
    is that of margin 1, times 1e200 (where it is reached need not be: the
    term can be flat along the line)."""
    X, y = standardized_dataset("iris")
    W, b = np.zeros((4, 3)), np.array([6.0, -3.0, -3.0])
    direction = np.array([-1.0, 0.5, 0.5])
    minima, starts = [], []
    for margin in (1.0, 1e200):
        problem = make_problem(X, y, loss=loss, alpha=1e-2, margin=margin)
        data_loss = LinearObjective(problem).data_loss
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            moved = _dual_cd._intercept_on_line(problem, W, b * margin, direction)
            minima.append(data_loss(problem.pack(W, moved)) / margin)
            starts.append(data_loss(problem.pack(W, b * margin)) / margin)
    assert_allclose(minima[1], minima[0], rtol=1e-9)
    assert_allclose(starts[1], starts[0], rtol=1e-12)
    assert minima[0] < starts[0]


# -- the primal start --------------------------------------------------------------------


@pytest.mark.parametrize("loss", LOSSES)
def test_smoothed_duals_are_the_smoothed_loss_derivatives(loss):
    """C_i dL_i^mu/ds_ij off the label, one sample and class at a time: for
    Weston-Watkins the clipped ramp of width mu of each violation (a step at
    mu = 0), for Crammer-Singer the softmax weight at temperature mu of each
    violation among them and the label's 0 (all on the largest positive
    violation at mu = 0), for the squared hinge, which is smooth, twice each
    positive violation whatever mu; zero on the label, within the box."""
    rng = np.random.default_rng(0)
    n, k, margin = 40, 4, 1.0
    scores = rng.normal(scale=1.5, size=(n, k))
    y = rng.integers(k, size=n)
    upper = rng.uniform(0.5, 2.0, size=n)
    for smoothing in (0.0, 0.3):
        beta = _dual_cd._smoothed_duals(
            make_problem(scores, y, loss=loss).loss, scores, y, smoothing, upper
        )
        expected = np.zeros((n, k))
        for i in range(n):
            g = [scores[i, j] - scores[i, y[i]] + margin for j in range(k)]
            g[y[i]] = 0.0
            top = max(g)
            for j in range(k):
                if j == y[i]:
                    continue
                if loss == "squared_hinge":
                    slope = 2 * max(g[j], 0.0)
                elif loss == "hinge" and smoothing > 0:
                    slope = min(max(g[j], 0.0), smoothing) / smoothing
                elif loss == "hinge":
                    slope = float(g[j] > 0)
                elif smoothing > 0:
                    terms = [np.exp((v - top) / smoothing) for v in g]
                    slope = terms[j] / sum(terms)
                else:
                    slope = float(g[j] == top > 0)
                expected[i, j] = upper[i] * slope
        assert_allclose(beta, expected, rtol=1e-14, atol=0)
        assert beta.flags.c_contiguous and beta.dtype == np.float64
        assert_array_equal(into_box(beta, upper, loss), beta)


@pytest.mark.parametrize("loss", LOSSES)
def test_smoothed_duals_of_the_smoothed_optimum_give_its_weights(loss):
    """At the smoothed problem's optimum, W = sum_i x_i eta_i^T of the duals
    (its stationarity, scaled by 1 / (2 alpha)): the duals are the primal
    solution's, not a guess."""
    X, y = standardized_dataset("iris")
    alpha, smoothing = 1e-2, 0.5
    problem = make_problem(X, y, loss=loss, alpha=alpha, fit_intercept=True)
    objective = LinearObjective(problem)

    def fun(theta):
        return objective.value_and_gradient(theta, smoothing)

    found = scipy.optimize.minimize(
        fun, np.zeros(problem.n_params), jac=True, method="L-BFGS-B",
        options={"gtol": 1e-12, "ftol": 0, "maxiter": 10_000},
    )  # fmt: skip
    W, b = problem.unpack(found.x)
    upper = np.full(len(y), 1 / (2 * alpha * len(y)))
    beta = _dual_cd._smoothed_duals(problem.loss, X @ W + b, y, smoothing, upper)
    assert_allclose(X.T @ _eta(beta, y), W, atol=1e-6 * np.abs(W).max())


def test_crawls_projects_the_epochs_to_tol():
    """A gap falling 10x in 100 epochs from 1e-1 needs 300 more to 1e-4."""
    tol = 1e-4
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_dual_cd, "PRIMAL_EPOCHS", 299)
        assert _dual_cd._crawls((100, 1.0), (200, 1e-1), tol)
        patch.setattr(_dual_cd, "PRIMAL_EPOCHS", 301)
        assert not _dual_cd._crawls((100, 1.0), (200, 1e-1), tol)
    assert _dual_cd._crawls((25, 0.5), (50, 0.6), tol)  # no progress
    assert not _dual_cd._crawls((25, 0.5), (50, tol / 2), tol)  # done
    assert not _dual_cd._crawls((25, np.inf), (50, 0.5), tol)  # no estimate


def test_crawl_test_runs_once_in_a_fit_that_does_not_crawl():
    """The crawl test reads certified gaps, so the full epochs between its
    two readings are certified; once it has said no, they may be guessed
    again. (It was repeated at every later full epoch, each certified.)"""
    X, y = standardized_dataset("digits")
    problem = make_problem(X, y, loss="hinge", alpha=1e-3)
    calls, crawls = [], _dual_cd._crawls
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_dual_cd, "DENSE_SHARE", 0.0)  # read on any dual
        patch.setattr(
            _dual_cd, "_crawls", lambda *a: calls.append(a[1][0]) or crawls(*a)
        )
        result = dual_cd(
            LinearObjective(problem), np.zeros(problem.n_params), random_state=0
        )
    assert result.success and result.nit > 2 * _dual_cd.PRIMAL_AFTER
    assert len(calls) == 1 and calls[0] >= _dual_cd.PRIMAL_AFTER


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_primal_start_is_certified_against_the_exact_solution(loss, fit_intercept):
    """A fit forced to restart from the smoothed primal solution after two
    epochs still ends at the exact optimum, certified: the start only moves
    where the epochs begin. It runs once, for a cold fit."""
    X, y = standardized_dataset("wine")
    alpha, tol = 1e-2, 1e-8
    problem = make_problem(X, y, loss=loss, alpha=alpha, fit_intercept=fit_intercept)
    calls = []
    start = _dual_cd._primal_start
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_dual_cd, "PRIMAL_AFTER", 2)
        patch.setattr(_dual_cd, "PRIMAL_EPOCHS", -1)
        patch.setattr(_dual_cd, "DENSE_SHARE", 0.0)
        patch.setattr(
            _dual_cd, "_primal_start", lambda *a: calls.append(1) or start(*a)
        )
        # The finish would end the fit before the rule is read.
        patch.setattr(_dual_cd, "POLISH_BELOW", 0.0)
        result = dual_cd(
            LinearObjective(problem), np.zeros(problem.n_params), tol=tol,
            random_state=0, max_iter=10_000,
        )  # fmt: skip
    *_, reference = solve_reference(
        X, y, loss=loss, alpha=alpha, fit_intercept=fit_intercept
    )
    assert calls == [1]
    assert result.success and result.dual_gap <= tol
    assert result.fun - reference <= tol * result.fun
    assert reference - result.fun <= 1e-7 * reference


@pytest.mark.parametrize("callback", [None, "record"])
def test_a_primal_start_no_better_than_the_epochs_is_left(callback):
    """Separable blobs at alpha=1e-20: the smoothed solution violates no
    margin, its duals are all zero and certify nothing. Taken anyway, the fit
    stalled for 5000 epochs at a gap of 4.6e-4 (and, with a callback, stopped
    on an uncertified estimate of -12); left, it converges. A callback is
    shown certified gaps, never below zero (weak duality) beyond rounding."""
    X, y = make_blobs(60, 5, centers=3, random_state=0)
    problem = make_problem(X, y, loss="hinge", alpha=1e-20)
    calls, gaps = [], []
    start = _dual_cd._primal_start
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_dual_cd, "PRIMAL_EPOCHS", -1)
        patch.setattr(_dual_cd, "DENSE_SHARE", 0.0)
        patch.setattr(
            _dual_cd, "_primal_start", lambda *a: calls.append(1) or start(*a)
        )
        result = dual_cd(
            LinearObjective(problem), np.zeros(problem.n_params), random_state=0,
            max_iter=3000,
            callback=callback and (lambda r: gaps.append(r.dual_gap)),
        )  # fmt: skip
    assert calls == [1]
    assert result.success and 0 <= result.dual_gap <= 1e-4
    assert all(gap >= -1e-12 for gap in gaps if gap is not None)
    assert len(gaps) == (result.nit if callback else 0)


@pytest.mark.parametrize("loss", LOSSES)
def test_primal_start_is_for_cold_fits_only(loss):
    """A warm start's duals are already a start: it does not restart, where
    the same fit from cold does (the rule forced to fire)."""
    X, y = standardized_dataset("wine")
    calls = []
    start = _dual_cd._primal_start
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_dual_cd, "PRIMAL_AFTER", 2)
        patch.setattr(_dual_cd, "PRIMAL_EPOCHS", -1)
        patch.setattr(_dual_cd, "DENSE_SHARE", 0.0)
        patch.setattr(
            _dual_cd, "_primal_start", lambda *a: calls.append("start") or start(*a)
        )
        patch.setattr(_dual_cd, "POLISH_BELOW", 0.0)
        # Not the final attempt of the unconverged first fit: the start.
        patch.setattr(_dual_cd, "FINAL_ARRAYS", np.inf)
        problem = make_problem(X, y, loss=loss, alpha=1e-2)
        first = dual_cd(
            LinearObjective(problem), np.zeros(problem.n_params), random_state=0,
            max_iter=1,
        )  # fmt: skip
        calls.append("warm")
        dual_cd(LinearObjective(problem), first.x, random_state=0, state=first.state)
        calls.append("cold")
        dual_cd(LinearObjective(problem), np.zeros(problem.n_params), random_state=0)
    assert calls == ["warm", "cold", "start"]


@pytest.mark.parametrize("loss", ["hinge", "crammer_singer"])
def test_an_uncertified_fit_tries_the_primal_once_more(loss):
    """Raw wine (proline in the hundreds): the dual crawls, and 5000 epochs
    ended at gaps of 0.95 and 0.98, 5.9 (Weston-Watkins) and 13
    (Crammer-Singer) times the optimal objective. Before giving up, the fit
    runs L-BFGS on the smoothed primal once more, with a memory that learns
    the curvature of these 42 parameters (10 pairs stall at the first
    smoothing): its solution is 1.5e-5 and 6.9e-5 above the optimum. Its
    duals certify no better here, so the fit still warns.
    """
    from sklearn.datasets import load_wine

    X, y = load_wine(return_X_y=True)
    *_, reference = solve_reference(X, y, loss=loss, alpha=1e-4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = SVMClassifier(loss=loss, random_state=0).fit(X, y)
    assert clf.n_iter_ == clf.max_iter
    assert clf.objective_ <= (1 + 1e-3) * reference


def test_the_state_holds_the_duals_of_the_reported_gap():
    """Standardized iris, squared hinge, alpha=1e-6: the epochs end at a gap
    of 0.61, the final attempt's duals certify 5e-4. The returned state must
    hold those duals: it held the epochs', from which a warm start
    certified 0.6 again. With no epoch and no final attempt, a warm fit
    reports the certificate of the state alone."""
    X, y = standardized_dataset("iris")
    problem = make_problem(X, y, loss="squared_hinge", alpha=1e-6)
    result = dual_cd(
        LinearObjective(problem), np.zeros(problem.n_params), random_state=0
    )
    assert result.dual_gap < 0.1  # the epochs alone: 0.61
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_dual_cd, "FINAL_ARRAYS", np.inf)
        alone = dual_cd(
            LinearObjective(problem), result.x, random_state=0, max_iter=0,
            state=result.state,
        )  # fmt: skip
    assert_allclose(alone.dual_gap, result.dual_gap, rtol=1e-9)


@pytest.mark.parametrize("loss", LOSSES)
def test_a_dense_dual_is_restarted_from_the_primal(loss):
    """On a dense dual the epochs crawl: without the primal start the fit is
    still above tol after 1000 epochs (gaps 1.5e-2, 9e-3 and 0.12 there for
    Weston-Watkins, Crammer-Singer and the squared hinge, and 3e-4 to 6e-4
    after 5000), its objective 0.6-3.4% above; with it, the fit converges
    in a few hundred at most (53 to 69 measured)."""
    problem = make_problem(*dense_dual_dataset(), loss=loss, alpha=1e-4)
    calls = []
    start = _dual_cd._primal_start

    def fit(max_iter):
        return dual_cd(
            LinearObjective(problem), np.zeros(problem.n_params), random_state=0,
            max_iter=max_iter,
        )  # fmt: skip

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            _dual_cd, "_primal_start", lambda *a: calls.append(1) or start(*a)
        )
        restarted = fit(max_iter=300)
        patch.setattr(_dual_cd, "DENSE_SHARE", np.inf)
        patch.setattr(_dual_cd, "FINAL_ARRAYS", np.inf)  # the epochs alone
        crawled = fit(max_iter=1000)
    assert calls == [1]
    assert restarted.success and not crawled.success
    assert restarted.fun <= crawled.fun


@pytest.mark.parametrize("loss", LOSSES)
def test_a_sparse_dual_is_left_to_the_epochs(loss):
    """Digits at alpha=1e-6: shrinking sets most rows aside, the epochs are
    cheap, and L-BFGS at so small an alpha is not. The gaps alone say the
    fit crawls (a rule that read only them took the start there, for
    Weston-Watkins, and the fit took 2.6-2.9 s instead of 0.14-0.16 s); the
    share of rows visited keeps it to the epochs."""
    X, y = standardized_dataset("digits")
    problem = make_problem(X, y, loss=loss, alpha=1e-6)

    def restarts(dense_share):
        calls = []
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_dual_cd, "DENSE_SHARE", dense_share)
            # No start taken: the fit goes on with the best so far.
            patch.setattr(
                _dual_cd,
                "_smoothed_primal",
                lambda *a: calls.append(1) or (a[6], a[7], None, np.inf),
            )
            # Not the final attempt of these unconverged fits: the start.
            patch.setattr(_dual_cd, "FINAL_ARRAYS", np.inf)
            dual_cd(
                LinearObjective(problem), np.zeros(problem.n_params),
                random_state=0, max_iter=2 * _dual_cd.PRIMAL_AFTER + 20,
            )  # fmt: skip
        return calls

    assert restarts(0.0) == [1]
    assert restarts(_dual_cd.DENSE_SHARE) == []
