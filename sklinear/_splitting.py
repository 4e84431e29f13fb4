"""A held-out split that keeps the class proportions when it can."""

from sklearn.model_selection import train_test_split

__all__ = ["stratified_split"]


def stratified_split(*arrays, y, test_size, random_state):
    """``train_test_split`` stratified by ``y``, plain when a class is too small.

    Stratifying needs at least two samples of every class and room for each
    class on both sides; when it cannot be done the split is drawn at random,
    with the same ``test_size`` and ``random_state``.
    """
    try:
        return train_test_split(
            *arrays, test_size=test_size, stratify=y, random_state=random_state
        )
    except ValueError:  # too few rows of some class to stratify
        return train_test_split(*arrays, test_size=test_size, random_state=random_state)
