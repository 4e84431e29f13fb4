"""scikit-learn's callback API: a monitor sees every iteration of every optimizer."""

import pytest

from sklinear import SoftmaxClassifier

from _reference import standardized_dataset


def test_scikit_learn_callbacks_see_every_iteration():
    """With scikit-learn's callback API, ScoringMonitor scores each iterate of every optimizer."""
    callback = pytest.importorskip("sklearn.callback")
    X, y = standardized_dataset("iris")
    for optimizer in ["lbfgs", "gd", "sgd"]:
        monitor = callback.ScoringMonitor(scoring="accuracy")
        est = SoftmaxClassifier(optimizer=optimizer, alpha=1e-2, random_state=0)
        est.set_callbacks(monitor).fit(X, y)
        rows = monitor.get_logs().data
        iterations = [row for row in rows if row["task_name"].endswith("iteration")]
        assert len(iterations) == est.n_iter_
        # The "fit" row scores the fitted model, which is one of the iterates.
        final = [row for row in rows if row["task_name"] == "fit"][0]
        assert final["accuracy"] == pytest.approx(est.score(X, y))
        assert max(row["accuracy"] for row in iterations) >= final["accuracy"] - 0.05
