r"""Limited-memory BFGS: a quasi-Newton method for the smooth objectives.

Gradient descent steps along :math:`-\nabla L`; L-BFGS steps along
:math:`-H_k \nabla L`, where :math:`H_k` approximates the inverse Hessian
from the last ``memory`` pairs of parameter and gradient differences, so it
adapts to the curvature of the objective at the cost of a few vector
products per iteration.

The model is linear, so a line search is nearly free: along a line the
scores move by a fixed block (:meth:`~sklinear.objective.LinearObjective.line`)
and every trial step costs only the loss on them. That pays for a search
that looks for a good step, not merely an acceptable one. The scores of each
new point come from its line, so they are carried forward by linearity, one
rounding a step; they are recomputed exactly every :data:`REFRESH` steps of
a smoothing stage.
"""

import functools
import math
import warnings

import numpy as np
from scipy.linalg import get_blas_funcs
from scipy.optimize import line_search

from .._docstrings import fill_doc
from ._continuation import relative_threshold, smoothing_error, smoothing_ladder
from ._result import make_result, notify
from ._stationarity import ScaledGradient, feature_scales

__all__ = ["lbfgs"]

#: Sufficient-decrease constant of the line search (Armijo).
ARMIJO = 1e-4
#: Curvature constant of the line search (strong Wolfe): ``|phi'(t)|`` must
#: fall to this fraction of ``|phi'(0)|``. Tighter than the usual 0.9, as
#: trial steps are cheap here; much tighter searches cost more than they save
#: (see the performance page).
CURVATURE = 0.7
#: Halvings of the step before the fallback search gives up.
MAX_HALVINGS = 40
#: Iterations of a smoothing stage between exact recomputations of the
#: scores, which the line searches otherwise carry forward by linearity,
#: adding one rounding a step.
REFRESH = 50

#: Default memory: as many pairs as fit in this many bytes, within the bounds
#: below, so that small problems get a long memory and large ones scipy's 10.
MEMORY_BUDGET = 64 * 2**20
MIN_MEMORY, MAX_MEMORY = 10, 80
#: A cold start on many rows first iterates on every PRESOLVE_STRIDE-th row,
#: PRESOLVE_ITER times, for a start and curvature pairs that save more full
#: iterations than they cost (see the performance page); it pays only when
#: the subsample holds at least twice as many rows as there are parameters.
PRESOLVE_STRIDE = 16
PRESOLVE_ITER = 10

_ORIGIN, _UNIT = np.zeros(1), np.ones(1)
_SEARCH_FAILED = "The line search algorithm|Rounding errors prevent the line search"


