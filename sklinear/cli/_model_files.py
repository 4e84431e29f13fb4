"""Model files: writing them with skops, and loading only trusted ones."""

import importlib
import os

from ._errors import CommandError, _one_line, _require

#: Top-level packages whose classes a model file may name (see ``load_model``).
TRUSTED_PACKAGES = ("sklinear", "sklearn", "numpy", "builtins", "collections")

#: Name of the attribute of the saved ``Pipeline`` holding the target column.
TARGET_ATTRIBUTE = "sklinear_target_"


def save_model(model, path, target=None):
    """Write a fitted model to a file with :func:`skops.io.dump`.

    The file is a zip archive of a JSON description of the objects and the
    NumPy arrays they hold; :func:`load_model` rebuilds the objects from it
    without running code stored in the file (unlike :mod:`pickle`).

    Parameters
    ----------
    model : estimator
        The fitted pipeline or estimator.
    path : str or os.PathLike
        The file to write (conventionally ``*.skops``); replaced if it exists.
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
    load_model : Read the file back, refusing untrusted types.

    Examples
    --------
    See :func:`load_model`.
    """
    sio = _require("skops.io", "save_model")
    if target is not None:
        setattr(model, TARGET_ATTRIBUTE, target)
    try:
        sio.dump(model, path)
    except OSError as exc:
        raise CommandError(
            f"cannot write {os.fspath(path)!r}: {_one_line(exc)}"
        ) from None


def _is_trusted(name):
    """Whether the type ``name`` (``module.qualname``) is a trusted class.

    It must live in one of :data:`TRUSTED_PACKAGES` and resolve to a class:
    functions (``builtins.eval``, ``numpy.load`` ...) are never trusted,
    since a model calls the functions it holds.
    """
    parts = name.split(".")
    if parts[0] not in TRUSTED_PACKAGES:
        return False
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                obj = getattr(obj, attribute)
        except AttributeError:
            return False
        return isinstance(obj, type)
    return False


def load_model(path):
    """Read a model file written by :func:`save_model` (or ``sklinear fit``).

    Before anything is built, :func:`skops.io.get_untrusted_types` lists the
    types the file names beyond those skops trusts by default (NumPy arrays
    and dtypes, builtin containers and numbers). Each must be a class of a
    module under ``sklinear``, ``sklearn``, ``numpy``, ``builtins`` or
    ``collections``; otherwise the file is refused.

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
        names an untrusted type, or does not hold a model with ``predict``.

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
    try:
        untrusted = sio.get_untrusted_types(file=name)
    except OSError as exc:
        raise CommandError(f"cannot read {name!r}: {_one_line(exc)}") from None
    except Exception as exc:  # a zip without skops' schema, or no zip at all
        raise CommandError(
            f"{name!r} is not a skops model file ({_one_line(exc)})"
        ) from None
    refused = [t for t in untrusted if not _is_trusted(t)]
    if refused:
        raise CommandError(
            f"refusing to load {name!r}: it names type(s) that are not trusted: "
            f"{', '.join(refused)} (sklinear loads only classes of "
            f"{', '.join(TRUSTED_PACKAGES)})"
        )
    try:
        model = sio.load(name, trusted=untrusted)
    except Exception as exc:  # a broken file can fail anywhere in skops
        raise CommandError(f"cannot load {name!r}: {_one_line(exc)}") from None
    if not hasattr(model, "predict"):
        raise CommandError(
            f"{name!r} holds a {type(model).__name__}, not a model with predict"
        )
    return model
