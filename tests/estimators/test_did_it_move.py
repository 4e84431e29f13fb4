"""Did it move? On learnable data at any scale, every optimizer ends with a
model better than the trivial one, or says why it did not.

The data are three well-separated blobs (standardized, then times a scale
from 1e-8 to 1e3), which every loss can learn. The trivial model is the best
intercept-only one: it predicts the majority class, and its objective is the
objective at W=0 with the intercept that minimizes it. A fit with the default
budget and a fixed ``random_state`` must reach a lower objective or a higher
accuracy than that, or emit a ConvergenceWarning. Silently returning the
starting point (an unmoved model) is the failure this file guards against,
as is an sgd fit returning an objective above the one it started from.

At scale 1e-8, alpha=1e-4 dwarfs the data: the best model is within ~1e-13
of the trivial objective, below every tol, so the scale-free stopping rules
rightly stop at (or near) W=0; the estimators then warn that the weights
learned nothing measurable (zeroing them changes the objective by less than
its rounding).
"""

import copy
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from sklinear import SoftmaxClassifier, SVMClassifier, make_problem
from sklinear.optimizers import OPTIMIZERS

#: (estimator class, loss): every loss of both estimators.
LOSSES = [
    (SVMClassifier, "hinge"),
    (SVMClassifier, "squared_hinge"),
    (SVMClassifier, "crammer_singer"),
    (SoftmaxClassifier, "cross_entropy"),
]
#: Scales of the standardized blobs: tiny to large.
SCALES = [1e-8, 1e-3, 0.03, 1.0, 1e3]


def _blobs(scale):
    """Three separated blobs in 4 features, 30 rows each, standardized * scale."""
    rng = np.random.RandomState(0)
    centers = np.array([[4.0, 0, 0, 0], [0, 4.0, 0, 0], [0, 0, 4.0, 0]])
    y = np.repeat([0, 1, 2], 30)
    X = centers[y] + rng.standard_normal((90, 4))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X * scale, y


def _objective_at_zero(estimator, X, y):
    """The objective of the fitted ``estimator``'s problem at W=0, b=0.

    The classes are balanced, so this is also the objective of the best
    intercept-only model: the objective at W=0 is convex and symmetric in the
    classes' intercepts, so equal intercepts (all zero) minimize it.
    """
    zero = copy.deepcopy(estimator)
    zero._W[:] = 0.0
    zero._b[:] = 0.0
    return zero.objective(X, y)


def _cases():
    for Estimator, loss in LOSSES:
        for name, spec in sorted(OPTIMIZERS.items()):
            if spec.refuses(loss, "l2", 1e-4) is not None:
                continue  # dual_cd and the softmax loss: a ValueError
            for scale in SCALES:
                yield pytest.param(
                    Estimator, loss, name, scale, id=f"{loss}-{name}-{scale:g}"
                )


