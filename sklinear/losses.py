r"""Multiclass losses on a matrix of scores, with their exact (sub)gradients.

Every loss takes the scores :math:`S` of shape ``(n_samples, n_classes)`` (row
:math:`s_i` holds the class scores of sample :math:`i`), integer labels
``y`` in ``0..n_classes-1`` and optional sample weights :math:`w`, and returns
the weighted mean

.. math::

    L = \frac{\sum_i w_i L_i(s_i, y_i)}{\sum_i w_i}

together with ``dscores`` :math:`= \partial L / \partial S`, the input of the
backward pass :math:`\partial L / \partial W = X^\top\, \mathrm{dscores}`.

The two hinge losses are not differentiable at their kinks; there they return
a subgradient and accept a ``smoothing`` :math:`\mu > 0` that replaces the
kink by a quadratic (or log-sum-exp) piece of width :math:`\mu`. Smoothing is
what lets gradient methods reach their exact optimum by continuation
(:math:`\mu \to 0`); with ``smoothing=0`` (the default) they are exactly the
lecture's losses.
"""

import functools

import numpy as np

__all__ = [
    "multiclass_hinge",
    "crammer_singer_hinge",
    "softmax_cross_entropy",
    "Loss",
    "LOSSES",
]


def _normalized_weights(sample_weight, n_samples, dtype):
    """Per-sample factors ``w_i / sum(w)`` of the weighted mean."""
    if sample_weight is None:
        return np.full(n_samples, 1.0 / n_samples, dtype=dtype)
    sample_weight = np.asarray(sample_weight, dtype=dtype)
    return sample_weight / sample_weight.sum()


def _margins(scores, y, margin):
    """Margin violations ``M_ij = s_ij - s_{i,y_i} + margin``; ``M_{i,y_i} = 0``."""
    rows = np.arange(scores.shape[0])
    margins = scores - scores[rows, y][:, np.newaxis]
    margins += margin
    margins[rows, y] = 0.0
    return margins, rows


def multiclass_hinge(
    scores, y, margin=1.0, sample_weight=None, squared=False, smoothing=0.0
):
    r"""Weston-Watkins multiclass SVM loss and its (sub)gradient.

    .. math::

        L_i = \sum_{j \neq y_i} \max(0,\ s_j - s_{y_i} + \Delta)

    with :math:`\Delta` the ``margin``; with ``squared=True`` every term is
    squared, :math:`\max(0, s_j - s_{y_i} + \Delta)^2`, which makes the loss
    differentiable.

    Parameters
    ----------
    scores : ndarray of shape (n_samples, n_classes)
        Class scores :math:`S = XW + b`.
    y : ndarray of shape (n_samples,)
        Integer class indices in ``0..n_classes-1``.
    margin : float, default=1.0
        The margin :math:`\Delta` by which the correct class must win.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights :math:`w_i` of the mean; all ones when None.
    squared : bool, default=False
        Square each margin violation (the ``"squared_hinge"`` loss).
    smoothing : float, default=0.0
        Width :math:`\mu` of a Huber smoothing of each term (ignored when
        ``squared=True``): :math:`h_\mu(z) = z^2 / (2\mu)` for
        :math:`0 < z < \mu` and :math:`z - \mu/2` above, so that
        :math:`h_\mu \le \max(0, z) \le h_\mu + \mu/2`.

    Returns
    -------
    loss : float
        The weighted mean loss :math:`\sum_i w_i L_i / \sum_i w_i`.
    dscores : ndarray of shape (n_samples, n_classes)
        Its gradient with respect to ``scores`` (a subgradient at kinks,
        where a term at exactly zero counts as inactive).

    See Also
    --------
    crammer_singer_hinge : Only the most violating class counts.
    softmax_cross_entropy : The softmax classifier's loss.

    Examples
    --------
    The lecture's three examples (cat, car, frog):

    >>> import numpy as np
    >>> from sklinear.losses import multiclass_hinge
    >>> scores = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
    >>> loss, dscores = multiclass_hinge(scores, np.array([0, 1, 2]))
    >>> round(loss, 2)
    5.27
    """
    scores = np.asarray(scores)
    margins, rows = _margins(scores, y, margin)
    weights = _normalized_weights(sample_weight, scores.shape[0], scores.dtype)
    violation = np.maximum(margins, 0.0, out=margins)
    if squared:
        per_sample = np.einsum("ij,ij->i", violation, violation)
        dscores = 2.0 * violation
    elif smoothing > 0:
        inside = violation < smoothing
        per_sample = np.where(
            inside, violation * violation / (2 * smoothing), violation - smoothing / 2
        ).sum(axis=1)
        dscores = np.minimum(violation / smoothing, 1.0)
    else:
        per_sample = violation.sum(axis=1)
        dscores = (violation > 0).astype(scores.dtype)
    # The correct class's score enters every term with a minus sign.
    dscores[rows, y] = -dscores.sum(axis=1)
    dscores *= weights[:, np.newaxis]
    return float(weights @ per_sample), dscores


