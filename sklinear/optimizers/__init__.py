"""Optimizers: functions that minimize a :class:`~sklinear.objective.LinearObjective`.

Every optimizer has the signature ``optimizer(objective, x0, **settings)``
and returns a :class:`scipy.optimize.OptimizeResult` with fields ``x``,
``fun``, ``nit``, ``success``, ``message`` and ``loss_curve``. They know the
objective only through its methods and nothing about estimators;
:data:`OPTIMIZERS` maps the names accepted by the estimators' ``optimizer``
parameter to them.
"""

from ._gradient_descent import gradient_descent
from ._lbfgs import lbfgs
from ._random_search import random_local_search, random_search
from ._sgd import SCHEDULES, sgd

__all__ = [
    "OPTIMIZERS",
    "SCHEDULES",
    "gradient_descent",
    "lbfgs",
    "random_local_search",
    "random_search",
    "sgd",
]

#: Optimizers by the name the estimators' ``optimizer`` parameter takes.
OPTIMIZERS = {
    "gd": gradient_descent,
    "lbfgs": lbfgs,
    "random_search": random_search,
    "random_local_search": random_local_search,
    "sgd": sgd,
}
