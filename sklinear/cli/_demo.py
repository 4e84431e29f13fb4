"""``sklinear demo``: both classifiers on digits, next to scikit-learn's."""

import time

import numpy as np

from .. import SoftmaxClassifier, SVMClassifier, make_problem, objective_value
from ._tables import _format_table


def _timed_fit(model, X, y):
    start = time.perf_counter()
    model.fit(X, y)
    return time.perf_counter() - start


def _objective_of(model, X, y, alpha):
    """SoftmaxClassifier's objective at the coefficients of ``model``, a float.

    ``model`` is a fitted multinomial linear model (LogisticRegression): its
    solution is scored on the problem SoftmaxClassifier solves on ``X, y``,
    the mean cross-entropy plus ``alpha`` times the squared L2 norm of the
    weights, so that the two objectives can be compared.
    """
    labels = np.searchsorted(model.classes_, y)
    problem = make_problem(X, labels, loss="cross_entropy", alpha=alpha)
    return objective_value(problem, model.coef_, model.intercept_)


def run(args):
    """Both classifiers on digits next to scikit-learn's, as a table."""
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC
    from threadpoolctl import threadpool_limits

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.random_state
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    n, alpha = len(y_train), args.alpha
    print(
        f"digits: {n} training and {len(y_test)} test samples, "
        f"{X.shape[1]} features, 10 classes; alpha = {alpha:g} "
        f"(C = 1 / (2 n alpha) = {1 / (2 * n * alpha):.4g} for scikit-learn)\n"
    )

    rows = []
    for model in (
        SoftmaxClassifier(alpha=alpha, verbose=args.verbose),
        # dual_cd visits the samples in a random order: seeded, the demo
        # prints the same iterations every run.
        SVMClassifier(
            alpha=alpha, random_state=args.random_state, verbose=args.verbose
        ),
    ):
        seconds = _timed_fit(model, X_train, y_train)
        rows.append(
            (
                f"sklinear {type(model).__name__} ({model.loss}, {model.optimizer_})",
                f"{model.score(X_test, y_test):.4f}",
                f"{model.objective_:.6f}",
                model.n_iter_,
                f"{seconds:.3f}",
            )
        )

    # scikit-learn at its best on few cores: BLAS on one thread.
    with threadpool_limits(limits=1, user_api="blas"):
        logistic = LogisticRegression(C=1 / (2 * n * alpha), max_iter=10_000)
        seconds = _timed_fit(logistic, X_train, y_train)
        objective = _objective_of(logistic, X_train, y_train, alpha)
        rows.append(
            (
                "scikit-learn LogisticRegression (same objective)",
                f"{logistic.score(X_test, y_test):.4f}",
                f"{objective:.6f}",
                int(np.max(logistic.n_iter_)),
                f"{seconds:.3f}",
            )
        )
        svc = LinearSVC(random_state=args.random_state)
        seconds = _timed_fit(svc, X_train, y_train)
        rows.append(
            (
                "scikit-learn LinearSVC (one-vs-rest, its defaults)",
                f"{svc.score(X_test, y_test):.4f}",
                "other objective",
                int(np.max(svc.n_iter_)),
                f"{seconds:.3f}",
            )
        )

    header = ("model", "test accuracy", "objective", "iterations", "fit time (s)")
    print(_format_table(header, rows))
    return 0
