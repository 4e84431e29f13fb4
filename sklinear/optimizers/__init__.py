"""Optimizers: functions that minimize a :class:`~sklinear.objective.LinearObjective`.

Every optimizer has the signature ``optimizer(objective, x0, **settings)``
and returns a :class:`scipy.optimize.OptimizeResult` with fields ``x``,
``fun``, ``nit``, ``success``, ``message`` and ``loss_curve``. They know the
objective only through its methods and nothing about estimators;
:data:`OPTIMIZERS` maps the names accepted by the estimators' ``optimizer``
parameter to them.
"""

from ._result import OptimizeResult
from ._gradient_descent import gradient_descent
from ._lbfgs import lbfgs
from ._random_search import random_search

__all__ = ["OPTIMIZERS", "OptimizeResult", "gradient_descent", "lbfgs", "random_search"]

#: Optimizers by the name the estimators' ``optimizer`` parameter takes.
OPTIMIZERS = {
    "gd": gradient_descent,
    "lbfgs": lbfgs,
    "random_search": random_search,
}
