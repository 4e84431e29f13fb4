r"""Random search and random local search: the lecture's first two strategies.

Random search draws many random weight matrices and keeps the best; random
local search starts somewhere and takes random steps that lower the
objective. Neither uses a gradient, which is why following the slope wins;
they are here as the baselines of the optimization lecture. Both are
budgeted by ``n_candidates``, the number of objective evaluations.
"""

import numpy as np
from sklearn.utils import check_random_state

from .._docstrings import fill_doc
from ._result import make_result, notify

__all__ = ["random_search", "random_local_search"]


def random_search(
    objective,
    x0,
    *,
    n_candidates=1000,
    init_scale=1e-4,
    random_state=None,
    chunk_size=64,
    callback=None,
):
    r"""Keep the best of ``n_candidates`` random parameter vectors.

    Candidate :math:`c` is :math:`\theta_c = \texttt{init\_scale} \cdot
    \varepsilon_c` with :math:`\varepsilon_c \sim \mathcal{N}(0, I)` (the
    lecture draws ``W = 0.0001 * randn``), weights and intercept alike. The
    candidates are evaluated ``chunk_size`` at a time by
    ``objective.values``, which scores a whole batch with one matrix
    product. One iteration is one batch; ``loss_curve`` holds the best
    objective value after each batch. The starting point ``x0`` only fixes
    shape and dtype: random search does not start from it.

    Parameters
    ----------
    objective : LinearObjective
        The evaluator of the problem to minimize.
    x0 : ndarray of shape (n_params,)
        Gives the shape and dtype of the candidates.
    n_candidates : int, default=1000
        Number of candidates drawn and evaluated (the evaluation budget).
    init_scale : float, default=1e-4
        Standard deviation of the candidates.
    random_state : int, RandomState instance or None, default=None
        Draws the candidates; the result is deterministic given it.
    chunk_size : int, default=64
        Candidates per matrix product.
    callback : callable, default=None
        Called after every batch with an ``OptimizeResult`` holding ``nit``,
        ``fun``, ``step`` (None here) and ``x`` (the best candidate).

    Returns
    -------
    result : OptimizeResult
        ``x`` (the best candidate), ``fun``, ``nit`` (batches), ``success``
        (the budget is the rule; False if no candidate beats ``x0``),
        ``message``, ``loss_curve``.

    See Also
    --------
    random_local_search : Random steps from a starting point.

    Examples
    --------
    The lecture's draw, ``W = 0.0001 * randn``, on iris with the hinge loss:
    every candidate scores the classes nearly alike, so the best of 200
    barely improves on the 2.0 of zero weights (two violated unit margins
    per sample).

    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklinear import make_problem
    >>> from sklinear.objective import LinearObjective
    >>> from sklinear.optimizers import random_search
    >>> X, y = load_iris(return_X_y=True)
    >>> objective = LinearObjective(make_problem(X, y, loss="hinge"))
    >>> start = np.zeros(objective.n_params)
    >>> result = random_search(objective, start, n_candidates=200, random_state=0)
    >>> result.nit  # batches of 64 candidates
    4
    >>> bool(1.99 < result.fun < objective.value(start))
    True
    """
    rng = check_random_state(random_state)
    best_x, best_fun = x0, np.inf
    curve = []
    for start in range(0, n_candidates, chunk_size):
        size = min(chunk_size, n_candidates - start)
        candidates = init_scale * rng.standard_normal((size, x0.size))
        candidates = candidates.astype(x0.dtype, copy=False)
        values = objective.batch_values(candidates, batch_size=size)
        k = int(np.argmin(values))
        if values[k] < best_fun:
            best_x, best_fun = candidates[k], float(values[k])
        curve.append(best_fun)
        notify(callback, len(curve), best_fun, None, best_x)
    return _baseline_result(
        objective, x0, best_x, best_fun, curve, n_candidates, "init_scale"
    )


