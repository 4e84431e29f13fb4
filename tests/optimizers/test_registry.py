"""The optimizer registry: what the estimators check against it."""

import inspect
import warnings

import pytest

from sklinear import SoftmaxClassifier, SVMClassifier
from sklinear.optimizers import OPTIMIZERS

from _reference import standardized_dataset


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_spec_names_parameters_of_the_estimators_and_the_function(name):
    spec = OPTIMIZERS[name]
    accepted = inspect.signature(spec.function).parameters
    for Estimator in (SVMClassifier, SoftmaxClassifier):
        assert set(spec.hyperparameters) <= Estimator().get_params().keys()
    assert set(spec.hyperparameters) | {"callback"} <= accepted.keys()
    assert ("state" in accepted) == spec.state
    assert (spec.chunk_size is not None) == ("chunk_size" in accepted)


def test_an_unsupported_penalty_is_a_clear_error():
    X, y = standardized_dataset("iris")
    with pytest.raises(ValueError, match="optimizer='lbfgs' cannot minimize loss="):
        SoftmaxClassifier(optimizer="lbfgs", penalty="l1").fit(X, y)


@pytest.mark.parametrize(
    "Estimator, params, supports",
    [
        (SoftmaxClassifier, {}, "the losses"),
        (SVMClassifier, {"penalty": "l1"}, "the penalties"),
        (SVMClassifier, {"penalty": None}, "the penalties"),
        (SVMClassifier, {"alpha": 0.0}, "only alpha > 0"),
    ],
)
def test_dual_cd_outside_its_problems_is_a_clear_error(Estimator, params, supports):
    """The dual solver needs an SVM loss, the l2 penalty and alpha > 0; "auto"
    then falls back to the primal solvers."""
    X, y = standardized_dataset("iris")
    with pytest.raises(ValueError, match=f"optimizer='dual_cd' .* supports {supports}"):
        Estimator(optimizer="dual_cd", **params).fit(X, y)
    assert Estimator(**params).fit(X, y).optimizer_ in ("lbfgs", "gd")


@pytest.mark.parametrize(
    "optimizer, params, named",
    [
        (
            "lbfgs",
            {"momentum": 0.9},
            "momentum=0.9 has no effect with optimizer='lbfgs'; it is used by 'gd', 'sgd'",
        ),
        ("random_search", {"max_iter": 10}, "max_iter=10 has no effect"),
        ("gd", {"nesterov": True}, "learning_rate='auto'"),
        ("sgd", {"n_candidates": 5}, "n_candidates=5"),
    ],
)
def test_an_ignored_hyperparameter_away_from_its_default_warns(
    optimizer, params, named
):
    X, y = standardized_dataset("iris")
    model = SoftmaxClassifier(optimizer=optimizer, random_state=0, **params)
    with pytest.warns(UserWarning, match=named.replace("(", r"\(")) as record:
        model.fit(X, y)
    assert [str(w.message) for w in record if w.category is UserWarning] != []


def test_hyperparameters_in_use_or_at_their_defaults_do_not_warn():
    X, y = standardized_dataset("iris")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        SoftmaxClassifier(optimizer="gd", learning_rate=0.1, momentum=0.9).fit(X, y)
        SoftmaxClassifier(optimizer="lbfgs", random_state=3, momentum=0.0).fit(X, y)
        SVMClassifier(optimizer="random_search", n_candidates=50).fit(X, y)
    assert not [w for w in record if "has no effect" in str(w.message)]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_partial_fit_and_the_poor_score_tag_come_from_the_spec(name):
    model = SoftmaxClassifier(optimizer=name)
    assert hasattr(model, "partial_fit") == OPTIMIZERS[name].partial_fit
    tags = model.__sklearn_tags__()
    assert tags.classifier_tags.poor_score == OPTIMIZERS[name].baseline
    assert not hasattr(SoftmaxClassifier(), "partial_fit")  # "auto"


def test_registry_names_are_the_estimators_choices():
    """Every registered optimizer is accepted by optimizer=."""
    X, y = standardized_dataset("iris")
    for name, spec in OPTIMIZERS.items():
        Estimator = SoftmaxClassifier if spec.losses is None else SVMClassifier
        est = Estimator(optimizer=name, random_state=0, alpha=1e-2).fit(X, y)
        assert est.optimizer_ == name