@pytest.mark.parametrize("Estimator, loss, optimizer, scale", list(_cases()))
def test_fit_beats_the_trivial_model_or_warns(Estimator, loss, optimizer, scale):
    X, y = _blobs(scale)
    estimator = Estimator(loss=loss, optimizer=optimizer, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        estimator.fit(X, y)
    warned = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    trivial = _objective_at_zero(estimator, X, y)
    accuracy = np.mean(estimator.predict(X) == y)
    majority = np.bincount(y).max() / len(y)
    moved = estimator.objective_ < trivial and accuracy > majority
    if not moved:
        assert warned, (
            f"{optimizer} returned a model no better than the trivial one "
            f"(objective {estimator.objective_!r} vs {trivial!r}, accuracy "
            f"{accuracy:.3f} vs {majority:.3f}) without a ConvergenceWarning"
        )
        # The warning says why: which optimizer stopped, and how.
        assert f"optimizer {estimator.optimizer_!r} stopped" in str(warned[0].message)


@pytest.mark.parametrize("Estimator, loss", LOSSES)
@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("early_stopping", [False, True])
def test_sgd_never_returns_more_than_its_start_silently(
    Estimator, loss, scale, early_stopping
):
    """The objective sgd returns is at most the one at its start (W=0), unless
    it warns: its best iterate, not its last, is what it returns."""
    X, y = _blobs(scale)
    estimator = Estimator(
        loss=loss, optimizer="sgd", early_stopping=early_stopping, random_state=0
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        estimator.fit(X, y)
    warned = any(issubclass(w.category, ConvergenceWarning) for w in caught)
    assert warned or estimator.objective_ <= _objective_at_zero(estimator, X, y)


@pytest.mark.parametrize("Estimator, loss", LOSSES)
def test_weights_that_learned_nothing_are_named(Estimator, loss):
    """The rule behind the warnings at scale 1e-8: zeroing the weights changes
    the objective by less than its rounding although W = 0 is not optimal.
    At scale 1 nothing is said, and an L1 fit whose optimum is W = 0 (alpha
    far above the data's gradient) is not warned about either."""
    X, y = _blobs(1e-8)
    # (The dual solver, the SVM's default, does learn there.)
    with pytest.warns(ConvergenceWarning, match="learned nothing from the features"):
        Estimator(loss=loss, optimizer="lbfgs").fit(X, y)
    X, y = _blobs(1.0)
    for estimator in [
        Estimator(loss=loss, random_state=0),
        Estimator(loss=loss, penalty="l1", alpha=1e3, random_state=0),
    ]:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            estimator.fit(X, y)
    assert not np.any(estimator.coef_)  # the L1 optimum: W = 0


CONSTANT = "predicts its training data no better than a constant"


def test_a_model_no_better_than_a_constant_is_named():
    """Features independent of labels 80/20, alpha=0.1: the optimum's scores
    from W are orders below the intercepts' log(4) apart, so the exact model
    predicts the heavier class everywhere; its objective does improve on W=0
    (the noise is fitted a little), and the warning says what is wrong."""
    rng = np.random.RandomState(0)
    X = rng.standard_normal((200, 3))
    y = np.repeat([0, 1], [160, 40])
    with pytest.warns(ConvergenceWarning, match=CONSTANT) as caught:
        model = SoftmaxClassifier(alpha=0.1).fit(X, y)
    assert np.all(model.predict(X) == 0)
    assert "the heaviest class's share 0.8" in str(caught[0].message)
    # Weighted so that class 1 is the heavier: the share follows the weights.
    with pytest.warns(ConvergenceWarning, match="share 0.667"):
        SoftmaxClassifier(alpha=0.1).fit(X, y, sample_weight=np.where(y, 8.0, 1.0))


@pytest.mark.parametrize("optimizer", ["lbfgs", "gd", "sgd"])
def test_digits_at_scale_1e_8_warn_exactly_when_no_better_than_a_constant(optimizer):
    """The issue's case: standardized digits times 1e-8. The smoothed
    solvers stop within their tol of the optimum's objective, yet order the
    classes by the intercepts alone. Whatever a machine's last digits give,
    the warning comes exactly when the training accuracy does not beat the
    heaviest class's share."""
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X) * 1e-8
    model = SVMClassifier(optimizer=optimizer, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(X, y)
    named = any(CONSTANT in str(w.message) for w in caught)
    share = np.bincount(y).max() / len(y)
    assert named == (model.score(X, y) <= share)


def test_a_model_that_moved_costs_no_gradient_at_zero(monkeypatch):
    """The check behind those warnings needs the gradient at W = 0, a product
    with X, only when zeroing the weights would not change the objective: a
    warm fit that learned (its start and iterates have W != 0) computes no
    gradient at W = 0 at all."""
    from sklinear.objective import LinearObjective

    X, y = _blobs(1.0)
    estimator = SoftmaxClassifier(warm_start=True, alpha=1e-2).fit(X, y)
    at_zero = []
    original = LinearObjective.data_loss_gradient

    def spy(self, theta, *args, **kwargs):
        at_zero.append(not self.unpack(theta)[0].any())
        return original(self, theta, *args, **kwargs)

    monkeypatch.setattr(LinearObjective, "data_loss_gradient", spy)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        estimator.set_params(alpha=1e-3).fit(X, y)
    assert at_zero and not any(at_zero)


def test_a_carried_value_near_the_rounding_is_checked_afresh():
    """A path's fits hand the check the value on scores carried by linearity,
    off by a few roundings: at scale 1e-8 the weights gain nothing, and a
    value made to look a few hundred roundings lower (more than the check's
    resolution) still gets the verdict of the value computed afresh."""
    from sklinear._base import _inert_weights
    from sklinear.objective import LinearObjective

    X, y = _blobs(1e-8)
    model = SoftmaxClassifier(optimizer="lbfgs")
    with pytest.warns(ConvergenceWarning, match="learned nothing"):
        model.fit(X, y)
    objective = LinearObjective(make_problem(X, y, alpha=model.alpha))
    theta = objective.problem.pack(model._W, model._b)
    fresh = _inert_weights(objective, theta)
    assert fresh is not None and "within its rounding" in fresh
    value = objective.value(theta)
    off = value - 300 * np.finfo(X.dtype).eps * abs(value)
    assert _inert_weights(objective, theta, value=off) == fresh


def _plain_inert_weights(objective, theta):
    """The checks of ``_inert_weights`` in their plain order, each with its own
    products: the gradient at W=0 first, then the objective, then the
    predictions."""
    problem = objective.problem
    W, b = problem.unpack(theta)
    zero = problem.pack(np.zeros_like(W), b)
    start, gradient = objective.data_loss_gradient(zero)
    start += objective.penalty_value(zero)
    largest = np.max(np.abs(gradient[: problem.n_coef]), initial=0.0)
    shrink = {"l1": 1.0, "elasticnet": getattr(problem.penalty, "l1_ratio", 0.0)}
    if largest <= problem.alpha * shrink.get(problem.penalty.name, 0.0):
        return None
    gain = start - objective.value(theta)
    if gain <= 8 * np.finfo(problem.dtype).eps * abs(start):
        return "inert"
    predicted = objective.predict(theta)
    weights = np.ones(len(problem.y)) if problem.sample_weight is None else (
        problem.sample_weight
    )  # fmt: skip
    per_class = np.bincount(problem.y, weights=weights)
    right = np.bincount(problem.y, weights=np.where(predicted == problem.y, weights, 0))
    return None if right.sum() > per_class.max() else "constant"


@pytest.mark.parametrize(
    "loss, penalty, alpha, scale, optimizer",
    [
        ("hinge", "l2", 1e-4, 1.0, "dual_cd"),  # learns: no message
        ("hinge", "l2", 1e-4, 1e-8, "lbfgs"),  # the weights learned nothing
        ("squared_hinge", "l1", 1e3, 1.0, "gd"),  # W = 0 is the optimum
        ("cross_entropy", "l2", 0.1, None, "lbfgs"),  # no better than a constant
    ],
)
def test_inert_weights_match_the_plain_checks(loss, penalty, alpha, scale, optimizer):
    """``_inert_weights`` computes the scores of the fit once and the gradient
    at W=0 only when a message is due, and says what the checks in their plain
    order say, in every branch."""
    from sklinear._base import _inert_weights
    from sklinear.objective import LinearObjective
    from sklinear.problem import make_problem

    if scale is None:  # the labels 80/20, independent of the features
        X = np.random.RandomState(0).standard_normal((200, 3))
        y = np.repeat([0, 1], [160, 40])
    else:
        X, y = _blobs(scale)
    Estimator = SoftmaxClassifier if loss == "cross_entropy" else SVMClassifier
    params = {} if loss == "cross_entropy" else {"loss": loss}
    model = Estimator(
        **params, penalty=penalty, alpha=alpha, optimizer=optimizer, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    problem = make_problem(X, y, loss=loss, penalty=penalty, alpha=alpha)
    theta = problem.pack(model._W, model._b)
    message = _inert_weights(LinearObjective(problem), theta)
    expected = _plain_inert_weights(LinearObjective(problem), theta)
    if expected is None:
        assert message is None
    else:
        words = {"inert": "changes the objective by", "constant": CONSTANT}
        assert words[expected] in message
    assert expected == {
        "dual_cd": None, "gd": None, "lbfgs": "inert" if scale else "constant"
    }[optimizer]  # fmt: skip