def crammer_singer_hinge(scores, y, margin=1.0, sample_weight=None, smoothing=0.0):
    r"""Crammer-Singer multiclass SVM loss and its subgradient.

    .. math::

        L_i = \max\bigl(0,\ \max_{j \neq y_i} s_j - s_{y_i} + \Delta\bigr)

    Only the most violating class counts, as in scikit-learn's
    ``LinearSVC(multi_class="crammer_singer")``.

    Parameters
    ----------
    scores : ndarray of shape (n_samples, n_classes)
        Class scores :math:`S = XW + b`.
    y : ndarray of shape (n_samples,)
        Integer class indices in ``0..n_classes-1``.
    margin : float, default=1.0
        The margin :math:`\Delta`.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights :math:`w_i` of the mean; all ones when None.
    smoothing : float, default=0.0
        Temperature :math:`\mu` of a log-sum-exp smoothing of the outer max:
        :math:`L_i^\mu = \mu \log \sum_j \exp(M_{ij} / \mu)` with
        :math:`M_{ij} = s_j - s_{y_i} + \Delta` for :math:`j \neq y_i` and
        :math:`M_{i y_i} = 0`, so that
        :math:`L_i \le L_i^\mu \le L_i + \mu \log K`.

    Returns
    -------
    loss : float
        The weighted mean loss.
    dscores : ndarray of shape (n_samples, n_classes)
        Its gradient with respect to ``scores``: ``+1`` at the most violating
        class and ``-1`` at the correct one for samples with a positive loss
        (a subgradient; ties go to the first class).

    See Also
    --------
    multiclass_hinge : Every violating class counts (Weston-Watkins).

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.losses import crammer_singer_hinge
    >>> scores = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
    >>> loss, dscores = crammer_singer_hinge(scores, np.array([0, 1, 2]))
    >>> round(loss, 2)
    3.17
    """
    scores = np.asarray(scores)
    margins, rows = _margins(scores, y, margin)
    weights = _normalized_weights(sample_weight, scores.shape[0], scores.dtype)
    if smoothing > 0:
        # Shifted log-sum-exp, as in the softmax: the row max is >= 0 here.
        top = margins.max(axis=1)
        exp = np.exp((margins - top[:, np.newaxis]) / smoothing)
        total = exp.sum(axis=1)
        per_sample = top + smoothing * np.log(total)
        dscores = exp / total[:, np.newaxis]
    else:
        worst = margins.argmax(axis=1)
        per_sample = margins[rows, worst]
        dscores = np.zeros_like(margins)
        dscores[rows, worst] = per_sample > 0
    dscores[rows, y] = 0.0
    dscores[rows, y] = -dscores.sum(axis=1)
    dscores *= weights[:, np.newaxis]
    return float(weights @ per_sample), dscores


def softmax_cross_entropy(scores, y, sample_weight=None):
    r"""Softmax cross-entropy loss and its gradient, computed stably.

    .. math::

        L_i = -\log \frac{e^{s_{y_i}}}{\sum_j e^{s_j}}
            = \log \sum_j e^{s_j - m_i} - (s_{y_i} - m_i),
        \qquad m_i = \max_j s_j .

    Subtracting the row maximum keeps every exponential in :math:`(0, 1]`, so
    scores of :math:`\pm 10^4` give a finite loss in float32 and float64.
    Where the correct class holds the maximum, the loss is computed as
    :math:`\log(1 + \sum_{j \neq y_i} e^{s_j - s_{y_i}})` with ``log1p``, so a
    confident correct prediction keeps its tiny positive loss instead of
    rounding to zero. The gradient is
    :math:`\partial L_i / \partial s_{ij} = p_{ij} - [j = y_i]` with
    :math:`p_i = \mathrm{softmax}(s_i)`.

    Parameters
    ----------
    scores : ndarray of shape (n_samples, n_classes)
        Class scores (unnormalized log probabilities).
    y : ndarray of shape (n_samples,)
        Integer class indices in ``0..n_classes-1``.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights :math:`w_i` of the mean; all ones when None.

    Returns
    -------
    loss : float
        The weighted mean loss.
    dscores : ndarray of shape (n_samples, n_classes)
        Its gradient with respect to ``scores``.

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
    scores = np.asarray(scores)
    rows = np.arange(scores.shape[0])
    weights = _normalized_weights(sample_weight, scores.shape[0], scores.dtype)
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    exp_correct = exp[rows, y]
    exp[rows, y] = 0.0
    others = exp.sum(axis=1)  # sum_{j != y} exp(s_j - m), with no cancellation
    total = others + exp_correct
    with np.errstate(divide="ignore"):
        per_sample = np.where(
            exp_correct == 1.0,
            np.log1p(others),
            np.log(total) - shifted[rows, y],
        )
    dscores = exp / total[:, np.newaxis]
    # p_y - 1 = -others / total, written so that it keeps its digits near p_y = 1.
    dscores[rows, y] = -others / total
    dscores *= weights[:, np.newaxis]
    return float(weights @ per_sample), dscores


class Loss:
    """A registered loss: its function and whether it is differentiable.

    Parameters
    ----------
    function : callable
        ``function(scores, y, sample_weight=None, **params)`` returning
        ``(loss, dscores)``.
    smooth : bool
        True when the loss is differentiable everywhere; a non-smooth loss
        accepts a ``smoothing`` keyword.
    params : tuple of str, default=()
        Names of the estimator hyperparameters the function takes.

    See Also
    --------
    LOSSES : The registry of the losses by name.

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.losses import LOSSES
    >>> hinge = LOSSES["hinge"].bind(margin=2.0)
    >>> hinge(np.array([[1.0, 0.0]]), np.array([0]))[0]
    1.0
    """

    def __init__(self, function, smooth, params=()):
        self.function = function
        self.smooth = smooth
        self.params = params

    def bind(self, **hyperparams):
        """The function with its hyperparameters (e.g. ``margin``) filled in."""
        kwargs = {name: hyperparams[name] for name in self.params}
        return functools.partial(self.function, **kwargs)


#: Losses by the name the estimators' ``loss`` parameter takes.
LOSSES = {
    "hinge": Loss(multiclass_hinge, smooth=False, params=("margin",)),
    "squared_hinge": Loss(
        functools.partial(multiclass_hinge, squared=True),
        smooth=True,
        params=("margin",),
    ),
    "crammer_singer": Loss(crammer_singer_hinge, smooth=False, params=("margin",)),
    "cross_entropy": Loss(softmax_cross_entropy, smooth=True),
}
