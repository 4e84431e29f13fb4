r"""Full-batch gradient descent: the lecture's "follow the slope".

Two methods behind one entry point, :func:`gradient_descent`:

* ``learning_rate="auto"``: accelerated proximal gradient (FISTA) with a
  backtracking line search and adaptive restart. The smooth part of the
  objective is the data loss, the penalty enters through its proximal
  operator (exact zeros for L1). The hinge losses are not differentiable, so
  they are smoothed by :math:`\mu` and :math:`\mu` is shrunk by continuation
  until the smoothing error is below the tolerance.
* a float ``learning_rate`` :math:`\eta`: the lecture's plain step
  :math:`\theta \leftarrow \theta - \eta \nabla L(\theta)` (a subgradient for
  the hinge losses), optionally with (Nesterov) momentum.
"""

import math

import numpy as np

from .._docstrings import fill_doc
from ._continuation import (
    DECAY,
    relative_threshold,
    smoothing_error,
    smoothing_ladder,
)
from ._result import make_result, notify
from ._stationarity import ScaledGradient
from ._stopping import NoImprovement, check_blow_up, step_too_large

__all__ = ["gradient_descent"]

#: Doublings of the curvature estimate L in one backtracking search (a factor
#: of 1e30): beyond them the curvature is taken to overflow.
MAX_BACKTRACKS = 100


