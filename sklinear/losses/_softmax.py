"""The softmax classifier's loss: cross-entropy of the softmax probabilities."""

import numpy as np

from .._docstrings import fill_doc
from ._common import _mean, _prepare

__all__ = ["softmax_cross_entropy"]


@fill_doc
def softmax_cross_entropy(scores, y, sample_weight=None, out=None, gradient=True):
    r"""Softmax cross-entropy loss and its gradient, computed stably.

    .. math::

        L_i = -\log \frac{e^{s_{y_i}}}{\sum_j e^{s_j}}
            = \log\Bigl(1 + \sum_{j \neq y_i} e^{s_j - s_{y_i}}\Bigr).

    Shifting the scores by the correct class's score and summing the other
    classes alone makes every step exact: ``log1p`` of that sum keeps the
    tiny positive loss of a confident correct prediction instead of rounding
    it to zero, and no difference of nearly equal numbers is ever taken. The
    few rows where some :math:`s_j - s_{y_i}` overflows the exponential are
    shifted by their maximum instead, so scores of :math:`\pm 10^4` give a
    finite loss in float32 and float64. The gradient is
    :math:`\partial L_i / \partial s_{ij} = p_{ij} - [j = y_i]` with
    :math:`p_i = \mathrm{softmax}(s_i)`.

    Parameters
    ----------
    scores : ndarray of shape (..., n_samples, n_classes)
        Class scores (unnormalized log probabilities), optionally stacked
        along leading batch dimensions.
    y : ndarray of shape (n_samples,)
        Integer class indices in ``0..n_classes-1``.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights :math:`w_i` of the mean; all ones when None.
    {loss_out_gradient}

    Returns
    -------
    {loss_value}
    dscores : ndarray of shape (..., n_samples, n_classes) or None
        Its gradient with respect to ``scores``; None when ``gradient=False``.

    See Also
    --------
    multiclass_hinge : The multiclass SVM loss.

    Examples
    --------
    The "jiggle" question: a confident correct prediction still has a
    (tiny) positive loss.

    >>> import numpy as np
    >>> from sklinear.losses import softmax_cross_entropy
    >>> scores = np.array([[10.0, -100.0, -100.0]])
    >>> loss, _ = softmax_cross_entropy(scores, np.array([0]))
    >>> float(f"{loss:.3g}")
    3.38e-48
    """
    scores_cm, dscores_cm, correct, weights = _prepare(scores, y, sample_weight, out)
    with np.errstate(over="ignore", invalid="ignore"):
        np.subtract(
            scores_cm, correct.take(scores_cm)[..., np.newaxis, :], out=dscores_cm
        )
        exp = np.exp(
            dscores_cm, out=dscores_cm
        )  # e^{s_j - s_y}, 1 at the correct class
        correct.put(exp, 0.0)
        others = exp.sum(axis=-2)  # sum_{j != y}, with no cancellation
        per_sample = np.log1p(others)
        if gradient:
            # p_j = e^{s_j - s_y} / (1 + others), and p_y - 1 = -others / (1 + others)
            # (written so that it keeps its digits near p_y = 1).
            factor = weights / (1.0 + others)
            exp *= factor[..., np.newaxis, :]
            correct.put(dscores_cm, -others * factor)
    # The maximum is NaN or infinite whenever an entry is: one cheap pass
    # instead of a mask in the common case where none is.
    overflow = () if np.isfinite(others.max()) else np.nonzero(~np.isfinite(others))
    if overflow:
        rows = np.swapaxes(scores_cm, -1, -2)[overflow]
        per_sample[overflow], grad = _max_shifted_softmax(rows, y[overflow[-1]])
        if gradient:
            np.swapaxes(dscores_cm, -1, -2)[overflow] = (
                grad * weights[overflow[-1], np.newaxis]
            )
    if not gradient:
        return _mean(per_sample, weights), None
    return _mean(per_sample, weights), np.swapaxes(dscores_cm, -1, -2)


def _max_shifted_softmax(scores, y):
    """Loss and gradient of a few rows whose ``s_j - s_y`` overflow ``exp``.

    Shifting them by their maximum instead keeps every exponential finite;
    ``p_y`` is then tiny, so ``p_y - 1`` loses nothing.
    """
    rows = np.arange(len(y))
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1)
    grad = exp / total[:, np.newaxis]
    grad[rows, y] -= 1.0
    return np.log(total) - shifted[rows, y], grad
