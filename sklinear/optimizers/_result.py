"""What every optimizer returns: a :class:`scipy.optimize.OptimizeResult`."""

import numpy as np
from scipy.optimize import OptimizeResult

__all__ = ["OptimizeResult", "make_result", "notify"]


def make_result(x, fun, loss_curve, success, message, **extra):
    """Build the result every optimizer returns.

    Parameters
    ----------
    x : ndarray
        The parameters found (the best iterate).
    fun : float
        The objective at ``x``.
    loss_curve : list of float
        Objective value after each iteration; ``nit`` is its length.
    success : bool
        Whether the stopping rule was met (False: the iteration budget ran out).
    message : str
        Why the optimizer stopped.
    **extra
        Optimizer-specific fields (for example the final ``step``).

    Returns
    -------
    result : OptimizeResult
        With fields ``x``, ``fun``, ``nit``, ``success``, ``message``,
        ``loss_curve`` and the extra ones.
    """
    return OptimizeResult(
        x=x,
        fun=float(fun),
        nit=len(loss_curve),
        success=bool(success),
        message=message,
        loss_curve=np.asarray(loss_curve, dtype=np.float64),
        **extra,
    )


def notify(callback, nit, fun, step, x):
    """Report iteration ``nit`` to ``callback`` (SciPy's ``intermediate_result`` style).

    The result holds ``nit``, ``fun`` (the objective), ``step`` (the step
    size, or None) and ``x`` (the current parameters, not to be modified).
    """
    if callback is not None:
        callback(OptimizeResult(nit=nit, fun=float(fun), step=step, x=x))
