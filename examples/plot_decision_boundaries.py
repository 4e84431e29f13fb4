"""
=================================================
Decision boundaries of the SVM and of the softmax
=================================================

Both classifiers score every class with the same linear function
:math:`s = x W + b` and predict the class with the largest score, so both cut
the plane into regions separated by straight lines. They differ in which
training samples shape those lines. The multiclass SVM loss is zero for a
sample whose correct class wins by the margin: only the samples inside the
margin (or misclassified) have a nonzero hinge loss and enter its gradient,
much like the support vectors of a kernel SVM. The softmax cross-entropy is
positive for every sample, so every sample pulls on the weights, however
well it is classified.

The top row fits both classifiers to three blobs; the samples with a nonzero
hinge loss are circled. The bottom row fits two classes: for the SVM the
dashed lines are ``decision_function = -1`` and ``+1``, the two margins, and
for the softmax the background shows the predicted probability of the second
class.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, ListedColormap
from sklearn.datasets import make_blobs
from sklearn.inspection import DecisionBoundaryDisplay

from sklinear import SoftmaxClassifier, SVMClassifier

# %%
# Three classes
# -------------
#
# The features are on comparable scales, so no scaling is needed.
# ``alpha=0.01`` keeps the weights small enough for the margins to be seen.
X, y = make_blobs(n_samples=150, centers=3, cluster_std=1.2, random_state=1)
alpha = 0.01
svm = SVMClassifier(alpha=alpha).fit(X, y)
softmax = SoftmaxClassifier(alpha=alpha).fit(X, y)

# %%
# The hinge loss of each sample, from the scores :math:`s = x W + b` that
# ``decision_function`` returns: every wrong class that comes within the margin
# of 1 of the correct class adds its violation.
scores = svm.decision_function(X)
correct = scores[np.arange(len(y)), y][:, np.newaxis]
violations = np.maximum(0.0, scores - correct + 1.0)
violations[np.arange(len(y)), y] = 0.0
hinge = violations.sum(axis=1)
inside = hinge > 0
print(
    f"3 classes: SVM training accuracy {svm.score(X, y):.3f}, "
    f"{inside.sum()} of {len(y)} samples with nonzero hinge loss; "
    f"softmax training accuracy {softmax.score(X, y):.3f}"
)


colors = ["tab:blue", "tab:orange", "tab:green"]


def scatter(ax, X, y, circled=None):
    """Training samples colored by class; ``circled`` ones ringed in black."""
    cmap = ListedColormap(colors[: len(np.unique(y))])
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, s=20, edgecolors="k", lw=0.3)
    if circled is not None:
        ax.scatter(
            X[circled, 0],
            X[circled, 1],
            s=80,
            facecolors="none",
            edgecolors="k",
            linewidths=1.0,
            label="nonzero hinge loss",
        )


fig, axes = plt.subplots(2, 2, figsize=(10, 9))
displays = {}
for ax, clf, name in [(axes[0, 0], svm, "SVM"), (axes[0, 1], softmax, "softmax")]:
    displays[name] = DecisionBoundaryDisplay.from_estimator(
        clf, X, response_method="predict", multiclass_colors=colors, alpha=0.3, ax=ax
    )
    ax.set_title(f"{name}, 3 classes (training accuracy {clf.score(X, y):.2f})")

# %%
# A correctly classified sample has a nonzero hinge loss when its class wins
# by less than the margin, that is, when the gap between the two largest
# scores is below 1. The dashed lines mark where that gap equals 1 on the SVM
# panel: they run along each boundary, and with two classes they are the
# lines ``decision_function = -1`` and ``+1`` drawn below.
xx0, xx1 = displays["SVM"].xx0, displays["SVM"].xx1
top_two = np.sort(svm.decision_function(np.column_stack([xx0.ravel(), xx1.ravel()])))
gap = (top_two[:, -1] - top_two[:, -2]).reshape(xx0.shape)
axes[0, 0].contour(xx0, xx1, gap, levels=[1.0], colors="k", linestyles="--")
scatter(axes[0, 0], X, y, circled=inside)
scatter(axes[0, 1], X, y)
axes[0, 0].legend(loc="lower right")

# %%
# Two classes and the margins
# ---------------------------
#
# With two classes ``decision_function`` is the score difference
# :math:`d = s_1 - s_0`. The hinge loss of a sample of class 1 is
# :math:`\max(0, 1 - d)` and that of a sample of class 0 is
# :math:`\max(0, 1 + d)`, so a sample has zero loss exactly when it lies on
# its own side beyond the dashed line ``d = +1`` or ``d = -1``.
X2, y2 = make_blobs(n_samples=100, centers=2, cluster_std=1.6, random_state=3)
svm2 = SVMClassifier(alpha=alpha).fit(X2, y2)
softmax2 = SoftmaxClassifier(alpha=alpha).fit(X2, y2)

signed = np.where(y2 == svm2.classes_[1], 1.0, -1.0)
inside2 = signed * svm2.decision_function(X2) < 1
print(
    f"2 classes: SVM training accuracy {svm2.score(X2, y2):.3f}, "
    f"{inside2.sum()} of {len(y2)} samples inside the margins or misclassified"
)

ax = axes[1, 0]
DecisionBoundaryDisplay.from_estimator(
    svm2,
    X2,
    response_method="predict",
    cmap=ListedColormap(colors[:2]),
    alpha=0.3,
    ax=ax,
)
DecisionBoundaryDisplay.from_estimator(
    svm2,
    X2,
    response_method="decision_function",
    plot_method="contour",
    levels=[-1, 0, 1],
    colors="k",
    linestyles=["--", "-", "--"],
    ax=ax,
)
scatter(ax, X2, y2, circled=inside2)
ax.set_title("SVM, 2 classes: margins at decision_function = -1, +1")
ax.legend(loc="lower right")

# %%
# The softmax has no margin: its probability of class 1 goes smoothly from 0
# to 1 across the boundary, and the width of that transition shrinks as the
# weights grow.
ax = axes[1, 1]
display = DecisionBoundaryDisplay.from_estimator(
    softmax2,
    X2,
    response_method="predict_proba",
    plot_method="pcolormesh",
    cmap=LinearSegmentedColormap.from_list("proba", [colors[0], "white", colors[1]]),
    alpha=0.5,
    vmin=0,
    vmax=1,
    ax=ax,
)
fig.colorbar(display.surface_, ax=ax, label="P(class 1)")
ax.contour(display.xx0, display.xx1, display.response, levels=[0.5], colors="k")
scatter(ax, X2, y2)
ax.set_title("softmax, 2 classes: P(class 1)")

for ax in axes.ravel():
    ax.set_xlabel("feature 0")
    ax.set_ylabel("feature 1")
fig.tight_layout()
plt.show()
