"""What ``load_model`` trusts, and how the commands write their output files.

The tampered files are genuine model files written by ``sklinear fit`` with
one node added to the classifier's attributes in ``schema.json``: the shapes
of the nodes skops would build (``ConstructorFromReduceNode`` calls its type
with the arguments from the file, ``FunctionNode`` imports a function, ...).
"""

import contextlib
import io
import json
import os
import re
import zipfile

import numpy as np
import pytest
from sklearn.datasets import load_iris

from sklinear.cli import CommandError, load_model, main, read_data, save_model
from sklinear.cli._model_files import _named_types, _trusted_types

pd = pytest.importorskip("pandas")
sio = pytest.importorskip("skops.io")


@pytest.fixture(scope="module")
def table():
    """Iris with a string and a boolean feature column and a string target."""
    iris = load_iris(as_frame=True)
    frame = iris.frame.drop(columns="target")
    frame["colour"] = np.where(np.arange(len(frame)) % 3 == 0, "red", "blue")
    frame["flag"] = np.arange(len(frame)) % 2 == 0
    frame["species"] = iris.target_names[iris.target]
    return frame


@pytest.fixture(scope="module")
def data_csv(table, tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "iris.csv"
    table.to_csv(path, index=False)
    return path


def _run(argv):
    """``main(argv)`` with stdout and stderr captured: status, out, err."""
    with (
        contextlib.redirect_stdout(io.StringIO()) as out,
        contextlib.redirect_stderr(io.StringIO()) as err,
    ):
        status = main([str(arg) for arg in argv])
    return status, out.getvalue(), err.getvalue()


def _one_line_error(status, err, command):
    """The single stderr line of a refusal with exit status 2."""
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"sklinear {command}: error: ")
    return lines[0]


@pytest.fixture(scope="module")
def genuine(data_csv, tmp_path_factory):
    """A model file written by ``sklinear fit``."""
    path = tmp_path_factory.mktemp("models") / "svm.skops"
    status, _, err = _run(["fit", data_csv, "--target", "species", "-o", path])
    assert status == 0, err
    return path


# -- crafting tampered files ------------------------------------------------------------


def _json(value):
    return {
        "__class__": "str",
        "__module__": "builtins",
        "__loader__": "JsonNode",
        "content": json.dumps(value),
        "is_json": True,
    }


def _tuple(*items):
    return {
        "__class__": "tuple",
        "__module__": "builtins",
        "__loader__": "TupleNode",
        "content": list(items),
    }


def _dict():
    keys = {"__class__": "list", "__module__": "builtins", "__loader__": "ListNode"}
    return {
        "__class__": "dict",
        "__module__": "builtins",
        "__loader__": "DictNode",
        "content": {},
        "key_types": {**keys, "content": []},
    }


def _call_with(module, name, *nodes):
    """A node that skops loads by calling ``module.name`` on the ``nodes``."""
    return {
        "__class__": name,
        "__module__": module,
        "__loader__": "ConstructorFromReduceNode",
        "content": _tuple(*nodes),
    }


def _call(module, name, *args):
    """A node that skops loads by calling ``module.name(*args)``."""
    return _call_with(module, name, *(_json(arg) for arg in args))


def _type(module, name):
    return {"__class__": name, "__module__": module, "__loader__": "TypeNode"}


def _object(module, name):
    """A node that skops loads as ``cls.__new__(cls)``."""
    return {"__class__": name, "__module__": module, "__loader__": "ObjectNode"}


def _function(module, name):
    return {"__class__": name, "__module__": module, "__loader__": "FunctionNode"}


def _partial(module, name):
    return {
        "__class__": "partial",
        "__module__": "functools",
        "__loader__": "PartialNode",
        "content": {
            "func": _function(module, name),
            "args": _tuple(),
            "kwds": _dict(),
            "namespace": _dict(),
        },
    }


def _craft(genuine, path, node):
    """Write to ``path`` the model ``genuine`` with ``node`` as attribute
    ``tampered_`` of its classifier."""
    with zipfile.ZipFile(genuine) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    schema = json.loads(members["schema.json"])
    steps = schema["content"]["content"]["steps"]["content"]
    classifier = steps[-1]["content"][1]
    assert classifier["__module__"] == "sklinear._classes"
    attributes = classifier["content"]
    attributes["content"]["tampered_"] = node
    # skops pairs each attribute with a key type: without one, the node
    # would be checked but never built, and the tests would prove nothing.
    key_type = {"__class__": "str", "__module__": "builtins", "__loader__": "TypeNode"}
    attributes["key_types"]["content"].append(key_type)
    members["schema.json"] = json.dumps(schema).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


