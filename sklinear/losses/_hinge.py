"""The multiclass SVM losses: Weston-Watkins (and squared) and Crammer-Singer."""

import numpy as np

from .._docstrings import fill_doc
from ._common import _finish, _margins, _mean, _prepare

#: Entries of the scores the smoothed hinge works on at a time: its two
#: buffers stay small enough for the cache.
SMOOTHED_BLOCK = 2**12

__all__ = ["multiclass_hinge", "crammer_singer_hinge"]


@fill_doc
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
    {hinge_scores_y}
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
    {loss_out_gradient}

    Returns
    -------
    {loss_value}
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
        per_sample = _smoothed(violation, smoothing, gradient)
    else:
        per_sample = violation.sum(axis=-2)
        if gradient:
            np.greater(violation, 0.0, out=dscores_cm)
    if not gradient:
        return _mean(per_sample, weights), None
    # The correct class's score enters every term with a minus sign (its own
    # entry is still zero here, so the sum runs over j != y_i).
    total = dscores_cm.sum(axis=-2)
    correct.put(dscores_cm, np.negative(total, out=total))
    return _finish(per_sample, weights, dscores_cm)


def _smoothed(violation, smoothing, gradient):
    r"""Each sample's sum of the Huber-smoothed terms :math:`h_\mu(v)` of
    the class-major ``violation``; with ``gradient``, their derivatives
    replace ``violation`` in place.

    :math:`h_\mu(v) = (c / \mu) (v - c / 2)` with :math:`c = \min(v, \mu)`:
    :math:`v^2 / (2 \mu)` below :math:`\mu`, :math:`v - \mu / 2` above,
    and its derivative is :math:`c / \mu`. In this order no product exceeds
    :math:`v` (:math:`c / \mu \le 1`), where :math:`c (2v - c)` would
    overflow for violations beyond the square root of the dtype's largest
    value.

    A block of :data:`SMOOTHED_BLOCK` entries at a time, in two buffers of
    a block's size: no temporary of all the scores (two of them were an
    L-BFGS fit's peak memory). The sums add the classes in the order
    ``sum(axis=-2)`` adds them over all the samples at once.
    """
    n_classes, n_samples = violation.shape[-2:]
    per_sample = np.empty(violation.shape[:-2] + (n_samples,), violation.dtype)
    size = max(1, SMOOTHED_BLOCK // n_classes)
    shape = (2, *violation.shape[:-1], min(size, n_samples))
    buffers = np.empty(shape, violation.dtype)
    for start in range(0, n_samples, size):
        part = violation[..., start : start + size]
        clipped, term = buffers[..., : part.shape[-1]]
        np.minimum(part, smoothing, out=clipped)
        part -= np.multiply(0.5, clipped, out=term)
        part *= np.divide(clipped, smoothing, out=term)
        part.sum(axis=-2, out=per_sample[..., start : start + size])
        if gradient:
            part[...] = term
    return per_sample


@fill_doc
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
    {hinge_scores_y}
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
    {loss_out_gradient}

    Returns
    -------
    {loss_value}
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
