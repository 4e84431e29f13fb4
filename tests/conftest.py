"""What every test module shares, wherever it lies below tests/.

pytest's default "prepend" import mode puts the directory of this conftest.py
(tests/) on ``sys.path`` before any test module is imported, so the modules in
tests/optimizers/, tests/estimators/ and tests/cli/ import the helpers at the
root (``from _reference import ...``) as the ones beside them do. Without
``__init__.py`` files, test module names must stay unique across directories.
"""

import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


@pytest.fixture(scope="module")
def digits_split():
    """Digits split 3:1, stratified, and standardized with the training part's
    statistics: ``X_train, X_test, y_train, y_test``."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, stratify=y, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test
