# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
r"""Compiled row kernel of mini-batch SGD (:func:`sklinear.optimizers.sgd`).

One call of :func:`sgd_steps` takes the steps of one epoch (or of one
``partial_fit`` call): it walks through ``order`` in mini-batches of
``batch_size`` rows and, for mini-batch :math:`B` and step :math:`\eta_t`,
takes the proximal step

.. math::

    W \leftarrow \operatorname{prox}_{\eta_t \alpha R}\bigl(W - \eta_t G_B\bigr),
    \qquad b \leftarrow b - \eta_t g_B,
    \qquad G_B = \sum_{i \in B} c_i\, x_i d_i^\top, \quad
    g_B = \sum_{i \in B} c_i d_i,

with :math:`c_i = w_i / \sum_{k \in B} w_k` and :math:`d_i` the gradient of
the loss :math:`L_i` with respect to the scores :math:`s_i = W^\top x_i + b`
(all computed before the batch's update), exactly the step of the NumPy
path, so that a step costs :math:`O(\mathrm{nnz}(X_B)\,K)` and nothing per
feature:

- **L2, lazily.** :math:`W = \sigma V`: the prox
  :math:`W / (1 + 2\eta_t\alpha_2)` only divides the scalar :math:`\sigma`,
  and the gradient step subtracts :math:`\eta_t G_B / \sigma` from the rows
  of :math:`V` the batch touches. When :math:`\sigma` falls below
  :data:`MIN_SCALE` it is folded into :math:`V` (one pass over :math:`V`).
- **L1, by cumulative truncation** (Tsuruoka et al., 2009). Soft
  thresholding composes, :math:`\mathrm{ST}(\mathrm{ST}(v, a), b) =
  \mathrm{ST}(v, a + b)`, so the thresholds :math:`\eta_t \alpha_1 / \sigma`
  (in the units of :math:`V`) of the steps a feature is not touched add up
  in one running total :math:`u`, and a row of :math:`V` is thresholded by
  what it has not yet received, :math:`u - q_f`, just before it is next
  read; every row is brought up to date at the end of the call.
- **Averaging, lazily.** With :math:`W_s = \sigma_s V_s` and
  :math:`V` changed by :math:`\Delta V_r` at step :math:`r`,
  :math:`\sum_{s \le t} W_s = P_t V_t - \sum_r P_{r-1} \Delta V_r` where
  :math:`P_t = \sum_{s \le t} \sigma_s` (only the averaged steps count):
  the second sum is kept in a matrix updated where :math:`V` is, and added
  to the average when the scale is folded (see
  :data:`MIN_AVERAGING_SCALE`) and at the end. Lazy truncation changes
  untouched rows too, so averaging is not combined with an L1 part.

With momentum :math:`\beta > 0` the velocity :math:`u` decays, and so moves,
every weight at every step: those steps (and Nesterov's look-ahead scores)
are taken eagerly, with the prox and the average over all of :math:`W`.

The rows of ``X`` are read as dense C-ordered rows (their zeros skipped, so
that dense and CSR copies of the same data give the same bits) or CSR rows,
in float32 or float64; the weights and all arithmetic are float64.
"""

from libc.math cimport exp, isfinite
from libc.stdlib cimport calloc, free, malloc

ctypedef fused floating:
    float
    double

ctypedef fused index_t:
    int
    long long

cdef enum:
    HINGE = 0
    SQUARED_HINGE = 1
    CRAMMER_SINGER = 2
    CROSS_ENTROPY = 3

#: The scale of ``V`` is folded into it below this: far from underflow, and
#: rare (once per ~10 / (eta * alpha) steps).
MIN_SCALE = 1e-9
#: With averaging, below this, and the lazy sum is added to the average
#: then: :math:`P_t V_t` and the pending sum cancel down to the sum of the
#: iterates, so their rounding error is :math:`\epsilon P_t |V_t|`, at most
#: :math:`\epsilon\, t\, |W| / \sigma` against a sum of about
#: :math:`t\,|\bar W|`; keeping :math:`1/\sigma \le 10^3` bounds the
#: relative error by about :math:`10^3 \epsilon\,|W| / |\bar W|`.
MIN_AVERAGING_SCALE = 1e-3
cdef double _MIN_SCALE = MIN_SCALE
cdef double _MIN_AVERAGING_SCALE = MIN_AVERAGING_SCALE


