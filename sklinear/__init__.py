"""sklinear: the lecture's multiclass SVM and softmax classifiers, for scikit-learn.

Scores are :math:`S = XW + b`; the classifiers minimize a data loss plus
:math:`\\alpha R(W)` with pluggable losses (:mod:`sklinear.losses`),
penalties (:mod:`sklinear.penalties`) and optimizers
(:mod:`sklinear.optimizers`).
"""

from ._classes import SoftmaxClassifier, SVMClassifier
from ._cv import SoftmaxClassifierCV, SVMClassifierCV
from ._path import alpha_max, regularization_path
from .objective import objective_value
from .problem import LinearProblem, make_problem

__version__ = "0.1.0"

__all__ = [
    "LinearProblem",
    "SVMClassifier",
    "SVMClassifierCV",
    "SoftmaxClassifier",
    "SoftmaxClassifierCV",
    "__version__",
    "alpha_max",
    "make_problem",
    "objective_value",
    "regularization_path",
]
