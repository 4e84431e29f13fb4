"""Model files: writing them with skops, and loading only what sklinear writes."""

import functools
import importlib
import io
import json
import os
import zipfile

from ._errors import CommandError, _one_line, _require
from ._outputs import _write_atomically

#: Name of the attribute of the saved ``Pipeline`` holding the target column.
TARGET_ATTRIBUTE = "sklinear_target_"

#: The estimators ``sklinear fit`` and ``tune`` write (see ``build_pipeline``),
#: by their public import path; a model file names them by the module that
#: defines them, see ``_trusted_types``.
TRUSTED_ESTIMATORS = (
    "sklinear.SVMClassifier",
    "sklinear.SoftmaxClassifier",
    "sklearn.pipeline.Pipeline",
    "sklearn.compose.ColumnTransformer",
    "sklearn.compose.make_column_selector",
    "sklearn.preprocessing.StandardScaler",
    "sklearn.preprocessing.OneHotEncoder",
)

#: The other types a model file may name, for each kind of skops node
#: (``__loader__``) that may name them: the containers, strings, arrays and
#: scalars the estimators' attributes are made of. ``numpy.int64`` is the
#: scalar ``StandardScaler.n_samples_seen_`` in older scikit-learn releases
#: (1.9 writes a ``numpy.float64``).
TRUSTED_DATA_TYPES = {
    "DictNode": ("builtins.dict",),
    "ListNode": ("builtins.list",),
    "TupleNode": ("builtins.tuple",),
    "SliceNode": ("builtins.slice",),
    "JsonNode": ("builtins.str",),
    "TypeNode": ("builtins.str", "numpy.float64"),
    "NdArrayNode": ("numpy.ndarray", "numpy.float64", "numpy.int64"),
}

# How a refusal describes the kinds of node that load something callable.
_ROLES = {
    "ObjectNode": "object",
    "ConstructorFromReduceNode": "constructor call",
    "ReduceNode": "constructor call",
    "FunctionNode": "function",
    "MethodNode": "method",
    "PartialNode": "partial function",
    "OperatorFuncNode": "operator function",
    "TypeNode": "type",
}


def save_model(model, path, target=None):
    """Write a fitted model to a skops file (:func:`skops.io.dumps`).

    The file is a zip archive of a JSON description of the objects and the
    NumPy arrays they hold; :func:`load_model` rebuilds the objects from it
    without running code stored in the file (unlike :mod:`pickle`), and only
    if they are of the types ``sklinear fit`` writes.

    Parameters
    ----------
    model : estimator
        The fitted pipeline or estimator.
    path : str or os.PathLike
        The file to write (conventionally ``*.skops``). It is written
        atomically: a new file in the same directory replaces ``path`` once
        complete, so a failure leaves any previous file intact.
    target : str, default=None
        Name of the target column, stored as the ``sklinear_target_``
        attribute of ``model`` so that ``sklinear predict`` can drop that
        column from its input.

    Raises
    ------
    CommandError
        If skops is missing or the file cannot be written.

    See Also
    --------
    load_model : Read the file back, refusing types sklinear does not write.

    Examples
    --------
    See :func:`load_model`.
    """
    sio = _require("skops.io", "save_model")
    if target is not None:
        setattr(model, TARGET_ATTRIBUTE, target)
    _write_atomically(path, sio.dumps(model))


@functools.cache
def _trusted_types():
    """The allowlist: for each skops node kind, the exact type names it may hold.

    The estimators are resolved from :data:`TRUSTED_ESTIMATORS` to the names
    skops writes (``module.name`` of the defining module), so that the list
    follows scikit-learn's internal moves; names are compared exactly, never
    as prefixes.
    """
    estimators = []
    for path in TRUSTED_ESTIMATORS:
        module, _, name = path.rpartition(".")
        cls = getattr(importlib.import_module(module), name)
        estimators.append(f"{cls.__module__}.{cls.__name__}")
    trusted = {"ObjectNode": frozenset(estimators)}
    trusted.update({k: frozenset(v) for k, v in TRUSTED_DATA_TYPES.items()})
    return trusted


def _is_trusted(name, loader=None):
    """Whether ``name`` (``module.name``) is on the allowlist.

    With ``loader`` (a skops node kind such as ``"ObjectNode"``), only as
    that kind of node; without, as any.
    """
    trusted = _trusted_types()
    kinds = trusted.values() if loader is None else [trusted.get(loader, ())]
    return any(name in names for names in kinds)