# Each case: the node, given a scratch directory; the name the refusal must
# give; and a path the node would create if it were built.
TAMPERED = {
    "joblib Memory via sklearn.datasets._lfw": (
        lambda tmp: _call("sklearn.datasets._lfw", "Memory", str(tmp / "cache")),
        "sklearn.datasets._lfw.Memory (constructor call)",
        "cache",
    ),
    "functools.partial": (
        lambda tmp: _partial("builtins", "print"),
        "functools.partial (partial function)",
        None,
    ),
    "functools.partial via sklearn.utils.extmath": (
        lambda tmp: _call_with(
            "sklearn.utils.extmath", "partial", _type("sklearn.pipeline", "Pipeline")
        ),
        "sklearn.utils.extmath.partial (constructor call)",
        None,
    ),
    "threading.Thread": (
        lambda tmp: _call("threading", "Thread"),
        "threading.Thread (constructor call)",
        None,
    ),
    "threading.Thread via sklearn.callback._transport": (
        lambda tmp: _call("sklearn.callback._transport", "Thread"),
        "sklearn.callback._transport.Thread (constructor call)",
        None,
    ),
    "pathlib.Path via sklearn.datasets._base": (
        lambda tmp: _call("sklearn.datasets._base", "Path", str(tmp)),
        "sklearn.datasets._base.Path (constructor call)",
        None,
    ),
    "tempfile.TemporaryDirectory": (
        lambda tmp: _call("tempfile", "TemporaryDirectory", "", "made-", str(tmp)),
        "tempfile.TemporaryDirectory (constructor call)",
        "made-*",
    ),
    "tempfile.TemporaryDirectory via sklearn.datasets._openml": (
        lambda tmp: _call(
            "sklearn.datasets._openml", "TemporaryDirectory", "", "made-", str(tmp)
        ),
        "sklearn.datasets._openml.TemporaryDirectory (constructor call)",
        "made-*",
    ),
    "builtins.eval": (
        lambda tmp: _function("builtins", "eval"),
        "builtins.eval (function)",
        None,
    ),
    "numpy.load": (
        lambda tmp: _function("numpy", "load"),
        "numpy.load (function)",
        None,
    ),
    "os.system": (
        lambda tmp: _function("os", "system"),
        "os.system (function)",
        None,
    ),
    "threadpoolctl class re-exported by sklinear": (
        lambda tmp: _object("sklinear._threading", "ThreadpoolController"),
        "sklinear._threading.ThreadpoolController (object)",
        None,
    ),
    "sklearn.utils.Bunch": (
        lambda tmp: _object("sklearn.utils", "Bunch"),
        "sklearn.utils.Bunch (object)",
        None,
    ),
    "a scikit-learn estimator that fit does not write": (
        lambda tmp: _object("sklearn.linear_model._logistic", "LogisticRegression"),
        "sklearn.linear_model._logistic.LogisticRegression (object)",
        None,
    ),
    "a trusted class as a function": (
        lambda tmp: _function("sklearn.pipeline", "Pipeline"),
        "sklearn.pipeline.Pipeline (function)",
        None,
    ),
    "a trusted class called with arguments from the file": (
        lambda tmp: _call("sklinear._classes", "SVMClassifier", 1.0),
        "sklinear._classes.SVMClassifier (constructor call)",
        None,
    ),
    "a node kind sklinear never writes": (
        lambda tmp: {**_object("builtins", "bytes"), "__loader__": "BytesNode"},
        "builtins.bytes (BytesNode)",
        None,
    ),
}


def _created(directory, pattern):
    return pattern is not None and any(directory.glob(pattern))


def test_the_crafted_payload_runs_when_not_refused(genuine, tmp_path):
    """Control: skops, trusting what the file names, builds the Memory node
    and creates its directory; so the refusals below are not vacuous."""
    node, _, created = TAMPERED["joblib Memory via sklearn.datasets._lfw"]
    path = _craft(genuine, tmp_path / "tampered.skops", node(tmp_path))
    data = path.read_bytes()
    model = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    assert type(model[-1].tampered_).__name__ == "Memory"
    assert _created(tmp_path, created)


@pytest.mark.parametrize("case", TAMPERED)
def test_predict_refuses_a_tampered_file(case, genuine, data_csv, tmp_path):
    node, refused, created = TAMPERED[case]
    path = _craft(genuine, tmp_path / "tampered.skops", node(tmp_path))
    status, out, err = _run(["predict", path, data_csv])
    line = _one_line_error(status, err, "predict")
    assert "refusing to load" in line and refused in line
    assert out == ""
    assert not _created(tmp_path, created)


