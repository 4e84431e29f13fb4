"""The compiled SGD row kernel against a plain NumPy reference step.

The reference is the textbook proximal mini-batch step written with the
evaluator, one mini-batch at a time: the weighted mean gradient of the
batch's loss, a gradient step, the penalty's prox on ``W`` (the intercept
unpenalized), and the running mean of the iterates. The kernel takes the
same steps lazily (a scale of ``W`` for L2, cumulative truncation for L1, a
lazy sum for the average), so the two agree to rounding: ``rtol=1e-10``,
with an absolute floor of ``1e-12`` times the largest entry for entries that
are sums of terms cancelling to (near) zero, where rounding error is
absolute, not relative.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import ConvergenceWarning

import sklinear.optimizers._sgd
from sklinear import SoftmaxClassifier
from sklinear.objective import LinearObjective
from sklinear.optimizers import sgd
from sklinear.optimizers._sgd import _row_kernel, _RowKernel, _step_sizes
from sklinear.problem import make_problem

LOSSES = ["hinge", "squared_hinge", "crammer_singer", "cross_entropy"]
PENALTIES = ["l2", None, "l1", "elasticnet"]


def reference_steps(
    objective, x, mean, velocity, order, etas, batch_size, counters, momentum, nesterov
):
    """Plain NumPy: one proximal (momentum) step per mini-batch of ``order``."""
    x, mean, velocity = x.copy(), mean.copy(), velocity.copy()
    n_seen, n_avg, start = counters
    for step, first in enumerate(range(0, len(order), batch_size)):
        batch = objective.subset(order[first : first + batch_size])
        point = x + momentum * velocity if nesterov else x
        weights = batch.problem.sample_weight
        if weights is not None and not weights.any():
            grad = np.zeros_like(x)  # no weight: a zero mean, not 0 / 0
        else:
            _, grad = batch.data_loss_gradient(point)
        velocity = momentum * velocity - etas[step] * grad
        x = objective.prox(x + velocity, etas[step])
        n_seen += batch.n_samples
        if start and n_seen >= start:
            n_avg += 1
            mean += (x - mean) / n_avg
    return x, mean, velocity, n_seen, n_avg


def data(n_samples=40, n_features=7, n_classes=4, seed=0):
    """Dense rows with about half their entries zero, and labels."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_features))
    X[rng.uniform(size=X.shape) < 0.5] = 0.0
    return X, rng.randint(n_classes, size=n_samples)