cdef void _loss_gradient(
    int loss, const double *s, Py_ssize_t k, Py_ssize_t label, double margin,
    double weight, double *d,
) noexcept nogil:
    """``d`` = ``weight`` times the gradient of the loss at the scores ``s``,
    computed in the order of :mod:`sklinear.losses` (the same kinks, ties and
    overflow rule)."""
    cdef Py_ssize_t j, count
    cdef double shifted = s[label] - margin, m, top, total, others, factor
    if loss == CROSS_ENTROPY:
        others = 0.0
        for j in range(k):
            if j != label:
                d[j] = exp(s[j] - s[label])
                others += d[j]
        if isfinite(others):
            # p_j = e^{s_j - s_y} / (1 + others), p_y - 1 = -others / (1 + others).
            factor = weight / (1.0 + others)
            for j in range(k):
                d[j] = d[j] * factor
            d[label] = -others * factor
        else:
            # Some e^{s_j - s_y} overflowed: shift by the maximum instead.
            top = s[0]
            for j in range(1, k):
                if s[j] > top:
                    top = s[j]
            total = 0.0
            for j in range(k):
                d[j] = exp(s[j] - top)
                total += d[j]
            for j in range(k):
                d[j] = d[j] / total
            d[label] -= 1.0
            for j in range(k):
                d[j] *= weight
        return
    total = 0.0
    if loss == CRAMMER_SINGER:
        top = 0.0  # the label's own margin
        for j in range(k):
            if j != label and s[j] - shifted > top:
                top = s[j] - shifted
        count = 0
        for j in range(k):
            if j != label and top > 0.0 and s[j] - shifted == top:
                count += 1
        for j in range(k):
            # Tied most violating classes share the unit equally.
            d[j] = 1.0 / count if j != label and top > 0.0 and s[j] - shifted == top else 0.0
            total += d[j]
    else:
        for j in range(k):
            m = s[j] - shifted if j != label else 0.0
            if m > 0.0:
                d[j] = 2.0 * m if loss == SQUARED_HINGE else 1.0
            else:
                d[j] = 0.0
            total += d[j]
    d[label] = -total
    for j in range(k):
        d[j] *= weight


cdef inline void _truncate(double *row, Py_ssize_t k, double threshold) noexcept nogil:
    """Soft-threshold ``row[:k]`` by ``threshold`` in place."""
    cdef Py_ssize_t a
    for a in range(k):
        if row[a] > threshold:
            row[a] -= threshold
        elif row[a] < -threshold:
            row[a] += threshold
        else:
            row[a] = 0.0


