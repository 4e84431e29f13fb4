"""User errors on the command line: exit status 2, one line, no traceback.

Every case is a mistake in the options or the files that once ended in a
traceback (exit status 1) or in a message that named the wrong problem. Each
checks the status, that the error is one line naming the option or column at
fault, and that a failed command leaves no file behind.
"""

import contextlib
import io
import subprocess
import sys

import numpy as np
import pytest

from sklinear._splitting import stratified_split
from sklinear.cli import CommandError, main
from sklinear.cli._tables import _split_target

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
pytest.importorskip("skops.io")

ROWS = 12


@pytest.fixture(scope="module")
def table():
    """12 rows: a numeric and a text feature, and two classes."""
    return pd.DataFrame(
        {
            "size": np.linspace(1.0, 2.0, ROWS),
            "colour": ["red", "blue", "green"] * (ROWS // 3),
            "label": ["a", "b"] * (ROWS // 2),
        }
    )


@pytest.fixture(scope="module")
def model(table, tmp_path_factory):
    """A softmax model file fitted on ``table``."""
    path = tmp_path_factory.mktemp("model") / "model.skops"
    argv = ["fit", str(_csv(table, path.parent / "table.csv")), "--target", "label"]
    argv += ["--model", "softmax", "--test-size", "0", "--output", str(path)]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(argv) == 0
    return path


def _csv(frame, path):
    frame.to_csv(path, index=False)
    return path


def _parquet(frame, path):
    frame.to_parquet(path)
    return path


def _with_cell(table, column, text, row):
    """``table`` with the cell of ``column`` in ``row`` replaced by ``text``."""
    frame = table.astype({column: object})
    frame.loc[row, column] = text
    return frame


def _held_out_row(table, test_size=0.5, random_state=0):
    """A row that ``sklinear fit`` holds out for its report with these options."""
    _, test = stratified_split(
        np.arange(len(table)),
        y=table["label"],
        test_size=test_size,
        random_state=random_state,
    )
    return int(test[0])


def _assert_user_error(status, err, command, words):
    """Exit status 2 and a one-line ``sklinear COMMAND: error:`` with ``words``:
    the only line on stderr, for usage errors found by argparse as for
    errors found while running."""
    assert status == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    message = lines[0]
    assert message.startswith(f"sklinear {command}: error: "), err
    for word in words:
        assert word in message, message
    # NumPy scalar reprs (np.True_, np.float64(...)) are not for users.
    assert "np." not in message, message
    return message


def _run(argv, capsys):
    capsys.readouterr()
    status = main([str(arg) for arg in argv])
    return status, capsys.readouterr().err


# -- options: ranges checked when the command line is parsed ------------------

FIT = ["fit", "data.csv", "--target", "label", "--output", "model.skops"]
TUNE = ["tune", "data.csv", "--target", "label", "--no-plot"]

OPTION_CASES = {
    "negative seed": ([*FIT, "--random-state", "-1"], ["--random-state", "-1"]),
    "seed 2**40": (
        [*FIT, "--random-state", str(2**40)],
        ["--random-state", "1099511627776", "4294967295"],
    ),
    "tune seed": ([*TUNE, "--random-state", "-1"], ["--random-state"]),
    "demo seed": (["demo", "--random-state", str(2**32)], ["--random-state"]),
    "infinite alpha": ([*FIT, "--alpha", "inf"], ["--alpha", "finite"]),
    "demo infinite alpha": (["demo", "--alpha", "inf"], ["--alpha", "finite"]),
    "infinite alpha grid": ([*TUNE, "--alphas", "1e-5:inf:3"], ["--alphas"]),
    "no jobs": ([*TUNE, "--n-jobs", "0"], ["--n-jobs", "got 0"]),
    "demo test size": (["demo", "--test-size", "0.999"], ["--test-size", "0.999"]),
}


@pytest.mark.parametrize("case", OPTION_CASES)
def test_bad_option_values_are_usage_errors(case, tmp_path, capsys, monkeypatch):
    """Checked before any file is read: DATA does not even exist."""
    monkeypatch.chdir(tmp_path)
    argv, words = OPTION_CASES[case]
    status, err = _run(argv, capsys)
    _assert_user_error(status, err, argv[0], ["argument", *words])
    assert list(tmp_path.iterdir()) == []


# -- data files: fit and tune ------------------------------------------------------


def _test_size_too_large(table, directory):
    return _csv(table.head(10), directory / "data.csv"), ["--test-size", "0.99"]


def _infinite_in_held_out_rows(table, directory):
    # Before the check, the fit succeeded and the report crashed on this row.
    row = _held_out_row(table)
    frame = _with_cell(table, "size", "1e400", row)
    return _csv(frame, directory / "data.csv"), ["--test-size", "0.5"]


def _too_large_to_standardize(table, directory):
    return _csv(_with_cell(table, "size", "1e300", 3), directory / "data.csv"), []


def _parquet_list_column(table, directory):
    frame = table.assign(tags=[[1, 2], [3]] * (ROWS // 2))
    return _parquet(frame, directory / "data.parquet"), []


def _parquet_struct_column(table, directory):
    frame = table.assign(point=[{"x": 1.0, "y": 2.0}] * ROWS)
    return _parquet(frame, directory / "data.parquet"), []


def _single_boolean_class(table, directory):
    return _csv(table.assign(label=True), directory / "data.csv"), []


def _list_target(table, directory):
    frame = table.assign(label=[[1], [2]] * (ROWS // 2))
    return _parquet(frame, directory / "data.parquet"), []


DATA_CASES = {
    "test size too large": (
        _test_size_too_large,
        ["fit"],
        ["--test-size 0.99", "10 of the 10 rows", "2 classes"],
    ),
    "1e400 in the held-out rows": (
        _infinite_in_held_out_rows,
        ["fit", "tune"],
        ["'size'", "infinite", "1e400"],
    ),
    "1e300 overflows scaling": (
        _too_large_to_standardize,
        ["fit", "tune"],
        ["'size'", "too large for float64", "1e+300"],
    ),
    "parquet list column": (
        _parquet_list_column,
        ["fit", "tune"],
        ["'tags'", "lists", "[1, 2]"],
    ),
    "parquet struct column": (
        _parquet_struct_column,
        ["fit", "tune"],
        ["'point'", "dict"],
    ),
    "single boolean class": (
        _single_boolean_class,
        ["fit", "tune"],
        ["'label'", "single class (True)"],
    ),
    "list target": (
        _list_target,
        ["fit"],
        ["'label'", "cannot be class labels", "[1]", "an unknown target"],
    ),
}


@pytest.mark.parametrize(
    "case, command",
    [(case, command) for case, spec in DATA_CASES.items() for command in spec[1]],
)
def test_bad_data_is_a_one_line_error_and_writes_no_model(
    case, command, table, tmp_path, capsys
):
    make, _, words = DATA_CASES[case]
    data, options = make(table, tmp_path)
    output = tmp_path / "model.skops"
    argv = [command, data, "--target", "label", "--output", output]
    if command == "fit":
        argv += options  # fit's --test-size
    else:
        argv += ["--no-plot", "--alphas", "1e-2:1e-1:2", "--cv", "2"]
    status, err = _run(argv, capsys)
    message = _assert_user_error(status, err, command, words)
    assert "NaN" not in message
    assert not output.exists()


def test_the_program_itself_prints_no_traceback(table, tmp_path):
    """``python -m sklinear`` on a 1e400 cell: status 2 from the real process."""
    data, options = _infinite_in_held_out_rows(table, tmp_path)
    output = tmp_path / "model.skops"
    argv = ["fit", data, "--target", "label", "--output", output, *options]
    result = subprocess.run(
        [sys.executable, "-m", "sklinear", *map(str, argv)],
        capture_output=True,
        text=True,
    )
    _assert_user_error(result.returncode, result.stderr, "fit", ["'size'"])
    assert not output.exists()


# -- predict: the schema of DATA changed since the fit ---------------------------------

PREDICT_CASES = {
    "text column became numeric": (
        lambda t: t.assign(colour=np.arange(ROWS) * 1.5),
        ["'colour'", "text at fit time, numbers now"],
    ),
    "text column became boolean": (
        lambda t: t.assign(colour=[True, False] * (ROWS // 2)),
        ["'colour'", "text at fit time, booleans now"],
    ),
    "text column became empty": (
        lambda t: t.assign(colour=np.nan),
        ["'colour'", "only empty cells"],
    ),
    "numeric column became boolean": (
        lambda t: t.assign(size=[True, False] * (ROWS // 2)),
        ["'size'", "numbers at fit time, booleans now"],
    ),
    "numeric column became text": (
        lambda t: t.assign(size=["small", "large"] * (ROWS // 2)),
        ["'size'", "numbers at fit time, text now"],
    ),
    "missing column": (
        lambda t: t.drop(columns="size"),
        ["lacks column(s)", "'size'"],
    ),
    "infinite number": (
        lambda t: _with_cell(t, "size", "-1e400", 2),
        ["'size'", "infinite", "data row 3"],
    ),
    "missing number": (
        lambda t: _with_cell(t, "size", "", 2),
        ["'size'", "missing values"],
    ),
}


@pytest.mark.parametrize("case", PREDICT_CASES)
def test_predict_on_a_changed_schema_names_the_columns(
    case, table, model, tmp_path, capsys
):
    change, words = PREDICT_CASES[case]
    data = _csv(change(table), tmp_path / "new.csv")
    output = tmp_path / "predictions.csv"
    status, err = _run(["predict", model, data, "--proba", "--output", output], capsys)
    _assert_user_error(status, err, "predict", words)
    assert not output.exists()


def test_predict_accepts_the_same_kinds_read_differently(table, model, tmp_path):
    """Integers for floats, a str column from Parquet: not a schema change."""
    frame = table.assign(size=np.arange(ROWS))
    data = _parquet(frame, tmp_path / "new.parquet")
    output = tmp_path / "predictions.csv"
    assert main(["predict", str(model), str(data), "--output", str(output)]) == 0
    assert len(pd.read_csv(output)) == ROWS


def test_nullable_booleans_with_missing_values_round_trip(table, tmp_path):
    """scikit-learn encodes them as the floats 0, 1, nan: still booleans."""
    flags = pd.array([True, False, None] * (ROWS // 3), dtype="boolean")
    data = _parquet(table.assign(flag=flags), tmp_path / "data.parquet")
    model = tmp_path / "model.skops"
    argv = ["fit", str(data), "--target", "label", "--test-size", "0"]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main([*argv, "--output", str(model)]) == 0
        assert main(["predict", str(model), str(data)]) == 0


def test_a_column_mixing_strings_and_numbers_is_named(table):
    """No file format yields one, but a DataFrame can: the encoder cannot sort it."""
    frame = table.assign(code=pd.Series(["x", 1] * (ROWS // 2), dtype=object))
    with pytest.raises(CommandError, match="column 'code' .* mixes .* int or str"):
        _split_target(frame, "label", "frame")