@fill_doc
def gradient_descent(
    objective,
    x0,
    *,
    learning_rate="auto",
    momentum=0.0,
    nesterov=False,
    max_iter=1000,
    tol=1e-4,
    n_iter_no_change=5,
    callback=None,
    state=None,
):
    r"""Minimize ``objective`` by full-batch (accelerated, proximal) gradient descent.

    With ``learning_rate="auto"`` this is FISTA [1]_ on
    :math:`F = f + g`, :math:`f` the data loss and :math:`g = \alpha R(W)`:

    .. math::

        \theta_{k+1} = \operatorname{prox}_{g/L_k}\bigl(z_k - \nabla f(z_k)/L_k\bigr),
        \qquad
        z_{k+1} = \theta_{k+1} + \tfrac{t_k - 1}{t_{k+1}}(\theta_{k+1} - \theta_k),

    with :math:`t_{k+1} = (1 + \sqrt{1 + 4t_k^2})/2`. The step :math:`1/L_k` comes
    from a backtracking line search (double :math:`L` until the quadratic upper
    bound holds at the new point; :math:`L` is relaxed by 10% after each
    iteration so the step can grow again), and the momentum restarts
    (:math:`t = 1`) whenever it points uphill,
    :math:`(z_k - \theta_{k+1})^\top(\theta_{k+1} - \theta_k) > 0` [2]_.

    For the non-differentiable hinge losses, :math:`f` is replaced by its
    smoothing :math:`f_\mu` (see :mod:`sklinear.losses`), a differentiable
    function within :math:`O(\mu)` of :math:`f`, and :math:`\mu` shrinks by
    continuation (:mod:`sklinear.optimizers._continuation`): a stage per
    :math:`\mu`, each warm-started from the last, until the smoothing error
    at a stage's solution is below ``tol * |L*|``.

    **Stopping rule** (``"auto"``): stop at the first iteration whose
    gradient mapping :math:`G = L_k(z_k - \theta_{k+1})` satisfies

    .. math::

        \max_p \frac{|G_p|}{\sqrt{h_p}} \le \texttt{tol} \cdot |L^\star| ,
        \qquad h_{jk} = \sigma_j^2 + \alpha R'', \quad h_b = 1,

    with :math:`L^\star` the best objective value so far, :math:`\sigma_j`
    the root mean square of feature :math:`j` and :math:`\alpha R''` the
    curvature of the penalty's quadratic part, on the last smoothing stage.
    Without an L1 part :math:`G` is the gradient; so divided it is the slope
    of the objective per unit change of the scores, so the rule does not
    depend on the scale of ``X`` (:mod:`sklinear.optimizers._stationarity`).
    It looks at no objective values, so the non-monotone iterates of the
    accelerated method do not disturb it. As for :func:`lbfgs`, it is also
    met at the change that the rounding of the scores makes in the gradient,
    once a step gains no more than ``tol``, and the ``message`` says so. On
    data in float32, :math:`G` is measured on the step computed in float64
    (rounded, a step shorter than half a unit in the last place of
    :math:`z_k` is 0); a stage whose rounded step is 0 everywhere ends
    there, and if it is the last, unconverged.

    With a float ``learning_rate`` and ``momentum`` :math:`\beta > 0` the step
    keeps a velocity, :math:`v \leftarrow \beta v - \eta \nabla L(\theta)`,
    :math:`\theta \leftarrow \theta + v`; with ``nesterov=True`` the gradient
    is taken at the look-ahead point :math:`\theta + \beta v`.

    **Stopping rule** (float ``learning_rate``): stop when the best objective
    value seen, :math:`L^\star_k = \min_{t \le k} L(\theta_t)`, improved by
    at most ``tol * |L*_k|`` over the last ``n_iter_no_change``
    iterations. The best value, not the last, makes the rule robust to a
    subgradient method's oscillations. A stall counts as convergence only if
    the objective moved: if no iterate changed it by more than
    ``tol * |L(x0)|``, the steps are too small to tell a solution from no
    progress, and the result has ``success=False`` unless the start meets
    the gradient rule above (a smooth loss, or a zero subgradient).

    In both cases the iterate with the lowest objective value is returned.

    Parameters
    ----------
    {optimizer_start}
    learning_rate : "auto" or float, default="auto"
        The step size :math:`\eta`, or "auto" for the accelerated method.
    momentum : float, default=0.0
        Momentum :math:`\beta` of the fixed-step method, in ``[0, 1)``.
    nesterov : bool, default=False
        Nesterov's look-ahead gradient for the fixed-step method.
    {optimizer_budget}
    n_iter_no_change : int, default=5
        Iterations over which the fixed-step method must improve.
    {optimizer_callback}
    state : dict, default=None
        The ``state`` of a previous result: a warm start resumes its step
        size and smoothing.

    Returns
    -------
    result : OptimizeResult
        ``x``, ``fun``, ``nit``, ``success``, ``message``, ``loss_curve`` and
        ``state`` (the last ``step`` and ``smoothing``).

    Raises
    ------
    ValueError
        When a fixed ``learning_rate`` makes the objective blow up, or no
        step lowers it.

    See Also
    --------
    lbfgs : Faster for smooth objectives and an L2 or no penalty.
    sgd : Mini-batch stochastic gradient descent.

    References
    ----------
    .. [1] A. Beck and M. Teboulle, "A fast iterative shrinkage-thresholding
       algorithm for linear inverse problems", SIAM J. Imaging Sci., 2009.
    .. [2] B. O'Donoghue and E. Candès, "Adaptive restart for accelerated
       gradient schemes", Found. Comput. Math., 2015.

    Examples
    --------
    With an L1 penalty the proximal steps set weights to exactly zero: on
    iris, 10 of the 12 weights at ``alpha=0.05``.

    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklinear import make_problem
    >>> from sklinear.objective import LinearObjective
    >>> from sklinear.optimizers import gradient_descent
    >>> X, y = load_iris(return_X_y=True)
    >>> problem = make_problem(X, y, penalty="l1", alpha=0.05)
    >>> result = gradient_descent(LinearObjective(problem), np.zeros(problem.n_params),
    ...                           tol=1e-8)
    >>> W, b = problem.unpack(result.x)
    >>> bool(result.success), int(np.sum(W == 0))
    (True, 10)
    """
    if learning_rate == "auto":
        return _accelerated(objective, x0, max_iter, tol, callback, state or {})
    return _fixed_step(
        objective,
        x0,
        float(learning_rate),
        momentum,
        nesterov,
        max_iter,
        tol,
        n_iter_no_change,
        callback,
    )


def _initial_lipschitz(objective, x, smoothing, scores=None, work=None):
    """Local curvature of ``f`` along its gradient: a first guess of ``L``.

    ``scores`` are those of ``x`` if known; ``work``, if given, receives the
    scores of the probe.
    """
    _, g = objective.data_loss_gradient(x, smoothing, scores=scores)
    norm = _norm(g)
    if norm == 0:
        return 1.0
    probe = x - g / norm * 1e-3
    probe_scores = None if work is None else objective.scores(probe, out=work)
    # The probe is a fixed distance away, which on data near the largest
    # magnitudes the estimators accept may overflow: an infinite curvature
    # then, which the backtracking of the first step brings down.
    with np.errstate(over="ignore", invalid="ignore"):
        _, g_probe = objective.data_loss_gradient(probe, smoothing, scores=probe_scores)
        curvature = _norm(g_probe - g) / 1e-3
    if not np.isfinite(curvature):
        return float(np.finfo(objective.dtype).max)
    return max(curvature, 1e-8)


