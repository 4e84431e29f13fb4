"""The objective: its value against an independent evaluator, its gradient against numbers."""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal

import sklinear.objective._batches
import sklinear.objective._evaluator
from sklinear.gradient_check import numerical_gradient, relative_error
from sklinear.losses import LOSSES
from sklinear.objective import LinearObjective
from sklinear.problem import make_problem

from _reference import objective_value

PENALTIES = ["l2", "l1", "elasticnet", None]


def random_objective(
    loss, penalty, fit_intercept=True, weighted=True, dtype=np.float64, seed=0
):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 5)).astype(dtype)
    y = rng.integers(4, size=30)
    w = rng.uniform(0.2, 3.0, size=30).astype(dtype) if weighted else None
    problem = make_problem(
        X,
        y,
        loss=loss,
        penalty=penalty,
        l1_ratio=0.3,
        alpha=0.05,
        n_classes=4,
        sample_weight=w,
        fit_intercept=fit_intercept,
    )
    objective = LinearObjective(problem)
    # Weights away from 0 (the L1 kink) and scores away from the hinge kinks.
    while True:
        theta = rng.uniform(0.1, 0.5, objective.n_params) * rng.choice(
            [-1, 1], objective.n_params
        )
        theta = theta.astype(dtype)
        if _far_from_kinks(objective.scores(theta), y):
            return objective, theta, X, y, w


def _far_from_kinks(scores, y, distance=1e-3):
    rows = np.arange(len(y))
    margins = scores - scores[rows, y][:, None] + 1.0
    margins[rows, y] = 0.0
    top = np.sort(margins, axis=1)
    return np.all(np.abs(margins[margins != 0]) > distance) and np.all(
        top[:, -1] - top[:, -2] > distance
    )


def reference_value(objective, theta, X, y, w, loss=None, penalty="l1"):
    """tests/_reference.objective_value at ``theta`` (random_objective's settings)."""
    W, b = objective.unpack(theta)
    return objective_value(
        W,
        b if objective.problem.fit_intercept else None,
        X,
        y,
        loss=loss,
        penalty=penalty,
        alpha=0.05,
        l1_ratio=0.3,
        sample_weight=w,
    )


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_value_matches_independent_evaluator(loss, penalty, fit_intercept):
    """objective.value equals tests/_reference.objective_value."""
    objective, theta, X, y, w = random_objective(loss, penalty, fit_intercept)
    ref = reference_value(objective, theta, X, y, w, loss, penalty)
    assert objective.value(theta) == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("weighted", [True, False])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_gradient_matches_numerical_gradient(loss, penalty, fit_intercept, weighted):
    """The full objective's gradient agrees with centred differences to < 1e-6."""
    objective, theta, *_ = random_objective(loss, penalty, fit_intercept, weighted)
    value, grad = objective.value_and_gradient(theta)
    assert value == pytest.approx(objective.value(theta))
    # The hinge objectives are piecewise quadratic: away from kinks centred
    # differences are exact for any h, and a larger h has less rounding error.
    h = 1e-5 if LOSSES[loss].differentiable else 1e-4
    numeric = numerical_gradient(objective.value, theta, h=h)
    assert relative_error(grad, numeric).max() < 1e-6


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_float32_objective_stays_float32(loss):
    """float32 data gives float32 gradients matching float64 to float32 precision."""
    obj32, theta32, *_ = random_objective(loss, "elasticnet", dtype=np.float32)
    obj64, theta64, *_ = random_objective(loss, "elasticnet", dtype=np.float64)
    v32, g32 = obj32.value_and_gradient(theta32)
    v64, g64 = obj64.value_and_gradient(theta32.astype(np.float64))
    assert g32.dtype == np.float32
    assert v32 == pytest.approx(v64, rel=1e-5)
    assert_allclose(g32, g64, rtol=1e-3, atol=1e-5)


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_sparse_data_gives_the_same_objective(loss):
    """CSR and CSC data give the dense values and gradients."""
    objective, theta, X, y, w = random_objective(loss, "l2")
    value, grad = objective.value_and_gradient(theta)
    for fmt in (sp.csr_matrix, sp.csc_matrix):
        sparse = LinearObjective(objective.problem.replace(X=fmt(X)))
        v, g = sparse.value_and_gradient(theta)
        assert v == pytest.approx(value, rel=1e-12)
        assert_allclose(g, grad, rtol=1e-10, atol=1e-14)
        # Batched values take another path for sparse data (the intercepts
        # added to the scores, not carried by a column of ones).
        thetas = np.stack([theta, 2 * theta, -theta])
        assert_allclose(
            sparse.batch_values(thetas), objective.batch_values(thetas), rtol=1e-12
        )


