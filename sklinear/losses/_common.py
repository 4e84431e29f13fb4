"""What every loss shares: class-major blocks, the correct class's entries, weights."""

import numpy as np


class _CorrectClassEntries:
    """The correct class's entry of every sample, in class-major arrays.

    Entry ``(..., classes[i], i)`` of a C-contiguous array of shape
    ``(..., n_classes, n_samples)`` is gathered and scattered through its
    offset in the flat memory, which is several times cheaper than 2-D fancy
    indexing. A batch is viewed as rows of ``n_classes * n_samples`` entries
    that share one row of offsets, rather than offsets for every batch entry,
    which cost more to build than the gathers they save.
    """

    def __init__(self, shape, classes):
        *batch, n_classes, n_samples = shape
        self.offsets = classes * n_samples
        self.offsets += np.arange(n_samples)  # in place: one temporary fewer
        self._batch = tuple(batch)
        self._rows = (-1, n_classes * n_samples)

    def take(self, A):
        if not self._batch:
            return A.reshape(-1)[self.offsets]
        rows = np.take(A.reshape(self._rows), self.offsets, axis=1)
        return rows.reshape(*self._batch, -1)

    def put(self, A, values):
        if not self._batch:
            A.reshape(-1)[self.offsets] = values
            return
        if np.ndim(values):
            values = np.reshape(values, (-1, len(self.offsets)))
        A.reshape(self._rows)[:, self.offsets] = values


def _prepare(scores, y, sample_weight, out):
    r"""Class-major scores, the buffer for their gradient, and the weights.

    Returns ``scores_cm`` (the scores as ``(..., n_classes, n_samples)``,
    C-contiguous, a view when ``scores`` is class-major already),
    ``dscores_cm`` (the same shape, ``out`` when given), the correct-class
    entries and the per-sample factors :math:`w_i / \sum_k w_k`.
    """
    scores = np.asarray(scores)
    if scores.dtype.kind != "f":
        scores = scores.astype(np.float64)
    scores_cm = np.ascontiguousarray(np.swapaxes(scores, -1, -2))
    if out is None:
        dscores_cm = np.empty_like(scores_cm)
    else:
        dscores_cm = np.swapaxes(out, -1, -2)
        if (
            dscores_cm.shape != scores_cm.shape
            or dscores_cm.dtype != scores_cm.dtype
            or not dscores_cm.flags.c_contiguous
        ):
            raise ValueError(
                f"out must be a class-major array of shape {scores.shape} and "
                f"dtype {scores_cm.dtype} (the transpose of a C-contiguous array); got "
                f"shape {out.shape}, dtype {out.dtype}."
            )
    n_samples = scores_cm.shape[-1]
    if sample_weight is None:
        weights = np.full(n_samples, 1.0 / n_samples, dtype=scores_cm.dtype)
    else:
        sample_weight = np.asarray(sample_weight, dtype=scores_cm.dtype)
        weights = sample_weight / sample_weight.sum()
    return (
        scores_cm,
        dscores_cm,
        _CorrectClassEntries(scores_cm.shape, np.asarray(y, dtype=np.intp)),
        weights,
    )


def _mean(per_sample, weights):
    """The weighted mean: a float, or one per batch entry."""
    loss = per_sample @ weights
    return float(loss) if loss.ndim == 0 else loss


def _finish(per_sample, weights, dscores_cm):
    """The weighted mean and ``dscores``, weighted in place in ``dscores_cm``."""
    dscores_cm *= weights
    return _mean(per_sample, weights), np.swapaxes(dscores_cm, -1, -2)


def _margins(scores_cm, correct, margin, out):
    """Margin violations ``M_j = s_j - s_y + margin`` into ``out``; ``M_y = 0``."""
    np.subtract(
        scores_cm, (correct.take(scores_cm) - margin)[..., np.newaxis, :], out=out
    )
    correct.put(out, 0.0)
    return out
