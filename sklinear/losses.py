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

Two things make them fast enough to sit inside every optimizer iteration:

* They work **class-major**: the scores are read, and ``dscores`` written, as
  ``(n_classes, n_samples)`` blocks of memory, so every max or sum over the
  classes runs along whole contiguous rows (an order of magnitude faster than
  the same reduction across short rows). ``dscores`` is returned as a
  ``(n_samples, n_classes)`` view of that memory; scores in either layout are
  accepted, and class-major ones (such as ``(W.T @ X.T).T``) are not copied.
  The code calls these blocks ``scores_cm`` and ``dscores_cm``.
* They take an ``out`` buffer for ``dscores`` and otherwise allocate only
  per-sample vectors, so a caller evaluating them many times reuses one block
  of memory instead of paging in fresh temporaries.

Scores may also carry leading batch dimensions, ``(..., n_samples,
n_classes)``: the loss is then an array with one value per batch entry,
which is how :meth:`~sklinear.objective.LinearObjective.values` scores many
random-search candidates at once.
"""

import dataclasses
import functools
from collections.abc import Callable

import numpy as np

__all__ = [
    "multiclass_hinge",
    "crammer_singer_hinge",
    "softmax_cross_entropy",
    "Loss",
    "LOSSES",
    "make_loss",
]


class _CorrectClassEntries:
    """The correct class's entry of every sample, in class-major arrays.

    Entry ``(..., classes[i], i)`` of a C-contiguous array of shape
    ``(..., n_classes, n_samples)`` is gathered and scattered through its
    offset in the flat memory, which is several times cheaper than 2-D fancy
    indexing. A batch is viewed as rows of ``n_classes * n_samples`` entries
    that share one row of offsets, rather than offsets for every batch entry,
    which cost more to build than the gathers they save.
    """

    def __init__(self, shape, classes):
        *batch, n_classes, n_samples = shape
        self.offsets = classes * n_samples + np.arange(n_samples)
        self._batch = tuple(batch)
        self._rows = (-1, n_classes * n_samples)

    def take(self, A):
        if not self._batch:
            return A.reshape(-1)[self.offsets]
        rows = np.take(A.reshape(self._rows), self.offsets, axis=1)
        return rows.reshape(*self._batch, -1)

    def put(self, A, values):
        if not self._batch:
            A.reshape(-1)[self.offsets] = values
            return
        if np.ndim(values):
            values = np.reshape(values, (-1, len(self.offsets)))
        A.reshape(self._rows)[:, self.offsets] = values


def _prepare(scores, y, sample_weight, out):
    r"""Class-major scores, the buffer for their gradient, and the weights.

    Returns ``scores_cm`` (the scores as ``(..., n_classes, n_samples)``,
    C-contiguous, a view when ``scores`` is class-major already),
    ``dscores_cm`` (the same shape, ``out`` when given), the correct-class
    entries and the per-sample factors :math:`w_i / \sum_k w_k`.
    """
    scores = np.asarray(scores)
    if scores.dtype.kind != "f":
        scores = scores.astype(np.float64)
    scores_cm = np.ascontiguousarray(np.swapaxes(scores, -1, -2))
    if out is None:
        dscores_cm = np.empty_like(scores_cm)
    else:
        dscores_cm = np.swapaxes(out, -1, -2)
        if (
            dscores_cm.shape != scores_cm.shape
            or dscores_cm.dtype != scores_cm.dtype
            or not dscores_cm.flags.c_contiguous
        ):
            raise ValueError(
                f"out must be a class-major array of shape {scores.shape} and "
                f"dtype {scores_cm.dtype} (the transpose of a C-contiguous array); got "
                f"shape {out.shape}, dtype {out.dtype}."
            )
    n_samples = scores_cm.shape[-1]
    if sample_weight is None:
        weights = np.full(n_samples, 1.0 / n_samples, dtype=scores_cm.dtype)
    else:
        sample_weight = np.asarray(sample_weight, dtype=scores_cm.dtype)
        weights = sample_weight / sample_weight.sum()
    return (
        scores_cm,
        dscores_cm,
        _CorrectClassEntries(scores_cm.shape, np.asarray(y, dtype=np.intp)),
        weights,
    )


def _mean(per_sample, weights):
    """The weighted mean: a float, or one per batch entry."""
    loss = per_sample @ weights
    return float(loss) if loss.ndim == 0 else loss


def _finish(per_sample, weights, dscores_cm):
    """The weighted mean and ``dscores``, weighted in place in ``dscores_cm``."""
    dscores_cm *= weights
    return _mean(per_sample, weights), np.swapaxes(dscores_cm, -1, -2)


def _margins(scores_cm, correct, margin, out):
    """Margin violations ``M_j = s_j - s_y + margin`` into ``out``; ``M_y = 0``."""
    np.subtract(
        scores_cm, (correct.take(scores_cm) - margin)[..., np.newaxis, :], out=out
    )
    correct.put(out, 0.0)
    return out


def multiclass_hinge(
    scores,
    y,
    margin=1.0,
    sample_weight=None,
    squared=False,
    smoothing=0.0,
    out=None,
    gradient=True,
):
    r"""Weston-Watkins multiclass SVM loss and its (sub)gradient.

    .. math::

        L_i = \sum_{j \neq y_i} \max(0,\ s_j - s_{y_i} + \Delta)

    with :math:`\Delta` the ``margin``; with ``squared=True`` every term is
    squared, :math:`\max(0, s_j - s_{y_i} + \Delta)^2`, which makes the loss
    differentiable.

    Parameters
    ----------
    scores : ndarray of shape (..., n_samples, n_classes)
        Class scores :math:`S = XW + b`, optionally stacked along leading
        batch dimensions.
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
    out : ndarray of shape (..., n_samples, n_classes), default=None
        Where to write ``dscores``: a class-major array of the scores' dtype
        (its ``swapaxes(-1, -2)`` C-contiguous), such as a ``dscores``
        returned before. Reusing it saves an allocation per call.
    gradient : bool, default=True
        Whether to compute ``dscores``; without it the call costs about half
        (``out`` is then still used as workspace).

    Returns
    -------
    loss : float or ndarray of shape (...)
        The weighted mean loss :math:`\sum_i w_i L_i / \sum_i w_i`, one per
        batch entry when ``scores`` has batch dimensions.
    dscores : ndarray of shape (..., n_samples, n_classes) or None
        Its gradient with respect to ``scores`` (a subgradient at kinks,
        where a term at exactly zero counts as inactive); None when
        ``gradient=False``.

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
    scores_cm, dscores_cm, correct, weights = _prepare(scores, y, sample_weight, out)
    violation = np.maximum(
        _margins(scores_cm, correct, margin, out=dscores_cm), 0.0, out=dscores_cm
    )
    if squared:
        per_sample = np.einsum("...kn,...kn->...n", violation, violation)
        if gradient:
            dscores_cm *= 2.0
    elif smoothing > 0:
        # h(v) = c (2v - c) / (2 mu) with c = min(v, mu): v^2 / (2 mu) below mu,
        # v - mu / 2 above, and its derivative is c / mu.
        clipped = np.minimum(violation, smoothing)
        dscores_cm *= 2.0
        dscores_cm -= clipped
        dscores_cm *= clipped
        per_sample = dscores_cm.sum(axis=-2) / (2 * smoothing)
        if gradient:
            np.divide(clipped, smoothing, out=dscores_cm)
    else:
        per_sample = violation.sum(axis=-2)
        if gradient:
            np.greater(violation, 0.0, out=dscores_cm)
    if not gradient:
        return _mean(per_sample, weights), None
    # The correct class's score enters every term with a minus sign (its own
    # entry is still zero here, so the sum runs over j != y_i).
    correct.put(dscores_cm, -dscores_cm.sum(axis=-2))
    return _finish(per_sample, weights, dscores_cm)


