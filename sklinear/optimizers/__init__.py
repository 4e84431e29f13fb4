"""Optimizers: functions that minimize the objective of a linear problem.

Every optimizer has the signature ``optimizer(objective, x0, **settings)``,
where ``objective`` is a :class:`~sklinear.objective.LinearObjective`, and
returns a :class:`scipy.optimize.OptimizeResult` with fields ``x``, ``fun``,
``nit``, ``success``, ``message`` and ``loss_curve``. They know the problem
only through the evaluator's methods and nothing about estimators.

:data:`OPTIMIZERS` lists them by the names the estimators' ``optimizer``
parameter takes, each with an :class:`OptimizerSpec`: the hyperparameters it
takes, the losses and penalties it supports, whether it can ``partial_fit``
and continue a warm start. Adding an optimizer is one module and one entry
there.
"""

from ._dual_cd import dual_cd
from ._gradient_descent import gradient_descent
from ._lbfgs import lbfgs
from ._random_search import random_local_search, random_search
from ._registry import OPTIMIZERS, OptimizerSpec
from ._sgd import SCHEDULES, sgd

__all__ = [
    "OPTIMIZERS",
    "OptimizerSpec",
    "SCHEDULES",
    "dual_cd",
    "gradient_descent",
    "lbfgs",
    "random_local_search",
    "random_search",
    "sgd",
]
