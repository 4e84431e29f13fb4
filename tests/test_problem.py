"""The problem description: one factory, named losses and penalties, a scorer."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from sklinear import LinearProblem, SoftmaxClassifier, make_problem, objective_value
from sklinear.losses import LOSSES, make_loss
from sklinear.objective import LinearObjective
from sklinear.penalties import L2, ElasticNet, NoPenalty, make_penalty

from _reference import objective_value as reference_objective
from _reference import standardized_dataset


def test_make_problem_keeps_its_inputs_as_given():
    """Data and weights are referenced, not copied or normalized; the loss is
    named and keeps its margin; n_classes defaults to max(y) + 1."""
    X = sp.csr_matrix(np.arange(12.0).reshape(4, 3))
    w = np.array([1.0, 2.0, 3.0, 4.0])
    problem = make_problem(
        X, [0, 2, 1, 2], loss="crammer_singer", margin=0.5, sample_weight=w
    )
    assert problem.X is X and problem.sample_weight is w
    assert (problem.loss.name, problem.loss.margin) == ("crammer_singer", 0.5)
    assert (problem.n_samples, problem.n_features, problem.n_classes) == (4, 3, 3)
    assert problem.n_params == 3 * 3 + 3 and problem.dtype == np.float64
    assert "4 x 3 sparse" in repr(problem)


def test_problem_subset_and_replace_are_new_problems():
    X, y = np.eye(4), np.array([0, 1, 0, 1])
    problem = make_problem(X, y, sample_weight=np.arange(1.0, 5.0))
    part = problem.subset(slice(1, 3))
    assert part.n_samples == 2 and part.sample_weight.tolist() == [2.0, 3.0]
    assert problem.replace(alpha=0.5).alpha == 0.5 and problem.alpha == 1e-4
    with pytest.raises(AttributeError):
        problem.alpha = 1.0  # frozen: a description, not a state


def test_unknown_loss_or_penalty_names_are_clear_errors():
    with pytest.raises(ValueError, match="loss must be one of .*'hinge'.*got 'hing'"):
        make_problem(np.eye(2), [0, 1], loss="hing")
    with pytest.raises(ValueError, match="penalty must be one of .*got 'l3'"):
        make_problem(np.eye(2), [0, 1], penalty="l3")


def test_losses_and_penalties_say_what_they_are():
    """A solver can ask a loss its name and margin and a penalty whether it is
    exactly sum W^2 (elastic net is not, even at l1_ratio=0)."""
    assert make_loss("hinge", margin=3.0)(np.array([[0.0, 0.0]]), [0])[0] == 3.0
    assert make_loss("cross_entropy", margin=3.0) is LOSSES["cross_entropy"]
    assert (
        make_loss("squared_hinge").differentiable
        and not make_loss("hinge").differentiable
    )
    assert [make_penalty(n).is_l2 for n in ("l2", "l1", "elasticnet", None)] == [
        True,
        False,
        False,
        False,
    ]
    assert [type(p).name for p in (L2(), ElasticNet(0.0), NoPenalty())] == [
        "l2",
        "elasticnet",
        None,
    ]


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_objective_value_matches_the_independent_evaluator(loss):
    X, y = standardized_dataset("wine")
    coef = np.random.default_rng(0).normal(size=(3, X.shape[1]))
    intercept = np.array([0.3, -0.1, 0.2])
    problem = make_problem(X, y, loss=loss, alpha=1e-2)
    expected = reference_objective(
        coef.T, intercept, X, y, loss=loss, penalty="l2", alpha=1e-2
    )
    assert objective_value(problem, coef, intercept) == pytest.approx(
        expected, rel=1e-12
    )


def test_objective_value_scores_scikit_learns_binary_model():
    """A two-class coef_ row c stands for W = [-c/2, c/2]: at C = 1 / (n alpha)
    LogisticRegression's optimum is SoftmaxClassifier's, to the solvers' tol."""
    X, y = standardized_dataset("wine")
    X, y = X[y < 2], y[y < 2]
    alpha = 1e-2
    theirs = LogisticRegression(C=1 / (len(y) * alpha), tol=1e-12, max_iter=10_000)
    theirs.fit(X, y)
    ours = SoftmaxClassifier(alpha=alpha, tol=1e-10).fit(X, y)
    problem = make_problem(X, y, alpha=alpha)
    value = objective_value(problem, theirs.coef_, theirs.intercept_)
    assert value == pytest.approx(ours.objective_, rel=1e-8)
    # The same number through the estimator's own coefficients.
    assert objective_value(problem, ours.coef_, ours.intercept_) == pytest.approx(
        ours.objective_, rel=1e-12
    )


def test_evaluator_reads_the_problem_only():
    """LinearObjective takes a LinearProblem and exposes it unchanged."""
    problem = make_problem(np.eye(3), [0, 1, 2], loss="hinge")
    objective = LinearObjective(problem)
    assert objective.problem is problem and isinstance(problem, LinearProblem)
    assert objective.n_params == problem.n_params
