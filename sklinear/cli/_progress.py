"""Progress of the fits: a progress bar on a terminal, notes on convergence."""

import contextlib
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning


def _isatty(stream):
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _PlainProgressBar:
    """A text progress bar over the iterations of ``fit``, for when rich is missing.

    It follows scikit-learn's ``FitCallback`` protocol: the estimator's root
    task announces ``max_iter`` sub-tasks, one per iteration.
    """

    def __init__(self, stream, width=30, interval=0.1):
        self.stream = stream
        self.width = width
        self.interval = interval

    def setup(self, estimator, context):
        self._name = f"{type(estimator).__name__} - fit"
        self._total = context.max_subtasks
        self._done = 0
        self._last_draw = -np.inf
        self._draw()

    def on_fit_task_begin(self, estimator, context):
        pass

    def on_fit_task_end(self, estimator, context):
        if context.parent is not None:  # one iteration (the root ends last)
            self._done += 1
            if time.perf_counter() - self._last_draw >= self.interval:
                self._draw()

    def teardown(self, estimator, context):
        self._draw(finished=True)
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self, finished=False):
        if self._total:
            filled = self.width if finished else self.width * self._done // self._total
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"{self._name} [{bar}] {self._done}/{self._total} iterations"
        else:
            line = f"{self._name}: {self._done} iterations"
        if finished:
            line += ", done"
        self.stream.write("\r" + line)
        self.stream.flush()
        self._last_draw = time.perf_counter()


def _progress_bar():
    """The progress-bar callback for ``fit``, or None (stderr not a terminal).

    scikit-learn's ``ProgressBar`` when it exists (scikit-learn >= 1.9) and
    rich is installed; else the plain bar; None before scikit-learn 1.9,
    whose estimators report no iterations.
    """
    if not _isatty(sys.stderr):
        return None
    try:
        from sklearn.callback import ProgressBar
    except ImportError:
        return None
    try:
        return ProgressBar()
    except ImportError:  # rich is missing
        return _PlainProgressBar(sys.stderr)


def _fit_with_progress(pipeline, X, y):
    """Fit ``pipeline``, with a progress bar on stderr when it is a terminal."""
    classifier = pipeline[-1]
    callback = _progress_bar() if hasattr(classifier, "set_callbacks") else None
    if callback is None:
        return pipeline.fit(X, y)
    # An auto-propagated callback (ProgressBar) must be set on the outermost
    # estimator, which hands it down; the plain bar watches the classifier.
    holder = classifier
    if hasattr(callback, "max_propagation_depth") and hasattr(
        pipeline, "set_callbacks"
    ):
        holder = pipeline
    holder.set_callbacks(callback)
    try:
        # rich draws on sys.stdout, which keeps the report: send it to stderr.
        with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
            # The preprocessing steps take no callbacks; nothing to say about it.
            warnings.filterwarnings(
                "ignore", message=".*does not support callbacks", category=UserWarning
            )
            pipeline.fit(X, y)
    finally:
        holder.set_callbacks()  # no callback in the saved model
    return pipeline


@contextlib.contextmanager
def _convergence_notes(what="the fit"):
    """Turn ConvergenceWarnings into one summary line on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        yield
    n_warnings = 0
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            n_warnings += 1
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    if n_warnings:
        times = "" if n_warnings == 1 else f" ({n_warnings} times)"
        print(
            f"warning: {what} did not converge within --max-iter iterations"
            f"{times}; raise --max-iter or --alpha",
            file=sys.stderr,
        )
