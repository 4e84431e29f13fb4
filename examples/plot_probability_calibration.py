"""
=============
Probabilities
=============

The softmax classifier reads its scores as unnormalized log probabilities and
is trained to maximize the likelihood of the training labels, so its
``predict_proba`` estimates :math:`P(Y = k \\mid x)`, and is often close to
calibrated: among the samples given a probability of 0.8, about 80 % are
positive. The SVM's scores have no such meaning. Its loss is zero once the
correct class wins by the margin, so it gains nothing from larger scores,
and their scale is set by the margin and ``alpha`` rather than by any
likelihood. :class:`~sklinear.SVMClassifier` therefore has no
``predict_proba``.

This example draws calibration curves (fraction of positives against mean
predicted probability, in bins) on a binary problem for four sets of
predictions: the softmax probabilities; the SVM scores pushed through the
same logistic function, as if they were softmax scores, for margins 1 and 2;
and the SVM wrapped in :class:`~sklearn.calibration.CalibratedClassifierCV`,
which fits a sigmoid to its scores on held-out folds (Platt scaling).
Histograms below show how the predicted probabilities are spread.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.gridspec import GridSpec
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV, CalibrationDisplay
from sklearn.metrics import brier_score_loss, log_loss
from sklearn.model_selection import train_test_split

from sklinear import SoftmaxClassifier, SVMClassifier

# %%
# Data and classifiers
# --------------------
#
# Two Gaussian classes in 10 dimensions with the identity covariance, whose
# means differ by 3 along the first feature. For such data the true
# :math:`P(Y = 1 \mid x)` is exactly the logistic function of :math:`3 x_0`,
# so the softmax model is well specified. 1000 samples train the
# classifiers; the test set is large, so that every bin of the calibration
# curves holds many samples. Both classifiers use the same ``alpha``.
rng = np.random.RandomState(0)
n_samples, n_features, half_gap = 20_000, 10, 1.5
y = rng.randint(2, size=n_samples)
X = rng.normal(size=(n_samples, n_features))
X[:, 0] += half_gap * (2 * y - 1)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=1000, random_state=0
)
alpha = 1e-3
softmax = SoftmaxClassifier(alpha=alpha).fit(X_train, y_train)
svm = SVMClassifier(alpha=alpha).fit(X_train, y_train)
calibrated_svm = CalibratedClassifierCV(
    SVMClassifier(alpha=alpha), method="sigmoid", cv=5
).fit(X_train, y_train)

# %%
# The scale of the SVM's scores is a convention: writing
# :math:`W = \Delta U`, the objective with margin :math:`\Delta` is
# :math:`\Delta` times the objective with margin 1 and ``alpha`` multiplied
# by :math:`\Delta`. When ``alpha`` barely matters, doubling the margin
# therefore roughly doubles the scores and leaves the predictions unchanged.
svm_margin_2 = SVMClassifier(margin=2.0, alpha=alpha).fit(X_train, y_train)
scores = svm.decision_function(X_test)
scores_margin_2 = svm_margin_2.decision_function(X_test)
print(f"test accuracy: softmax {softmax.score(X_test, y_test):.3f}, ", end="")
print(f"SVM {svm.score(X_test, y_test):.3f}")
print(
    "norm of coef_ relative to the softmax's: "
    f"SVM (margin 1) {np.linalg.norm(svm.coef_) / np.linalg.norm(softmax.coef_):.2f}, "
    f"SVM (margin 2) "
    f"{np.linalg.norm(svm_margin_2.coef_) / np.linalg.norm(softmax.coef_):.2f}"
)
print(
    "SVM margins 1 and 2 predict the same class for "
    f"{np.mean((scores > 0) == (scores_margin_2 > 0)):.2%} of the test samples"
)

# %%
# With two classes ``decision_function`` is the score difference
# :math:`s_1 - s_0`, and the softmax of the scores :math:`(s_0, s_1)` gives
# class 1 the probability :math:`\sigma(s_1 - s_0)`, :math:`\sigma` the
# logistic function. Applying :math:`\sigma` to the SVM's score difference
# is therefore what the softmax would make of the SVM's scores.
probabilities = {
    "SoftmaxClassifier": softmax.predict_proba(X_test)[:, 1],
    "logistic of SVM scores": expit(scores),
    "logistic of SVM scores, margin 2": expit(scores_margin_2),
    "SVM + CalibratedClassifierCV": calibrated_svm.predict_proba(X_test)[:, 1],
}
# The true probabilities, sigma(3 x_0), for reference.
true_proba = expit(2 * half_gap * X_test[:, 0])
for name, proba in [*probabilities.items(), ("true P(Y = 1 | x)", true_proba)]:
    print(
        f"{name:34s} Brier score {brier_score_loss(y_test, proba):.4f}"
        f"   log loss {log_loss(y_test, proba):.4f}"
    )

# %%
# Calibration curves and histograms
# ---------------------------------
#
# A calibrated classifier follows the diagonal. The softmax stays close to
# it. The logistic of the SVM scores with margin 1 is S-shaped, below the
# diagonal under 0.5 and above it over 0.5: it is under-confident, because
# the SVM's scores are smaller than log probabilities would be. With margin
# 2 the scores roughly double and the curve bends the other way, an
# over-confident model with the same predictions: the margin, a convention,
# sets the scale. Platt scaling instead fits the scale (and an offset) to
# held-out folds. The histograms show the same thing as spread: the larger
# the scores, the more predictions are pushed towards 0 and 1.
fig = plt.figure(figsize=(12, 9))
grid = GridSpec(3, 4, figure=fig)
ax_curve = fig.add_subplot(grid[:2, :])
colors = ["tab:blue", "tab:red", "tab:purple", "tab:green"]
for (name, proba), color in zip(probabilities.items(), colors, strict=True):
    CalibrationDisplay.from_predictions(
        y_test, proba, n_bins=10, name=name, ax=ax_curve, color=color
    )
ax_curve.set_title(f"Calibration curves on {len(y_test)} test samples")

for col, ((name, proba), color) in enumerate(
    zip(probabilities.items(), colors, strict=True)
):
    ax = fig.add_subplot(grid[2, col])
    ax.hist(proba, bins=20, range=(0, 1), color=color)
    ax.set_title(name, fontsize=9)
    ax.set_xlabel("predicted probability of class 1")
    ax.set_ylabel("count")
fig.tight_layout()
plt.show()