def run_both(
    problem,
    x0,
    *,
    batch_size=3,
    etas=None,
    start=5,
    mean0=None,
    seed=0,
    momentum=0.0,
    nesterov=False,
):
    """The kernel and the reference from the same start; both results,
    ``(x, mean, velocity, n_seen, n_averaged)``."""
    rng = np.random.RandomState(seed)
    objective = LinearObjective(problem)
    order = rng.permutation(problem.n_samples)
    n_steps = -(-problem.n_samples // batch_size)
    if etas is None:
        etas = 0.3 / np.sqrt(np.arange(1, n_steps + 1))
    mean0 = x0 if mean0 is None else mean0
    n_avg0 = 2 if start else 0
    velocity0 = 0.1 * rng.normal(size=x0.shape) if momentum else np.zeros_like(x0)
    expected = reference_steps(
        objective,
        x0,
        mean0,
        velocity0,
        order,
        etas,
        batch_size,
        (7, n_avg0, start),
        momentum,
        nesterov,
    )
    x, mean, velocity = x0.copy(), mean0.copy(), velocity0.copy()
    counters = _RowKernel(problem).steps(
        x, mean, velocity, order, etas, batch_size, 7, n_avg0, start, momentum, nesterov
    )
    return (x, mean, velocity, *counters), expected


def assert_close(actual, expected):
    floor = 1e-12 * np.abs(expected).max()
    assert_allclose(actual, expected, rtol=1e-10, atol=floor)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_kernel_matches_the_numpy_step(loss, penalty, sparse, weighted):
    """Every loss and penalty, dense and CSR, weighted or not, averaged where
    the kernel averages: the same iterate, average and counters."""
    X, y = data()
    rng = np.random.RandomState(1)
    weights = rng.uniform(0.5, 2.0, size=len(y)) if weighted else None
    has_l1 = penalty in ("l1", "elasticnet")
    problem = make_problem(
        sp.csr_matrix(X) if sparse else X,
        y,
        loss=loss,
        penalty=penalty,
        l1_ratio=0.4,
        alpha=0.3 if has_l1 else 0.05,  # large enough to zero some weights
        sample_weight=weights,
        margin=0.7,
    )
    x0 = 0.3 * rng.normal(size=problem.n_params)
    (x, mean, _, n_seen, n_avg), expected = run_both(
        problem, x0, start=0 if has_l1 else 5, mean0=rng.normal(size=x0.shape)
    )
    assert_close(x, expected[0])
    assert_close(mean, expected[1])
    assert (n_seen, n_avg) == expected[3:]
    if has_l1:
        # The truncation makes exact zeros, as the prox does.
        assert_array_equal(x == 0, expected[0] == 0)
    if penalty == "l1":
        assert (x == 0).any()


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("nesterov", [False, True])
def test_kernel_matches_the_numpy_momentum_step(loss, penalty, sparse, nesterov):
    """Momentum (heavy ball or Nesterov) from a nonzero velocity, averaged
    with every penalty (the eager steps allow an L1 part): the same iterate,
    velocity, average and counters."""
    X, y = data(seed=8)
    rng = np.random.RandomState(2)
    problem = make_problem(
        sp.csr_matrix(X) if sparse else X,
        y,
        loss=loss,
        penalty=penalty,
        l1_ratio=0.4,
        alpha=0.3,
        sample_weight=rng.uniform(0.5, 2.0, size=len(y)),
        margin=0.7,
    )
    x0 = 0.3 * rng.normal(size=problem.n_params)
    # Steps a fifth of the plain test's: momentum 0.8 multiplies them by 5.
    etas = 0.06 / np.sqrt(np.arange(1, 15))
    (x, mean, velocity, *counters), expected = run_both(
        problem,
        x0,
        etas=etas,
        momentum=0.8,
        nesterov=nesterov,
        mean0=rng.normal(size=x0.shape),
    )
    assert_close(x, expected[0])
    assert_close(mean, expected[1])
    assert_close(velocity, expected[2])
    assert tuple(counters) == expected[3:]
    # Exact zeros where the prox makes them (the velocity may carry every
    # weight past zero, so there need not be any; the values above already
    # differ by the thresholds if they are not applied).
    assert_array_equal(x == 0, expected[0] == 0)


@pytest.mark.parametrize("loss", LOSSES)
def test_kernel_from_zero_breaks_ties_as_the_losses_do(loss):
    """From W = 0, b = 0 every score ties: the first step's subgradient
    (the Crammer-Singer share, the hinge's kinks) must be the losses' own."""
    X, y = data(seed=3)
    problem = make_problem(X, y, loss=loss, alpha=0.01)
    x0 = np.zeros(problem.n_params)
    (x, mean, *_), expected = run_both(problem, x0, batch_size=5)
    assert_close(x, expected[0])
    assert_close(mean, expected[1])


@pytest.mark.parametrize("loss", ["hinge", "squared_hinge", "crammer_singer"])
@pytest.mark.parametrize("sparse", [False, True])
def test_kernel_skips_the_classes_that_meet_the_margin(loss, sparse):
    """Near a separating model most rows meet the margin in every class
    (a zero gradient: the kernel skips the row) and the others in most
    classes (it updates only the rest): the same iterate, intercept and
    lazy average as the plain step, which updates every entry."""
    rng = np.random.RandomState(9)
    X = rng.normal(size=(60, 6))
    X[rng.uniform(size=X.shape) < 0.3] = 0.0
    W_true = rng.normal(size=(6, 5))
    y = np.argmax(X @ W_true, axis=1)
    problem = make_problem(
        sp.csr_matrix(X) if sparse else X, y, loss=loss, alpha=0.01, margin=0.5
    )
    x0 = np.concatenate([3.0 * W_true.ravel(), np.zeros(5)])
    scores = X @ x0[:-5].reshape(6, 5)
    violated = scores - scores[np.arange(len(y)), y][:, None] + 0.5 > 0
    violated[np.arange(len(y)), y] = False
    n_violated = violated.sum(axis=1)
    # The case this test is about: whole rows and single classes skipped.
    assert (n_violated == 0).mean() > 0.5
    assert ((n_violated > 0) & (n_violated < 4)).any()
    (x, mean, _, n_seen, n_avg), expected = run_both(
        problem, x0, batch_size=2, etas=np.full(30, 0.05), start=5
    )
    assert_close(x, expected[0])
    assert_close(mean, expected[1])
    assert (n_seen, n_avg) == expected[3:]
    assert not np.array_equal(x[-5:], x0[-5:])  # the intercept moved


def test_kernel_handles_overflowing_softmax_scores():
    """Scores far apart (e^{s_j - s_y} overflows) take the max-shifted softmax."""
    X, y = data(seed=4)
    problem = make_problem(X, y, loss="cross_entropy", alpha=1e-3)
    x0 = 500.0 * np.random.RandomState(0).normal(size=problem.n_params)
    (x, *_), expected = run_both(problem, x0, start=0)
    assert np.isfinite(x).all()
    assert_close(x, expected[0])


@pytest.mark.parametrize("penalty", ["l2", "elasticnet"])
def test_kernel_folds_a_vanishing_scale(penalty):
    """With eta * alpha = 4 the scale of W falls by 9 a step and is folded
    into W mid-epoch (below 1e-9); the result, the truncation and the
    average are unchanged by it."""
    X, y = data(n_samples=60)
    problem = make_problem(X, y, loss="hinge", penalty=penalty, alpha=4.0)
    x0 = np.random.RandomState(2).normal(size=problem.n_params)
    etas = np.ones(20)
    start = 5 if penalty == "l2" else 0
    (x, mean, *_), expected = run_both(problem, x0, etas=etas, start=start)
    assert_close(x, expected[0])
    assert_close(mean, expected[1])


@pytest.mark.parametrize("loss", LOSSES)
def test_kernel_steps_over_batches_of_zero_weight(loss):
    """Rows of zero weight count in their batch's mean with weight 0; a batch
    of only such rows has a zero gradient (its prox still applies)."""
    X, y = data(seed=6)
    weights = np.ones(len(y))
    weights[::3] = 0.0
    problem = make_problem(X, y, loss=loss, alpha=0.05, sample_weight=weights)
    x0 = np.random.RandomState(0).normal(size=problem.n_params)
    for batch_size in [1, 2]:
        (x, mean, *_), expected = run_both(problem, x0, batch_size=batch_size)
        assert np.isfinite(x).all()
        assert_close(x, expected[0])
        assert_close(mean, expected[1])


@pytest.mark.parametrize("kernel", [True, False])
def test_sgd_fits_with_rows_of_zero_weight(kernel, monkeypatch):
    """One row a step, a tenth of the rows weighing nothing: the fit stays
    finite and learns, on both paths (a 0 / 0 mean used to make it NaN)."""
    X, y = data(n_samples=200, n_features=4, n_classes=3, seed=7)
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    weights = np.ones(len(y))
    weights[::10] = 0.0
    if not kernel:
        monkeypatch.setattr(sklinear.optimizers._sgd, "DENSE_KERNEL_MAX_WORK", 0)
    estimator = SoftmaxClassifier(
        optimizer="sgd", batch_size=1, max_iter=20, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter=20
        estimator.fit(X, y, sample_weight=weights)
    assert np.isfinite(estimator.coef_).all()
    assert estimator.score(X, y) > 0.8


def test_kernel_reads_float32_rows_exactly_and_csr_as_dense():
    """float32 rows are read exactly (the same steps as on their float64
    copy), and CSR and dense copies of the data give the same bits."""
    X, y = data(seed=5)
    X32 = X.astype(np.float32)
    results = []
    for rows in [X32, sp.csr_matrix(X32), X32.astype(np.float64)]:
        problem = make_problem(rows, y, loss="crammer_singer", penalty="l1", alpha=0.02)
        start = np.random.RandomState(0).normal(size=problem.n_params)
        x = start.astype(np.float32).astype(problem.dtype)
        mean = x.copy()
        order = np.random.RandomState(1).permutation(len(y))
        etas = _step_sizes("invscaling", 0.5, 0, len(y), 4, 0.5, 0.02)
        _RowKernel(problem).steps(x, mean, None, order, etas, 4, 0, 0, 0)
        results.append(x)
    assert_array_equal(results[0], results[1])
    # float32 parameters are rounded to float32 once, at the end.
    assert_array_equal(results[0], results[2].astype(np.float32))


def test_kernel_rejects_inconsistent_steps():
    """The step count must be that of the mini-batches; averaging needs no L1."""
    X, y = data()
    kernel = _RowKernel(make_problem(X, y, penalty="l1"))
    x = np.zeros(kernel.problem.n_params)
    order = np.arange(len(y))
    with pytest.raises(ValueError, match="etas holds 3 steps"):
        kernel.steps(x, x.copy(), None, order, np.ones(3), 4, 0, 0, 0)
    with pytest.raises(ValueError, match="averaging"):
        kernel.steps(x, x.copy(), None, order, np.ones(10), 4, 0, 0, 1)


def test_step_sizes_follow_the_schedules():
    """The schedule's step at the counts after t, one per mini-batch."""
    assert_allclose(_step_sizes("constant", 0.5, 3, 10, 4, 0.5, 0.1), [0.5] * 3)
    assert_allclose(
        _step_sizes("invscaling", 0.5, 3, 10, 4, 0.5, 0.1),
        0.5 / np.sqrt([4.0, 5.0, 6.0]),
        rtol=1e-15,
    )
    assert_allclose(
        _step_sizes("optimal", 0.5, 0, 2, 1, 0.5, 0.25), [0.4, 1 / 3], rtol=1e-15
    )


def test_which_path_runs():
    """Sparse input always takes the kernel, dense input for small products
    (7 features x 4 classes: batches up to 3571 rows); averaging with an L1
    part without momentum keeps the NumPy path."""
    X, y = data()
    dense = LinearObjective(make_problem(X, y))
    sparse = LinearObjective(make_problem(sp.csr_matrix(X), y))
    l1 = LinearObjective(make_problem(sp.csr_matrix(X), y, penalty="l1"))
    assert _row_kernel(sparse, 256, 0.0, False) is not None
    assert _row_kernel(dense, 1, 0.0, False) is not None
    assert _row_kernel(dense, 3571, 0.0, False) is not None
    assert _row_kernel(dense, 3572, 0.0, False) is None
    assert _row_kernel(sparse, 1, 0.9, False) is not None
    assert _row_kernel(l1, 1, 0.0, True) is None
    assert _row_kernel(l1, 1, 0.9, True) is not None
    assert _row_kernel(l1, 1, 0.0, False) is not None


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_hinge"])
@pytest.mark.parametrize("penalty", ["l2", "elasticnet"])
@pytest.mark.parametrize("momentum", [0.0, 0.5])
def test_sgd_takes_the_same_steps_on_both_paths(loss, penalty, momentum, monkeypatch):
    """Through ``sgd`` itself (schedule, step counter, averaging, state), two
    epochs on the kernel and on the NumPy path agree to rounding. Smooth
    losses: a hinge's kinks could turn a rounding difference into another
    subgradient."""
    X, y = data(n_samples=50)
    objective = LinearObjective(make_problem(X, y, loss=loss, penalty=penalty))
    settings = dict(
        batch_size=4,
        learning_rate=0.2,
        schedule="invscaling",
        average=penalty == "l2" or momentum > 0,
        momentum=momentum,
        nesterov=momentum > 0,
        max_iter=2,
        random_state=0,
    )
    x0 = np.zeros(objective.n_params)
    assert _row_kernel(objective, 4, momentum, settings["average"]) is not None
    kernel = sgd(objective, x0, **settings)
    monkeypatch.setattr(sklinear.optimizers._sgd, "DENSE_KERNEL_MAX_WORK", 0)
    numpy = sgd(objective, x0, **settings)
    for key in ["x", "mean"] + (["velocity"] if momentum else []):
        assert_close(kernel.state[key], numpy.state[key])
    for key in ["t", "n_seen", "n_averaged"]:
        assert kernel.state[key] == numpy.state[key]
    assert_close(kernel.x, numpy.x)
