r"""
===========================================
Choosing alpha by cross-validated paths
===========================================

:class:`~sklinear.SoftmaxClassifierCV` and :class:`~sklinear.SVMClassifierCV`
choose ``alpha`` by cross-validation: each fold fits a warm
:func:`~sklinear.regularization_path` over a decreasing grid of ``alpha``
(each fit starts from the previous solution) and scores every solution on
its held-out rows; the ``alpha`` with the best mean score is refitted on all
the data.

On the standardized breast-cancer data (two classes, 30 features) this
example draws, for both classifiers, the coefficient path on all the data
and the cross-validated accuracy against ``alpha``, with the chosen
``alpha`` marked, next to the choice of scikit-learn's
:class:`~sklearn.linear_model.LogisticRegressionCV` on the same folds and
the matched grid.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

from sklinear import SoftmaxClassifierCV, SVMClassifierCV, regularization_path

X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X)
cv = StratifiedKFold(5, shuffle=True, random_state=0)
alphas = np.logspace(0, -3.5, 15)

# %%
# Cross-validation of both classifiers
# ------------------------------------
# The folds run in parallel (``n_jobs=2``). Ties in the mean score go to the
# larger ``alpha``, the simpler model.
models = {
    "SoftmaxClassifierCV": SoftmaxClassifierCV(alphas=alphas, cv=cv, n_jobs=2),
    "SVMClassifierCV": SVMClassifierCV(alphas=alphas, cv=cv, n_jobs=2, random_state=0),
}
for name, model in models.items():
    model.fit(X, y)
    print(
        f"{name}: alpha_ = {model.alpha_:.2g}, cv accuracy "
        f"{model.scores_.mean(axis=0).max():.3f}, "
        f"{model.n_iter_.sum()} iterations over all folds and alphas"
    )

# %%
# scikit-learn's choice
# ---------------------
# For two classes the softmax classifier at ``alpha`` is
# ``LogisticRegression`` with ``C = 1 / (n alpha)``, ``n`` the training rows
# of a fold (455 or 456 here: the folds differ by a row, so the grids match
# to 0.2%).
n_train = np.mean([len(train) for train, _ in cv.split(X, y)])
Cs = 1.0 / (n_train * alphas)
logistic = LogisticRegressionCV(
    Cs=Cs,
    cv=cv,
    scoring="accuracy",
    max_iter=10000,
    l1_ratios=(0.0,),
    use_legacy_attributes=False,
)
logistic.fit(X, y)
logistic_alpha = 1.0 / (n_train * logistic.C_)
print(
    f"LogisticRegressionCV: C_ = {logistic.C_:.3g}, i.e. alpha = {logistic_alpha:.2g}"
)

# %%
# Paths and validation curves
# ---------------------------
# Top: each coefficient of the model fitted on all the data, along the path.
# Bottom: the cross-validated accuracy (mean and one standard deviation over
# the folds). Dashed: the chosen ``alpha``; dotted: LogisticRegressionCV's.
fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True, layout="constrained")
for column, (name, model) in enumerate(models.items()):
    path = regularization_path(X, y, estimator=model.best_estimator_, alphas=alphas)
    top, bottom = axes[0, column], axes[1, column]
    top.plot(path.alphas, path.coefs[:, 0, :], linewidth=1)
    top.set_title(f"{name}: coefficient path")
    top.set_ylabel("coef_")
    mean, std = model.scores_.mean(axis=0), model.scores_.std(axis=0)
    bottom.plot(model.alphas_, mean, "o-", label="cross-validated accuracy")
    bottom.fill_between(model.alphas_, mean - std, mean + std, alpha=0.2)
    bottom.set_ylabel("accuracy")
    bottom.set_xlabel("alpha")
    for ax in (top, bottom):
        ax.set_xscale("log")
        ax.axvline(model.alpha_, color="k", linestyle="--", label="chosen alpha_")
        ax.axvline(
            logistic_alpha, color="C3", linestyle=":", label="LogisticRegressionCV's C_"
        )
    bottom.legend(loc="lower left")
plt.show()
