"""
======================
Learning from a stream
======================

When the data do not fit in memory, or arrive over time, a model has to learn
from one batch at a time. Mini-batch SGD does that naturally: each step looks
at a few rows only. ``partial_fit`` (available with ``optimizer="sgd"``) runs
one epoch of SGD over the batch it is given and carries the step counter, the
average of the iterates and the step size over to the next call.

This example feeds the standardized digits to a softmax classifier in batches
of about 100 rows, for several passes, and compares it with ``fit`` of the same
model on the whole training set for the same number of passes, and with the
exact optimum found by L-BFGS. The left panel shows the objective, the right
panel the accuracy on held-out data after each pass.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklinear import SoftmaxClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
classes = np.unique(y_train)

# The stream: the training rows, cut into batches of about 100.
batches = np.array_split(np.arange(len(y_train)), len(y_train) // 100)
print(f"{len(y_train)} training rows in {len(batches)} batches")

# %%
# The model
# ---------
# Averaged SGD in mini-batches of 10 rows (about 10 steps per batch of the
# stream). The ``"invscaling"`` schedule shrinks the step as
# ``learning_rate / sqrt(t)`` with the step counter ``t``, which carries over
# from one ``partial_fit`` call to the next. The default ``"adaptive"``
# schedule shrinks the step after ``n_iter_no_change`` epochs without
# improvement, counted within one call, so a stream of one-epoch calls keeps
# its first step. The step is set by hand so that the stream and ``fit`` start
# from the same one (with ``"auto"`` each would calibrate it on the first rows
# it sees).
model = SoftmaxClassifier(
    alpha=1e-3,
    optimizer="sgd",
    batch_size=10,
    learning_rate=1.0,
    schedule="invscaling",
    average=True,
    random_state=0,
)
n_passes = 20

# %%
# Learning from the stream
# ------------------------
# One call of ``partial_fit`` per batch. ``classes`` lists all the digits
# (it is required on the first call), since a batch need not contain every
# one. After each pass the model is scored on the test set and its objective
# is computed on the whole training set.
stream = clone(model)
test_accuracy, train_objective = [], []
for _ in range(n_passes):
    for rows in batches:
        stream.partial_fit(X_train[rows], y_train[rows], classes=classes)
    test_accuracy.append(stream.score(X_test, y_test))
    train_objective.append(stream.objective(X_train, y_train))
print(
    f"stream after {n_passes} passes: objective {train_objective[-1]:.4f}, "
    f"test accuracy {test_accuracy[-1]:.3f}"
)

# %%
# The same model with ``fit``
# ---------------------------
# ``fit`` runs the same SGD on all the training rows, one epoch per iteration.
# Capped at the stream's number of passes it stops before its stopping rule
# fires, by design here, so its ConvergenceWarning is expected. L-BFGS gives
# the optimum of the objective.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", category=ConvergenceWarning)
    batch_fit = clone(model).set_params(max_iter=n_passes).fit(X_train, y_train)
exact = SoftmaxClassifier(alpha=1e-3).fit(X_train, y_train)
for name, clf in [(f"fit, {n_passes} epochs", batch_fit), ("L-BFGS", exact)]:
    print(
        f"{name}: objective {clf.objective_:.4f}, "
        f"test accuracy {clf.score(X_test, y_test):.3f}"
    )

# %%
# The stream's ``loss_curve_`` has one entry per ``partial_fit`` call: the
# objective on that call's batch, a noisy estimate of the objective on the
# whole training set (dots). With the same data, the same step sizes and
# about as many steps per pass, the stream follows ``fit``'s curve closely,
# although its rows are shuffled only within each batch rather than across the
# training set. Both approach the optimum slowly, as averaged SGD with a
# decreasing step does, and the test accuracy of the stream climbs toward that
# of the exact solution.
calls = np.arange(1, len(stream.loss_curve_) + 1) / len(batches)
passes = np.arange(1, n_passes + 1)

fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4.5))
ax_loss.plot(
    calls,
    stream.loss_curve_,
    color="C0",
    alpha=0.4,
    linewidth=0.8,
    label="stream, on each batch (loss_curve_)",
)
ax_loss.plot(passes, train_objective, "o", color="C0", label="stream, after each pass")
ax_loss.plot(
    np.arange(1, batch_fit.n_iter_ + 1),
    batch_fit.loss_curve_,
    color="C1",
    label="fit",
)
ax_loss.axhline(exact.objective_, color="k", linestyle="--", label="optimum (L-BFGS)")
ax_loss.set(xlabel="pass over the training data", ylabel="objective")
ax_loss.set_title("Objective")
ax_loss.legend()

ax_acc.plot(passes, test_accuracy, "o-", color="C0", label="stream (partial_fit)")
ax_acc.axhline(
    batch_fit.score(X_test, y_test), color="C1", label=f"fit, {n_passes} epochs"
)
ax_acc.axhline(exact.score(X_test, y_test), color="k", linestyle="--", label="L-BFGS")
ax_acc.set(xlabel="pass over the training data", ylabel="test accuracy")
ax_acc.set_title("Accuracy on held-out data")
ax_acc.legend(loc="lower right")
fig.tight_layout()
plt.show()
