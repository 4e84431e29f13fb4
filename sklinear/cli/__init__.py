"""The ``sklinear`` command line: ``demo``, ``fit``, ``predict`` and ``tune``.

``sklinear`` (the console script) and ``python -m sklinear`` are the same
program, :func:`main`. Without a command it runs ``demo``, the digits
comparison of the README.

- ``sklinear demo``: both classifiers on the bundled digits, next to
  scikit-learn's ``LogisticRegression`` and ``LinearSVC``.
- ``sklinear fit DATA --target COLUMN --output MODEL``: fit a preprocessing +
  classifier :class:`~sklearn.pipeline.Pipeline` on a CSV or Parquet file,
  report held-out accuracy, per-class precision and recall and the confusion
  matrix, and save the pipeline as a model file.
- ``sklinear predict MODEL DATA``: predicted classes (and, with ``--proba``,
  class probabilities) as CSV.
- ``sklinear tune DATA --target COLUMN``: cross-validated grid search over
  ``alpha``, printed and plotted as a validation curve.

Model files are written with :mod:`skops.io`, which rebuilds objects without
running code from the file, and are loaded only if every type they name is on
an allowlist of the exact types ``fit`` and ``tune`` write (:func:`load_model`).
No command overwrites its inputs; model and prediction files are written
atomically.

``demo`` needs only sklinear's own dependencies; ``fit``, ``predict`` and
``tune`` import pandas, pyarrow (Parquet) and skops when they run, installed
by ``pip install "sklinear[cli]"``.
"""

import contextlib
import os
import sys

from ._errors import CommandError
from ._estimators import build_pipeline
from ._model_files import load_model, save_model
from ._parser import PROG, _build_parser
from ._tables import read_data

__all__ = [
    "main",
    "build_pipeline",
    "read_data",
    "save_model",
    "load_model",
    "CommandError",
]


def main(argv=None):
    """Run the ``sklinear`` command line.

    Parses ``argv`` with :mod:`argparse` and runs the command it names:
    ``demo``, ``fit``, ``predict`` or ``tune`` (``sklinear --help`` lists
    them, ``sklinear COMMAND --help`` documents their options). Reports go to
    stdout (for ``predict``, the CSV, unless ``--output`` is given); progress
    bars, warnings and errors go to stderr. ``main`` never exits the
    interpreter: the console script and ``python -m sklinear`` pass its
    return value to :func:`sys.exit`.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; ``sys.argv[1:]`` when None.
        No arguments, or options only (``--alpha 1e-2``), run ``demo``.

    Returns
    -------
    status : int
        The exit status: 0 on success, 2 for a usage error or a problem with
        the user's files (printed as one line on stderr, never a traceback).

    See Also
    --------
    sklinear.cli.load_model : How ``predict`` reads model files.

    Examples
    --------
    Fit a softmax classifier on a CSV file, then predict three of its rows
    (their ``species`` column is ignored):

    >>> import contextlib, io, os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklinear.cli import main
    >>> iris = load_iris(as_frame=True)
    >>> table = iris.frame.assign(species=iris.target_names[iris.target])
    >>> table = table.drop(columns="target")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     data, new = os.path.join(tmp, "iris.csv"), os.path.join(tmp, "new.csv")
    ...     model = os.path.join(tmp, "iris.skops")
    ...     table.to_csv(data, index=False)
    ...     table.iloc[[0, 50, 100]].to_csv(new, index=False)
    ...     with contextlib.redirect_stdout(io.StringIO()) as report:
    ...         fit_status = main(["fit", data, "--target", "species",
    ...                            "--model", "softmax", "--output", model])
    ...     predict_status = main(["predict", model, new])
    species
    setosa
    versicolor
    virginica
    >>> fit_status, predict_status
    (0, 0)
    >>> [line for line in report.getvalue().splitlines() if "accuracy:" in line]
    ['held-out accuracy: 1.0000 (30 rows)']
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (
        argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")
    ):
        argv = ["demo", *argv]
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error
        return exc.code if isinstance(exc.code, int) else 2
    command = f"{PROG} {argv[0]}"
    try:
        return args.run(args)
    except CommandError as exc:
        print(f"{command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of stdout left (``sklinear predict ... | head``): stop
        # quietly, and keep Python from complaining again when it flushes.
        with contextlib.suppress(AttributeError, OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
