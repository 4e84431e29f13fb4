"""The objective along a line, for line searches."""

import numpy as np

__all__ = ["Line"]


class Line:
    r"""A :class:`LinearObjective` restricted to the line :math:`\theta + t\,d`.

    Made by :meth:`LinearObjective.line`. Calling it at a step ``t`` gives
    :math:`\varphi(t) = L(\theta + t\,d)` and its slope :math:`\varphi'(t)`;
    :meth:`gradient` gives the full gradient there, :meth:`scores` the
    scores. The last step evaluated is remembered, so asking for the value,
    the point, the gradient and the scores at the same ``t`` evaluates the
    loss once. A line lives in its evaluator's memory: an evaluation that
    computes scores itself (any call without ``scores=``) ends it.

    Attributes
    ----------
    theta : ndarray of shape (n_params,)
        Start of the line.
    direction : ndarray of shape (n_params,)
        Its direction.
    smoothing : float
        Smoothing of a hinge loss along the line.

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.objective import LinearObjective
    >>> from sklinear.problem import make_problem
    >>> X, y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1])
    >>> objective = LinearObjective(make_problem(X, y, alpha=0.1))
    >>> theta = np.zeros(objective.n_params)
    >>> value, grad = objective.value_and_gradient(theta)
    >>> expected = objective.value(-grad)
    >>> line = objective.line(theta, -grad)
    >>> value_at_1, slope_at_1 = line(1.0)
    >>> bool(np.isclose(value_at_1, expected))
    True
    >>> bool(np.isclose(line(0.0)[1], -grad @ grad))
    True
    """

    def __init__(self, objective, theta, direction, smoothing, base, along, trial):
        self._objective = objective
        self.theta, self.direction, self.smoothing = theta, direction, smoothing
        self._base, self._along, self._trial = base, along, trial
        self._direction_W = objective.unpack(direction)[0]
        self._t = None

    def __call__(self, t):
        r""":math:`\varphi(t)` and :math:`\varphi'(t)`, as two floats."""
        self._at(t)
        return self._value, self._slope

    def point(self, t):
        r"""The parameters :math:`\theta + t\,d`."""
        self._at(t)
        return self._point

    def scores(self, t):
        r"""The scores of :math:`\theta + t\,d`, carried from the start's by linearity.

        Each step carried this way adds one rounding of the scores; pass
        ``scores=None`` to the next line now and then to recompute them.
        """
        self._at(t)
        return self._trial

    def gradient(self, t):
        r"""The gradient of the objective at :math:`\theta + t\,d`: one product."""
        self._at(t)
        objective = self._objective
        grad = objective._backward(self._dscores)
        objective._add_penalty_gradient(self._point, grad)
        return grad

    def _at(self, t):
        if t == self._t:
            return
        t = float(t)  # a NumPy float64 would promote float32 parameters
        objective = self._objective
        S = self._trial
        if t == 1.0:
            # The step quasi-Newton methods try first, and nearly always
            # take: one pass over the scores instead of two, same numbers.
            np.add(self._base, self._along, out=S)
            point = self.theta + self.direction
        else:
            np.multiply(self._along, t, out=S)
            S += self._base
            point = self.theta + t * self.direction
        value, dscores = objective._loss(S, self.smoothing)
        problem = objective.problem
        W = objective.unpack(point)[0]
        self._value = float(value) + problem.alpha * problem.penalty.value(W)
        # The blocks are class-major: their transposes are contiguous.
        data_slope = np.vdot(dscores.T, self._along.T)
        penalty_slope = np.vdot(problem.penalty.gradient(W), self._direction_W)
        self._slope = float(data_slope) + problem.alpha * float(penalty_slope)
        self._t, self._point, self._dscores = t, point, dscores
