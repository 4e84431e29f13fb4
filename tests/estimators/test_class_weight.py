"""class_weight: a dict of finite, non-negative weights with a positive total."""

import numpy as np
import pytest

from sklinear import SoftmaxClassifier, SVMClassifier

from _reference import standardized_dataset


@pytest.mark.parametrize("Est", [SVMClassifier, SoftmaxClassifier])
@pytest.mark.parametrize(
    "weight", [np.nan, np.inf, -np.inf, -1.0, "heavy", None], ids=repr
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
