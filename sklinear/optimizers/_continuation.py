r"""Smoothing with continuation: how gradient methods reach a hinge loss optimum.

A hinge loss :math:`f` is replaced by a differentiable :math:`f_\mu` within
:math:`O(\mu)` of it (see :mod:`sklinear.losses`), minimized, and
:math:`\mu` is divided by 10 for the next stage, warm-started from the last,
until the smoothing error at the stage's solution is negligible:

.. math::

    |f(\theta) - f_\mu(\theta)| \le \texttt{tol} \cdot |F(\theta)| .

Since :math:`F(\theta) - F^\star \le |f(\theta) - f_\mu(\theta)| +
F_\mu(\theta) - F_\mu^\star` for the Huber smoothing (which lies below the
hinge), a point that is optimal for :math:`F_\mu` and has a small smoothing
error is nearly optimal for :math:`F`. Smooth losses have one stage,
:math:`\mu = 0`.
"""

import numpy as np

__all__ = ["smoothing_ladder", "smoothing_error", "relative_threshold", "DECAY"]

#: Each stage divides the smoothing by this factor.
DECAY = 10.0
#: Most stages (the last smoothing is 1e-9 of the first): a bound that tol=0
#: or float32 rounding cannot turn into an endless ladder.
MAX_STAGES = 10


def smoothing_ladder(objective, state=None):
    """Smoothings of the stages, largest first (``[0.0]`` for a smooth loss).

    A run that resumes another on the same problem (``state`` holding the
    ``"smoothing"`` it ended with and the same ``"alpha"``) begins where that
    run ended, rather than at the top, which would pull the iterate away
    from the solution it starts at. A warm start at another ``alpha`` (a
    path) begins at the top: its start is far from the new solution, and at
    the last, smallest smoothing, whose gradient is the least smooth, the
    steps are too short to cover the distance (on iris and digits paths a warm
    start there took up to 3 times the iterations of a cold fit, and ended
    further from the optimum).
    """
    loss = objective.problem.loss
    if loss.differentiable:
        return [0.0]
    # The first stage smooths at the scale of scores where the hinge bends.
    start = 1.0 if loss.margin is None else loss.margin
    ladder = [start * DECAY**-k for k in range(MAX_STAGES)]
    # A smoothing below the smallest normal number of the dtype is zero, or
    # all but, in the loss, which divides by it (a margin of 1e-200 in
    # float32): those stages would give 0 / 0. The hinge's bend is below the
    # resolution of the dtype then, and the exact loss is used.
    tiny = np.finfo(objective.problem.dtype).tiny
    ladder = [mu for mu in ladder if mu >= tiny] or [0.0]
    state = state or {}
    previous = state.get("smoothing")
    if previous and state.get("alpha") == objective.problem.alpha:
        ladder = [mu for mu in ladder if mu <= previous * (1 + 1e-9)] or ladder[-1:]
    return ladder


def smoothing_error(objective, theta, smoothing, scores=None):
    """``|f(theta) - f_mu(theta)|``: what the smoothing changes at ``theta``.

    ``scores``, if given, are the scores of ``theta``.
    """
    if not smoothing:
        return 0.0
    if scores is None:
        scores = objective.scores(theta)
    exact = objective.data_loss(theta, scores=scores)
    return abs(exact - objective.data_loss(theta, smoothing, scores=scores))


def relative_threshold(tol, best_fun, dtype):
    """``tol * |best_fun|``: what the gradient and the smoothing error must be under.

    Floored at the machine epsilon of ``dtype`` so that an objective of exactly
    0 can still stop. Both gradient optimizers stop by this one threshold: the
    smoothing error here, the gradient in units of the scores in
    :class:`~sklinear.optimizers._stationarity.ScaledGradient`, which also
    stops at the gradient's rounding level in ``dtype`` when that is larger.
    """
    return tol * max(abs(best_fun), np.finfo(dtype).eps)