@pytest.mark.parametrize("block_entries", [2**18, 70])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_batched_values_equal_single_values(
    loss, fit_intercept, block_entries, monkeypatch
):
    """values() scores many candidates per product, with the same results, also
    when the rows are split into blocks (some of them of zero weight)."""
    objective, _, X, y, w = random_objective(loss, "l1", fit_intercept)
    # 70 entries make blocks of one row for 16 candidates of 4 classes and of
    # five rows for 3 candidates; the first five rows weigh nothing.
    w[:5] = 0.0
    monkeypatch.setattr(
        sklinear.objective._batches, "CANDIDATE_BLOCK_ENTRIES", block_entries
    )
    thetas = np.random.default_rng(3).normal(size=(70, objective.n_params))
    expected = [reference_value(objective, t, X, y, w, loss) for t in thetas]
    assert_allclose(objective.batch_values(thetas, batch_size=16), expected, rtol=1e-12)
    assert_allclose(objective.batch_values(thetas[:3]), expected[:3], rtol=1e-12)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("loss", ["cross_entropy", "hinge"])
def test_products_on_row_blocks_equal_whole_products(loss, fit_intercept, monkeypatch):
    """Small dense products taken on row blocks (the last one shorter) give
    the scores, gradient and line of whole products."""
    whole, theta, X, *_ = random_objective(loss, "l2", fit_intercept)
    # 30 rows of 5 features and 4 classes: blocks of 7 rows, the last of 2.
    monkeypatch.setattr(sklinear.objective._evaluator, "ROW_BLOCK_WORK", 7 * 5 * 4)
    blocked = LinearObjective(whole.problem)
    assert [len(range(30)[rows]) for rows in blocked._row_blocks] == [7, 7, 7, 7, 2]
    assert len(whole._row_blocks) == 1  # made before the patch
    scores = blocked.scores(theta)
    assert_allclose(scores, whole.scores(theta), rtol=1e-14)
    value, grad = blocked.value_and_gradient(theta)
    expected_value, expected_grad = whole.value_and_gradient(theta)
    assert value == pytest.approx(expected_value, rel=1e-14)
    assert_allclose(grad, expected_grad, rtol=1e-13, atol=1e-15)
    direction = -expected_grad
    assert_allclose(
        blocked.line(theta, direction)(0.5), whole.line(theta, direction)(0.5)
    )
    # Products that BLAS may thread stay whole, and so do rows beyond a block.
    monkeypatch.setattr(
        sklinear.objective._evaluator, "SINGLE_THREAD_WORK", 30 * 5 * 4 - 1
    )
    assert LinearObjective(whole.problem)._row_blocks == [slice(None)]
    monkeypatch.undo()
    monkeypatch.setattr(sklinear.objective._evaluator, "ROW_BLOCK_WORK", 5 * 4 - 1)
    assert LinearObjective(whole.problem)._row_blocks == [slice(None)]


def test_scores_are_class_major_and_written_where_asked():
    """Scores are (n_classes, n_samples) blocks, the layout the losses reduce
    over fastest; ``out`` receives them in place."""
    objective, theta, X, *_ = random_objective("cross_entropy", "l2")
    S = objective.scores(theta)
    assert S.T.flags.c_contiguous
    W, b = objective.unpack(theta)
    assert_allclose(S, X @ W + b, rtol=1e-14)
    S2 = objective.scores(theta + 1.0, out=S)
    assert S2 is S
    assert_allclose(S, X @ (W + 1.0) + (b + 1.0), rtol=1e-14)
    assert objective.empty_scores().T.flags.c_contiguous


@pytest.mark.parametrize("rows_at_a_time", [1, 7, 30, 4096])
def test_predict_is_the_argmax_of_the_scores(rows_at_a_time, monkeypatch):
    """Predictions taken a block of rows at a time (the last one shorter)
    are the first top-scoring class of every row, ties included."""
    objective, theta, *_ = random_objective("cross_entropy", "l2")
    monkeypatch.setattr(sklinear.objective._evaluator, "ARGMAX_ROWS", rows_at_a_time)
    W, b = objective.unpack(theta)
    W[:, 2] = W[:, 1]  # classes 1 and 2 tie on every row: 1 is predicted
    b[2] = b[1]
    expected = np.argmax(objective.scores(theta), axis=1)
    assert 1 in expected and 2 not in expected
    assert_array_equal(objective.predict(theta), expected)


def test_given_scores_replace_the_product_and_a_changed_theta_is_recomputed():
    """``scores=`` is used as given (here another point's, so the data loss is
    that point's and the penalty theta's); without it every call gives the
    value of the theta it gets, even one changed in place since the last."""
    objective, theta, X, *_ = random_objective("cross_entropy", "l2")
    other = 2.0 * theta
    value = objective.value(theta, scores=objective.scores(other))
    expected = objective.data_loss(other) + objective.penalty_value(theta)
    assert value == pytest.approx(expected, rel=1e-14)
    value = objective.value(theta)
    theta[0] += 1.0
    fresh = LinearObjective(objective.problem).value(theta)
    assert objective.value(theta) == fresh != value


