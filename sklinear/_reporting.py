"""What a fit reports as it goes, and the fitted attributes it reports."""

import time

import numpy as np

__all__ = ["IterationReporter", "coef_intercept"]


class IterationReporter:
    """The optimizer's callback: verbose lines and scikit-learn's callback hooks.

    With ``verbose`` it prints one line per iteration (objective, step size,
    elapsed time). With callbacks set through ``set_callbacks`` (scikit-learn
    1.9 and later) it opens one sub-task per iteration, so that
    ``ProgressBar`` advances and ``ScoringMonitor`` can score the iterate.
    """

    def __init__(self, estimator, name, problem, context, X, y):
        self.estimator = estimator
        self.name = name
        self.problem = problem
        self.context = context
        self.X, self.y = X, y
        self.start = time.perf_counter()

    def __call__(self, intermediate_result):
        if self.estimator.verbose:
            step = intermediate_result.step
            step = "" if step is None else f", step {step:.3g}"
            print(
                f"[{self.name}] iteration {intermediate_result.nit}, "
                f"objective {intermediate_result.fun:.8g}{step}, "
                f"{time.perf_counter() - self.start:.3f} s",
                flush=True,
            )
        if self.context is not None:
            coef, intercept = coef_intercept(
                *self.problem.unpack(intermediate_result.x)
            )
            task = self.context.subcontext(task_name=f"{self.name} iteration")
            task.call_on_fit_task_begin(estimator=self.estimator, X=self.X, y=self.y)
            task.call_on_fit_task_end(
                estimator=self.estimator,
                X=self.X,
                y=self.y,
                reconstruction_attributes={"coef_": coef, "intercept_": intercept},
            )


def coef_intercept(W, b):
    """``coef_`` and ``intercept_`` as scikit-learn's linear classifiers have them."""
    if W.shape[1] == 2:
        # Only the score difference matters for two classes.
        return (W[:, 1] - W[:, 0])[np.newaxis, :], np.array(
            [b[1] - b[0]], dtype=W.dtype
        )
    return np.ascontiguousarray(W.T), b.copy()