def _memory_within(budget, n_params, dtype):
    """The curvature pairs of ``n_params`` entries of ``dtype`` that fit in
    ``budget`` bytes (two vectors a pair), within ``MIN_MEMORY`` and
    ``MAX_MEMORY``."""
    pair = 2 * n_params * np.dtype(dtype).itemsize
    return int(np.clip(budget // pair, MIN_MEMORY, MAX_MEMORY))


def _quiet_search(function):
    """Run ``function`` with scipy's line-search failure warnings ignored.

    :func:`scipy.optimize.line_search` warns when it fails (its
    ``LineSearchWarning`` is not public), and :func:`_search` then falls back
    to halving. The filter is set once per call of ``function`` rather than
    per step: ``warnings.catch_warnings`` saves and restores process-wide
    state, which concurrent fits would otherwise do at every iteration.
    """

    @functools.wraps(function)
    def quiet(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", _SEARCH_FAILED, RuntimeWarning)
            return function(*args, **kwargs)

    return quiet


@_quiet_search
@fill_doc
def lbfgs(
    objective,
    x0,
    *,
    max_iter=1000,
    tol=1e-4,
    memory=None,
    callback=None,
    state=None,
    keep_scores=False,
):
    r"""Minimize ``objective`` by L-BFGS, with continuation for the hinge losses.

    Each iteration computes the direction :math:`d_k = -H_k \nabla F(\theta_k)`
    from the last ``memory`` pairs :math:`s = \theta_{k+1} - \theta_k`,
    :math:`y = \nabla F(\theta_{k+1}) - \nabla F(\theta_k)`, with
    :math:`H_k` in the compact form of Byrd, Nocedal and Schnabel (1994): a
    handful of matrix products instead of the two-loop recursion's
    ``4 * memory`` vector operations, so a longer memory costs little. The
    step :math:`t` satisfies the strong Wolfe conditions
    (:func:`scipy.optimize.line_search`):

    .. math::

        F(\theta_k + t d_k) \le F(\theta_k) + 10^{-4}\, t\, \nabla F^\top d_k,
        \qquad |\nabla F(\theta_k + t d_k)^\top d_k| \le 0.7\,
        |\nabla F^\top d_k| ,

    searched on the objective's line, where a trial costs no product with
    ``X``. If that search fails, which happens when the decrease is lost in
    rounding, the step is halved from 1 until the first condition holds up
    to rounding. :math:`F` here is the full objective with its penalty, so
    the penalty must be differentiable (``"l2"`` or none).

    For the hinge losses, :math:`F` is smoothed and the smoothing shrinks
    stage by stage (:mod:`sklinear.optimizers._continuation`); the memory is
    kept across stages, since the curvature changes gradually.

    **Stopping rule**: stop on the last stage at the first iterate with

    .. math::

        \max_p \frac{|\nabla F_\mu(\theta)_p|}{\sqrt{h_p}}
        \le \texttt{tol} \cdot |L^\star| ,
        \qquad h_{jk} = \sigma_j^2 + \alpha R'', \quad h_b = 1,

    :math:`L^\star` the best objective value so far, :math:`\sigma_j` the
    root mean square of feature :math:`j` and :math:`\alpha R''` the
    curvature of the penalty, where the smoothing error is also at most
    ``tol * |L*|`` (always, for smooth losses). So divided, the gradient is
    the slope of the objective per unit change of the scores, which does not
    depend on the scale of ``X`` (:mod:`sklinear.optimizers._stationarity`);
    on standardized data :math:`\sigma_j = 1`. Below the change that the
    rounding of the scores makes in it, measured in the data's dtype, a
    gradient cannot be told from zero: the rule is also met there once a
    step gains no more than ``tol`` of the objective, and the
    ``message`` then says that the fit stopped at the gradient's rounding
    level, not at ``tol`` (on float32 data, the last smoothing stages). The
    start is tested too: a fit ends at iteration 0 only if the start meets
    the rule. A line search that finds no decrease ends the fit with
    ``success=False``, and so does a last stage whose smoothing error is
    still above ``tol * |L*|``. The iterate
    with the lowest true objective is returned, with that objective computed
    afresh (but see ``keep_scores``): the line searches carry the scores
    forward by linearity, one rounding per step, and recompute them exactly
    every ``REFRESH`` iterations.

    Parameters
    ----------
    {optimizer_start}
    {optimizer_budget}
    memory : int, default=None
        Number of correction pairs kept. None keeps as many as fit in
        ``MEMORY_BUDGET`` bytes, between 10 and ``MAX_MEMORY`` (80): a long
        memory costs little in the compact form and saves iterations.
    {optimizer_callback}
    state : dict, default=None
        The ``state`` of a previous result, to warm-start the smoothing and
        the memory. The kept pairs are corrected for a change of ``alpha``:
        the penalty adds exactly :math:`2\alpha s_W` to each :math:`y`
        (:math:`s_W` the weights' part of :math:`s`), so a new
        :math:`\alpha'` gives :math:`y' = y + 2(\alpha' - \alpha) s_W`;
        pairs left without positive curvature by it are dropped. So a path
        over decreasing ``alpha`` starts each fit with the curvature of the
        data loss near its solution, and its first step is nearly a Newton
        step. If it holds ``same_data=True``, set by a caller that
        guarantees the same ``X`` and sample weights as the run it comes
        from (a regularization path), the stopping rule's feature scales
        :math:`\sigma_j` are taken from it too: they cost about two
        products with ``X``, a tenth of a short warm fit. So are its
        ``scores``, ``(theta, S, carried)``, if ``theta`` is ``x0``: the
        start then costs no product.
    keep_scores : bool, default=False
        Whether to return the scores :math:`S = XW + b` of the result in its
        ``state``, for a next run from it (a regularization path) to start
        without a product. They are a copy of ``n_samples * n_classes``
        values, which a single fit does not need, so only a caller that
        passes the state on asks for them. Such a run also skips the final
        recomputation of the scores while they were carried fewer than
        ``REFRESH`` steps since computed exactly, counting the steps of the
        runs they were handed on from: its ``fun`` is then the value on the
        carried scores, as exact as its iterations' values, and the next
        run refreshes them in turn.

    Returns
    -------
    result : OptimizeResult
        ``x``, ``fun``, ``nit``, ``success``, ``message``, ``loss_curve``
        and ``state`` (the last ``smoothing``, the ``memory`` with the
        penalty curvature it was built with, the ``feature_scales``, and,
        with ``keep_scores``, the ``scores`` of ``x`` that ``fun`` was
        computed on, ``(x, S, carried)`` with ``carried`` the steps since
        they were computed exactly, when known).

    Raises
    ------
    ValueError
        If the objective's penalty has an L1 part.

    See Also
    --------
    gradient_descent : Accelerated proximal gradient, for any penalty.

    References
    ----------
    R. H. Byrd, J. Nocedal and R. B. Schnabel, "Representations of
    quasi-Newton matrices and their use in limited memory methods",
    Mathematical Programming 63 (1994), 129-156.

    Examples
    --------
    The multiclass SVM on iris: the hinge is smoothed, and the smoothing
    shrinks stage by stage until it no longer matters at ``tol``.

    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklinear import make_problem
    >>> from sklinear.objective import LinearObjective
    >>> from sklinear.optimizers import lbfgs
    >>> X, y = load_iris(return_X_y=True)
    >>> objective = LinearObjective(make_problem(X, y, loss="hinge", alpha=1e-2))
    >>> result = lbfgs(objective, np.zeros(objective.n_params), tol=1e-6)
    >>> bool(result.success), round(result.fun, 4), result.state["smoothing"]
    (True, 0.1558, 1e-06)
    """
    if objective.problem.penalty.has_l1:
        raise ValueError(
            "optimizer='lbfgs' needs a differentiable penalty ('l2' or None); "
            "for 'l1' and 'elasticnet' use optimizer='gd' (proximal gradient "
            "descent, the default for them) or optimizer='sgd'."
        )
    x = start = x0.copy()
    ladder = smoothing_ladder(objective, state)
    # A smooth loss starting at x0 needs the value and gradient there anyway:
    # take the start's value from that evaluation, one product with X fewer.
    fused = not ladder[0] and not _presolve_pays(objective, x0, state)
    # The scores of x0, when the run that left ``state`` knew them (a path),
    # and the steps they were carried since computed exactly.
    scores, carried = _known_scores(objective, x0, state)
    start_fun = best_fun = None if fused else objective.value(x, scores=scores)
    best_x = x
    curve = []
    if memory is None:
        memory = _memory_within(MEMORY_BUDGET, x.size, x.dtype)
    inverse_hessian = _InverseHessian(x.size, memory, objective.dtype)
    curvature = _penalty_curvature(objective.problem)
    kept = (state or {}).get("memory")
    if kept is not None:
        inverse_hessian.resume(kept, curvature, objective.problem.n_coef)
    if _presolve_pays(objective, x0, state):
        x = _presolve(objective, x, inverse_hessian)
    stationary = _stopping_rule(objective, state)
    converged = False
    # scores: those of x when known (carried by its line, or of the start);
    # carried: the steps they were carried since last computed exactly.
    for smoothing in ladder:
        if scores is None:
            # Kept for the first line, which would otherwise compute them again.
            scores, carried = objective.scores(x, out=objective._scratch), 0
        fun, grad = objective.value_and_gradient(x, smoothing, scores=scores)
        if best_fun is None:
            start_fun = best_fun = fun
        stage_done, previous = False, None
        while len(curve) < max_iter:
            # The rounding floor ends a stage only once a step gains no more
            # than tol: a gradient under the floor made of samples outside
            # the smoothing's band is exact enough to keep descending by.
            stalled = previous is not None and not previous - fun > tol * abs(fun)
            floor = scores if stalled else None
            if stationary.reached(grad, tol, best_fun, 1.0, floor, smoothing):
                stage_done = True
                break
            if carried >= REFRESH:
                scores, carried = None, 0
            taken = _iteration(
                objective, x, fun, grad, inverse_hessian, smoothing, scores
            )
            if taken is None:
                if carried:  # the scores' rounding may hide the decrease
                    scores, carried = objective.scores(x, out=objective._scratch), 0
                    fun, grad = objective.value_and_gradient(
                        x, smoothing, scores=scores
                    )
                    continue
                break  # no decrease at machine precision: as good as it gets
            previous = fun
            x, fun, grad, step, scores = taken
            carried += 1
            true_fun = objective.value(x, scores=scores) if smoothing else fun
            curve.append(true_fun)
            notify(callback, len(curve), true_fun, step, x)
            if true_fun < best_fun:
                best_x, best_fun = x, true_fun
        if not stage_done:
            break
        error = smoothing_error(objective, x, smoothing, scores)
        if error <= relative_threshold(tol, best_fun, objective.dtype):
            converged = True
            break
    # No step taken: the scores of x are the start's (unless presolved).
    final_scores = scores if not curve and x is start else None
    exact_enough = scores is not None and carried < REFRESH
    if best_x is not start and keep_scores and best_x is x and exact_enough:
        # The next run starts from these scores and refreshes them in turn:
        # the value on them is as exact as its iterations' values.
        final_scores = scores
    elif best_x is not start:
        # The best value was found on scores carried by linearity: report the
        # value computed afresh, and never end above the start.
        best_fun, final_scores = objective.fresh_value(best_x)
        carried = 0
        if best_fun > start_fun:
            best_x, best_fun, final_scores = start, start_fun, None
    if converged and stationary.at_rounding_level:
        message = (
            f"gradient in score units at its rounding level in {objective.dtype}, "
            "above tol * |L|"
        )
    elif converged:
        message = "gradient in score units below tol * |L|"
    elif stage_done:  # every stage ended, the last one's error above tol
        message = (
            f"smoothing error above tol * |L| at the last smoothing, {smoothing:g}; "
            "increase tol"
        )
    elif len(curve) < max_iter:
        message = (
            "line search found no decrease, the objective flat to rounding "
            "along the step; increase tol or scale the data"
        )
    else:
        message = "maximum number of iterations reached"
    state = {
        "smoothing": smoothing,
        "alpha": objective.problem.alpha,
        "memory": (inverse_hessian, curvature),
        "feature_scales": stationary.feature_scales,
    }
    if keep_scores and final_scores is not None:
        # A copy: the evaluator's memory is reused by its next call.
        # order="K": class-major as computed, the layout the losses reduce in.
        state["scores"] = (best_x, final_scores.copy(order="K"), carried)
    return make_result(best_x, best_fun, curve, converged, message, state=state)


def _known_scores(objective, x0, state):
    """The scores of ``x0`` from ``state`` (in the evaluator's memory) and
    the steps they were carried since computed exactly, or ``(None, 0)``.

    Only a state marked ``same_data`` (see :func:`lbfgs`) is trusted, and
    only for the very point its scores belong to: on a path the next fit
    starts where the last ended, or at a point whose scores the path
    combined from the last two solutions'.
    """
    state = state or {}
    kept = state.get("scores") if state.get("same_data") else None
    if kept is None:
        return None, 0
    theta, scores, carried = kept
    out = objective._scratch
    if (
        scores.shape != out.shape
        or scores.dtype != out.dtype
        or not np.array_equal(theta, x0)
    ):
        return None, 0
    np.copyto(out, scores)
    return out, carried


def _stopping_rule(objective, state):
    """The stopping rule, with the feature scales of ``state`` if it is marked
    ``same_data`` (see :func:`lbfgs`), else computed from the data."""
    state = state or {}
    scales = state.get("feature_scales") if state.get("same_data") else None
    if scales is None or len(scales) != objective.problem.n_features:
        scales = feature_scales(objective.problem)
    return ScaledGradient(objective, scales)


def _penalty_curvature(problem):
    r"""The penalty's Hessian on :math:`W`, a multiple of the identity: that
    multiple, :math:`2\alpha` for ``"l2"`` (0 without a penalty)."""
    return 2.0 * problem.alpha if problem.penalty.is_l2 else 0.0


def _iteration(objective, x, fun, grad, inverse_hessian, smoothing, scores=None):
    """One step from ``x``: ``(x_new, fun_new, grad_new, step, scores_new)``.

    None means that the line search found no decrease. ``scores`` are those
    of ``x`` if known. The new pair updates ``inverse_hessian``.
    """
    direction = -inverse_hessian.dot(grad)
    slope = grad @ direction
    if slope >= 0:  # not a descent direction: forget the curvature
        inverse_hessian.clear()
        direction, slope = -grad, -(grad @ grad)
    if not inverse_hessian:  # no curvature yet: a first step of length <= 1
        scale = 1.0 / max(1.0, np.linalg.norm(grad))
        direction, slope = scale * direction, scale * slope
    line = objective.line(x, direction, smoothing, scores=scores)
    step = _search(line, fun, slope, 10 * np.finfo(objective.dtype).eps)
    if step is None:
        return None
    x_new = line.point(step)
    fun_new, grad_new = line(step)[0], line.gradient(step)
    inverse_hessian.update(x_new - x, grad_new - grad)
    return x_new, fun_new, grad_new, step, line.scores(step)


def _presolve_pays(objective, x0, state):
    """Whether to start with :func:`_presolve`: a smooth loss, a cold start,
    and enough rows that every ``PRESOLVE_STRIDE``-th still holds twice as
    many rows as parameters."""
    rows = objective.n_samples // PRESOLVE_STRIDE
    cold = not x0.any() and not state
    differentiable = objective.problem.loss.differentiable
    return differentiable and cold and rows >= 2 * objective.n_params


def _presolve(objective, x, inverse_hessian):
    r"""A start, and curvature, from ``PRESOLVE_ITER`` iterations on a subsample.

    Every ``PRESOLVE_STRIDE``-th row (a view of ``X``, not a copy) defines
    the same objective on fewer rows. Its minimizer is near the full one, and
    its curvature pairs estimate the full Hessian's, so the full iterations
    start closer and with a filled ``inverse_hessian``.
    """
    coarse = objective.subset(slice(None, None, PRESOLVE_STRIDE))
    fun, grad = coarse.value_and_gradient(x)
    scores = None
    for _ in range(PRESOLVE_ITER):
        taken = _iteration(coarse, x, fun, grad, inverse_hessian, 0.0, scores)
        if taken is None:
            break
        x, fun, grad, _, scores = taken
    return x


def _search(line, fun, slope, slack):
    """A step along ``line`` (from ``fun``, with slope ``slope``), or None.

    scipy's strong Wolfe search on the line's one variable; when it fails,
    halvings from 1 until the decrease holds up to ``slack * |fun|``.
    """
    # scipy's search tries t = 1 first and returns it if it qualifies, as
    # it nearly always does near a solution: checked here, it skips the
    # search's setup (a tenth of an iteration's overhead on digits).
    value, unit_slope = line(1.0)
    if value <= fun + ARMIJO * slope and abs(unit_slope) <= -CURVATURE * slope:
        return 1.0
    step = line_search(
        lambda t: line(float(t[0]))[0],
        lambda t: np.array([line(float(t[0]))[1]]),
        _ORIGIN,
        _UNIT,
        gfk=np.array([slope]),
        old_fval=fun,
        c1=ARMIJO,
        c2=CURVATURE,
    )[0]
    if step is not None:
        return float(step)
    step = 1.0
    for _ in range(MAX_HALVINGS):
        if line(step)[0] <= fun + ARMIJO * step * slope + slack * abs(fun):
            return step
        step /= 2
    return None


class _InverseHessian:
    r"""The L-BFGS inverse Hessian approximation, in compact form.

    With the pairs as the rows of :math:`S` and :math:`Y` (oldest first),
    :math:`R` the upper triangle of :math:`S Y^\top`, :math:`D` its
    diagonal and :math:`\gamma = s^\top y / y^\top y` of the newest pair,

    .. math::

        H g = \gamma g + S^\top R^{-\top}\big((D + \gamma Y Y^\top) u
        - \gamma Y g\big) - \gamma Y^\top u, \qquad u = R^{-1} S g .

    :math:`R` and :math:`Y Y^\top` gain a column with each new pair, so
    applying :math:`H` costs two products with :math:`S`, two with :math:`Y`
    and two triangular solves of size ``memory``. The pairs themselves stay in
    the slot they were written to (a new pair overwrites the oldest): only the
    small matrices are kept in order.
    """

    def __init__(self, n_params, memory, dtype):
        self.memory = memory
        self._S = np.empty((memory, n_params), dtype=dtype)
        self._Y = np.empty((memory, n_params), dtype=dtype)
        self._R = np.zeros((memory, memory), dtype=dtype)
        self._YY = np.empty((memory, memory), dtype=dtype)
        self._slots = np.empty(0, dtype=np.intp)  # oldest first
        # Slot order is age order until a pair overwrites another.
        self._wrapped = False
        self._trsv = get_blas_funcs("trsv", (self._R,))
        self._eps = np.finfo(dtype).eps

    def __len__(self):
        return len(self._slots)

    def clear(self):
        self._slots = self._slots[:0]
        self._wrapped = False

    def resume(self, kept, curvature, n_coef):
        r"""Refill from ``kept = (inverse_hessian, old_curvature)``, another
        run's memory, for a penalty of Hessian ``curvature`` on the first
        ``n_coef`` parameters (the weights).

        Each of its last ``memory`` pairs becomes :math:`(s, y + (c' - c)
        s_W)`, oldest first, and is left out if that lost positive curvature,
        as :meth:`update` would; the small matrices are then built with one
        product each rather than a pair at a time (on a path, a pair at a time
        cost more than the iterations of a short warm fit). A memory of
        another size or dtype (other data) is ignored.
        """
        other, old_curvature = kept
        if other._S.shape[1] != self._S.shape[1] or other._S.dtype != self._S.dtype:
            return
        order = other._slots[-self.memory :]  # oldest first
        S, Y = other._S[order], other._Y[order]  # copies: fancy indexing
        Y[:, :n_coef] += (curvature - old_curvature) * S[:, :n_coef]
        sy = np.einsum("ij,ij->i", S, Y)
        norms = np.sqrt(np.einsum("ij,ij->i", S, S)) * np.sqrt(
            np.einsum("ij,ij->i", Y, Y)
        )
        keep = sy > self._eps * norms
        k = int(keep.sum())
        self.clear()
        if not k:
            return
        self._S[:k], self._Y[:k] = S[keep], Y[keep]
        S, Y = self._S[:k], self._Y[:k]
        self._R[:k, :k] = np.triu(S @ Y.T)
        self._YY[:k, :k] = Y @ Y.T
        self._slots = np.arange(k)

    def update(self, s, y):
        r"""Add the pair ``(s, y)``, in place of the oldest if full.

        A pair without positive curvature, :math:`s^\top y \le \epsilon
        \|s\| \|y\|`, is left out, which keeps :math:`H` positive definite.
        """
        sy = s @ y
        # |s| |y| as np.linalg.norm computes it, without its overhead.
        if not sy > self._eps * math.sqrt(s @ s) * math.sqrt(y @ y):
            return
        k = len(self._slots)
        if k == self.memory:
            slot = self._slots[0]
            self._slots = np.append(self._slots[1:], slot)
            self._wrapped = True
            for matrix in (self._R, self._YY):
                matrix[:-1, :-1] = matrix[1:, 1:].copy()
        else:
            slot, k = k, k + 1
            self._slots = np.arange(k)
        self._S[slot], self._Y[slot] = s, y
        self._R[:k, k - 1] = self._oldest_first(self._S[:k] @ y)
        self._YY[:k, k - 1] = self._YY[k - 1, :k] = self._oldest_first(self._Y[:k] @ y)

    def _oldest_first(self, per_slot):
        """Values held in slots 0..k-1, reordered oldest pair first."""
        return per_slot[self._slots] if self._wrapped else per_slot

    def dot(self, g):
        """:math:`H g`."""
        k = len(self._slots)
        if not k:
            return g.copy()
        S, Y = self._S[:k], self._Y[:k]
        R, YY = self._R[:k, :k], self._YY[:k, :k]
        gamma = R[-1, -1] / YY[-1, -1]
        u = self._trsv(R, self._oldest_first(S @ g))
        v = R.diagonal() * u + gamma * (YY @ u - self._oldest_first(Y @ g))
        w = self._trsv(R, v, trans=1)
        if self._wrapped:  # back from oldest first to slot order
            w_slots, u_slots = np.empty_like(w), np.empty_like(u)
            w_slots[self._slots], u_slots[self._slots] = w, u
            w, u = w_slots, u_slots
        return gamma * g + S.T @ w - gamma * (Y.T @ u)
