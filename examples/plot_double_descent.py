"""
=============================================
But things can be complicated: double descent
=============================================

The classical picture says that test error first falls and then rises as a
model gets more parameters: first it underfits, then it overfits. Yet models
with far more parameters than training samples often do well. Between the
two regimes, test error can peak where the model has just enough parameters
to fit the training set exactly, and fall again beyond: "double descent".
Regularization removes the peak.

Here the model is a softmax classifier on random ReLU features of the digits,
:math:`\\max(0, x W_\\text{rand})` for a fixed Gaussian matrix
:math:`W_\\text{rand}`, trained on 200 digits. It has
``n_features * n_classes`` weights, so it can fit 200 training labels with
far fewer than 200 features. The figure shows test error, training error and
the size of the weights against the number of features, for a nearly
unregularized model (``alpha=1e-8``) and for one whose ``alpha`` is tuned by
cross-validation on the training set, both trained on labels of which 20 %
were replaced by random ones, and for the nearly unregularized model trained
on the clean labels. In this setup the peak needs the label noise: with the
clean labels the test error does not rise.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.preprocessing import StandardScaler

from sklinear import SoftmaxClassifier

# %%
# Random ReLU features
# --------------------
#
# For each seed: a stratified split with 200 training digits (the other 1597
# are the test set, with their true labels), noisy training labels, and a
# Gaussian projection of the standardized digits. The first ``n_features``
# columns of the projection give the features of each model size.
X, y = load_digits(return_X_y=True)
n_train, n_classes, label_noise = 200, 10, 0.2
feature_counts = np.unique(np.geomspace(5, 700, 13).astype(int))
alphas = [1e-3, 1e-2, 1e-1, 1.0]
seeds = [0, 1]


def random_relu_split(seed):
    """Random ReLU features of a train/test split; clean and noisy labels."""
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=n_train, stratify=y, random_state=seed
    )
    rng = np.random.RandomState(seed)
    # With probability label_noise, a training label is replaced by a class
    # drawn at random (possibly the same one).
    replaced = rng.rand(n_train) < label_noise
    y_noisy = y_train.copy()
    y_noisy[replaced] = rng.randint(n_classes, size=replaced.sum())
    scaler = StandardScaler().fit(X_train)
    W_rand = rng.normal(size=(X.shape[1], feature_counts.max())) / np.sqrt(X.shape[1])
    F_train = np.maximum(scaler.transform(X_train) @ W_rand, 0.0)
    F_test = np.maximum(scaler.transform(X_test) @ W_rand, 0.0)
    return F_train, F_test, y_train, y_noisy, y_test


# %%
# Three models per size
# ---------------------
#
# ``alpha=1e-8`` barely regularizes, but keeps the minimizer finite once the
# training set can be separated; near that point L-BFGS needs a few thousand
# iterations, hence ``max_iter=10_000``. The tuned ``alpha`` is the best of
# four values by 3-fold cross-validation on the 200 noisy training samples
# (``GridSearchCV`` then refits on all 200); the test set plays no part in
# the choice.
curves = [
    "noisy labels, alpha=1e-8",
    "noisy labels, alpha tuned by CV",
    "clean labels, alpha=1e-8",
]
shape = (len(seeds), len(feature_counts))
test_error = {name: np.zeros(shape) for name in curves}
train_error = {name: np.zeros(shape) for name in curves}
coef_norm = {name: np.zeros(shape) for name in curves}
chosen_alpha = np.zeros(shape)

for s, seed in enumerate(seeds):
    F_train, F_test, y_clean, y_noisy, y_test = random_relu_split(seed)
    for j, n_features in enumerate(feature_counts):
        f_train, f_test = F_train[:, :n_features], F_test[:, :n_features]
        tuned = GridSearchCV(SoftmaxClassifier(), {"alpha": alphas}, cv=3)
        models = {
            curves[0]: (SoftmaxClassifier(alpha=1e-8, max_iter=10_000), y_noisy),
            curves[1]: (tuned, y_noisy),
            curves[2]: (SoftmaxClassifier(alpha=1e-8, max_iter=10_000), y_clean),
        }
        for name, (model, labels) in models.items():
            model.fit(f_train, labels)
            test_error[name][s, j] = 1 - model.score(f_test, y_test)
            train_error[name][s, j] = 1 - model.score(f_train, labels)
            fitted = model.best_estimator_ if model is tuned else model
            coef_norm[name][s, j] = np.linalg.norm(fitted.coef_)
        chosen_alpha[s, j] = tuned.best_params_["alpha"]

# %%
# Test error, averaged over the seeds, and for each curve the largest rise
# between consecutive sizes and where the training error (on the labels the
# model was fitted to) first reaches zero for every seed.
print(f"{'n_features':>10s}" + "".join(f"{name:>34s}" for name in curves))
for j, n_features in enumerate(feature_counts):
    row = "".join(f"{test_error[name][:, j].mean():34.3f}" for name in curves)
    print(f"{n_features:10d}{row}")
for name in curves:
    mean_test = test_error[name].mean(axis=0)
    k = np.argmax(np.diff(mean_test))
    fitted_all = np.flatnonzero(train_error[name].max(axis=0) == 0)
    first_fit = (
        f"{feature_counts[fitted_all[0]]} features" if fitted_all.size else "never"
    )
    print(
        f"{name}: largest rise {mean_test[k + 1] - mean_test[k]:+.3f} "
        f"(from {feature_counts[k]} to {feature_counts[k + 1]} features); "
        f"zero training error from: {first_fit}"
    )
print("alpha chosen by CV (one row per seed):")
print(chosen_alpha)

# %%
# The plot
# --------
#
# Two reference lines: where the number of weights,
# ``n_features * n_classes``, equals the number of training samples, and
# where ``n_features`` does. The peak of the noisy, nearly unregularized
# model sits near the first, where it starts to fit the noisy labels
# exactly and its weights grow large to do so; by the second, the test error
# has come down again. The tuned ``alpha`` (larger for more features) keeps
# the weights small, does not fit the noise, and shows no peak.
fig, axes = plt.subplots(1, 3, figsize=(15, 4.5), sharex=True)
styles = {curves[0]: "o-", curves[1]: "s-", curves[2]: "^--"}
panels = [
    (test_error, "test error (true test labels)", "Test error"),
    (train_error, "training error (on the labels fitted)", "Training error"),
    (coef_norm, "norm of coef_", "Size of the weights"),
]
for ax, (values, ylabel, title) in zip(axes, panels, strict=True):
    for name in curves:
        ax.plot(feature_counts, values[name].mean(axis=0), styles[name], label=name)
    ax.axvline(
        n_train / n_classes,
        color="gray",
        linestyle=":",
        label="n_features * n_classes = n_train",
    )
    ax.axvline(n_train, color="gray", linestyle="-.", label="n_features = n_train")
    ax.set_xscale("log")
    ax.set_xlabel("number of random ReLU features")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
axes[2].set_yscale("log")
axes[0].legend(fontsize=8)
fig.suptitle(
    f"Softmax on random ReLU features of the digits: {n_train} training samples, "
    f"mean of {len(seeds)} seeds"
)
fig.tight_layout()
plt.show()