def _norm(v):
    """The 2-norm of ``v`` as a Python float, scaled so that no square of an
    entry overflows (``np.linalg.norm`` squares them in ``v``'s dtype)."""
    top = float(np.abs(v).max(initial=0.0))
    if top == 0 or not math.isfinite(top):
        return top
    return top * float(np.linalg.norm(v / top))


def _accelerated(objective, x0, max_iter, tol, callback, state):
    slack = 10 * np.finfo(objective.dtype).eps
    ladder = smoothing_ladder(objective, state)
    x = x0.copy()
    # The scores of x and of the point tried last: those of the extrapolated
    # point z come from them by linearity, so an iteration costs two products
    # (X W at the new point, X^T D at z) instead of three.
    scores_x = objective.scores(x)
    scores = objective.empty_scores()
    best_x, best_fun = x, objective.value(x, scores=scores_x)
    curve = []
    if "step" in state:
        L = 1.0 / state["step"]
        if ladder[0] and state.get("smoothing"):
            # The smoothed gradient's Lipschitz constant grows like 1/mu.
            L *= state["smoothing"] / ladder[0]
    else:
        L = _initial_lipschitz(objective, x, ladder[0], scores_x, work=scores)
    stationary = ScaledGradient(objective)
    converged = stuck = False
    for smoothing in ladder:
        t, z = 1.0, x
        fz, gz = objective.data_loss_gradient(z, smoothing, scores=scores_x)
        extrapolated = False
        stage_done = lost = False
        previous = None
        while len(curve) < max_iter:
            # Backtracking: find L with f below its quadratic model, a bounded
            # number of times, so that an overflowing curvature cannot hang.
            for _ in range(MAX_BACKTRACKS):
                # A trial step too long for the curvature may overflow (an
                # infinite or NaN f_new, or model): it fails the test below,
                # and L grows, as for any step that is too long.
                with np.errstate(over="ignore", invalid="ignore"):
                    x_new = objective.prox(z - gz / L, 1.0 / L)
                    d = x_new - z
                    objective.scores(x_new, out=scores)
                    f_new = objective.data_loss(x_new, smoothing, scores=scores)
                    model = fz + gz @ d + 0.5 * L * float(d @ d)
                if f_new <= model + slack * abs(fz):
                    break
                if extrapolated:
                    # Near the optimum the rounding of extrapolated scores can
                    # exceed the test's slack: recompute z's before raising L.
                    objective.scores(z, out=scores)
                    fz, gz = objective.data_loss_gradient(z, smoothing, scores=scores)
                    extrapolated = False
                    continue
                L *= 2.0
            else:
                stuck = True
                break
            fun = f_new if not smoothing else objective.data_loss(x_new, scores=scores)
            fun += objective.penalty_value(x_new)
            curve.append(fun)
            notify(callback, len(curve), fun, 1.0 / L, x_new)
            if fun < best_fun:
                best_x, best_fun = x_new, fun
            # The rounding floor ends a stage only once a step gains no more
            # than tol, as in lbfgs.
            stalled = previous is not None and not previous - fun > tol * abs(fun)
            floor = scores if stalled else None
            # In float32 the step is a whole number of units in the last
            # place of z, and 0 when shorter than half of one, which the rule
            # would read as stationary: it measures the step unrounded, and a
            # stage whose step rounds to 0 everywhere ends there, unconverged.
            step, lost = d, False
            if d.dtype != np.float64:
                lost = not d.any() and bool(gz.any())
                step = d if lost else _unrounded(objective, z, gz, L)
            if lost or stationary.reached(step, tol, best_fun, L, floor, smoothing):
                x, stage_done = x_new, True
                scores_x, scores = scores, scores_x
                break
            previous = fun
            if (z - x_new) @ (x_new - x) > 0:
                t = 1.0  # the momentum points uphill: restart it
            t_next = (1.0 + math.sqrt(1.0 + 4.0 * t * t)) / 2.0
            beta = (t - 1.0) / t_next
            z = x_new + beta * (x_new - x)
            # S(z) = S_new + beta (S_new - S_x) into ``scores``, and S_new into
            # ``scores_x``, with no temporary.
            np.subtract(scores, scores_x, out=scores_x)
            scores_x *= beta
            scores += scores_x
            np.subtract(scores, scores_x, out=scores_x)
            extrapolated = True
            x, t = x_new, t_next
            fz, gz = objective.data_loss_gradient(z, smoothing, scores=scores)
            L *= 0.9
        if not stage_done:
            break
        error = smoothing_error(objective, x, smoothing, scores_x)
        if error <= relative_threshold(tol, best_fun, objective.dtype):
            converged = not lost
            break
        # The smoothed gradient's Lipschitz constant grows like 1/mu.
        L *= DECAY
    if converged and stationary.at_rounding_level:
        message = (
            "gradient mapping in score units at its rounding level in "
            f"{objective.dtype}, above tol * |L|"
        )
    elif converged:
        message = "gradient mapping in score units below tol * |L|"
    elif lost:
        message = (
            f"the steps fell below the resolution of {objective.dtype} "
            "coefficients before the gradient mapping met tol * |L|; fit "
            "float64 data for a closer solution"
        )
    elif stuck:
        message = (
            "no step lowered the objective below its quadratic model: its "
            "curvature overflows; scale the data, e.g. with StandardScaler"
        )
    else:
        message = "maximum number of iterations reached"
    state = {"step": 1.0 / L, "smoothing": smoothing, "alpha": objective.problem.alpha}
    return make_result(best_x, best_fun, curve, converged, message, state=state)


