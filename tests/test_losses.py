"""The losses: the lecture's worked examples, numerical stability, exact gradients."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sklinear.gradient_check import numerical_gradient, relative_error
from sklinear.losses import (
    LOSSES,
    crammer_singer_hinge,
    make_loss,
    multiclass_hinge,
    softmax_cross_entropy,
)

# The lecture's three training examples: rows are (cat, car, frog) scores.
LECTURE_SCORES = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
LECTURE_LABELS = np.array([0, 1, 2])
JIGGLE_SCORES = np.array([[10.0, -2.0, 3.0], [10.0, 9.0, 9.0], [10.0, -100.0, -100.0]])


def per_sample(loss, scores, y, **kwargs):
    """Loss of each row on its own."""
    return np.array(
        [loss(s[None, :], y[i : i + 1], **kwargs)[0] for i, s in enumerate(scores)]
    )


def test_lecture_svm_losses():
    """Losses 2.9, 0 and 12.9, mean 5.27, as in the lecture."""
    assert_allclose(
        per_sample(multiclass_hinge, LECTURE_SCORES, LECTURE_LABELS), [2.9, 0.0, 12.9]
    )
    loss, _ = multiclass_hinge(LECTURE_SCORES, LECTURE_LABELS)
    assert loss == pytest.approx(15.8 / 3)
    assert round(loss, 2) == 5.27


def test_lecture_car_example_at_twice_the_scores():
    """Doubling W keeps the car example's loss at 0: W with L = 0 is not unique."""
    car = LECTURE_SCORES[1:2]
    assert multiclass_hinge(car, np.array([1]))[0] == 0.0
    assert multiclass_hinge(2 * car, np.array([1]))[0] == 0.0


def test_lecture_softmax_cat_example():
    """-log(e^3.2 / (e^3.2 + e^5.1 + e^-1.7)) for the cat example."""
    s = LECTURE_SCORES[0]
    expected = -np.log(np.exp(s[0]) / np.exp(s).sum())
    loss, _ = softmax_cross_entropy(s[None, :], np.array([0]))
    assert loss == pytest.approx(expected, rel=1e-14)
    assert round(loss, 2) == 2.04


def test_jiggle_question():
    """All three score vectors have hinge loss 0; cross-entropy is positive and ordered."""
    y = np.zeros(3, dtype=int)
    assert_allclose(per_sample(multiclass_hinge, JIGGLE_SCORES, y), 0.0)
    ce = per_sample(softmax_cross_entropy, JIGGLE_SCORES, y)
    assert np.all(ce > 0)
    # Largest for [10, 9, 9], then [10, -2, 3], then [10, -100, -100].
    assert ce[1] > ce[0] > ce[2] > 0