@fill_doc
def random_local_search(
    objective,
    x0,
    *,
    n_candidates=1000,
    init_scale=1e-4,
    step_size=1e-2,
    random_state=None,
    chunk_size=16,
    callback=None,
):
    r"""Improve a random starting point by random steps that lower the objective.

    Start from :math:`\theta_0 = \texttt{init\_scale} \cdot \varepsilon_0`
    (or from ``x0`` if it is not all zeros, for a warm start). Each iteration
    proposes ``chunk_size`` steps :math:`\theta + \texttt{step\_size} \cdot
    \varepsilon_c`, :math:`\varepsilon_c \sim \mathcal{N}(0, I)`, scores
    them with one matrix product, and moves to the best proposal if it lowers
    the objective. The budget is ``n_candidates`` objective evaluations in
    all, the same as :func:`random_search`'s, which this beats at equal
    budget.

    Parameters
    ----------
    objective : LinearObjective
        The evaluator of the problem to minimize.
    x0 : ndarray of shape (n_params,)
        Warm start, or zeros to start from a random point.
    n_candidates : int, default=1000
        Number of objective evaluations (proposals, plus the start).
    init_scale : float, default=1e-4
        Standard deviation of the random start.
    step_size : float, default=1e-2
        Standard deviation of each proposed step.
    random_state : int, RandomState instance or None, default=None
        Draws the start and the steps; the result is deterministic given it.
    chunk_size : int, default=16
        Proposals per iteration (per matrix product).
    {optimizer_callback}

    Returns
    -------
    result : OptimizeResult
        ``x``, ``fun``, ``nit``, ``success`` (the budget is the rule; False
        if the search ends above ``x0``), ``message``, ``loss_curve``.

    See Also
    --------
    random_search : Independent random draws.

    Examples
    --------
    On the problem of :func:`random_search`'s example, random steps of 0.1
    kept only when they lower the objective get far below its 1.999 with the
    same budget of 200 evaluations.

    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklinear import make_problem
    >>> from sklinear.objective import LinearObjective
    >>> from sklinear.optimizers import random_local_search
    >>> X, y = load_iris(return_X_y=True)
    >>> objective = LinearObjective(make_problem(X, y, loss="hinge"))
    >>> result = random_local_search(objective, np.zeros(objective.n_params),
    ...                              n_candidates=200, step_size=0.1, random_state=0)
    >>> bool(result.fun < 0.5)
    True
    """
    rng = check_random_state(random_state)
    if np.any(x0):
        x = x0.copy()
    else:
        x = (init_scale * rng.standard_normal(x0.size)).astype(x0.dtype, copy=False)
    fun = objective.value(x)
    curve = []
    budget = n_candidates - 1
    while budget > 0:
        size = min(chunk_size, budget)
        steps = step_size * rng.standard_normal((size, x.size))
        proposals = (x + steps).astype(x0.dtype, copy=False)
        values = objective.batch_values(proposals, batch_size=size)
        budget -= size
        k = int(np.argmin(values))
        if values[k] < fun:
            x, fun = proposals[k], float(values[k])
        curve.append(fun)
        notify(callback, len(curve), fun, step_size, x)
    return _baseline_result(objective, x0, x, fun, curve, n_candidates, "step_size")


def _baseline_result(objective, x0, x, fun, curve, n_candidates, knob):
    """The result of a random search: a failure if it ends above its start.

    Random draws at a scale that does not suit the data (``init_scale`` or
    ``step_size`` far from the size of good weights) can all score worse
    than ``x0``; the search then reports it (``success=False``, so that the
    estimators warn) instead of returning a worse model as if all was well.
    """
    start = objective.value(x0)
    if fun < start:
        return make_result(
            x.copy(), fun, curve, True, f"evaluated {n_candidates} candidates"
        )
    message = (
        f"none of the {n_candidates} candidates lowered the objective below "
        f"its start, {start:.6g}: {knob} does not suit the scale of the data; "
        "scale the data or change it"
    )
    return make_result(x.copy(), fun, curve, False, message)