def crammer_singer_hinge(
    scores, y, margin=1.0, sample_weight=None, smoothing=0.0, out=None, gradient=True
):
    r"""Crammer-Singer multiclass SVM loss and its subgradient.

    .. math::

        L_i = \max\bigl(0,\ \max_{j \neq y_i} s_j - s_{y_i} + \Delta\bigr)

    Only the most violating class counts, as in scikit-learn's
    ``LinearSVC(multi_class="crammer_singer")``.

    Parameters
    ----------
    scores : ndarray of shape (..., n_samples, n_classes)
        Class scores :math:`S = XW + b`, optionally stacked along leading
        batch dimensions.
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
    out : ndarray of shape (..., n_samples, n_classes), default=None
        Where to write ``dscores``: a class-major array of the scores' dtype
        (its ``swapaxes(-1, -2)`` C-contiguous), such as a ``dscores``
        returned before. Reusing it saves an allocation per call.
    gradient : bool, default=True
        Whether to compute ``dscores``; without it the call costs about half
        (``out`` is then still used as workspace).

    Returns
    -------
    loss : float or ndarray of shape (...)
        The weighted mean loss, one per batch entry when ``scores`` has
        batch dimensions.
    dscores : ndarray of shape (..., n_samples, n_classes) or None
        Its gradient with respect to ``scores`` (None when
        ``gradient=False``): ``+1`` at the most violating
        class and ``-1`` at the correct one for samples with a positive loss
        (a subgradient; tied most violating classes share the ``+1``
        equally, the subgradient of least norm).

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
    scores_cm, dscores_cm, correct, weights = _prepare(scores, y, sample_weight, out)
    margins = _margins(scores_cm, correct, margin, out=dscores_cm)
    top = margins.max(axis=-2)  # >= 0, as M_y = 0
    if smoothing > 0:
        # Shifted log-sum-exp, as in the softmax.
        dscores_cm -= top[..., np.newaxis, :]
        dscores_cm /= smoothing
        np.exp(dscores_cm, out=dscores_cm)
        total = dscores_cm.sum(axis=-2)
        per_sample = top + smoothing * np.log(total)
        if not gradient:
            return _mean(per_sample, weights), None
        dscores_cm /= total[..., np.newaxis, :]
        correct.put(dscores_cm, 0.0)
    else:
        per_sample = top
        if not gradient:
            return _mean(per_sample, weights), None
        # A unit vector at the most violating class; tied classes share it
        # equally (the subgradient of least norm), and a zero loss has none.
        np.equal(margins, top[..., np.newaxis, :], out=dscores_cm)
        share = (top > 0) / np.maximum(dscores_cm.sum(axis=-2), 1.0)
        dscores_cm *= share.astype(dscores_cm.dtype)[..., np.newaxis, :]
    correct.put(dscores_cm, -dscores_cm.sum(axis=-2))
    return _finish(per_sample, weights, dscores_cm)


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
    out : ndarray of shape (..., n_samples, n_classes), default=None
        Where to write ``dscores``: a class-major array of the scores' dtype
        (its ``swapaxes(-1, -2)`` C-contiguous), such as a ``dscores``
        returned before. Reusing it saves an allocation per call.
    gradient : bool, default=True
        Whether to compute ``dscores``; without it the call costs about half
        (``out`` is then still used as workspace).

    Returns
    -------
    loss : float or ndarray of shape (...)
        The weighted mean loss, one per batch entry when ``scores`` has
        batch dimensions.
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


@dataclasses.dataclass(frozen=True)
class Loss:
    r"""A loss by name, with its parameters: what a problem is minimized for.

    Calling it evaluates the weighted mean loss and its score gradient,
    passing ``margin`` to the function when the loss has one and
    ``smoothing`` when it is not differentiable. Solvers read what they need
    from it: ``name``, whether it is ``smooth``, its ``margin``.

    Parameters
    ----------
    name : str
        The name the estimators' ``loss`` parameter takes (a key of
        :data:`LOSSES`).
    function : callable
        ``function(scores, y, sample_weight=None, out=None, gradient=True,
        **params)`` returning ``(loss, dscores)``.
    smooth : bool
        True when the loss is differentiable everywhere; a non-smooth loss
        accepts a ``smoothing`` keyword.
    margin : float or None, default=None
        The margin :math:`\Delta` of a hinge loss; None for a loss without one.

    See Also
    --------
    make_loss : A registered loss with its margin set.
    LOSSES : The registry of the losses by name.

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.losses import make_loss
    >>> hinge = make_loss("hinge", margin=2.0)
    >>> hinge.name, hinge.smooth, hinge.margin
    ('hinge', False, 2.0)
    >>> hinge(np.array([[1.0, 0.0]]), np.array([0]))[0]
    1.0
    """

    name: str
    function: Callable
    smooth: bool
    margin: float | None = None

    def __call__(
        self, scores, y, *, sample_weight=None, smoothing=0.0, out=None, gradient=True
    ):
        """The loss and its score gradient; see the loss's function."""
        params = {} if self.margin is None else {"margin": self.margin}
        if not self.smooth:
            params["smoothing"] = smoothing
        return self.function(
            scores, y, sample_weight=sample_weight, out=out, gradient=gradient, **params
        )

    @property
    def smoothing_scale(self):
        """The scale of scores at which a non-smooth loss bends: its margin.

        Smoothing continuation starts there.
        """
        return 1.0 if self.margin is None else self.margin