def _node_type(node):
    """``(loader, name)`` of a node of a skops schema (a dict with ``__loader__``)."""
    loader = node.get("__loader__")
    module, name = node.get("__module__"), node.get("__class__")
    if not all(isinstance(part, str) for part in (loader, module, name)):
        # Never on the allowlist: a genuine file has strings there.
        return repr(loader), f"{module!r}.{name!r}"
    if loader == "MethodNode" and isinstance(node.get("content"), dict):
        # The method's owner is the node's type; the method is its attribute.
        return loader, f"{module}.{name}.{node['content'].get('func')}"
    return loader, f"{module}.{name}"


def _named_types(schema):
    """Every ``(loader, name)`` the nodes of the schema name, at any depth.

    Any dict with a ``__loader__`` key counts as a node, wherever it is (even
    where skops would not look for one): checking too much can only refuse a
    file, never let one through. The walk uses a stack, not recursion, so a
    deeply nested file cannot exhaust Python's stack.
    """
    found = set()
    pending = [schema]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            if "__loader__" in value:
                found.add(_node_type(value))
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return found


def _describe(loader, name):
    role = _ROLES.get(loader, loader if loader.isidentifier() else "malformed node")
    return f"{name} ({role})"


def load_model(path):
    """Read a model file written by :func:`save_model` (or ``sklinear fit``).

    Before anything is built, every node of the file's ``schema.json`` is
    checked against an allowlist of exact type names: the estimators that
    ``sklinear fit`` and ``sklinear tune`` write (the two classifiers,
    ``Pipeline``, ``ColumnTransformer``, ``make_column_selector``,
    ``StandardScaler`` and ``OneHotEncoder``) and the containers, strings,
    NumPy arrays and scalars their attributes are made of, each only as the
    kind of skops node that holds it in such a file. A file naming anything
    else (another class, even one of scikit-learn; any function, method or
    constructor call) is refused. Only then is it loaded, with
    :func:`skops.io.loads` trusting exactly the names checked.

    Parameters
    ----------
    path : str or os.PathLike
        The model file.

    Returns
    -------
    model : estimator
        The fitted pipeline.

    Raises
    ------
    CommandError
        If skops is missing, the file cannot be read or is not a skops file,
        names a type that is not on the allowlist, or does not hold a model
        with ``predict``.

    See Also
    --------
    save_model : Write a model file.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklinear import SVMClassifier
    >>> from sklinear.cli import build_pipeline, load_model, save_model
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> model = build_pipeline(SVMClassifier()).fit(X, y)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_model(model, os.path.join(tmp, "iris.skops"), target="target")
    ...     loaded = load_model(os.path.join(tmp, "iris.skops"))
    >>> bool((loaded.predict(X) == model.predict(X)).all()), loaded.sklinear_target_
    (True, 'target')
    """
    sio = _require("skops.io", "load_model")
    name = os.fspath(path)
    # Read once: what is checked is what skops loads, even if the file
    # changes on disk in between.
    try:
        with open(name, "rb") as file:
            data = file.read()
    except OSError as exc:
        raise CommandError(f"cannot read {name!r}: {_one_line(exc)}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            schema = json.loads(archive.read("schema.json"))
        named = _named_types(schema)
    except (zipfile.BadZipFile, KeyError, ValueError, RecursionError) as exc:
        raise CommandError(
            f"{name!r} is not a skops model file ({_one_line(exc)})"
        ) from None
    refused = sorted(
        (type_name, loader)
        for loader, type_name in named
        if not _is_trusted(type_name, loader)
    )
    if refused:
        raise CommandError(
            f"refusing to load {name!r}: it names type(s) that are not trusted: "
            f"{', '.join(_describe(loader, t) for t, loader in refused)} "
            "(sklinear loads only the estimators and data types its commands write)"
        )
    try:
        model = sio.loads(data, trusted=sorted({t for _, t in named}))
    except Exception as exc:  # a broken file can fail anywhere in skops
        raise CommandError(f"cannot load {name!r}: {_one_line(exc)}") from None
    if not hasattr(model, "predict"):
        raise CommandError(
            f"{name!r} holds a {type(model).__name__}, not a model with predict"
        )
    return model
