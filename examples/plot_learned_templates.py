"""
============================
Learned weights as templates
============================

A linear classifier scores an image :math:`x` for class :math:`k` by the dot
product of :math:`x` with row :math:`k` of ``coef_``, plus the intercept.
Each row is therefore a *template* of its class, with one weight per pixel:
the score is high when the bright pixels of the image fall where the template
is positive, and low when they fall where it is negative. Classification is
template matching, with one template per class.

This example trains :class:`~sklinear.SVMClassifier` and
:class:`~sklinear.SoftmaxClassifier` on the 8x8 images of handwritten digits
and draws the ten rows of ``coef_`` of each as 8x8 images. Red pixels vote for
the class, blue pixels against it.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from sklinear import SoftmaxClassifier, SVMClassifier

# %%
# Train both classifiers
# ----------------------
# The pixels take the values 0 to 16. Dividing by 16 maps them to [0, 1]
# without moving or mixing them, so every weight stays the weight of one
# pixel and a row of ``coef_`` can be drawn as an image. (A
# ``StandardScaler`` would divide each pixel by its own standard deviation,
# and the weights would have to be divided by it too before drawing.) A
# strong L2 penalty, ``alpha=0.1``, keeps the templates smooth and readable;
# a smaller ``alpha`` fits the training images more closely and gives
# noisier templates. (The example
# :ref:`sphx_glr_auto_examples_plot_tuning_alpha.py` picks ``alpha`` for
# accuracy instead.)
X, y = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

classifiers = {
    "multiclass SVM": SVMClassifier(alpha=0.1, random_state=0),
    "softmax": SoftmaxClassifier(alpha=0.1, random_state=0),
}
for name, clf in classifiers.items():
    clf.fit(X_train, y_train)
    print(
        f"{name:15s} train accuracy {clf.score(X_train, y_train):.3f}, "
        f"test accuracy {clf.score(X_test, y_test):.3f}"
    )

# %%
# Draw the templates
# ------------------
# Row ``k`` of ``coef_`` has 64 weights, one per pixel; reshaped to 8x8 it
# shows which pixels raise the score of digit ``k``. The two losses give
# weights of different sizes, so each classifier's row of images has its own
# symmetric color scale, with white at zero weight.
fig, axes = plt.subplots(2, 10, figsize=(11, 3.2), layout="constrained")
for ax_row, (name, clf) in zip(axes, classifiers.items(), strict=True):
    limit = np.abs(clf.coef_).max()
    for ax, label, template in zip(ax_row, clf.classes_, clf.coef_, strict=True):
        image = ax.imshow(
            template.reshape(8, 8), cmap="RdBu_r", vmin=-limit, vmax=limit
        )
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(str(label))
    ax_row[0].set_ylabel(name)
    fig.colorbar(image, ax=ax_row, shrink=0.8, label="weight")
fig.suptitle("Each row of coef_ is a template: the score is its dot product with x")

# %%
# Many templates look like blurred digits, most clearly in the softmax row:
# the 0 is a ring around a negative center, the 7 a bar over a stroke going
# down. A template does not only match its own digit: it must separate it
# from all the others, so it also puts negative weight on pixels that other
# digits use and its own does not (the center of the 0). And a linear
# classifier has a single template per class, so a digit written in several
# ways must make do with one blend of them.
plt.show()
