"""Many candidate parameter vectors scored with one product per block of rows."""

import numpy as np
import scipy.sparse as sp

__all__ = ["CandidateBatches"]

#: Scores held by one block of :meth:`LinearObjective.batch_values`: cache-sized.
CANDIDATE_BLOCK_ENTRIES = 2**18


class CandidateBatches:
    """The row blocks, buffers and weights of :meth:`LinearObjective.batch_values`."""

    def __init__(self, objective, n_candidates, batch_size):
        problem = objective.problem
        self.objective, self.problem = objective, problem
        self.batch_size = batch_size = min(batch_size, n_candidates)
        n_samples, n_classes = problem.n_samples, problem.n_classes
        rows = max(1, CANDIDATE_BLOCK_ENTRIES // (batch_size * n_classes))
        weights = problem.sample_weight
        if weights is None:
            weights = np.ones(n_samples)
        # A block adds its weighted mean loss times its share of the weight.
        shares = np.add.reduceat(weights, np.arange(0, n_samples, rows))
        shares /= weights.sum()
        self.blocks = [
            (slice(k * rows, (k + 1) * rows), share)
            for k, share in enumerate(shares)
            if share > 0
        ]
        # Two cache-sized buffers, reused: the scores and the loss's workspace.
        size = batch_size * n_classes * min(rows, n_samples)
        self.scores, self.work = np.empty((2, size), objective.dtype)
        # With an intercept, a dense block of rows is copied next to a column
        # of ones, so that the product adds the intercepts: cheaper than an
        # extra pass over the block's scores.
        self.augment = problem.fit_intercept and not sp.issparse(problem.X)
        if self.augment:
            shape = (min(rows, n_samples), problem.n_features + 1)
            self.rows_ones = np.ones(shape, objective.dtype)

    def values(self, thetas):
        out = np.empty(len(thetas))
        for start in range(0, len(thetas), self.batch_size):
            batch = thetas[start : start + self.batch_size]
            out[start : start + len(batch)] = self._batch_values(batch)
        return out

    def _batch_values(self, batch):
        problem = self.problem
        n_features, n_classes, n_coef = (
            problem.n_features,
            problem.n_classes,
            problem.n_coef,
        )
        size = len(batch)
        W = batch[:, :n_coef].reshape(size, n_features, n_classes)
        # Every candidate's W^T stacked: (size * n_classes, n_features), and
        # the intercepts as a last column when augmenting.
        stacked = np.swapaxes(W, 1, 2).reshape(-1, n_features)
        if self.augment:
            intercepts = batch[:, n_coef:].reshape(-1, 1)
            stacked = np.concatenate([stacked, intercepts], axis=1)
        losses = np.zeros(size)
        for block, share in self.blocks:
            X = problem.X[block]
            m = X.shape[0]
            # The whole batch's scores on the block, class-major.
            scores_cm = self.scores[: size * n_classes * m].reshape(-1, m)
            if self.augment:
                self.rows_ones[:m, :n_features] = X
                np.matmul(stacked, self.rows_ones[:m].T, out=scores_cm)
            elif sp.issparse(X):
                scores_cm[...] = (X @ stacked.T).T
            else:
                np.matmul(stacked, X.T, out=scores_cm)
            scores_cm = scores_cm.reshape(size, n_classes, m)
            if problem.fit_intercept and not self.augment:
                scores_cm += batch[:, n_coef:, np.newaxis]
            work = self.work[: scores_cm.size].reshape(scores_cm.shape)
            block_losses, _ = self.objective._loss(
                scores_cm.swapaxes(1, 2),
                gradient=False,
                rows=block,
                out=work.swapaxes(1, 2),
            )
            losses += share * block_losses
        penalties = np.asarray([problem.penalty.value(W_k) for W_k in W])
        return losses + problem.alpha * penalties