@pytest.mark.parametrize("case", TAMPERED)
def test_load_model_refuses_a_tampered_file(case, genuine, tmp_path):
    node, refused, created = TAMPERED[case]
    path = _craft(genuine, tmp_path / "tampered.skops", node(tmp_path))
    with pytest.raises(CommandError, match=re.escape(refused)) as info:
        load_model(path)
    assert str(info.value).startswith(f"refusing to load {str(path)!r}: ")
    assert not _created(tmp_path, created)


def test_refusal_comes_before_skops_sees_the_file(genuine, tmp_path, monkeypatch):
    """skops is not even asked to parse a refused file."""

    def fail(*args, **kwargs):
        raise AssertionError("skops was called on a refused file")

    for name in ("load", "loads", "get_untrusted_types"):
        monkeypatch.setattr(sio, name, fail)
    path = _craft(genuine, tmp_path / "t.skops", _function("builtins", "eval"))
    with pytest.raises(CommandError, match="refusing to load"):
        load_model(path)


def test_every_refused_type_is_named(genuine, tmp_path):
    node = _tuple()
    node["content"] = [_call("threading", "Thread"), _function("os", "system")]
    path = _craft(genuine, tmp_path / "two.skops", node)
    with pytest.raises(CommandError) as info:
        load_model(path)
    assert "os.system (function), threading.Thread (constructor call)" in str(
        info.value
    )


def test_a_node_hidden_where_skops_does_not_look_is_refused(genuine, tmp_path):
    """Any dict with ``__loader__`` counts, even under a key skops ignores."""
    node = _tuple()
    node["unused"] = _function("os", "system")
    path = _craft(genuine, tmp_path / "hidden.skops", node)
    with pytest.raises(CommandError, match=re.escape("os.system (function)")):
        load_model(path)


def test_a_malformed_node_is_refused(genuine, tmp_path):
    node = {**_object("os", "system"), "__module__": ["os"]}
    path = _craft(genuine, tmp_path / "malformed.skops", node)
    with pytest.raises(CommandError, match="refusing to load"):
        load_model(path)


def test_skops_loads_with_exactly_the_names_checked(genuine, monkeypatch):
    seen = {}
    loads = sio.loads

    def spy(data, trusted=None):
        seen["trusted"] = trusted
        return loads(data, trusted=trusted)

    monkeypatch.setattr(sio, "loads", spy)
    load_model(genuine)
    with zipfile.ZipFile(genuine) as archive:
        named = _named_types(json.loads(archive.read("schema.json")))
    assert seen["trusted"] == sorted({name for _, name in named})
    assert "sklinear._classes.SVMClassifier" in seen["trusted"]


def test_not_a_model_file(data_csv, tmp_path):
    with pytest.raises(CommandError, match="is not a skops model file"):
        load_model(data_csv)
    empty_zip = tmp_path / "empty.skops"
    zipfile.ZipFile(empty_zip, "w").close()
    with pytest.raises(CommandError, match="is not a skops model file"):
        load_model(empty_zip)


# -- every model the command line writes still loads ------------------------------------


def _variants():
    """``(id, command, data, options)`` for each kind of model file written."""
    variants = []
    for loss in ("hinge", "squared_hinge", "crammer_singer", "cross_entropy"):
        model = "softmax" if loss == "cross_entropy" else "svm"
        for penalty in ("l2", "l1", "elasticnet", "none"):
            options = ["--model", model, "--loss", loss, "--penalty", penalty]
            variants.append((f"{loss}-{penalty}", "fit", "mixed", options))
    optimizers = ["auto", "lbfgs", "gd", "sgd", "random_search"]
    optimizers += ["random_local_search"]
    for model in ("svm", "softmax"):
        for optimizer in optimizers + (["dual_cd"] if model == "svm" else []):
            options = ["--model", model, "--optimizer", optimizer]
            variants.append((f"{model}-{optimizer}", "fit", "mixed", options))
    variants.append(("no-held-out-rows", "fit", "mixed", ["--test-size", "0"]))
    for data in ("parquet", "numeric-int-target", "categorical", "bool-target"):
        variants.append((data, "fit", data, ["--model", "softmax"]))
    for model in ("svm", "softmax"):
        options = ["--model", model, "--alphas", "1e-3:1e-1:2", "--cv", "2"]
        variants.append((f"tune-{model}", "tune", "mixed", [*options, "--no-plot"]))
    return variants


