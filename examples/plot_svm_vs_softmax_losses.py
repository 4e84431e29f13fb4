"""
================================================
SVM and softmax losses on the lecture's examples
================================================

The lecture scores three images (a cat, a car and a frog) with some weights
and asks what each classifier's loss makes of them. The multiclass SVM (hinge)
loss is satisfied as soon as the correct class wins by the margin; the
softmax cross-entropy always wants a bigger win. This example prints both
losses for the lecture's three examples, then moves the correct-class score
of the cat example and draws each loss as a function of it.
"""

import matplotlib.pyplot as plt
import numpy as np

from sklinear.losses import multiclass_hinge, softmax_cross_entropy

# Rows are the (cat, car, frog) scores of the three training examples.
scores = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
labels = np.array([0, 1, 2])

for name, row, label in zip(["cat", "car", "frog"], scores, labels, strict=True):
    hinge, _ = multiclass_hinge(row[None, :], label[None])
    cross_entropy, _ = softmax_cross_entropy(row[None, :], label[None])
    print(f"{name:5s} hinge {hinge:6.2f}   cross-entropy {cross_entropy:6.3f}")
print(f"mean hinge loss L = {multiclass_hinge(scores, labels)[0]:.2f}")

# %%
# Move the cat score of the cat example: the hinge loss reaches exactly 0
# once the cat beats the car (5.1) by the margin of 1; the cross-entropy only
# approaches 0.
cat_scores = np.linspace(0.0, 10.0, 201)
moved = np.repeat(scores[:1], len(cat_scores), axis=0)
moved[:, 0] = cat_scores
y = np.zeros(len(cat_scores), dtype=int)
# The losses return a mean over rows, so score each row on its own.
hinge = [multiclass_hinge(row[None, :], y[:1])[0] for row in moved]
cross_entropy = [softmax_cross_entropy(row[None, :], y[:1])[0] for row in moved]

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(cat_scores, hinge, label="multiclass SVM (hinge)")
ax.plot(cat_scores, cross_entropy, label="softmax (cross-entropy)")
ax.axvline(5.1 + 1.0, color="gray", linestyle=":", label="car score + margin")
ax.set_xlabel("score of the correct class (cat)")
ax.set_ylabel("loss of the cat example")
ax.legend()
ax.set_title("The SVM is satisfied at the margin; softmax never is")
fig.tight_layout()
plt.show()
