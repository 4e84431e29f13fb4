"""
=============================
sklinear next to scikit-learn
=============================

sklinear writes the objective as the lecture does, a mean data loss plus
:math:`\\alpha \\sum W^2`, while scikit-learn's
:class:`~sklearn.linear_model.LogisticRegression` multiplies the summed loss
by ``C`` and adds :math:`\\frac{1}{2} \\|W\\|^2`. Dividing the latter by
``C * n_samples`` shows that the two are the same problem when
``C = 1 / (2 * n_samples * alpha)`` (for three or more classes). The first
part of this example fits the softmax classifier both ways on the digits and
checks that the two solutions coincide.

The second part puts the two multiclass SVMs of sklinear (Weston-Watkins and
Crammer-Singer) next to scikit-learn's :class:`~sklearn.svm.LinearSVC`
(one-vs-rest squared hinge, by liblinear) and
:class:`~sklearn.linear_model.SGDClassifier` (one-vs-rest hinge, by
stochastic gradient descent) on a train/test split of the digits, and
compares their test accuracy and fit time. These are four different
objectives and optimizers, each with its default regularization, so the
comparison says how they behave out of the box, not which formulation is
better.
"""

import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from sklinear import SoftmaxClassifier, SVMClassifier
from sklinear.losses import softmax_cross_entropy

# %%
# The same softmax problem, solved twice
# --------------------------------------
#
# On the standardized digits (1797 samples, 10 classes), ``alpha`` in
# sklinear corresponds to ``C = 1 / (2 n alpha)`` in
# :class:`~sklearn.linear_model.LogisticRegression`. Both solvers get a small
# ``tol`` (and scikit-learn more than its default 100 iterations) so that both
# reach the optimum to many digits.
#
# All fits run with BLAS limited to one thread: on a small machine shared
# with other processes, waking a second BLAS thread for products as small as
# these costs far more than the product itself, and would make timings
# measure the neighbours rather than the solvers.
X_digits, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X_digits)
n_samples = X.shape[0]
alpha = 1e-3

with threadpool_limits(1):
    softmax = SoftmaxClassifier(alpha=alpha, tol=1e-8).fit(X, y)
    logistic = LogisticRegression(
        C=1 / (2 * n_samples * alpha), tol=1e-8, max_iter=1000
    ).fit(X, y)


def softmax_objective(coef, intercept):
    """Mean cross-entropy plus ``alpha`` times the sum of squared weights."""
    data_loss, _ = softmax_cross_entropy(X @ coef.T + intercept, y)
    return data_loss + alpha * np.sum(coef**2)


# The intercepts are defined up to a common shift: compare them centred.
intercept_gap = np.abs(
    (softmax.intercept_ - softmax.intercept_.mean())
    - (logistic.intercept_ - logistic.intercept_.mean())
)
coef_gap = np.abs(softmax.coef_ - logistic.coef_)
print(f"alpha = {alpha:g}, C = {1 / (2 * n_samples * alpha):.4f}")
print(f"max |coef_ difference|      = {coef_gap.max():.2e}")
print(f"max |intercept_ difference| = {intercept_gap.max():.2e} (after centring)")
objective_sklinear = softmax_objective(softmax.coef_, softmax.intercept_)
objective_sklearn = softmax_objective(logistic.coef_, logistic.intercept_)
print(f"objective, SoftmaxClassifier  = {objective_sklinear:.14f}")
print(f"objective, LogisticRegression = {objective_sklearn:.14f}")
gap = objective_sklearn - objective_sklinear
print(f"difference (scikit-learn minus sklinear) = {gap:.1e}")

fig, axes = plt.subplots(1, 3, figsize=(14, 4.5))
ax = axes[0]
ax.scatter(logistic.coef_.ravel(), softmax.coef_.ravel(), s=8, alpha=0.6)
lim = np.abs(softmax.coef_).max() * 1.05
ax.plot([-lim, lim], [-lim, lim], color="gray", linestyle=":", label="diagonal")
ax.set_xlabel("LogisticRegression coef_")
ax.set_ylabel("SoftmaxClassifier coef_")
ax.set_title(f"Same problem, same weights ({softmax.coef_.size} entries)")
ax.set_aspect("equal")
ax.legend()

# %%
# Four linear SVMs on a train/test split
# --------------------------------------
#
# The scaler is fitted on the training set only. sklinear's default
# ``alpha=1e-4`` regularizes little, and at that value the smoothing
# continuation of the Weston-Watkins SVM takes more than 1000 L-BFGS
# iterations on this data (``n_iter_`` is printed below), so ``max_iter`` is
# set explicitly. Each fit is timed three times and the median kept.
X_train, X_test, y_train, y_test = train_test_split(
    X_digits, y, test_size=0.25, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

classifiers = {
    "SVMClassifier\n(hinge)": SVMClassifier(max_iter=5000),
    "SVMClassifier\n(crammer_singer)": SVMClassifier(
        loss="crammer_singer", max_iter=5000
    ),
    "LinearSVC": LinearSVC(random_state=0),
    "SGDClassifier": SGDClassifier(random_state=0),
}
accuracies, fit_times = {}, {}
with threadpool_limits(1):  # one BLAS thread, as above
    for name, clf in classifiers.items():
        times = []
        for _ in range(3):
            start = time.perf_counter()
            clf.fit(X_train, y_train)
            times.append(time.perf_counter() - start)
        fit_times[name] = np.median(times)
        accuracies[name] = clf.score(X_test, y_test)
        print(
            f"{name.replace(chr(10), ' '):32s} test accuracy {accuracies[name]:.3f}"
            f"   fit time {fit_times[name]:.3f} s   n_iter_ {clf.n_iter_}"
        )

# %%
# All four reach a similar test accuracy; their fit times differ more, and
# depend on the regularization and the stopping rule as much as on the
# optimizer.
names = list(classifiers)
colors = ["tab:blue", "tab:blue", "tab:orange", "tab:orange"]
positions = np.arange(len(names))

ax = axes[1]
bars = ax.bar(positions, [accuracies[name] for name in names], color=colors)
ax.bar_label(bars, fmt="%.3f")
ax.set_ylim(0.9, 1.0)
ax.set_ylabel("test accuracy")
ax.set_title("Test accuracy on the digits")

ax = axes[2]
bars = ax.bar(positions, [fit_times[name] for name in names], color=colors)
ax.bar_label(bars, fmt="%.2f s")
ax.set_ylabel("fit time (s, median of 3, one BLAS thread)")
ax.set_title("Fit time")

for ax in axes[1:]:
    ax.set_xticks(positions, names, fontsize=8)
fig.tight_layout()
plt.show()
