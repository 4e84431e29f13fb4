"""The ``sklinear`` command line (demo, fit, predict, tune) and model files."""

import contextlib
import io
import json
import pickle
import subprocess
import sys
import zipfile
from fractions import Fraction
from pathlib import PurePosixPath

import joblib
import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split

from sklinear import SoftmaxClassifier, SVMClassifier
from sklinear.cli import (
    CommandError,
    build_pipeline,
    load_model,
    main,
    read_data,
    save_model,
)
from sklinear.cli._model_files import _is_trusted
from sklinear.cli._parser import _build_parser
from sklinear.cli._progress import _PlainProgressBar, _progress_bar

pd = pytest.importorskip("pandas")
sio = pytest.importorskip("skops.io")

CLASSIFIERS = {"svm": SVMClassifier, "softmax": SoftmaxClassifier}


@pytest.fixture(scope="module")
def table():
    """Iris with a string feature column and a string target, ``species``."""
    iris = load_iris(as_frame=True)
    frame = iris.frame.drop(columns="target")
    frame["colour"] = np.where(np.arange(len(frame)) % 3 == 0, "red", "blue")
    frame["species"] = iris.target_names[iris.target]
    return frame


@pytest.fixture(scope="module")
def files(table, tmp_path_factory):
    """The table as CSV and as Parquet."""
    directory = tmp_path_factory.mktemp("data")
    paths = {"csv": directory / "iris.csv", "parquet": directory / "iris.parquet"}
    table.to_csv(paths["csv"], index=False)
    table.to_parquet(paths["parquet"])
    return paths


@pytest.fixture(scope="module")
def models(files, tmp_path_factory):
    """Model files of both classifiers written by ``sklinear fit`` from the CSV."""
    directory = tmp_path_factory.mktemp("models")
    paths = {}
    for name in CLASSIFIERS:
        paths[name] = directory / f"{name}.skops"
        argv = ["fit", str(files["csv"]), "--target", "species", "--model", name]
        with contextlib.redirect_stdout(io.StringIO()):
            assert main([*argv, "--output", str(paths[name])]) == 0
    return paths


def _in_memory_pipeline(table, name, test_size=0.2):
    """What ``sklinear fit`` should have fitted, built directly."""
    X, y = table.drop(columns="species"), table["species"]
    if test_size:
        X, _, y, _ = train_test_split(
            X, y, test_size=test_size, stratify=y, random_state=0
        )
    classifier = CLASSIFIERS[name](alpha=1e-4, random_state=0)
    return build_pipeline(classifier).fit(X, y)


def _assert_one_line_error(capsys, command, status):
    """Exit status 2 and one line ``sklinear COMMAND: error: ...`` on stderr."""
    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"sklinear {command}: error: ")
    return lines[0]


# -- the program ----------------------------------------------------------------------


