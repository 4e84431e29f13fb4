"""The small data sets and settings that the estimator API tests share
(tests/estimators/), and that the optimizer tests taken from them use too."""

import numpy as np
from scipy.special import logsumexp
from sklearn.datasets import load_iris, load_wine
from sklearn.preprocessing import StandardScaler

from sklinear import SoftmaxClassifier, SVMClassifier
from sklinear.optimizers import OPTIMIZERS
from sklinear.penalties import make_penalty

ESTIMATORS = [SVMClassifier, SoftmaxClassifier]
#: "auto" (whatever it resolves to) and every registered optimizer.
OPTIMIZER_CHOICES = ["auto", *sorted(OPTIMIZERS)]


def can_fit(Estimator, optimizer, **params):
    """Whether ``Estimator(optimizer=optimizer, **params)`` fits at all: its
    optimizer supports the loss, the penalty and ``alpha`` (the dual solver
    takes only the SVM losses with ``"l2"`` and ``alpha > 0``)."""
    estimator = Estimator(optimizer=optimizer, **params)
    spec = OPTIMIZERS[estimator._select_optimizer()]
    penalty = make_penalty(estimator.penalty, estimator.l1_ratio).name
    return spec.refuses(estimator.loss, penalty, estimator.alpha) is None


#: Every estimator with every optimizer that can fit its default problem.
ESTIMATOR_OPTIMIZERS = [
    (Estimator, optimizer)
    for Estimator in ESTIMATORS
    for optimizer in OPTIMIZER_CHOICES
    if can_fit(Estimator, optimizer)
]

IRIS = load_iris()
X_IRIS = StandardScaler().fit_transform(IRIS.data)
Y_IRIS = IRIS.target
IRIS_NAMES = IRIS.target_names[Y_IRIS]  # string labels
BINARY = Y_IRIS < 2  # setosa vs versicolor
X_WINE, Y_WINE = load_wine(return_X_y=True)
X_WINE = StandardScaler().fit_transform(X_WINE)

#: Settings under which both estimators converge quickly on iris and wine.
FAST = {"alpha": 1e-2}
#: Objective at W = 0, b = 0 for three classes: log(3) and (K - 1) * margin.
START = {SoftmaxClassifier: np.log(3), SVMClassifier: 2.0}


def sparse_iris():
    """Iris with about half of its entries zero, dense."""
    X = X_IRIS.copy()
    X[np.abs(X) < 0.6] = 0.0
    return X


def lecture_objective(estimator_cls, X, y, W, b, alpha):
    """Objective of (W, b) written out from the lecture's formulas (L2 penalty)."""
    S = X @ W + b
    rows = np.arange(len(y))
    if estimator_cls is SoftmaxClassifier:
        per_sample = logsumexp(S, axis=1) - S[rows, y]
    else:
        margins = np.maximum(S - S[rows, y][:, None] + 1.0, 0.0)
        margins[rows, y] = 0.0
        per_sample = margins.sum(axis=1)
    return per_sample.mean() + alpha * np.sum(W * W)
