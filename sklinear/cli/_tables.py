"""Data files in and tables out: reading CSV or Parquet, the target, printing."""

import math
import os

import numpy as np

from ._errors import INSTALL_HINT, CommandError, _one_line, _require

#: File name endings ``read_data`` understands, by reader.
CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".csv.zip", ".csv.xz", ".csv.zst")
PARQUET_SUFFIXES = (".parquet", ".pq")


def read_data(path):
    """Read a CSV or Parquet file into a DataFrame.

    This is how ``fit``, ``predict`` and ``tune`` read ``DATA``: pandas
    decides the column types (numbers, strings, booleans...), which then
    decide the preprocessing of :func:`build_pipeline`.

    Parameters
    ----------
    path : str or os.PathLike
        The file. Its name decides the reader: ``.csv`` (also compressed,
        ``.csv.gz``, ``.csv.bz2``, ``.csv.zip``, ``.csv.xz``, ``.csv.zst``)
        is read by :func:`pandas.read_csv`, ``.parquet`` and ``.pq`` by
        :func:`pandas.read_parquet` (which needs pyarrow).

    Returns
    -------
    data : pandas.DataFrame
        The table, with at least one row and one column.

    Raises
    ------
    CommandError
        If pandas (or pyarrow for Parquet) is missing, the file name has
        another ending, or the file cannot be read or is empty.

    See Also
    --------
    build_pipeline : The pipeline fitted on the table.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklinear.cli import read_data
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "small.csv")
    ...     with open(path, "w") as file:
    ...         _ = file.write("x,colour,label\\n1.5,red,a\\n2.0,blue,b\\n")
    ...     read_data(path)
         x colour label
    0  1.5    red     a
    1  2.0   blue     b
    """
    pd = _require("pandas", "read_data")
    name = os.fspath(path)
    lower = name.lower()
    if lower.endswith(CSV_SUFFIXES):
        reader = pd.read_csv
    elif lower.endswith(PARQUET_SUFFIXES):
        reader = pd.read_parquet
    else:
        raise CommandError(
            f"cannot read {name!r}: unknown file type; expected a name ending in "
            ".csv or .parquet"
        )
    try:
        data = reader(name)
    except ImportError:
        raise CommandError(
            f"reading {name!r} needs pyarrow, which is not installed: {INSTALL_HINT}"
        ) from None
    except pd.errors.EmptyDataError:
        raise CommandError(f"{name!r} is empty") from None
    except Exception as exc:  # any parser's complaint is about the user's file
        raise CommandError(f"cannot read {name!r}: {_one_line(exc)}") from None
    if data.shape[1] == 0:
        raise CommandError(f"{name!r} has no columns")
    if len(data) == 0:
        raise CommandError(f"{name!r} has no rows")
    return data


def _split_target(data, target, path):
    """Features and labels of ``data``, with checks that the labels are labels."""
    from sklearn.utils.multiclass import type_of_target

    if target not in data.columns:
        columns = ", ".join(map(repr, map(str, data.columns[:10])))
        more = ", ..." if data.shape[1] > 10 else ""
        raise CommandError(
            f"{path!r} has no column {target!r} (columns: {columns}{more})"
        )
    y = data[target]
    X = data.drop(columns=[target])
    if X.shape[1] == 0:
        raise CommandError(f"{path!r} has no feature columns besides {target!r}")
    n_missing = int(y.isna().sum())
    if n_missing:
        raise CommandError(
            f"target column {target!r} has {n_missing} missing value(s); "
            "drop those rows or choose another target"
        )
    try:
        kind = type_of_target(y.to_numpy())
    except (TypeError, ValueError):
        kind = "unknown"
    if kind not in ("binary", "multiclass"):
        values = y.to_numpy()
        if kind == "continuous":  # show a value with a fractional part
            values = values[values != np.round(values)]
        example = values[0]
        if isinstance(example, np.ndarray):  # a cell of a Parquet list column
            example = example.tolist()
        raise CommandError(
            f"target column {target!r} cannot be class labels (values like "
            f"{_plain(example)!r}: {'an' if kind[0] in 'aeiou' else 'a'} {kind} "
            "target); use a column of categories, strings or integers"
        )
    classes = y.unique()
    if len(classes) < 2:
        raise CommandError(
            f"target column {target!r} has a single class ({_plain(classes[0])!r}); "
            "a classifier needs at least 2"
        )
    _check_cells(X, path)
    _check_numbers(X.select_dtypes("number"), path, fitting=True)
    return X, y


def _plain(value):
    """``value`` as a Python object, so that its repr is not ``np.True_``."""
    return value.item() if isinstance(value, np.generic) else value