VARIANTS = {variant[0]: variant[1:] for variant in _variants()}


@pytest.fixture(scope="module")
def written(table, tmp_path_factory):
    """Every variant's model file, and the data it was fitted on."""
    directory = tmp_path_factory.mktemp("variants")
    tables = {
        "mixed": table,
        "parquet": table,
        "numeric-int-target": table.drop(columns=["colour", "flag"]).assign(
            species=load_iris().target
        ),
        "categorical": table[["colour", "flag", "species"]],
        "bool-target": table.drop(columns="species").rename(
            columns={"flag": "species"}
        ),
    }
    paths = {}
    for name, frame in tables.items():
        paths[name] = directory / f"{name}.{'parquet' if name == 'parquet' else 'csv'}"
        if name == "parquet":
            pytest.importorskip("pyarrow")
            frame.to_parquet(paths[name])
        else:
            frame.to_csv(paths[name], index=False)
    files = {}
    for variant, (command, data, options) in VARIANTS.items():
        model = directory / f"{variant}.skops"
        argv = [command, paths[data], "--target", "species", *options]
        if "random" not in variant:  # random search has no iteration budget
            argv += ["--max-iter", "30"]
        status, _, err = _run([*argv, "--output", model])
        assert status == 0, (variant, err)
        files[variant] = model, paths[data]
    return files


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_model_the_cli_writes_loads_and_predicts(variant, written, tmp_path):
    model, data = written[variant]
    predictions = tmp_path / "predictions.csv"
    status, _, err = _run(["predict", model, data, "--output", predictions])
    assert status == 0, err
    predicted = pd.read_csv(predictions).iloc[:, 0]
    loaded = load_model(model)
    assert len(predicted) == len(read_data(data))
    assert set(predicted.astype(str)) <= {str(label) for label in loaded.classes_}


def test_the_allowlist_is_what_the_cli_writes(written):
    """Nothing in the written files is off the list, and nothing on the list
    is unused, except the scalars whose type depends on the scikit-learn
    version (``StandardScaler.n_samples_seen_``)."""
    named = set()
    for model, _ in written.values():
        with zipfile.ZipFile(model) as archive:
            named |= _named_types(json.loads(archive.read("schema.json")))
    allowed = {
        (kind, name) for kind, names in _trusted_types().items() for name in names
    }
    assert named <= allowed
    version_dependent = {
        ("NdArrayNode", "numpy.float64"),
        ("NdArrayNode", "numpy.int64"),
    }
    assert allowed - named <= version_dependent


def test_allowlist_holds_exact_names_not_prefixes():
    allowed = {name for names in _trusted_types().values() for name in names}
    assert "sklearn.pipeline.Pipeline" in allowed
    assert not {"sklearn", "sklinear", "numpy", "builtins"} & allowed
    assert all(name.count(".") >= 1 for name in allowed)


# -- outputs: never an input, written atomically ----------------------------------------


def _same_file_spellings(directory, target):
    """Other names of ``target``: relative, with ``..``, a symlink, a hard link."""
    os.symlink(target.name, directory / "link.csv")
    os.link(target, directory / "hard.csv")
    (directory / "sub").mkdir()
    return {
        "same": str(target),
        "dot-slash": f"./{target.name}",
        "dot-dot": str(directory / "sub" / ".." / target.name),
        "symlink": str(directory / "link.csv"),
        "hard link": str(directory / "hard.csv"),
    }


