r"""
=============
Tuning lambda
=============

The regularization strength ``alpha`` (the lecture's :math:`\lambda`) is a
hyperparameter: the training objective cannot choose it, since the data loss
on the training set is always lowest with no regularization at all. Instead,
each candidate value is scored on data the model was not trained on. Here,
5-fold cross-validation on the training set scores each ``alpha``; the best
one is refitted on the whole training set and evaluated once on a held-out
test set.

The figure is a validation curve: the mean training and cross-validated
accuracy of :class:`~sklinear.SVMClassifier` on digits against ``alpha``,
with bands of one standard deviation over the folds.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklinear import SVMClassifier

# %%
# Grid search over ``alpha``
# --------------------------
# The test set is split off first and not touched until the end. The scaler
# is part of the pipeline, so each cross-validation split standardizes with
# the statistics of its own training folds. At the smallest ``alpha`` of the
# grid, some folds need more than the default 1000 iterations, hence
# ``max_iter=3000``.
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

model = make_pipeline(StandardScaler(), SVMClassifier(max_iter=3000, random_state=0))
alphas = np.logspace(-3, 1, 9)
search = GridSearchCV(
    model,
    {"svmclassifier__alpha": alphas},
    cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=0),
    return_train_score=True,
)
search.fit(X_train, y_train)

best_alpha = search.best_params_["svmclassifier__alpha"]
print(f"best alpha: {best_alpha:.2g}")
print(f"cross-validated accuracy at the best alpha: {search.best_score_:.3f}")
print(f"test accuracy of the refitted best model: {search.score(X_test, y_test):.3f}")

# %%
# For comparison, the least regularized model of the grid, fitted on the
# same training set and scored on the same test set.
weakest = clone(model).set_params(svmclassifier__alpha=alphas[0])
weakest.fit(X_train, y_train)
print(f"test accuracy at alpha={alphas[0]:.0e}: {weakest.score(X_test, y_test):.3f}")

# %%
# Validation curve
# ----------------
# The training accuracy falls steadily as ``alpha`` grows. The
# cross-validated accuracy estimates the accuracy on unseen data: with too
# little regularization the model fits its training folds (almost)
# perfectly but does worse on the held-out fold (overfitting); with too
# much, training and validation accuracy fall together (underfitting). The
# best ``alpha`` lies between these two regimes. Here it is 0.032, with a
# cross-validated accuracy of 0.970 and a test accuracy of 0.967, against
# 0.953 on the test set for the least regularized model of the grid.
results = search.cv_results_
fig, ax = plt.subplots(figsize=(6.5, 4.2))
for kind, label in [("train", "training"), ("test", "cross-validation")]:
    mean = results[f"mean_{kind}_score"]
    std = results[f"std_{kind}_score"]
    (line,) = ax.plot(alphas, mean, marker="o", label=f"{label} accuracy")
    ax.fill_between(alphas, mean - std, mean + std, color=line.get_color(), alpha=0.2)
ax.axvline(
    best_alpha, color="gray", linestyle="--", label=f"best alpha = {best_alpha:.2g}"
)
ax.set_xscale("log")
ax.set_xlabel("alpha (regularization strength)")
ax.set_ylabel("accuracy")
ax.set_title("Validation curve of SVMClassifier on digits")
ax.legend(loc="lower left")
fig.tight_layout()
plt.show()