def _check_cells(X, path):
    """Fail if the one-hot encoder cannot take a column of Python objects.

    The encoder needs the cells of a column to be hashable and mutually
    ordered (it sorts the categories): a Parquet list column (arrays) or a
    column mixing strings and numbers is a problem with the file, which
    scikit-learn reports as a ``TypeError`` without the column's name.
    """
    for name in X.columns:
        column = X[name]
        if column.dtype != object:
            continue
        cells = column[column.notna()]
        try:
            sorted(set(cells))
        except TypeError:
            types = sorted({type(cell).__name__ for cell in cells})
            unhashable = [
                cell for cell in cells if getattr(type(cell), "__hash__", None) is None
            ]
            if unhashable:
                example = np.asarray(unhashable[0]).tolist()
                # A Parquet list column reads as NumPy arrays, shown as lists.
                what = f"{_or(types)} values"
                if {"list", "tuple", "ndarray"}.issuperset(types):
                    what = "lists"
                raise CommandError(
                    f"feature column {str(name)!r} of {path!r} holds {what} "
                    f"(e.g. {example!r}), not single numbers, strings or booleans: "
                    "expand it into columns or drop it"
                ) from None
            raise CommandError(
                f"feature column {str(name)!r} of {path!r} mixes values of types "
                f"{_or(types)}, which cannot be one-hot encoded together: make it "
                "all strings or all numbers"
            ) from None


def _or(words):
    *rest, last = words
    return f"{', '.join(rest)} or {last}" if rest else last


def _check_numbers(numeric, path, fitting):
    """Fail on numeric columns that are missing, infinite or too large somewhere.

    ``numeric`` holds the numeric feature columns. When ``fitting``, a column
    must also be small enough for its standardization, whose variance
    overflows float64 long before the values do (from about 1e154); without
    this check the scaler's NaNs reach the classifier, which says "contains
    NaN". At prediction time the scaler only subtracts and divides.
    """
    incomplete = [str(c) for c in numeric.columns if numeric[c].isna().any()]
    if incomplete:
        raise CommandError(
            f"numeric feature column(s) of {path!r} with missing values: "
            f"{', '.join(map(repr, incomplete))}; fill or drop them first"
        )
    for name in numeric.columns:
        values = numeric[name].to_numpy(dtype=float)
        infinite = np.flatnonzero(np.isinf(values))
        if len(infinite):
            raise CommandError(
                f"numeric feature column {str(name)!r} of {path!r} is infinite "
                f"after parsing in {len(infinite)} row(s) (the first: data row "
                f"{infinite[0] + 1}): numbers beyond float64's range, such as "
                "1e400, parse as infinity; fix or drop those rows"
            )
        if not fitting:
            continue
        # The scaler of the training rows sums the values and the squares of
        # their deviations; on a subset of the rows these sums are no larger
        # than on all of them, so checking the whole column before it is split
        # covers every training split and cross-validation fold.
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.sum(np.abs(values))
            spread = np.sum(np.square(values - np.mean(values)))
        if not (np.isfinite(total) and np.isfinite(spread)):
            largest = np.max(np.abs(values))
            raise CommandError(
                f"numeric feature column {str(name)!r} of {path!r} has values too "
                f"large for float64 computations (up to {largest:.3g} in magnitude): "
                "its standardization overflows; rescale the column (other units, "
                "a logarithm) or drop it"
            )


def _kind(column):
    """What a column holds, in words: "numbers", "text", "booleans"...

    It is what decides a column's preprocessing: numbers are standardized,
    everything else one-hot encoded as categories, which must then be of one
    kind to be compared with those seen during the fit.
    """
    import pandas as pd

    cells = column[column.notna()]
    if len(cells) == 0:
        return "only empty cells"
    if pd.api.types.is_bool_dtype(column):
        return "booleans"
    if pd.api.types.is_numeric_dtype(column):
        return "numbers"
    if isinstance(column.dtype, pd.StringDtype):  # no need to look at each cell
        return "text"
    types = {type(cell) for cell in cells}
    if all(issubclass(t, str) for t in types):
        return "text"
    if all(issubclass(t, (bool, np.bool_)) for t in types):
        return "booleans"
    if all(
        issubclass(t, (int, float, np.number)) and not issubclass(t, bool)
        for t in types
    ):
        return "numbers"
    return f"{_or(sorted(t.__name__ for t in types))} values"


def _split(X, y, test_size, random_state):
    """Stratified train/test split, plain if some class is too small for that."""
    from .._splitting import stratified_split

    n_rows, n_classes = len(y), y.nunique()
    n_test = math.ceil(test_size * n_rows)  # how train_test_split rounds
    if n_rows - n_test < n_classes:
        raise CommandError(
            f"--test-size {test_size:g} holds out {n_test} of the {n_rows} rows, "
            f"leaving {n_rows - n_test} to fit on, fewer than the {n_classes} "
            "classes; lower --test-size or add rows"
        )
    return stratified_split(X, y, y=y, test_size=test_size, random_state=random_state)


def _describe(data, X, y, path, target):
    numeric = X.select_dtypes("number").shape[1]
    print(
        f"{path}: {len(data)} rows, {X.shape[1]} feature columns ({numeric} "
        f"numeric, {X.shape[1] - numeric} one-hot encoded), target {target!r} "
        f"with {y.nunique()} classes"
    )


def _format_table(header, rows):
    """A plain-text table: columns two spaces apart, a rule under the header."""
    widths = [
        max(len(str(cell)) for cell in column)
        for column in zip(header, *rows, strict=True)
    ]
    lines = [header, ["-" * width for width in widths], *rows]
    return "\n".join(
        "  ".join(
            str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)
        ).rstrip()
        for line in lines
    )
