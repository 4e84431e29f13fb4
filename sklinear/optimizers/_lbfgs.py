r"""Limited-memory BFGS: a quasi-Newton method for the smooth objectives.

Gradient descent steps along :math:`-\nabla L`; L-BFGS steps along
:math:`-H_k \nabla L`, where :math:`H_k` approximates the inverse Hessian
from the last ``memory`` pairs of parameter and gradient differences, so it
adapts to the curvature of the objective at the cost of a few vector
products per iteration.
"""

import numpy as np

from ._continuation import relative_threshold, smoothing_error, smoothing_ladder
from ._result import make_result, notify

__all__ = ["lbfgs"]

#: Sufficient-decrease constant of the Armijo line search.
ARMIJO = 1e-4
#: Halvings of the step before the line search gives up.
MAX_HALVINGS = 40


def lbfgs(
    objective, x0, *, max_iter=1000, tol=1e-4, memory=10, callback=None, state=None
):
    r"""Minimize ``objective`` by L-BFGS, with continuation for the hinge losses.

    Each iteration computes the direction :math:`d_k = -H_k \nabla F(\theta_k)`
    by the two-loop recursion over the last ``memory`` pairs
    :math:`s = \theta_{k+1} - \theta_k`, :math:`y = \nabla F(\theta_{k+1}) -
    \nabla F(\theta_k)` (Nocedal and Wright, Algorithm 7.4), then halves the
    step from 1 until the Armijo condition
    :math:`F(\theta_k + t d_k) \le F(\theta_k) + 10^{-4}\, t\, \nabla F^\top d_k`
    holds. :math:`F` here is the full objective with its penalty, so the
    penalty must be differentiable (``"l2"`` or none).

    For the hinge losses, :math:`F` is smoothed and the smoothing shrinks
    stage by stage (:mod:`sklinear.optimizers._continuation`); the memory is
    kept across stages, since the curvature changes gradually.

    **Stopping rule**: stop on the last stage at the first iterate with
    :math:`\max_j |\nabla F_\mu(\theta)_j| \le \texttt{tol} \cdot |L^\star|`,
    :math:`L^\star` the best objective value so far, where the smoothing
    error is also at most ``tol * |L*|`` (always, for smooth losses). The
    iterate with the lowest true objective is returned.

    Parameters
    ----------
    objective : LinearObjective
        The objective; see :class:`sklinear.objective.LinearObjective`.
    x0 : ndarray of shape (n_params,)
        Starting point; not modified.
    max_iter : int, default=1000
        Maximum number of iterations (over all smoothing stages).
    tol : float, default=1e-4
        Tolerance of the stopping rule.
    memory : int, default=10
        Number of correction pairs kept.
    callback : callable, default=None
        Called after every iteration with an ``OptimizeResult`` holding
        ``nit``, ``fun``, ``step`` and ``x``.
    state : dict, default=None
        The ``state`` of a previous result, to warm-start the smoothing.

    Returns
    -------
    result : OptimizeResult
        ``x``, ``fun``, ``nit``, ``success``, ``message``, ``loss_curve``
        and ``state`` (the last ``smoothing``).

    Raises
    ------
    ValueError
        If the objective's penalty has an L1 part.

    See Also
    --------
    gradient_descent : Accelerated proximal gradient, for any penalty.

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.losses import LOSSES
    >>> from sklinear.objective import LinearObjective
    >>> from sklinear.optimizers import lbfgs
    >>> from sklinear.penalties import L2
    >>> X, y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1])
    >>> obj = LinearObjective(X, y, loss=LOSSES["cross_entropy"].function,
    ...                       smooth=True, penalty=L2(), alpha=0.1, n_classes=2)
    >>> result = lbfgs(obj, np.zeros(obj.n_params), tol=1e-8)
    >>> bool(result.success), round(result.fun, 4)
    (True, 0.4522)
    """
    if objective.penalty.has_l1:
        raise ValueError(
            "optimizer='lbfgs' needs a differentiable penalty ('l2' or None); "
            "for 'l1' and 'elasticnet' use optimizer='gd' (proximal gradient "
            "descent, the default for them) or optimizer='sgd'."
        )
    tiny = np.finfo(objective.dtype).eps
    slack = 10 * tiny
    x = x0.copy()
    best_x, best_fun = x, objective.value(x)
    curve, pairs = [], []
    converged = False
    for smoothing in smoothing_ladder(objective, state):
        fun, grad = objective.value_and_gradient(x, smoothing)
        stage_done = False
        while len(curve) < max_iter:
            if np.max(np.abs(grad), initial=0.0) <= relative_threshold(
                tol, best_fun, objective.dtype
            ):
                stage_done = True
                break
            direction = _two_loop(grad, pairs)
            slope = grad @ direction
            if slope >= 0:  # not a descent direction: forget the curvature
                pairs.clear()
                direction, slope = -grad, -(grad @ grad)
            step = 1.0 if pairs else 1.0 / max(1.0, np.linalg.norm(grad))
            for _ in range(MAX_HALVINGS):
                x_new = x + step * direction
                fun_new, grad_new = objective.value_and_gradient(x_new, smoothing)
                # The slack accepts steps whose decrease is lost in rounding.
                if fun_new <= fun + ARMIJO * step * slope + slack * abs(fun):
                    break
                step /= 2
            else:
                break  # no decrease at machine precision: as good as it gets
            s, y = x_new - x, grad_new - grad
            sy = s @ y
            # Keep H positive definite, with a test that does not depend on
            # the scale: s @ y > eps * |y|^2 let through pairs whose only
            # curvature was the penalty's on near-zero weights, and steps of 1e200.
            if sy > tiny * np.linalg.norm(s) * np.linalg.norm(y):
                pairs.append((s, y, 1.0 / sy))
                del pairs[:-memory]
            x, fun, grad = x_new, fun_new, grad_new
            true_fun = objective.value(x) if smoothing else fun
            curve.append(true_fun)
            notify(callback, len(curve), true_fun, step, x)
            if true_fun < best_fun:
                best_x, best_fun = x, true_fun
        if not stage_done:
            break
        if smoothing_error(objective, x, smoothing) <= relative_threshold(
            tol, best_fun, objective.dtype
        ):
            converged = True
            break
    if converged:
        message = "relative gradient below tol"
    elif len(curve) < max_iter:
        message = "line search found no decrease"
    else:
        message = "maximum number of iterations reached"
    state = {"smoothing": smoothing}
    return make_result(best_x, best_fun, curve, converged, message, state=state)


def _two_loop(grad, pairs):
    r"""``-H grad`` for the L-BFGS inverse-Hessian approximation ``H`` of ``pairs``.

    Each pair is ``(s, y, 1 / (s @ y))``.
    """
    q = grad.copy()
    alphas = []
    for s, y, rho in reversed(pairs):
        a = rho * (s @ q)
        q -= a * y
        alphas.append(a)
    if pairs:
        _, y, rho = pairs[-1]
        q /= rho * (y @ y)  # the usual scaling of the initial H, (s @ y) / (y @ y)
    for (s, y, rho), a in zip(pairs, reversed(alphas), strict=True):
        q += (a - rho * (y @ q)) * s
    return -q
