"""CommandError, and the checks that raise it before a command does any work."""

import importlib
import os
import re

#: The hint printed when an optional dependency of a command is missing.
INSTALL_HINT = 'pip install "sklinear[cli]"'


class CommandError(Exception):
    """A problem with the user's input or environment, not a bug in sklinear.

    :func:`main` prints it as one line, ``sklinear COMMAND: error: MESSAGE``,
    on stderr and returns the exit status 2; called from Python,
    :func:`read_data`, :func:`save_model` and :func:`load_model` raise it.
    """

    # Tracebacks and pickles name it where users import it from.
    __module__ = "sklinear.cli"


def _require(module, command):
    """Import ``module`` for ``command``, or fail with the install hint."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise CommandError(
            f"this command needs {module.split('.')[0]}, which is not installed: "
            f"{INSTALL_HINT}"
        ) from None


def _one_line(exc):
    """The message of ``exc`` on one line (first line, whitespace collapsed).

    NumPy 2 scalars print as ``np.True_`` or ``np.float64(0.5)``, and the
    messages of the libraries show them so; users read plain values.
    """
    text = str(exc).strip() or type(exc).__name__
    first = text.splitlines()[0] if text else text
    first = re.sub(r"\bnp\.(True|False)_", r"\1", first)
    first = re.sub(r"\bnp\.[a-z]+[0-9]*_?\(([^()]*)\)", r"\1", first)
    return re.sub(r"\s+", " ", first)


def _check_writable(path):
    """Fail before the work if the directory of output file ``path`` is missing."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise CommandError(f"cannot write {path!r}: no directory {directory!r}")
