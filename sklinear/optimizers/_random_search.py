r"""Random search: the lecture's first (and worst) optimization strategy.

Draw many random weight matrices and keep the best. It uses no gradient and
makes no progress from one candidate to the next, which is why following the
slope wins; it is here as the baseline of the optimization lecture.
"""

import numpy as np
from sklearn.utils import check_random_state

from ._result import make_result, notify

__all__ = ["random_search"]


def random_search(
    objective, x0, *, n_candidates=1000, init_scale=1e-4, random_state=None,
    batch_size=64, callback=None,
):
    r"""Keep the best of ``n_candidates`` random parameter vectors.

    Candidate :math:`c` is :math:`\theta_c = \texttt{init\_scale} \cdot
    \varepsilon_c` with :math:`\varepsilon_c \sim \mathcal{N}(0, I)` (the
    lecture draws ``W = 0.0001 * randn``), weights and intercept alike. The
    candidates are evaluated ``batch_size`` at a time by
    ``objective.values``, which scores a whole batch with one matrix
    product. One iteration is one batch; ``loss_curve`` holds the best
    objective value after each batch. The starting point ``x0`` only fixes
    shape and dtype: random search does not start from it.

    Parameters
    ----------
    objective : LinearObjective
        The objective; see :class:`sklinear.objective.LinearObjective`.
    x0 : ndarray of shape (n_params,)
        Gives the shape and dtype of the candidates.
    n_candidates : int, default=1000
        Number of candidates drawn and evaluated (the evaluation budget).
    init_scale : float, default=1e-4
        Standard deviation of the candidates.
    random_state : int, RandomState instance or None, default=None
        Draws the candidates; the result is deterministic given it.
    batch_size : int, default=64
        Candidates per matrix product.
    callback : callable, default=None
        Called after every batch with an ``OptimizeResult`` holding ``nit``,
        ``fun`` and ``step`` (None here).

    Returns
    -------
    result : OptimizeResult
        ``x`` (the best candidate), ``fun``, ``nit`` (batches), ``success``
        (always True: the budget is the rule), ``message``, ``loss_curve``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.losses import LOSSES
    >>> from sklinear.objective import LinearObjective
    >>> from sklinear.optimizers import random_search
    >>> from sklinear.penalties import L2
    >>> X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0, 1])
    >>> obj = LinearObjective(X, y, loss=LOSSES["cross_entropy"].function,
    ...                       smooth=True, penalty=L2(), alpha=0.1, n_classes=2)
    >>> result = random_search(obj, np.zeros(obj.n_params), n_candidates=200,
    ...                        init_scale=1.0, random_state=0)
    >>> bool(result.fun < obj.value(np.zeros(obj.n_params)))
    True
    """
    rng = check_random_state(random_state)
    best_x, best_fun = x0, np.inf
    curve = []
    for start in range(0, n_candidates, batch_size):
        size = min(batch_size, n_candidates - start)
        candidates = init_scale * rng.standard_normal((size, x0.size))
        candidates = candidates.astype(x0.dtype, copy=False)
        values = objective.values(candidates, batch_size=size)
        k = int(np.argmin(values))
        if values[k] < best_fun:
            best_x, best_fun = candidates[k], float(values[k])
        curve.append(best_fun)
        notify(callback, len(curve), best_fun, None)
    return make_result(
        best_x.copy(), best_fun, curve, True, f"evaluated {n_candidates} candidates"
    )