@pytest.mark.parametrize("smoothing", [0.0, 0.5])
def test_value_at_the_last_point_costs_no_product(smoothing, monkeypatch):
    """value() remembers its last exact value: asked again at an equal theta
    (another array) and smoothing it returns it without computing scores; a
    value on given scores is neither returned from nor kept in memory, and
    another smoothing or theta is computed."""
    objective, theta, *_ = random_objective("hinge", "l2")
    value = objective.value(theta, smoothing)
    products = []
    scores = objective.scores
    monkeypatch.setattr(
        objective, "scores", lambda *a, **k: products.append(1) or scores(*a, **k)
    )
    assert objective.value(theta.copy(), smoothing) == value
    assert not products
    other = objective.value(theta, 0.25)
    assert len(products) == 1 and other != value
    given = scores(2.0 * theta)
    assert objective.value(theta, 0.25, scores=given) != other
    assert objective.value(theta, 0.25) == other and len(products) == 1
    assert objective.value(1.5 * theta, 0.25) != other and len(products) == 2


def test_intercept_is_not_penalized():
    """Changing b leaves the penalty term unchanged; pack inverts unpack."""
    objective, theta, *_ = random_objective("cross_entropy", "l2")
    W, b = objective.unpack(theta)
    moved = objective.pack(W, b + 5.0)
    assert objective.penalty_value(moved) == objective.penalty_value(theta)
    assert np.array_equal(objective.pack(W, b), theta)


def test_prox_leaves_the_intercept_alone():
    """The proximal step shrinks W only."""
    objective, theta, *_ = random_objective("cross_entropy", "l1")
    out = objective.prox(theta, 10.0)
    W, b = objective.unpack(out)
    assert np.all(W == 0.0)
    assert np.array_equal(b, objective.unpack(theta)[1])


def test_scores_at_zero_weights_are_the_intercepts():
    """A start at W = 0 needs no product: its scores are b on every row."""
    objective, theta, X, *_ = random_objective("cross_entropy", "l2")
    theta[: objective.problem.n_coef] = 0.0
    _, b = objective.unpack(theta)
    assert_allclose(objective.scores(theta), np.tile(b, (X.shape[0], 1)), rtol=0)


LINE_CASES = [(loss, 0.0) for loss in sorted(LOSSES)] + [
    (loss, 0.3) for loss in sorted(LOSSES) if not LOSSES[loss].differentiable
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("loss, smoothing", LINE_CASES)
def test_line_matches_the_objective_at_each_step(loss, smoothing, fit_intercept, dtype):
    """Along a line, value, slope and gradient equal the objective's own at
    theta + t d (the slope against the gradient and a central difference),
    in any order of steps: trials never spoil the start's scores."""
    objective, theta, *_ = random_objective(loss, "l2", fit_intercept, dtype=dtype)
    direction = np.random.default_rng(1).normal(size=objective.n_params).astype(dtype)
    line = objective.line(theta, direction, smoothing)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    for t in [0.5, 0.0, 2.0, 0.5]:
        point = line.point(t)
        assert point.dtype == dtype
        assert_allclose(point, theta + t * direction, rtol=rtol)
        value, slope = line(t)
        # A second objective on the same data, which computes its own scores.
        other = random_objective(loss, "l2", fit_intercept, dtype=dtype)[0]
        fresh = other.value_and_gradient(point, smoothing)
        assert_allclose(value, fresh[0], rtol=rtol)
        assert_allclose(slope, fresh[1] @ direction, rtol=rtol, atol=rtol)
        assert_allclose(line.gradient(t), fresh[1], rtol=rtol, atol=rtol)
    if dtype == np.float64:
        h = 1e-6
        central = (line(0.5 + h)[0] - line(0.5 - h)[0]) / (2 * h)
        assert_allclose(line(0.5)[1], central, rtol=1e-6)
    # The scores of the last step tried, and a line started from them.
    point = line.point(0.5)
    scores = line.scores(0.5)
    W, b = objective.unpack(point)
    assert_allclose(scores, objective.problem.X @ W + b, rtol=rtol, atol=rtol)
    expected = objective.data_loss(point, smoothing) + objective.penalty_value(point)
    assert_allclose(
        objective.value(point, smoothing, scores=scores), expected, rtol=rtol
    )
    carried = objective.line(point, direction, smoothing, scores=scores)
    assert carried.scores(1.0) is not scores  # trials leave the start alone
    carried_at_1 = carried(1.0)
    fresh = objective.line(point, direction, smoothing)  # reuses the memory
    assert_allclose(carried_at_1, fresh(1.0), rtol=rtol)
