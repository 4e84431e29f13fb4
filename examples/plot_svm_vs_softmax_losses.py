"""
================================================
SVM and softmax losses on the lecture's examples
================================================

The lecture scores three images (a cat, a car and a frog) with some weights
and asks what each classifier's loss makes of them. The multiclass SVM (hinge)
loss is satisfied as soon as the correct class wins by the margin; the
softmax cross-entropy always wants a bigger win. This example prints both
losses for the lecture's three examples and for its "jiggle" question, then
moves the correct-class score of each example and draws both losses as a
function of it.
"""

import matplotlib.pyplot as plt
import numpy as np

from sklinear.losses import multiclass_hinge, softmax_cross_entropy

# Rows are the (cat, car, frog) scores of the three training examples.
scores = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
labels = np.array([0, 1, 2])
names = ["cat", "car", "frog"]


def per_example(loss, scores, labels):
    """The loss of each row on its own (the loss functions return a mean)."""
    return np.array(
        [loss(s[None, :], y[None])[0] for s, y in zip(scores, labels, strict=True)]
    )


hinge = per_example(multiclass_hinge, scores, labels)
cross_entropy = per_example(softmax_cross_entropy, scores, labels)
for name, h, ce in zip(names, hinge, cross_entropy, strict=True):
    print(f"{name:5s} hinge {h:6.2f}   cross-entropy {ce:6.3f}")
print(f"mean hinge loss L = {multiclass_hinge(scores, labels)[0]:.2f}")

# %%
# The jiggle question
# -------------------
# All three score vectors below put the correct class (the first) ahead by at
# least the margin, so a small jiggle of the scores leaves the hinge loss at
# exactly 0. The cross-entropy is positive for all three, and largest where
# the other classes come closest.
jiggle = np.array([[10.0, -2.0, 3.0], [10.0, 9.0, 9.0], [10.0, -100.0, -100.0]])
first = np.zeros(3, dtype=int)
jiggle_hinge = per_example(multiclass_hinge, jiggle, first)
jiggle_ce = per_example(softmax_cross_entropy, jiggle, first)
for row, h, ce in zip(jiggle, jiggle_hinge, jiggle_ce, strict=True):
    print(f"scores {row}: hinge {h:.1f}, cross-entropy {ce:.3g}")

# %%
# Moving the correct-class score
# ------------------------------
# Each curve moves one example's correct-class score and keeps the others. The
# hinge loss is a sum of ramps that reaches exactly 0 once the correct score
# beats the best other score by the margin of 1 (dotted lines); the
# cross-entropy only approaches 0.
shift = np.linspace(-6.0, 9.0, 301)
fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharex=True)
for k, (row, label, name) in enumerate(zip(scores, labels, names, strict=True)):
    moved = np.repeat(row[None, :], len(shift), axis=0)
    moved[:, label] = row[label] + shift
    repeated = np.full(len(shift), label)
    color = f"C{k}"
    axes[0].plot(shift, per_example(multiclass_hinge, moved, repeated), color=color)
    axes[1].plot(
        shift,
        per_example(softmax_cross_entropy, moved, repeated),
        color=color,
        label=name,
    )
    best_other = np.delete(row, label).max()
    for ax in axes:
        ax.axvline(best_other + 1.0 - row[label], color=color, linestyle=":")
axes[0].set_title("multiclass SVM (hinge)")
axes[1].set_title("softmax (cross-entropy)")
for ax in axes:
    ax.set_xlabel("change of the correct-class score")
axes[0].set_ylabel("loss of the example")
axes[1].legend(title="example")
fig.suptitle("The SVM is satisfied at the margin; softmax never is")
fig.tight_layout()
plt.show()