def sgd_steps(
    const floating[:, ::1] dense,
    const floating[::1] data,
    const index_t[::1] indices,
    const index_t[::1] indptr,
    bint sparse,
    const Py_ssize_t[::1] y,
    const double[::1] sample_weight,
    const Py_ssize_t[::1] order,
    Py_ssize_t batch_size,
    const double[::1] etas,
    int loss,
    double margin,
    double alpha_l2,
    double alpha_l1,
    double[:, ::1] W,
    double[::1] b,
    bint fit_intercept,
    double[:, ::1] mean_W,
    double[::1] mean_b,
    long long n_seen,
    long long n_averaged,
    long long start_averaging,
    double momentum=0.0,
    bint nesterov=False,
    double[:, ::1] U=None,
    double[::1] u_b=None,
):
    r"""Take the mini-batch steps over ``order``; update ``W``, ``b`` and the
    average in place.

    Parameters
    ----------
    dense : float ndarray of shape (n_samples, n_features), C-ordered
        The rows, when ``sparse`` is false (else an empty array).
    data, indices, indptr : CSR arrays
        The rows, when ``sparse`` is true (else empty arrays).
    sparse : bool
        Which of the two holds the rows.
    y : intp ndarray of shape (n_samples,)
        Class indices.
    sample_weight : float64 ndarray of shape (n_samples,) or (0,)
        Sample weights :math:`w_i`; empty for all ones.
    order : intp ndarray
        The rows to visit; consecutive runs of ``batch_size`` (the last one
        possibly shorter) are the mini-batches.
    batch_size : int
        Rows per mini-batch, at least 1.
    etas : float64 ndarray of shape (n_steps,)
        The step :math:`\eta_t` of each mini-batch,
        ``n_steps = ceil(len(order) / batch_size)``.
    loss : int
        0 Weston-Watkins hinge, 1 squared hinge, 2 Crammer-Singer,
        3 cross-entropy.
    margin : float
        :math:`\Delta` of the hinge losses.
    alpha_l2, alpha_l1 : float
        The penalty's parts: the prox of step :math:`\eta` soft-thresholds
        by :math:`\eta\,\alpha_1`, then divides by
        :math:`1 + 2\eta\,\alpha_2`.
    W : float64 ndarray of shape (n_features, n_classes)
        The weights; updated in place.
    b : float64 ndarray of shape (n_classes,)
        The intercept; updated in place when ``fit_intercept``.
    fit_intercept : bool
        Whether ``b`` is trained (else it is left alone).
    mean_W, mean_b : float64 ndarrays
        The running average of the iterates over ``n_averaged`` steps;
        updated in place.
    n_seen : int
        Rows seen before the call.
    n_averaged : int
        Steps averaged before the call.
    start_averaging : int
        A step is averaged once ``n_seen`` (counting its batch) reaches
        this; 0 never.
    momentum : float, default=0.0
        Momentum :math:`\beta`. With :math:`\beta > 0` the steps are
        :math:`u \leftarrow \beta u - \eta_t (G_B, g_B)`,
        :math:`(W, b) \leftarrow (\operatorname{prox}(W + u_W), b + u_b)`,
        taken eagerly: the velocity moves every weight at every step, so a
        step costs :math:`O(\mathrm{nnz}(X_B) K + n_\text{features} K)`
        (no lazy scale, truncation or average).
    nesterov : bool, default=False
        With momentum, take the gradient at :math:`(W, b) + \beta u`.
    U, u_b : float64 ndarrays of shapes (n_features, n_classes) and (n_classes,)
        The velocity :math:`u`, required with momentum; updated in place.

    Returns
    -------
    n_seen, n_averaged : int
        The counters after the call.
    """
    cdef Py_ssize_t n_features = W.shape[0], k = W.shape[1]
    cdef Py_ssize_t n_visit = order.shape[0], n_steps = etas.shape[0]
    cdef Py_ssize_t step, first, last, r, i, p, f, a, lo, hi, c, n_cols
    cdef Py_ssize_t *cols
    cdef bint weighted = sample_weight.shape[0] > 0
    cdef bint eager = momentum > 0.0
    cdef bint lazy_l1 = alpha_l1 > 0.0 and not eager
    cdef double lookahead = momentum if nesterov else 0.0
    cdef bint averaging = False
    cdef long long n_start = n_averaged
    cdef double scale = 1.0, eta, total, x, factor, dot, cumulative = 0.0
    cdef double averaged_scale = 0.0, shrink
    cdef double *scores
    cdef double *dscores
    cdef double *row
    cdef double *pending_row
    cdef double *pending = NULL  # sum_r P_{r-1} Delta V_r, for averaging
    cdef double *applied = NULL  # q_f, the truncation each row received
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}.")
    if n_steps != (n_visit + batch_size - 1) // batch_size:
        raise ValueError(
            f"etas holds {n_steps} steps; {n_visit} rows in batches of "
            f"{batch_size} take {(n_visit + batch_size - 1) // batch_size}."
        )
    if lazy_l1 and start_averaging > 0:
        raise ValueError(
            "averaging without momentum is not combined with an L1 part "
            "(alpha_l1 > 0)."
        )
    if eager and (U is None or u_b is None or U.shape[0] != n_features
                  or U.shape[1] != k or u_b.shape[0] != k):
        raise ValueError(
            f"momentum={momentum!r} needs the velocity U of shape "
            f"({n_features}, {k}) and u_b of shape ({k},)."
        )
    scores = <double *> malloc(batch_size * k * sizeof(double))
    dscores = <double *> malloc(batch_size * k * sizeof(double))
    cols = <Py_ssize_t *> malloc(k * sizeof(Py_ssize_t))
    if start_averaging > 0 and not eager:
        pending = <double *> calloc(n_features * k, sizeof(double))
    if lazy_l1:
        applied = <double *> calloc(n_features, sizeof(double))
    if (not scores or not dscores or not cols or (start_averaging > 0 and not eager
                                      and not pending)
            or (lazy_l1 and not applied)):
        free(scores); free(dscores); free(cols); free(pending); free(applied)
        raise MemoryError()
    with nogil:
        for step in range(n_steps):
            first = step * batch_size
            last = first + batch_size
            if last > n_visit:
                last = n_visit
            eta = etas[step]
            if lazy_l1:
                # Bring the rows this batch reads up to date (idempotent).
                for r in range(first, last):
                    i = order[r]
                    if sparse:
                        for p in range(indptr[i], indptr[i + 1]):
                            f = indices[p]
                            if applied[f] < cumulative:
                                _truncate(&W[f, 0], k, cumulative - applied[f])
                                applied[f] = cumulative
                    else:
                        for f in range(n_features):
                            if dense[i, f] != 0.0 and applied[f] < cumulative:
                                _truncate(&W[f, 0], k, cumulative - applied[f])
                                applied[f] = cumulative
            # Scores of the whole batch at the current point, and the
            # weights of its mean.
            total = 0.0
            for r in range(first, last):
                i = order[r]
                row = &scores[(r - first) * k]
                for a in range(k):
                    row[a] = 0.0
                if lookahead == 0.0:
                    if sparse:
                        for p in range(indptr[i], indptr[i + 1]):
                            x = data[p]
                            for a in range(k):
                                row[a] += x * W[indices[p], a]
                    else:
                        for f in range(n_features):
                            x = dense[i, f]
                            if x != 0.0:
                                for a in range(k):
                                    row[a] += x * W[f, a]
                    for a in range(k):
                        row[a] = scale * row[a] + b[a]
                else:
                    # Nesterov: the scores of the look-ahead point W + beta U
                    # (the scale is 1 with momentum).
                    if sparse:
                        for p in range(indptr[i], indptr[i + 1]):
                            x = data[p]
                            f = indices[p]
                            for a in range(k):
                                row[a] += x * (W[f, a] + lookahead * U[f, a])
                    else:
                        for f in range(n_features):
                            x = dense[i, f]
                            if x != 0.0:
                                for a in range(k):
                                    row[a] += x * (W[f, a] + lookahead * U[f, a])
                    for a in range(k):
                        row[a] = row[a] + (b[a] + lookahead * u_b[a])
                total += sample_weight[i] if weighted else 1.0
            for r in range(first, last):
                i = order[r]
                # A batch of zero total weight has a zero gradient (its mean
                # is 0 / 0), as in the NumPy path.
                _loss_gradient(
                    loss, &scores[(r - first) * k], k, y[i], margin,
                    (sample_weight[i] / total if total > 0.0 else 0.0)
                    if weighted else 1.0 / (last - first),
                    &dscores[(r - first) * k],
                )
            if eager:
                _momentum_step(dense, data, indices, indptr, sparse, order,
                               first, last, dscores, eta, momentum, alpha_l1,
                               1.0 + 2.0 * eta * alpha_l2, W, b, fit_intercept,
                               U, u_b)
                n_seen += last - first
                if start_averaging > 0 and n_seen >= start_averaging:
                    n_averaged += 1
                    for f in range(n_features):
                        for a in range(k):
                            mean_W[f, a] += (W[f, a] - mean_W[f, a]) / n_averaged
                    if fit_intercept:
                        for a in range(k):
                            mean_b[a] += (b[a] - mean_b[a]) / n_averaged
                continue
            # V -= (eta / scale) G_B on the rows the batch touches; with
            # averaging, the same change times P_{t-1} goes to `pending`.
            factor = eta / scale
            for r in range(first, last):
                i = order[r]
                row = &dscores[(r - first) * k]
                # The hinge losses' gradients are zero in the classes that
                # meet the margin, and in all of them once the row does:
                # update only the others (subtracting zeros changes nothing).
                # (The softmax's gradient is nonzero in every class: no scan.)
                if loss == CROSS_ENTROPY:
                    n_cols = k
                else:
                    n_cols = 0
                    for a in range(k):
                        if row[a] != 0.0:
                            cols[n_cols] = a
                            n_cols += 1
                    if n_cols == 0:
                        continue
                if sparse:
                    lo, hi = indptr[i], indptr[i + 1]
                else:
                    lo, hi = 0, n_features
                for p in range(lo, hi):
                    if sparse:
                        f = indices[p]
                        x = data[p]
                    else:
                        f = p
                        x = dense[i, f]
                        if x == 0.0:
                            continue
                    x = factor * x
                    if n_cols == k:
                        for a in range(k):
                            W[f, a] -= x * row[a]
                    else:
                        for c in range(n_cols):
                            a = cols[c]
                            W[f, a] -= x * row[a]
                    if averaging:
                        pending_row = &pending[f * k]
                        x = averaged_scale * x
                        if n_cols == k:
                            for a in range(k):
                                pending_row[a] -= x * row[a]
                        else:
                            for c in range(n_cols):
                                a = cols[c]
                                pending_row[a] -= x * row[a]
                if fit_intercept:
                    for a in range(k):
                        b[a] -= eta * row[a]
            # The prox: a threshold owed by every row, then the shrink.
            if lazy_l1:
                cumulative += eta * alpha_l1 / scale
            shrink = 1.0 + 2.0 * eta * alpha_l2
            scale /= shrink
            n_seen += last - first
            if start_averaging > 0 and n_seen >= start_averaging:
                averaging = True
                n_averaged += 1
                averaged_scale += scale
                if fit_intercept:
                    for a in range(k):
                        mean_b[a] += (b[a] - mean_b[a]) / n_averaged
            if scale < (_MIN_AVERAGING_SCALE if averaging else _MIN_SCALE):
                if averaging:
                    _flush(mean_W, W, pending, averaged_scale, n_start, n_averaged)
                    averaged_scale = 0.0
                    n_start = n_averaged
                _fold(W, applied, cumulative, scale)
                cumulative = 0.0
                scale = 1.0
        if averaging:
            _flush(mean_W, W, pending, averaged_scale, n_start, n_averaged)
        _fold(W, applied, cumulative, scale)
    free(scores); free(dscores); free(cols); free(pending); free(applied)
    return n_seen, n_averaged