#: Losses by the name the estimators' ``loss`` parameter takes, with the
#: default margin of those that have one.
LOSSES = {
    "hinge": Loss("hinge", multiclass_hinge, smooth=False, margin=1.0),
    "squared_hinge": Loss(
        "squared_hinge",
        functools.partial(multiclass_hinge, squared=True),
        smooth=True,
        margin=1.0,
    ),
    "crammer_singer": Loss(
        "crammer_singer", crammer_singer_hinge, smooth=False, margin=1.0
    ),
    "cross_entropy": Loss("cross_entropy", softmax_cross_entropy, smooth=True),
}


def make_loss(name, margin=1.0):
    """The loss registered as ``name``, with ``margin`` if it has a margin.

    Parameters
    ----------
    name : str
        A key of :data:`LOSSES`.
    margin : float, default=1.0
        The margin of a hinge loss; ignored by ``"cross_entropy"``.

    Returns
    -------
    loss : Loss

    Examples
    --------
    >>> from sklinear.losses import make_loss
    >>> make_loss("crammer_singer", margin=0.5).margin
    0.5
    >>> make_loss("cross_entropy", margin=0.5).margin is None
    True
    """
    try:
        loss = LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"loss must be one of {sorted(LOSSES)}; got {name!r}."
        ) from None
    if loss.margin is None:
        return loss
    return dataclasses.replace(loss, margin=float(margin))
