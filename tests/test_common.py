"""scikit-learn's estimator checks over both classifiers and their optimizers."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklinear import SoftmaxClassifier, SVMClassifier

ESTIMATORS = [
    SVMClassifier(),
    SoftmaxClassifier(),
    SVMClassifier(optimizer="random_search", random_state=0),
    SoftmaxClassifier(optimizer="random_search", random_state=0),
]

SAMPLE_WEIGHT_REASON = (
    "compares decision values to 1e-7, which a solver of the non-smooth hinge "
    "stopped at a tolerance does not reach (scikit-learn declares the same for "
    "LinearSVC)"
)


def expected_failed_checks(estimator):
    # Random search passes: the same candidates win with weights or repeated rows.
    if isinstance(estimator, SVMClassifier) and estimator.optimizer != "random_search":
        return {
            "check_sample_weight_equivalence_on_dense_data": SAMPLE_WEIGHT_REASON,
            "check_sample_weight_equivalence_on_sparse_data": SAMPLE_WEIGHT_REASON,
        }
    return {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