cdef void _flush(double[:, ::1] mean_W, const double[:, ::1] V, double *pending,
                 double averaged_scale, long long n_start,
                 long long n_averaged) noexcept nogil:
    """Add the lazy sum of the iterates since the last flush to the average:
    ``mean = (n_start * mean + P V - pending) / n_averaged``; ``pending``
    restarts from 0."""
    cdef Py_ssize_t f, a, k = V.shape[1]
    for f in range(V.shape[0]):
        for a in range(k):
            mean_W[f, a] = (
                n_start * mean_W[f, a] + averaged_scale * V[f, a] - pending[f * k + a]
            ) / n_averaged
            pending[f * k + a] = 0.0


cdef void _momentum_step(
    const floating[:, ::1] dense, const floating[::1] data,
    const index_t[::1] indices, const index_t[::1] indptr, bint sparse,
    const Py_ssize_t[::1] order, Py_ssize_t first, Py_ssize_t last,
    const double *dscores, double eta, double momentum, double alpha_l1,
    double shrink, double[:, ::1] W, double[::1] b, bint fit_intercept,
    double[:, ::1] U, double[::1] u_b,
) noexcept nogil:
    """One eager momentum step: ``u = momentum * u - eta * grad`` and
    ``W = prox(W + u_W)``, ``b += u_b``, over every weight."""
    cdef Py_ssize_t n_features = W.shape[0], k = W.shape[1], r, i, p, f, a, lo, hi
    cdef double x, value, threshold = eta * alpha_l1
    cdef const double *row
    for f in range(n_features):
        for a in range(k):
            U[f, a] *= momentum
    for a in range(k):
        u_b[a] *= momentum
    for r in range(first, last):
        i = order[r]
        row = &dscores[(r - first) * k]
        if sparse:
            lo, hi = indptr[i], indptr[i + 1]
        else:
            lo, hi = 0, n_features
        for p in range(lo, hi):
            if sparse:
                f = indices[p]
                x = data[p]
            else:
                f = p
                x = dense[i, f]
                if x == 0.0:
                    continue
            x = eta * x
            for a in range(k):
                U[f, a] -= x * row[a]
        for a in range(k):
            u_b[a] -= eta * row[a]
    for f in range(n_features):
        for a in range(k):
            value = W[f, a] + U[f, a]
            if threshold > 0.0:
                if value > threshold:
                    value -= threshold
                elif value < -threshold:
                    value += threshold
                else:
                    value = 0.0
            W[f, a] = value / shrink
    if fit_intercept:
        for a in range(k):
            b[a] += u_b[a]


cdef void _fold(double[:, ::1] W, double *applied, double cumulative,
                double scale) noexcept nogil:
    """``W = scale * V`` with every row's owed truncation applied; the
    truncation record restarts from 0."""
    cdef Py_ssize_t f, a
    for f in range(W.shape[0]):
        if applied != NULL:
            if applied[f] < cumulative:
                _truncate(&W[f, 0], W.shape[1], cumulative - applied[f])
            applied[f] = 0.0
        if scale != 1.0:
            for a in range(W.shape[1]):
                W[f, a] *= scale
