r"""The evaluator: the objective of a :class:`~sklinear.problem.LinearProblem`.

.. math::

    L(W, b) = \frac{\sum_i w_i\, L_i(x_i W + b,\ y_i)}{\sum_i w_i} + \alpha R(W)

:class:`LinearObjective` evaluates a problem on a flat parameter vector
:math:`\theta` = ``concat(W.ravel(), b)``: the value, the gradient, the
proximal operator of the penalty, the objective along a line and on batches
of candidates. The optimizers in :mod:`sklinear.optimizers` know the problem
only through these methods. Everything that makes evaluation fast lives here
and nowhere else: the class-major score blocks the losses reduce fastest,
the buffers reused across calls, the row blocks of small products, the
stacked products of random search.

The evaluator keeps no cache keyed by :math:`\theta`. Scores :math:`S = XW +
b` are affine in :math:`\theta`, so a caller that already knows the scores
of a point (from a line, or as a combination of points whose scores it
kept) passes them as ``scores=`` and saves the product with ``X``, as
scikit-learn's ``LinearModelLoss`` takes ``raw_prediction=``.

For proximal methods the objective splits into a smooth part :math:`f` (the
data loss, smoothed by :math:`\mu` for the hinge losses) and the penalty
:math:`g = \alpha R(W)`, handled through its proximal operator.
"""

from ._evaluator import LinearObjective, objective_value
from ._line import Line

__all__ = ["LinearObjective", "Line", "objective_value"]
