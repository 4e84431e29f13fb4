r"""
==============
Regularization
==============

The objective adds ``alpha`` times a penalty :math:`R(W)` to the data loss.
The penalty expresses a preference among weights that fit the data about
equally well: L2, :math:`\sum W_{kl}^2`, spreads the weight over many
features, while L1, :math:`\sum |W_{kl}|`, prefers sparse weights, with
many entries exactly zero. Elastic net mixes the two.

This example fits :class:`~sklinear.SoftmaxClassifier` with the three
penalties on standardized digits over a range of ``alpha`` and draws the
fraction of coefficients that are exactly zero and the test accuracy against
``alpha``, then shows which pixels each model uses at one value of ``alpha``.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklinear import SoftmaxClassifier

# %%
# Data
# ----
# The 64 pixels are standardized with statistics of the training set. A few
# pixels are zero in every training image: they become the constant 0, and
# no penalty gives them any weight.
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train = scaler.transform(X_train)
X_test = scaler.transform(X_test)
n_constant = int(np.sum(X_train.std(axis=0) == 0))
print(f"{n_constant} of the 64 pixels are constant on the training set")

# %%
# Regularization paths
# --------------------
# With ``penalty="l1"`` or ``"elasticnet"``, ``optimizer="auto"`` picks the
# proximal gradient descent ``"gd"``, whose soft-thresholding step sets small
# weights to exactly zero; ``"l2"`` is fitted by L-BFGS. The elastic net
# below puts half of its weight on each part (``l1_ratio=0.5``). Each path
# runs from strong to weak regularization with ``warm_start=True``, so every
# fit starts from the solution of the previous ``alpha``.
alphas = np.logspace(0, -4, 17)
penalties = {
    "L2": SoftmaxClassifier(penalty="l2"),
    "L1": SoftmaxClassifier(penalty="l1"),
    "elastic net": SoftmaxClassifier(penalty="elasticnet", l1_ratio=0.5),
}

zero_fraction = {}
test_accuracy = {}
coefs = {}
for name, estimator in penalties.items():
    clf = clone(estimator).set_params(warm_start=True, random_state=0)
    zero_fraction[name], test_accuracy[name], coefs[name] = [], [], []
    for alpha in alphas:
        clf.set_params(alpha=alpha).fit(X_train, y_train)
        zero_fraction[name].append(np.mean(clf.coef_ == 0))
        test_accuracy[name].append(clf.score(X_test, y_test))
        coefs[name].append(clf.coef_.copy())
    print(f"{name} ({clf.optimizer_}):")
    for i in range(0, len(alphas), 4):
        print(
            f"  alpha={alphas[i]:.0e}  zero coefficients "
            f"{zero_fraction[name][i]:6.1%}  test accuracy "
            f"{test_accuracy[name][i]:.3f}"
        )

fig, (ax_zero, ax_acc) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
for name in penalties:
    ax_zero.plot(alphas, zero_fraction[name], marker="o", markersize=3, label=name)
    ax_acc.plot(alphas, test_accuracy[name], marker="o", markersize=3, label=name)
ax_zero.axhline(n_constant / 64, color="gray", linestyle=":", label="constant pixels")
ax_zero.set_ylabel("fraction of coefficients exactly zero")
ax_acc.set_ylabel("test accuracy")
for ax in (ax_zero, ax_acc):
    ax.set_xscale("log")
    ax.set_xlabel("alpha (regularization strength)")
    ax.legend()
fig.suptitle("SoftmaxClassifier on standardized digits")

# %%
# The L2 weights are never exactly zero, except on the constant pixels (the
# dotted line), whose gradient is zero. L1 and elastic net zero out more
# weights as ``alpha`` grows, L1 faster than elastic net, until every weight
# is zero and the model predicts a single class (test accuracy 0.102). L1
# is sparse even at the smallest ``alpha`` of the path. For small ``alpha``,
# the sparse models are about as accurate as the L2 model; as ``alpha``
# grows, all three lose accuracy, the sparse ones sooner.
#
# Which pixels are used?
# ----------------------
# At ``alpha=1e-2``, draw for every pixel the number of classes (out of 10)
# whose weight on it is not zero. The L2 model uses every non-constant pixel
# for every class; the L1 model keeps a few pixels per class, and almost
# none at the left and right borders of the image.
index = int(np.argmin(np.abs(alphas - 1e-2)))
fig, axes = plt.subplots(1, 3, figsize=(9, 3.4), layout="constrained")
for ax, name in zip(axes, penalties, strict=True):
    n_used = np.sum(coefs[name][index] != 0, axis=0).reshape(8, 8)
    image = ax.imshow(n_used, cmap="viridis", vmin=0, vmax=10)
    ax.set_title(f"{name}: {zero_fraction[name][index]:.0%} zeros")
    ax.set_xticks([])
    ax.set_yticks([])
fig.colorbar(image, ax=axes, label="classes with a nonzero weight")
fig.suptitle(f"Pixels used at alpha = {alphas[index]:.0e}")
plt.show()
