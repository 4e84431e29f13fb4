"""Stopping rules shared by the fixed-step methods (gd with a float step, sgd).

Their objective goes up as well as down, so they watch the best value seen,
which only goes down, and stop when it has stalled.
"""

import numpy as np

__all__ = ["BLOW_UP", "blew_up", "check_blow_up", "step_too_large", "NoImprovement"]

#: A step that takes the objective above this many times ``1 + |L(x0)|``
#: overshoots so far that the run is useless: it is reported, not returned.
BLOW_UP = 10.0


def blew_up(fun, start):
    """Whether the objective ``fun`` is not finite or far above its ``start``."""
    return not np.isfinite(fun) or fun > BLOW_UP * (1.0 + abs(start))


def check_blow_up(fun, start, nit, cause):
    """Raise a ValueError saying ``cause`` if the objective blew up."""
    if blew_up(fun, start):
        raise ValueError(
            f"The objective blew up (from {start:.4g} to {fun:.4g} in {nit} "
            f"iterations): {cause}."
        )


def step_too_large(learning_rate):
    """The usual cause of a blow-up, for :func:`check_blow_up`."""
    return (
        f"learning_rate={learning_rate!r} is too large; use a smaller "
        "learning_rate, or learning_rate='auto'"
    )


class NoImprovement:
    r"""The best value seen, and whether it has stopped improving.

    After iteration :math:`k` with value :math:`v_k` the best value is
    :math:`v^\star_k = \min_{t \le k} v_t`; the rule fires when
    :math:`v^\star_{k-m} - v^\star_k \le \texttt{tol} \cdot
    \max(|v^\star_k|, v_0)` with :math:`m` = ``n_iter_no_change`` and
    :math:`v_0` = ``scale``: a relative rule, like the gradient rules of the
    other optimizers, whose unit is at least ``scale``.

    Parameters
    ----------
    tol : float
        Relative improvement below which an iteration does not count.
    n_iter_no_change : int
        Number of iterations the improvement is measured over.
    scale : float, default=0.0
        The smallest unit of the improvement (0: relative to the best value
        alone).
    """

    def __init__(self, tol, n_iter_no_change, scale=0.0):
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.scale = scale
        self.best, self.best_x = np.inf, None
        self._history = []

    @property
    def threshold(self):
        """The improvement at or below which the rule fires."""
        return self.tol * max(abs(self.best), self.scale)

    def update(self, value, x):
        """Record ``value`` at ``x``; return True when the rule fires."""
        if value < self.best:
            self.best, self.best_x = value, x
        self._history.append(self.best)
        m = self.n_iter_no_change
        if len(self._history) <= m:
            return False
        improvement = self._history[-m - 1] - self.best
        return improvement <= self.threshold