def _unrounded(objective, z, gz, L):
    """The proximal gradient step from ``z``, computed in float64."""
    wide = z.astype(np.float64)
    return objective.prox(wide - gz.astype(np.float64) / L, 1.0 / L) - wide


def _fixed_step(
    objective, x0, eta, momentum, nesterov, max_iter, tol, n_iter_no_change, callback
):
    x = x0.copy()
    velocity = np.zeros_like(x)
    fun, grad = objective.value_and_gradient(x)
    start = fun
    # Whether the start is optimal by the gradient rule, on the gradient (a
    # subgradient of a hinge loss certifies nothing unless it is zero).
    certified = (
        objective.problem.loss.differentiable or not grad.any()
    ) and ScaledGradient(objective).reached(grad, tol, start)
    rule = NoImprovement(tol, n_iter_no_change)
    rule.update(fun, x0)
    converged = stalled = False
    moved = 0.0  # the largest change of the objective from the start
    curve = []
    for nit in range(1, max_iter + 1):
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            if nesterov:  # the gradient where the momentum is about to take us
                grad = objective.value_and_gradient(x + momentum * velocity)[1]
            velocity = momentum * velocity - eta * grad
            x = x + velocity
            fun, grad = objective.value_and_gradient(x)
        check_blow_up(fun, start, nit, step_too_large(eta))
        curve.append(fun)
        notify(callback, nit, fun, eta, x)
        moved = max(moved, abs(fun - start))
        if rule.update(fun, x):
            if rule.best_x is x0 and fun > start:
                # Not a single step went down: the steps overshoot.
                raise ValueError(
                    f"No step of gradient descent lowered the objective "
                    f"(from {start:.4g}, now {fun:.4g}, after {nit} iterations): "
                    f"{step_too_large(eta)}."
                )
            # A stall of an objective that never moved by tol * |L| says
            # nothing about optimality: the steps are too small to count.
            stalled = moved <= relative_threshold(tol, start, objective.dtype)
            converged = certified or not stalled
            break
    if converged:
        message = "no improvement of the best objective"
    elif stalled:
        message = (
            f"the objective changed by less than tol * |L| in {len(curve)} "
            f"iterations: learning_rate={eta!r} is too small to move the model; "
            "use a larger learning_rate, or learning_rate='auto'"
        )
    else:
        message = "maximum number of iterations reached"
    return make_result(rule.best_x, rule.best, curve, converged, message)
