"""Inputs at the edge of what the classifiers accept get errors that name them:
labels that are missing or of mixed types, an early-stopping split that
leaves a side without every class, and values whose squares overflow."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from _api_data import ESTIMATORS, FAST, IRIS_NAMES, X_IRIS, Y_IRIS

# -- 1. labels: missing values and mixed types ----------------------------------

MISSING = r"y contains missing values \(NA/None/NaN\): 1 of its 150 labels"


def _object_labels(value):
    y = IRIS_NAMES.astype(object)
    y[3] = value
    return y


def _pandas_labels(kind):
    pd = pytest.importorskip("pandas")
    if kind == "string":
        y = pd.Series(IRIS_NAMES, dtype="string")
    elif kind == "category":
        y = pd.Series(pd.Categorical(IRIS_NAMES))
    else:  # nullable integers
        y = pd.Series(Y_IRIS, dtype="Int64")
    y[3] = None  # pandas stores its own missing value for the dtype
    return y


def _float_labels():
    y = Y_IRIS.astype(float)
    y[3] = np.nan
    return y


LABELS_WITH_MISSING = {
    "object_None": lambda: _object_labels(None),
    "object_nan": lambda: _object_labels(np.nan),
    "float_nan": _float_labels,
    # Used to raise TypeError("boolean value of NA is ambiguous").
    "pandas_string_NA": lambda: _pandas_labels("string"),
    "pandas_category_NaN": lambda: _pandas_labels("category"),
    "pandas_Int64_NA": lambda: _pandas_labels("Int64"),
}


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize(
    "make_y", LABELS_WITH_MISSING.values(), ids=LABELS_WITH_MISSING
)
def test_fit_names_missing_labels(Est, make_y):
    model = Est(**FAST)
    with pytest.raises(ValueError, match=MISSING + r", the first at position 3"):
        model.fit(X_IRIS, make_y())
    assert not hasattr(model, "classes_")


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_objective_and_partial_fit_name_missing_labels(Est):
    y = _object_labels(None)
    model = Est(**FAST).fit(X_IRIS, IRIS_NAMES)
    with pytest.raises(ValueError, match=MISSING):
        model.objective(X_IRIS, y)
    stream = Est(optimizer="sgd", max_iter=1, random_state=0)
    with pytest.raises(ValueError, match=MISSING):
        stream.partial_fit(X_IRIS, y, classes=np.unique(IRIS_NAMES))
    with pytest.raises(ValueError, match=r"classes contains missing values"):
        stream.partial_fit(X_IRIS, IRIS_NAMES, classes=["setosa", None, "virginica"])


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("odd_one", ["unknown", b"setosa"], ids=["str", "bytes"])
def test_labels_of_mixed_types_are_named(Est, odd_one):
    """Numbers with a string used to be "Unknown label type: unknown"."""
    y = Y_IRIS.astype(object)
    y[-1] = odd_one
    kinds = "number and string" if isinstance(odd_one, str) else "bytes and number"
    match = rf"y has labels of mixed types \({kinds}\), e\.g\. "
    with pytest.raises(ValueError, match=match):
        Est(**FAST).fit(X_IRIS, y)
    model = Est(**FAST).fit(X_IRIS, Y_IRIS)
    with pytest.raises(ValueError, match=match):
        model.objective(X_IRIS, y)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_strings_of_several_types_are_one_kind(Est):
    """Python and NumPy strings in one object array are not mixed types."""
    y = np.array(IRIS_NAMES, dtype=object)
    y[::2] = [np.str_(label) for label in y[::2]]
    model = Est(**FAST).fit(X_IRIS, y)
    assert model.classes_.tolist() == ["setosa", "versicolor", "virginica"]


# -- 2. early stopping: a validation_fraction that the data cannot split --------


def _early_stopping(Est, validation_fraction):
    return Est(
        optimizer="sgd",
        early_stopping=True,
        validation_fraction=validation_fraction,
        max_iter=2,
        random_state=0,
    )


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize(
    "validation_fraction, match",
    [
        (
            0.999,
            r"validation_fraction=0.999 holds out 150 of the n_samples=150 samples "
            r"for validation and leaves no samples for training",
        ),
        (
            0.01,
            r"validation_fraction=0.01 holds out 2 of the n_samples=150 samples for "
            r"validation, fewer than the 3 classes, so the validation set cannot "
            r"hold every class; .* at least 3 samples",
        ),
        (
            0.99,
            r"validation_fraction=0.99 holds out 149 of the n_samples=150 samples "
            r"for validation and leaves 1 for training, fewer than the 3 classes",
        ),
    ],
)
def test_validation_fraction_checked_against_the_data(Est, validation_fraction, match):
    """The split used to report sklearn's test_size (0.999), or go ahead with a
    validation or training set lacking a class (0.01, 0.99)."""
    model = _early_stopping(Est, validation_fraction)
    with pytest.raises(ValueError, match=match) as info:
        model.fit(X_IRIS, Y_IRIS)
    assert "test_size" not in str(info.value)
    assert "train_size" not in str(info.value)
    assert not hasattr(model, "coef_")


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_validation_fraction_at_the_limits_fits(Est):
    """One sample per class on the smaller side is enough."""
    # 0.02 * 150 rounds up to 4 held out; 0.97 * 150 to 146, leaving 4.
    for validation_fraction in (0.02, 0.97):
        model = _early_stopping(Est, validation_fraction).fit(X_IRIS, Y_IRIS)
        assert model.n_iter_ >= 1
    # Without early stopping the fraction is not used, whatever it is.
    model = Est(optimizer="sgd", validation_fraction=0.999, max_iter=2)
    model.fit(X_IRIS, Y_IRIS)


# -- 3. magnitudes that overflow the computation ---------------------------------


def _limit(X):
    """The largest magnitude whose sums of squares stay finite in X's dtype."""
    size = X.nnz if sp.issparse(X) else X.size
    return np.sqrt(np.finfo(X.dtype).max / size)


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("sparse", [False, True])
def test_values_whose_squares_overflow_are_refused_before_fitting(Est, dtype, sparse):
    """One cell of 1e200 (float64) or 1e30 (float32) used to fit to a NaN or
    zero model amid RuntimeWarnings; it now gets a ValueError saying why."""
    X = X_IRIS.astype(dtype)
    X[0, 0] = 1e200 if dtype == np.float64 else 1e30
    X = sp.csr_matrix(X) if sparse else X
    model = Est(**FAST)
    with pytest.raises(ValueError, match=r"X holds values too large .* Rescale"):
        model.fit(X, Y_IRIS)
    assert not hasattr(model, "coef_")
    fitted = Est(**FAST).fit(X_IRIS.astype(dtype), Y_IRIS)
    with pytest.raises(ValueError, match=r"X holds values too large"):
        fitted.objective(X, Y_IRIS)


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_values_just_below_the_limit_fit_without_overflow(Est, dtype):
    """The limit is not stricter than it needs to be: a cell just below it
    fits to a finite model with no RuntimeWarning (a ConvergenceWarning is
    fair: such an outlier dominates the objective)."""
    X = X_IRIS.astype(dtype)
    X[0, 0] = 0.5 * _limit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.filterwarnings("ignore", message=".*did not converge")
        model = Est(**FAST, max_iter=50).fit(X, Y_IRIS)
    assert np.isfinite(model.coef_).all() and np.isfinite(model.objective_)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_alpha_beyond_float32_is_refused_for_float32_data(Est):
    """alpha=1e300 on float32 data cast to inf in the penalty's gradient (a
    RuntimeWarning in the fuzz run); float64 data take it."""
    X = X_IRIS.astype(np.float32)
    with pytest.raises(ValueError, match=r"alpha=1e\+300 is too large for float32"):
        Est(alpha=1e300).fit(X, Y_IRIS)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        model = Est(alpha=1e300).fit(X_IRIS, Y_IRIS)
    assert not np.any(model.coef_)  # the penalty wins: W = 0