def test_python_m_sklinear_help_lists_the_commands():
    """``python -m sklinear --help`` is the console script's help."""
    result = subprocess.run(
        [sys.executable, "-m", "sklinear", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("usage: sklinear ")
    for command in ("demo", "fit", "predict", "tune"):
        assert f"    {command} " in result.stdout


@pytest.mark.parametrize("command", ["demo", "fit", "predict", "tune"])
def test_help_documents_every_option(command, capsys):
    """Every option and argument of every command is in its --help, with a text."""
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    subparsers = _build_parser()._subparsers._group_actions[0].choices
    for action in subparsers[command]._actions:
        assert action.help, action.dest
        name = action.option_strings[-1] if action.option_strings else action.metavar
        assert name in out


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("sklinear 0.")


def test_demo_is_reproducible(capsys):
    """Run twice with one seed, the demo prints the same table but for the times.

    The dual solver visits the samples in a random order, so an unseeded SVM
    took a different number of epochs on every run.
    """
    tables = []
    for _ in range(2):
        assert main(["demo", "--random-state", "3"]) == 0
        lines = capsys.readouterr().out.splitlines()
        # The last column is the fit time.
        tables.append([line.split()[:-1] for line in lines])
    assert tables[0] == tables[1]
    assert any("SVMClassifier" in line for line in lines)


def test_demo_needs_no_optional_dependency(tmp_path):
    """The demo runs, and fit says what to install, without pandas, skops, rich..."""
    code = """if True:
        import sys
        blocked = ("pandas", "pyarrow", "skops", "rich", "matplotlib")
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in blocked:
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        sys.meta_path.insert(0, Block())
        from sklinear.cli import main
        assert main(["demo", "--alpha", "1e-2"]) == 0
        assert not [m for m in sys.modules if m.split(".")[0] in blocked]
        sys.exit(main(["fit", "data.csv", "--target", "y", "--output", "m.skops"]))
    """
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert "sklinear SVMClassifier" in result.stdout
    assert result.stderr.strip() == (
        "sklinear fit: error: this command needs pandas, which is not installed: "
        'pip install "sklinear[cli]"'
    )


def test_missing_skops_gives_the_install_hint(models, files, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "skops.io", None)
    status = main(["predict", str(models["svm"]), str(files["csv"])])
    line = _assert_one_line_error(capsys, "predict", status)
    assert line.endswith(
        'needs skops, which is not installed: pip install "sklinear[cli]"'
    )


# -- fit and predict --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["svm", "softmax"])
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_fit_predict_round_trip(name, kind, table, files, tmp_path, capsys):
    """The saved model predicts exactly what the same pipeline fitted in memory does."""
    model = tmp_path / "model.skops"
    argv = ["fit", str(files[kind]), "--target", "species", "--model", name]
    assert main([*argv, "--output", str(model)]) == 0
    out = capsys.readouterr().out
    assert "held-out accuracy: " in out and f"wrote {model}" in out

    expected = _in_memory_pipeline(table, name).predict(table.drop(columns="species"))
    loaded = load_model(model)
    assert np.array_equal(loaded.predict(table), expected)
    assert loaded.sklinear_target_ == "species"

    predictions = tmp_path / "predictions.csv"
    assert main(["predict", str(model), str(files[kind]), "-o", str(predictions)]) == 0
    written = pd.read_csv(predictions)
    assert list(written.columns) == ["species"]
    assert np.array_equal(written["species"].to_numpy(), expected)


def test_fit_reports_accuracy_per_class_table_and_confusion_matrix(
    table, files, tmp_path, capsys
):
    model = tmp_path / "model.skops"
    argv = ["fit", str(files["csv"]), "--target", "species", "--output", str(model)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    accuracy = float(out.split("held-out accuracy: ")[1].split()[0])
    assert 0.9 <= accuracy <= 1
    report = out.split("confusion matrix")[0]
    assert "precision" in report and "recall" in report
    for species in ("setosa", "versicolor", "virginica"):
        assert f"{species}       " in report
    matrix = out.split("(rows: true class, columns: predicted class)\n")[1]
    rows = matrix.splitlines()[1:4]
    assert sum(int(n) for row in rows for n in row.split()[1:]) == 30  # 20% held out


def test_fit_with_options_and_no_held_out_rows(files, tmp_path, capsys):
    model = tmp_path / "model.skops"
    argv = [
        "fit", str(files["csv"]), "--target", "species", "--model", "svm",
        "--loss", "squared_hinge", "--penalty", "l1", "--alpha", "1e-3",
        "--optimizer", "gd", "--max-iter", "200", "--test-size", "0",
        "--random-state", "3", "--output", str(model),
    ]  # fmt: skip
    assert main(argv) == 0
    assert "training accuracy" in capsys.readouterr().out
    classifier = load_model(model)[-1]
    assert (classifier.loss, classifier.penalty, classifier.alpha) == (
        "squared_hinge",
        "l1",
        1e-3,
    )
    assert (classifier.optimizer_, classifier.max_iter) == ("gd", 200)


def test_non_convergence_is_one_warning_line(files, tmp_path, capsys):
    model = tmp_path / "model.skops"
    argv = ["fit", str(files["csv"]), "--target", "species", "--max-iter", "2"]
    assert main([*argv, "--output", str(model)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: the fit did not converge") and err.count("\n") == 1


def test_predict_ignores_the_target_column(models, files, table, tmp_path, capsys):
    """With or without the target column, and with extra or reordered columns."""
    without = tmp_path / "without.csv"
    table.drop(columns="species").iloc[:, ::-1].assign(extra=1).to_csv(
        without, index=False
    )
    outputs = []
    for data in (files["csv"], without):
        assert main(["predict", str(models["svm"]), str(data)]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert outputs[0].splitlines()[:2] == ["species", "setosa"]
    assert len(outputs[0].splitlines()) == len(table) + 1


def test_proba_columns_are_the_classes_and_sum_to_one(models, files, capsys):
    assert (
        main(["predict", str(models["softmax"]), str(files["parquet"]), "--proba"]) == 0
    )
    written = pd.read_csv(io.StringIO(capsys.readouterr().out))
    classes = ["setosa", "versicolor", "virginica"]
    assert list(written.columns) == ["species", *classes]
    proba = written[classes].to_numpy()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-12)
    assert np.array_equal(np.array(classes)[proba.argmax(axis=1)], written["species"])


def test_proba_of_an_svm_is_refused(models, files, capsys):
    status = main(["predict", str(models["svm"]), str(files["csv"]), "--proba"])
    line = _assert_one_line_error(capsys, "predict", status)
    assert "SVMClassifier" in line


# -- tune ---------------------------------------------------------------------------------


def test_tune_prints_the_validation_curve_and_plots_it(files, tmp_path, capsys):
    plot, model = tmp_path / "curve.png", tmp_path / "best.skops"
    argv = [
        "tune", str(files["csv"]), "--target", "species", "--model", "softmax",
        "--alphas", "1e-3:1e-1:3", "--cv", "3", "--plot", str(plot),
        "--output", str(model),
    ]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    header = "alpha  cv accuracy (mean)  cv accuracy (std)  train accuracy"
    lines = out.splitlines()
    start = lines.index(header)
    rows = [line.split() for line in lines[start + 2 : start + 5]]
    assert [row[0] for row in rows] == ["0.001", "0.01", "0.1"]
    for _, mean, std, train in rows:
        assert 0.5 < float(mean) <= 1 and 0 <= float(std) < 0.5
        assert 0.5 < float(train) <= 1
    assert "best: alpha=" in out
    assert plot.read_bytes().startswith(b"\x89PNG")
    assert load_model(model)[-1].alpha in (1e-3, 1e-2, 1e-1)


def test_tune_over_penalties_and_losses_without_matplotlib(
    files, tmp_path, capsys, monkeypatch
):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    monkeypatch.chdir(tmp_path)
    argv = [
        "tune", str(files["csv"]), "--target", "species", "--alphas", "1e-2:1e-1:2",
        "--cv", "2", "--penalty", "l2,l1", "--loss", "hinge,squared_hinge",
    ]  # fmt: skip
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "penalty  loss           alpha" in captured.out
    assert len([line for line in captured.out.splitlines() if " hinge " in line]) == 4
    assert "matplotlib is not installed: no plot written" in captured.err
    assert not (tmp_path / "validation_curve.png").exists()


def _tune_table(out):
    """``{alpha: cv accuracy (mean)}`` and the best alpha, from tune's output."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("alpha "))
    means = {}
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        alpha, mean, *_ = line.split()
        means[alpha] = float(mean)
    (best,) = [line for line in lines if line.startswith("best: alpha=")]
    return means, best.split("=")[1].split(",")[0]


# The cold L1 fits of the reference stop at max_iter for some alphas.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "model, penalty", [("softmax", "l2"), ("svm", "l2"), ("svm", "l1")]
)
def test_tune_agrees_with_grid_search_cv(model, penalty, files, table, capsys):
    """The warm paths choose as GridSearchCV's cold fits on the same folds.

    The solutions agree to the solvers' tolerance only, so a row near the
    boundary may flip: each mean may differ by one held-out row per fold.
    GridSearchCV takes the first of equal means (here the smallest alpha);
    the expected choice applies tune's rule, the largest.

    The grid stops at alpha=1: at 10 the Weston-Watkins optimum is not
    unique in the intercept. On these folds, fits whose objectives agree to
    12 digits return intercepts that differ by 0.005, and which of them a
    solver returns decides the predictions (mean accuracy 0.32 or 0.41).
    """
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    alphas = np.logspace(-3, 0, 4)
    argv = [
        "tune", str(files["csv"]), "--target", "species", "--model", model,
        "--penalty", penalty, "--alphas", "1e-3:1e0:4", "--cv", "3", "--no-plot",
    ]  # fmt: skip
    assert main(argv) == 0
    means, best = _tune_table(capsys.readouterr().out)

    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    classifier = CLASSIFIERS[model](penalty=penalty, random_state=0)
    search = GridSearchCV(
        build_pipeline(classifier), {"classifier__alpha": list(alphas)}, cv=cv
    ).fit(table.drop(columns="species"), table["species"])
    expected = search.cv_results_["mean_test_score"]
    one_row = np.mean([1 / len(test) for _, test in cv.split(table, table["species"])])
    assert list(means) == [f"{alpha:.3g}" for alpha in alphas]
    np.testing.assert_allclose(list(means.values()), expected, atol=one_row + 1e-4)
    ties = np.isclose(expected, expected.max(), rtol=0, atol=1e-12)
    largest_best = alphas[np.flatnonzero(ties)[-1]]
    assert best == f"{largest_best:.3g}"


def test_tune_n_jobs_2_prints_what_n_jobs_1_prints(files, capsys):
    """The same table, and the same single convergence note, not the workers'
    raw warnings."""
    argv = [
        "tune", str(files["csv"]), "--target", "species", "--alphas", "1e-3:1e1:3",
        "--cv", "3", "--penalty", "l2,l1", "--max-iter", "5", "--no-plot",
    ]  # fmt: skip
    captured = []
    for n_jobs in ("1", "2"):
        assert main([*argv, "--n-jobs", n_jobs]) == 0
        captured.append(capsys.readouterr())
    assert captured[1].out == captured[0].out
    assert captured[1].err == captured[0].err
    assert captured[0].err.startswith("warning: some of the 18 fits did not converge")
    assert "ConvergenceWarning" not in captured[1].err


# -- errors in the user's files -------------------------------------------------------------


def _write(directory, name, frame=None, text=None, data=None):
    """Write a table, a text or bytes to ``directory / name``; return the path."""
    path = directory / name
    if frame is not None and name.endswith(".parquet"):
        frame.to_parquet(path)
    elif frame is not None:
        frame.to_csv(path, index=False)
    elif text is not None:
        path.write_text(text)
    else:
        path.write_bytes(data)
    return path


ERROR_CASES = {
    "missing target column": (
        lambda t, d: _write(d, "x.csv", t.drop(columns="species")),
        "has no column 'species'",
    ),
    "empty file": (lambda t, d: _write(d, "x.csv", text=""), "is empty"),
    "header only": (lambda t, d: _write(d, "x.csv", t.head(0)), "has no rows"),
    "empty parquet": (lambda t, d: _write(d, "x.parquet", t.head(0)), "has no rows"),
    "single class": (
        lambda t, d: _write(d, "x.csv", t.assign(species="setosa")),
        "has a single class ('setosa')",
    ),
    "floats with NaN": (
        lambda t, d: _write(
            d, "x.csv", t.assign(species=np.where(t.index % 5, 1.0, np.nan))
        ),
        "'species' has 30 missing value(s)",
    ),
    "continuous target": (
        lambda t, d: _write(d, "x.csv", t.assign(species=np.linspace(0, 1, len(t)))),
        "cannot be class labels",
    ),
    "unknown extension": (
        lambda t, d: _write(d, "x.txt", text="a,species\n1,x\n2,y\n"),
        "unknown file type",
    ),
    "missing file": (lambda t, d: d / "nowhere.csv", "No such file"),
    "not parquet": (
        lambda t, d: _write(d, "x.parquet", text="not parquet"),
        "cannot read",
    ),
    "undecodable csv": (
        lambda t, d: _write(d, "x.csv", data=b"\xff\xfe\x00a,b\n"),
        "cannot read",
    ),
    "missing feature values": (
        lambda t, d: _write(
            d,
            "x.csv",
            t.assign(**{"sepal width (cm)": np.where(t.index % 9, 1, np.nan)}),
        ),
        "missing values: 'sepal width (cm)'",
    ),
}


@pytest.mark.parametrize("case", ERROR_CASES)
@pytest.mark.parametrize("command", ["fit", "tune"])
def test_errors_in_the_data_exit_2_with_one_line(
    case, command, table, tmp_path, capsys
):
    make, message = ERROR_CASES[case]
    data = make(table, tmp_path)
    argv = [command, str(data), "--target", "species", "--output", str(tmp_path / "m")]
    status = main(argv)
    line = _assert_one_line_error(capsys, command, status)
    assert message in line


def test_predict_errors_exit_2_with_one_line(models, table, tmp_path, capsys):
    lacking = _write(tmp_path, "lacking.csv", table.drop(columns="colour"))
    not_a_model = _write(tmp_path, "model.skops", text="not a zip")
    cases = [
        ([str(models["svm"]), str(lacking)], "lacks column(s) the model was fitted on"),
        ([str(not_a_model), str(lacking)], "is not a skops model file"),
        ([str(tmp_path / "none.skops"), str(lacking)], "No such file"),
        ([str(models["svm"]), str(tmp_path / "x.json")], "unknown file type"),
    ]
    for argv, message in cases:
        line = _assert_one_line_error(capsys, "predict", main(["predict", *argv]))
        assert message in line


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["fit", "x.csv", "--target", "y", "--output", "m", "--alpha", "-1"],
            "--alpha",
        ),
        (
            ["fit", "x.csv", "--target", "y", "--output", "m", "--test-size", "1"],
            "--test-size",
        ),
        (["fit", "x.csv", "--output", "m"], "--target"),
        (["tune", "x.csv", "--target", "y", "--alphas", "1:2"], "--alphas"),
        (["tune", "x.csv", "--target", "y", "--penalty", "l3"], "--penalty"),
        (["tune", "x.csv", "--target", "y", "--cv", "1"], "--cv"),
        (["demo", "--alpha", "0"], "--alpha"),
    ],
)
def test_bad_options_are_usage_errors(argv, message, capsys):
    status = main(argv)
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"sklinear {argv[0]}: error: ") and message in last


def test_loss_of_the_other_model_is_refused(files, tmp_path, capsys):
    argv = ["fit", str(files["csv"]), "--target", "species", "--model", "softmax"]
    status = main([*argv, "--loss", "hinge", "--output", str(tmp_path / "m.skops")])
    assert "not a loss of --model softmax" in _assert_one_line_error(
        capsys, "fit", status
    )


# -- model files ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["svm", "softmax"])
def test_real_models_name_only_trusted_classes(name, models):
    """What skops does not trust by default is sklinear's and scikit-learn's."""
    untrusted = sio.get_untrusted_types(file=str(models[name]))
    assert sorted(untrusted) == sorted(
        [
            "sklearn.compose._column_transformer.make_column_selector",
            f"sklinear._classes.{CLASSIFIERS[name].__name__}",
        ]
    )
    assert all(_is_trusted(t) for t in untrusted)


@pytest.mark.parametrize(
    "name, trusted",
    [
        ("sklinear._classes.SVMClassifier", True),
        ("sklearn.pipeline.Pipeline", True),
        ("collections.OrderedDict", False),  # a class, but not one fit writes
        ("numpy.random.mtrand.RandomState", False),
        ("builtins.eval", False),  # a function, not a class
        ("numpy.load", False),
        ("sklearn.datasets.dump_svmlight_file", False),
        ("os.system", False),
        ("fractions.Fraction", False),
        ("sklearnx.Evil", False),
        ("sklearn.no_such_module.Thing", False),
    ],
)
def test_trust_is_an_allowlist_of_exact_names(name, trusted):
    assert _is_trusted(name) is trusted


def _tampered_with_attribute(models, tmp_path):
    model = load_model(models["svm"])
    model[-1].note_ = Fraction(1, 3)
    model[-1].where_ = PurePosixPath("/tmp")
    path = tmp_path / "tampered.skops"
    sio.dump(model, path)
    return path, ["fractions.Fraction", "pathlib.PurePosixPath"]


def _tampered_schema(models, tmp_path):
    """The column selector's node rewritten to ask for ``os.system``."""
    with zipfile.ZipFile(models["svm"]) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    schema = json.loads(members["schema.json"])

    def rewrite(node):
        if isinstance(node, dict):
            if node.get("__class__") == "make_column_selector":
                node["__class__"], node["__module__"] = "system", "os"
            for value in node.values():
                rewrite(value)
        elif isinstance(node, list):
            for value in node:
                rewrite(value)

    rewrite(schema)
    members["schema.json"] = json.dumps(schema).encode()
    path = tmp_path / "tampered.skops"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path, ["os.system"]


@pytest.mark.parametrize("tamper", [_tampered_with_attribute, _tampered_schema])
def test_tampered_model_is_refused(tamper, models, files, tmp_path, capsys):
    path, types = tamper(models, tmp_path)
    status = main(["predict", str(path), str(files["csv"])])
    line = _assert_one_line_error(capsys, "predict", status)
    assert "refusing to load" in line
    for name in types:
        assert name in line
    with pytest.raises(CommandError, match="not trusted"):
        load_model(path)


def test_save_and_load_model(table, tmp_path):
    X = table.drop(columns="species")
    model = build_pipeline(SoftmaxClassifier()).fit(X, table["species"])
    save_model(model, tmp_path / "m.skops", target="species")
    loaded = load_model(tmp_path / "m.skops")
    assert np.array_equal(loaded.predict_proba(X), model.predict_proba(X))
    assert loaded.sklinear_target_ == "species"


def test_read_data_reads_both_formats(files, table):
    for path in files.values():
        pd.testing.assert_frame_equal(read_data(path), table)


@pytest.mark.parametrize("Classifier", [SVMClassifier, SoftmaxClassifier])
def test_pickle_and_joblib_round_trips(Classifier, tmp_path):
    """scikit-learn's persistence keeps working: identical predictions."""
    X, y = load_iris(return_X_y=True)
    model = Classifier(alpha=1e-3).fit(X, y)
    joblib.dump(model, tmp_path / "model.joblib")
    for copy in (
        pickle.loads(pickle.dumps(model)),
        joblib.load(tmp_path / "model.joblib"),
    ):
        assert np.array_equal(copy.predict(X), model.predict(X))
        assert np.array_equal(copy.decision_function(X), model.decision_function(X))
        if hasattr(model, "predict_proba"):
            assert np.array_equal(copy.predict_proba(X), model.predict_proba(X))


# -- progress bars ------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_no_progress_bar_when_stderr_is_not_a_terminal():
    assert _progress_bar() is None


def test_plain_progress_bar_counts_the_iterations():
    pytest.importorskip("sklearn.callback")
    X, y = load_iris(return_X_y=True)
    stream = io.StringIO()
    model = SVMClassifier().set_callbacks(_PlainProgressBar(stream)).fit(X, y)
    last = stream.getvalue().split("\r")[-1]
    assert last == (
        f"SVMClassifier - fit [{'#' * 30}] {model.n_iter_}/5000 iterations, done\n"
    )


def test_progress_bar_on_a_terminal_goes_to_stderr(
    files, tmp_path, capsys, monkeypatch
):
    """On a terminal the bar is drawn on stderr, and is not saved in the model."""
    pytest.importorskip("sklearn.callback")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    model = tmp_path / "model.skops"
    argv = ["fit", str(files["csv"]), "--target", "species", "--output", str(model)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "SVMClassifier - fit" in terminal.getvalue()
    assert "SVMClassifier - fit" not in out and "held-out accuracy" in out
    assert not [t for t in sio.get_untrusted_types(file=str(model)) if "callback" in t]