def test_cross_entropy_of_a_dominant_class_is_tiny_but_positive():
    """[10, -100, -100] with y = 0 gives log(1 + 2 e^-110), about 3.4e-48, not 0."""
    loss, grad = softmax_cross_entropy(JIGGLE_SCORES[2:], np.array([0]))
    assert loss == pytest.approx(2 * np.exp(-110.0), rel=1e-12)
    assert grad[0, 0] == pytest.approx(-2 * np.exp(-110.0), rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_losses_are_finite_for_huge_scores(name, dtype):
    """Scores of +-1e4 give a finite loss and gradient in float32 and float64."""
    scores = np.array(
        [[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0], [0.0, 0.0, 1e4]], dtype=dtype
    )
    y = np.array([1, 0, 2])
    loss, grad = make_loss(name)(scores, y)
    assert np.isfinite(loss)
    assert grad.dtype == dtype
    assert np.all(np.isfinite(grad))
    if name == "cross_entropy":
        assert loss == pytest.approx((2e4 + 2e4) / 3, rel=1e-6)


def test_crammer_singer_counts_only_the_worst_class():
    """2.9, 0 and max(6.3, 6.6) = 6.6 on the lecture's examples."""
    expected = [2.9, 0.0, 6.6]
    assert_allclose(
        per_sample(crammer_singer_hinge, LECTURE_SCORES, LECTURE_LABELS), expected
    )


def test_squared_hinge_squares_each_term():
    """1.9^2 = 3.61 for the cat example's car term plus 0; 6.3^2 + 6.6^2 for frog."""
    values = per_sample(multiclass_hinge, LECTURE_SCORES, LECTURE_LABELS, squared=True)
    assert_allclose(values, [2.9**2, 0.0, 6.3**2 + 6.6**2])


def test_margin_is_the_lectures_delta():
    """With margin 0 the cat example only pays for the car score above it."""
    loss, _ = multiclass_hinge(LECTURE_SCORES[:1], np.array([0]), margin=0.0)
    assert loss == pytest.approx(5.1 - 3.2)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_sample_weights_give_a_weighted_mean(name):
    """sum_i w_i L_i / sum_i w_i, and an integer weight equals repeating the row."""
    loss = make_loss(name)
    w = np.array([2.0, 0.0, 1.0])
    weighted, grad = loss(LECTURE_SCORES, LECTURE_LABELS, sample_weight=w)
    singles = per_sample(loss, LECTURE_SCORES, LECTURE_LABELS)
    assert weighted == pytest.approx((2 * singles[0] + singles[2]) / 3)
    repeated = LECTURE_SCORES[[0, 0, 2]]
    loss_rep, grad_rep = loss(repeated, LECTURE_LABELS[[0, 0, 2]])
    assert weighted == pytest.approx(loss_rep)
    assert_allclose(grad[0], grad_rep[0] + grad_rep[1])
    assert_allclose(grad[1], 0.0)


def _random_scores(rng, n=7, k=4):
    """Scores with every margin term far from its kink (|s_j - s_y + 1| > 0.05)."""
    while True:
        scores = rng.normal(scale=2.0, size=(n, k))
        y = rng.integers(k, size=n)
        margins = scores - scores[np.arange(n), y][:, None] + 1.0
        margins[np.arange(n), y] = 1.0
        top = np.sort(margins, axis=1)
        if np.all(np.abs(margins) > 0.05) and np.all(top[:, -1] - top[:, -2] > 0.05):
            return scores, y


@pytest.mark.parametrize("smoothing", [0.0, 1.0])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_gradient_matches_numerical_gradient(name, smoothing):
    """Analytic dscores agree with centred differences (relative error < 1e-6)."""
    rng = np.random.default_rng(0)
    scores, y = _random_scores(rng)
    w = rng.uniform(0.5, 2.0, size=len(y))
    kwargs = {} if LOSSES[name].differentiable else {"smoothing": smoothing}
    loss = make_loss(name)
    value, grad = loss(scores, y, sample_weight=w, **kwargs)
    numeric = numerical_gradient(
        lambda s: loss(s, y, sample_weight=w, **kwargs)[0], scores
    )
    assert relative_error(grad, numeric).max() < 1e-6


@pytest.mark.parametrize("name", ["hinge", "crammer_singer"])
def test_smoothing_brackets_the_hinge(name):
    """Huber smoothing is below the hinge by at most mu/2 a term; log-sum-exp above by at most mu log K."""
    rng = np.random.default_rng(1)
    scores, y = rng.normal(size=(50, 5)), rng.integers(5, size=50)
    loss = make_loss(name)
    exact = loss(scores, y)[0]
    for mu in [1.0, 0.1, 0.01]:
        smooth = loss(scores, y, smoothing=mu)[0]
        if name == "hinge":
            assert exact - 4 * mu / 2 <= smooth <= exact
        else:
            assert exact <= smooth <= exact + mu * np.log(5)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_float32_matches_float64(name):
    """float32 scores give float32 gradients equal to the float64 ones to float32 precision."""
    rng = np.random.default_rng(2)
    scores, y = _random_scores(rng)
    loss = make_loss(name)
    v64, g64 = loss(scores, y)
    v32, g32 = loss(scores.astype(np.float32), y)
    assert g32.dtype == np.float32
    assert v32 == pytest.approx(v64, rel=1e-5)
    assert_allclose(g32, g64, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_losses_do_not_modify_their_inputs(name):
    """Scores, labels and weights are left as they were."""
    scores, y, w = (
        LECTURE_SCORES.copy(),
        LECTURE_LABELS.copy(),
        np.array([1.0, 2.0, 3.0]),
    )
    make_loss(name)(scores, y, sample_weight=w)
    assert np.array_equal(scores, LECTURE_SCORES)
    assert np.array_equal(y, LECTURE_LABELS)
    assert np.array_equal(w, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_layouts_batches_and_buffers_give_the_same_result(name):
    """Row-major, class-major, strided and batched scores, with or without an
    ``out`` buffer or the gradient, all give the same loss and dscores."""
    rng = np.random.default_rng(4)
    scores, y = _random_scores(rng, n=9, k=5)
    w = rng.uniform(0.5, 2.0, size=len(y))
    loss = make_loss(name)
    value, grad = loss(scores, y, sample_weight=w)
    class_major = np.asfortranarray(scores)
    strided = np.repeat(scores, 2, axis=1)[:, ::2]
    for variant in (class_major, strided):
        v, g = loss(variant, y, sample_weight=w)
        assert v == value
        assert_allclose(g, grad, rtol=1e-15)
    out = np.empty((5, 9)).T
    v, g = loss(scores, y, sample_weight=w, out=out)
    assert v == value and g is not grad
    assert np.shares_memory(g, out)
    assert_allclose(g, grad, rtol=1e-15)
    assert loss(scores, y, sample_weight=w, gradient=False) == (value, None)

    batch = np.stack([scores, 2 * scores, -scores])
    values, grads = loss(batch, y, sample_weight=w)
    assert values.shape == (3,) and grads.shape == batch.shape
    for k in range(3):
        v, g = loss(batch[k], y, sample_weight=w)
        assert values[k] == pytest.approx(v, rel=1e-14)
        assert_allclose(grads[k], g, rtol=1e-14, atol=1e-16)
    assert_allclose(loss(batch, y, sample_weight=w, gradient=False)[0], values)
    # Two batch dimensions index the same entries as one.
    grid = np.stack([batch, batch[::-1]])
    grid_values, grid_grads = loss(grid, y, sample_weight=w)
    assert grid_values.shape == (2, 3) and grid_grads.shape == grid.shape
    assert_allclose(grid_values, [values, values[::-1]], rtol=1e-15)
    assert_allclose(grid_grads, [grads, grads[::-1]], rtol=1e-15)


@pytest.mark.parametrize("out", [np.empty((3, 3)), np.empty((3, 4)).T[:3], None])
def test_out_must_be_a_class_major_buffer_of_the_right_shape(out):
    """A row-major or misshapen ``out`` is refused with a clear message."""
    if out is None:
        out = np.empty((3, 3), dtype=np.float32).T
    with pytest.raises(ValueError, match="out must be a class-major array"):
        softmax_cross_entropy(LECTURE_SCORES, LECTURE_LABELS, out=out)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_rows_beyond_the_exponential_range_fall_back_exactly(dtype):
    """Rows whose s_j - s_y overflow exp are shifted by their maximum: loss and
    gradient equal scipy's logsumexp and softmax there, and the other rows are
    untouched."""
    from scipy.special import logsumexp, softmax

    scores = np.array(
        [[0.0, 800.0, 1.0], [3.0, 1.0, 2.0], [-1e4, 1e4, 0.0], [5.0, 0.0, 0.0]],
        dtype=dtype,
    )
    y = np.array([0, 1, 0, 0])
    loss, grad = softmax_cross_entropy(scores, y)
    s64 = scores.astype(np.float64)
    per_sample = logsumexp(s64, axis=1) - s64[np.arange(4), y]
    expected = softmax(s64, axis=1)
    expected[np.arange(4), y] -= 1.0
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    assert loss == pytest.approx(per_sample.mean(), rel=1e-6)
    assert_allclose(grad, expected / 4, rtol=1e-5, atol=1e-12)
    # In a batch the fallback finds the same rows among the other entries'.
    batch = np.stack([np.zeros_like(scores), scores])
    values, grads = softmax_cross_entropy(batch, y)
    assert values[0] == pytest.approx(np.log(3)) and values[1] == loss
    assert_allclose(grads[1], grad, rtol=1e-15)


def test_crammer_singer_ties_share_the_subgradient():
    """At equal scores every wrong class violates the margin equally; the
    subgradient splits the +1 among them (the least-norm choice)."""
    loss, grad = crammer_singer_hinge(np.zeros((2, 4)), np.array([0, 3]))
    assert loss == 1.0
    expected = np.array([[-1.0, 1 / 3, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3, -1.0]])
    assert_allclose(grad, expected / 2)