@pytest.fixture
def workdir(table, tmp_path, monkeypatch):
    """A directory with ``data.csv``, made the working directory."""
    table.to_csv(tmp_path / "data.csv", index=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


SPELLINGS = ["same", "dot-slash", "dot-dot", "symlink", "hard link"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_fit_does_not_overwrite_its_data(spelling, workdir):
    data = workdir / "data.csv"
    before = data.read_bytes()
    output = _same_file_spellings(workdir, data)[spelling]
    status, _, err = _run(["fit", "data.csv", "--target", "species", "-o", output])
    line = _one_line_error(status, err, "fit")
    assert f"--output {output!r} is the input file DATA 'data.csv'" in line
    assert data.read_bytes() == before


@pytest.mark.parametrize("option", ["--output", "--plot"])
def test_tune_does_not_overwrite_its_data(option, workdir):
    data = workdir / "data.csv"
    before = data.read_bytes()
    argv = ["tune", "./data.csv", "--target", "species", "--cv", "2"]
    status, _, err = _run([*argv, option, "data.csv"])
    line = _one_line_error(status, err, "tune")
    assert f"{option} 'data.csv' is the input file DATA './data.csv'" in line
    assert data.read_bytes() == before


@pytest.mark.parametrize("which", ["MODEL", "DATA"])
@pytest.mark.parametrize("spelling", ["same", "symlink"])
def test_predict_does_not_overwrite_its_inputs(which, spelling, workdir, genuine):
    model = workdir / "model.skops"
    model.write_bytes(genuine.read_bytes())
    target = model if which == "MODEL" else workdir / "data.csv"
    os.symlink(target.name, workdir / "link")
    output = str(target) if spelling == "same" else "link"
    before = {path: path.read_bytes() for path in (model, workdir / "data.csv")}
    status, out, err = _run(["predict", "model.skops", "data.csv", "-o", output])
    line = _one_line_error(status, err, "predict")
    assert f"--output {output!r} is the input file {which}" in line
    assert out == ""
    assert {path: path.read_bytes() for path in before} == before


def test_writing_elsewhere_is_allowed(workdir, genuine):
    status, _, err = _run(["predict", genuine, "data.csv", "-o", "out.csv"])
    assert status == 0, err
    status, stdout, _ = _run(["predict", genuine, "data.csv"])
    assert (workdir / "out.csv").read_text() == stdout


def _fail_on_fsync(monkeypatch, exception):
    def fsync(descriptor):
        raise exception

    monkeypatch.setattr(os, "fsync", fsync)


@pytest.mark.parametrize("command", ["fit", "predict"])
def test_a_failed_write_keeps_the_previous_file(command, workdir, genuine, monkeypatch):
    """A write that fails half way leaves the old file as it was, and no
    temporary file behind."""
    output = workdir / "out"
    output.write_bytes(b"previous content")
    listing = sorted(os.listdir(workdir))
    if command == "fit":
        argv = ["fit", "data.csv", "--target", "species", "-o", output]
    else:
        argv = ["predict", genuine, "data.csv", "-o", output]
    _fail_on_fsync(monkeypatch, OSError(28, "No space left on device"))
    status, _, err = _run(argv)
    line = _one_line_error(status, err, command)
    assert f"cannot write {str(output)!r}: [Errno 28] No space left on device" in line
    assert output.read_bytes() == b"previous content"
    assert sorted(os.listdir(workdir)) == listing


def test_an_interrupted_write_leaves_no_temporary_file(workdir, genuine, monkeypatch):
    output = workdir / "out.csv"
    _fail_on_fsync(monkeypatch, KeyboardInterrupt())
    status, _, err = _run(["predict", genuine, "data.csv", "-o", output])
    assert status == 130, err
    assert sorted(os.listdir(workdir)) == ["data.csv"]


def test_a_model_file_is_replaced_whole(workdir, genuine):
    """Refitting over an existing model file replaces it: the new file loads,
    keeps the old file's permissions, and a symlink stays a symlink."""
    real = workdir / "real.skops"
    real.write_bytes(b"not a model")
    os.chmod(real, 0o640)
    os.symlink("real.skops", workdir / "model.skops")
    argv = ["fit", "data.csv", "--target", "species", "--model", "softmax"]
    status, _, err = _run([*argv, "-o", "model.skops"])
    assert status == 0, err
    assert (workdir / "model.skops").is_symlink()
    assert os.stat(real).st_mode & 0o777 == 0o640
    assert type(load_model(real)[-1]).__name__ == "SoftmaxClassifier"
    assert sorted(os.listdir(workdir)) == ["data.csv", "model.skops", "real.skops"]


def test_save_model_reports_a_missing_directory(genuine, tmp_path):
    model = load_model(genuine)
    missing = tmp_path / "no" / "m.skops"
    with pytest.raises(CommandError, match=re.escape(f"cannot write {str(missing)!r}")):
        save_model(model, missing)


def test_a_read_only_output_is_not_replaced(workdir, genuine, monkeypatch):
    """os.replace would replace it; open(path, "w") would not, and neither do
    we. (``os.access`` is faked: as root, every file is writable.)"""
    output = workdir / "out.csv"
    output.write_bytes(b"keep me")
    os.chmod(output, 0o444)
    access, real = os.access, os.path.realpath(output)
    monkeypatch.setattr(
        os, "access", lambda path, mode: real != path and access(path, mode)
    )
    status, _, err = _run(["predict", genuine, "data.csv", "-o", output])
    line = _one_line_error(status, err, "predict")
    assert line.endswith(f"cannot write {str(output)!r}: permission denied")
    assert output.read_bytes() == b"keep me"
    assert sorted(os.listdir(workdir)) == ["data.csv", "out.csv"]
