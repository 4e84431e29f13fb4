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
which is how :meth:`~sklinear.objective.LinearObjective.batch_values` scores many
random-search candidates at once.
"""

import dataclasses
import functools
from collections.abc import Callable

from ._hinge import crammer_singer_hinge, multiclass_hinge
from ._softmax import softmax_cross_entropy

__all__ = [
    "multiclass_hinge",
    "crammer_singer_hinge",
    "softmax_cross_entropy",
    "Loss",
    "LOSSES",
    "make_loss",
]


@dataclasses.dataclass(frozen=True)
class Loss:
    r"""A loss by name, with its parameters: what a problem is minimized for.

    Calling it evaluates the weighted mean loss and its score gradient,
    passing ``margin`` to the function when the loss has one and
    ``smoothing`` when it is not differentiable (a differentiable loss
    ignores it). Solvers read what they need
    from it: ``name``, whether it is ``differentiable``, its ``margin``.

    Parameters
    ----------
    name : str
        The name the estimators' ``loss`` parameter takes (a key of
        :data:`LOSSES`).
    function : callable
        ``function(scores, y, sample_weight=None, out=None, gradient=True,
        **params)`` returning ``(loss, dscores)``.
    differentiable : bool
        True when the loss is differentiable everywhere. The others (the
        hinges) accept a ``smoothing`` keyword: the width of a smooth
        approximation, which gradient methods shrink to zero.
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
    >>> hinge.name, hinge.differentiable, hinge.margin
    ('hinge', False, 2.0)
    >>> hinge(np.array([[1.0, 0.0]]), np.array([0]))[0]
    1.0
    """

    name: str
    function: Callable
    differentiable: bool
    margin: float | None = None

    def __call__(
        self, scores, y, *, sample_weight=None, smoothing=0.0, out=None, gradient=True
    ):
        """The loss and its score gradient; see the loss's function."""
        params = {} if self.margin is None else {"margin": self.margin}
        if not self.differentiable:
            params["smoothing"] = smoothing
        return self.function(
            scores, y, sample_weight=sample_weight, out=out, gradient=gradient, **params
        )


#: Losses by the name the estimators' ``loss`` parameter takes, with the
#: default margin of those that have one.
LOSSES = {
    "hinge": Loss("hinge", multiclass_hinge, differentiable=False, margin=1.0),
    "squared_hinge": Loss(
        "squared_hinge",
        functools.partial(multiclass_hinge, squared=True),
        differentiable=True,
        margin=1.0,
    ),
    "crammer_singer": Loss(
        "crammer_singer", crammer_singer_hinge, differentiable=False, margin=1.0
    ),
    "cross_entropy": Loss("cross_entropy", softmax_cross_entropy, differentiable=True),
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
