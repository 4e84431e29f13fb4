"""class_weight: a dict of finite, non-negative weights with a positive total."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from sklinear import SoftmaxClassifier, SVMClassifier

from _reference import standardized_dataset


@pytest.mark.parametrize("Est", [SVMClassifier, SoftmaxClassifier])
@pytest.mark.parametrize(
    "weight",
    [np.nan, np.float32(np.nan), np.inf, -np.inf, -1.0, "heavy", None, True],
    ids=repr,
)
def test_class_weight_values_must_be_finite_and_non_negative(Est, weight):
    X, y = standardized_dataset("iris")
    with pytest.raises(ValueError, match=r"class_weight must map .* got \{1: "):
        Est(class_weight={0: 1.0, 1: weight, 2: 1.0}).fit(X, y)


@pytest.mark.parametrize("Est", [SVMClassifier, SoftmaxClassifier])
def test_class_weight_must_leave_some_sample_a_positive_weight(Est):
    X, y = standardized_dataset("iris")
    with pytest.raises(ValueError, match="are zero for every sample"):
        Est(class_weight={0: 0, 1: 0, 2: 0}).fit(X, y)
    # Weight only on a class absent from y counts as none.
    with pytest.raises(ValueError, match="are zero for every sample"):
        Est(class_weight={0: 0, 1: 0, 2: 0, 7: 1.0}).fit(X, y)
    sample_weight = (y == 0).astype(float)
    with pytest.raises(ValueError, match="are zero for every sample"):
        Est(class_weight={0: 0, 1: 1, 2: 1}).fit(X, y, sample_weight=sample_weight)


@pytest.mark.parametrize("Est", [SVMClassifier, SoftmaxClassifier])
def test_zero_weights_on_some_classes_still_fit(Est):
    """Zero is a valid weight: those classes' samples simply do not count."""
    X, y = standardized_dataset("iris")
    model = Est(class_weight={0: 1.0, 1: 0.0, 2: 0.5}).fit(X, y)
    assert np.isfinite(model.objective_) and model.objective_ >= 0


@pytest.mark.parametrize("Est", [SVMClassifier, SoftmaxClassifier])
@pytest.mark.parametrize("float32", [False, True])
def test_weights_that_overflow_are_rejected(Est, float32):
    """Finite sample and class weights whose product or total overflows.

    They used to fit to ``objective_ = nan`` (an infinite weight) or to 0 (an
    infinite total turns every weight into 0).
    """
    X, y = standardized_dataset("iris")
    X = X.astype(np.float32) if float32 else X
    huge = np.finfo(X.dtype).max / 2
    sample_weight = np.ones(len(y))
    sample_weight[0] = huge
    model = Est(class_weight={0: 10.0, 1: 1.0, 2: 1.0}, max_iter=5)
    with pytest.raises(
        ValueError, match=r"sample_weight times class_weight=.*overflow"
    ):
        model.fit(X, y, sample_weight=sample_weight)
    assert not hasattr(model, "coef_")
    # Every weight finite, their sum not.
    with pytest.raises(ValueError, match=r"finite sum in float(32|64)"):
        Est(max_iter=5).fit(X, y, sample_weight=np.full(len(y), huge))
    with pytest.raises(ValueError, match=r"finite sum in float(32|64)"):
        Est(class_weight="balanced", max_iter=5).fit(
            X, y, sample_weight=np.full(len(y), huge)
        )


@pytest.mark.parametrize("Est", [SVMClassifier, SoftmaxClassifier])
def test_objective_checks_the_weights_as_fit_does(Est):
    X, y = standardized_dataset("iris")
    model = Est(alpha=1e-2, max_iter=20).fit(X, y)
    model.set_params(class_weight={0: 1e300, 1: 1.0, 2: 1.0})
    with pytest.raises(ValueError, match="overflow"):
        model.objective(X, y, sample_weight=np.full(len(y), 1e300))
    model.set_params(class_weight={0: -1.0, 1: 1.0, 2: 1.0})
    with pytest.raises(ValueError, match=r"class_weight must map .* got \{0: -1.0\}"):
        model.objective(X, y)


@pytest.mark.parametrize("Est", [SVMClassifier, SoftmaxClassifier])
@pytest.mark.parametrize(
    "class_weight",
    [
        {0: 1.0, 1: 2.0, 2: 1.0, 7: 3.0},  # every class of y named, and 7
        {0: 1.0, 1: 2.0, 7: 3.0},  # 7 named, class 2 of y left out
        {0: 2.0},  # classes 1 and 2 left out (they get 1)
        {"setosa": 2.0},  # no class of y named
    ],
    ids=["extra", "extra_and_missing", "missing", "foreign_key"],
)
def test_classes_named_by_class_weight_as_in_scikit_learn(Est, class_weight):
    """A dict naming classes not in y fits or raises exactly as LogisticRegression.

    scikit-learn raises only when the dict names a class not in ``y`` *and*
    leaves a class of ``y`` out (a misspelled label): "The classes, [2], are
    not in class_weight". Extra classes alone are ignored, missing classes
    alone weigh 1.
    """
    X, y = standardized_dataset("iris")
    try:
        LogisticRegression(class_weight=class_weight, max_iter=5).fit(X, y)
    except ValueError as exc:
        with pytest.raises(ValueError, match="are not in class_weight") as info:
            Est(class_weight=class_weight, max_iter=5).fit(X, y)
        assert str(info.value) == str(exc)
    else:
        model = Est(class_weight=class_weight, alpha=1e-2, max_iter=50).fit(X, y)
        assert np.isfinite(model.objective_) and model.objective_ > 0
