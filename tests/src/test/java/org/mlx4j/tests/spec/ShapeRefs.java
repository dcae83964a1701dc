package org.mlx4j.tests.spec;

import java.util.Arrays;

/**
 * Float64 references for the shape and indexing rows: plain loops over dense row-major arrays that
 * carry their dims, so every reference also states the output shape it expects. None of them calls
 * an mlx4j op.
 */
final class ShapeRefs {
    private ShapeRefs() {}

    /** A dense row-major array of doubles and its dims. */
    record Dense(double[] v, int[] d) {
        Dense {
            if (v.length != count(d)) throw new IllegalStateException("reference bug: " + v.length + " values for dims " + Arrays.toString(d));
        }

        int ndim() { return d.length; }

        int dim(int axis) { return d[axis < 0 ? axis + d.length : axis]; }

        int size() { return v.length; }

        double at(int[] idx) { return v[offset(idx, d)]; }
    }

    static int count(int[] d) {
        int n = 1;
        for (int x : d) n *= x;
        return n;
    }

    /** The row-major offset of {@code idx} in an array of dims {@code d}. */
    static int offset(int[] idx, int[] d) {
        int o = 0;
        for (int k = 0; k < d.length; k++) o = o * d[k] + idx[k];
        return o;
    }

    static int[] unravel(int flat, int[] d) {
        int[] idx = new int[d.length];
        for (int k = d.length - 1; k >= 0; k--) {
            idx[k] = flat % d[k];
            flat /= d[k];
        }
        return idx;
    }

    static int[] cat(int[] a, int... b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static int[] reversed(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[a.length - 1 - i];
        return r;
    }

    /** The same values with other dims (reshape, flatten, expandDims, squeeze). */
    static Dense reshape(Dense x, int... dims) { return new Dense(x.v(), dims); }

    /** {@code out[j] = x[i]} with {@code i[perm[k]] = j[k]}: out dims {@code d[perm[k]]}. */
    static Dense permute(Dense x, int[] perm) {
        int n = x.ndim();
        int[] od = new int[n];
        for (int k = 0; k < n; k++) od[k] = x.d()[perm[k]];
        double[] r = new double[x.size()];
        int[] src = new int[n];
        for (int j = 0; j < r.length; j++) {
            int[] idx = unravel(j, od);
            for (int k = 0; k < n; k++) src[perm[k]] = idx[k];
            r[j] = x.at(src);
        }
        return new Dense(r, od);
    }

    /** {@code out[j0, j1, ...] = x[picks[0][j0], picks[1][j1], ...]}: every axis indexed by its own list. */
    static Dense pick(Dense x, int[][] picks) {
        int n = x.ndim();
        int[] od = new int[n];
        for (int k = 0; k < n; k++) od[k] = picks[k].length;
        double[] r = new double[count(od)];
        int[] src = new int[n];
        for (int j = 0; j < r.length; j++) {
            int[] idx = unravel(j, od);
            for (int k = 0; k < n; k++) src[k] = picks[k][idx[k]];
            r[j] = x.at(src);
        }
        return new Dense(r, od);
    }

    /** Picks that keep every position of every axis. */
    static int[][] allPicks(int[] d) {
        int[][] p = new int[d.length][];
        for (int k = 0; k < d.length; k++) p[k] = range(0, d[k]);
        return p;
    }

    static int[] range(int lo, int hi) {
        int[] r = new int[Math.max(0, hi - lo)];
        for (int i = 0; i < r.length; i++) r[i] = lo + i;
        return r;
    }

    /** The positions Python's {@code range(d)[start:stop:step]} selects, following CPython's slice rules. */
    static int[] pySlice(Integer start, Integer stop, int step, int d) {
        int lo, hi;
        if (step > 0) {
            lo = start == null ? 0 : start < 0 ? Math.max(0, start + d) : Math.min(start, d);
            hi = stop == null ? d : stop < 0 ? Math.max(0, stop + d) : Math.min(stop, d);
        } else {
            lo = start == null ? d - 1 : start < 0 ? Math.max(-1, start + d) : Math.min(start, d - 1);
            hi = stop == null ? -1 : stop < 0 ? Math.max(-1, stop + d) : Math.min(stop, d - 1);
        }
        int[] tmp = new int[d + 1];
        int n = 0;
        for (int i = lo; step > 0 ? i < hi : i > hi; i += step) tmp[n++] = i;
        return Arrays.copyOf(tmp, n);
    }

    /** NumPy broadcasting of x to {@code dims} (right-aligned, size-one axes repeat). */
    static Dense broadcast(Dense x, int[] dims) {
        double[] r = new double[count(dims)];
        int lead = dims.length - x.ndim();
        int[] src = new int[x.ndim()];
        for (int j = 0; j < r.length; j++) {
            int[] idx = unravel(j, dims);
            for (int k = 0; k < src.length; k++) src[k] = x.d()[k] == 1 ? 0 : idx[lead + k];
            r[j] = x.at(src);
        }
        return new Dense(r, dims);
    }

    /** The arrays joined along {@code axis}: an output position maps to the input whose block holds it. */
    static Dense concatenate(int axis, Dense... xs) {
        int[] od = xs[0].d().clone();
        od[axis] = 0;
        for (Dense x : xs) od[axis] += x.d()[axis];
        double[] r = new double[count(od)];
        for (int j = 0; j < r.length; j++) {
            int[] idx = unravel(j, od);
            int k = 0, p = idx[axis];
            while (p >= xs[k].d()[axis]) p -= xs[k++].d()[axis];
            idx[axis] = p;
            r[j] = xs[k].at(idx);
        }
        return new Dense(r, od);
    }

    /** The (equal-shaped) arrays stacked on a new axis {@code axis} of the output. */
    static Dense stack(int axis, Dense... xs) {
        int n = xs[0].ndim();
        int[] od = new int[n + 1];
        for (int k = 0, s = 0; k <= n; k++) od[k] = k == axis ? xs.length : xs[0].d()[s++];
        double[] r = new double[count(od)];
        int[] src = new int[n];
        for (int j = 0; j < r.length; j++) {
            int[] idx = unravel(j, od);
            for (int k = 0, s = 0; k <= n; k++) if (k != axis) src[s++] = idx[k];
            r[j] = xs[idx[axis]].at(src);
        }
        return new Dense(r, od);
    }

    /** Constant padding by {@code w[k] = {before, after}}. */
    static Dense padConstant(Dense x, int[][] w, double value) {
        int n = x.ndim();
        int[] od = new int[n];
        for (int k = 0; k < n; k++) od[k] = x.d()[k] + w[k][0] + w[k][1];
        double[] r = new double[count(od)];
        int[] src = new int[n];
        for (int j = 0; j < r.length; j++) {
            int[] idx = unravel(j, od);
            boolean inside = true;
            for (int k = 0; k < n; k++) {
                src[k] = idx[k] - w[k][0];
                inside &= src[k] >= 0 && src[k] < x.d()[k];
            }
            r[j] = inside ? x.at(src) : value;
        }
        return new Dense(r, od);
    }

    /** Edge padding: each output position reads the nearest input position. */
    static Dense padEdge(Dense x, int[][] w) {
        int[][] p = new int[x.ndim()][];
        for (int k = 0; k < p.length; k++) {
            int d = x.d()[k];
            p[k] = new int[d + w[k][0] + w[k][1]];
            for (int i = 0; i < p[k].length; i++) p[k][i] = Math.min(d - 1, Math.max(0, i - w[k][0]));
        }
        return pick(x, p);
    }

    /** Reflect padding (the border is not repeated); every width is below its axis size. */
    static Dense padReflect(Dense x, int[][] w) {
        int[][] p = new int[x.ndim()][];
        for (int k = 0; k < p.length; k++) {
            int d = x.d()[k];
            p[k] = new int[d + w[k][0] + w[k][1]];
            for (int i = 0; i < p[k].length; i++) {
                int s = i - w[k][0];
                if (s < 0) s = -s;
                if (s >= d) s = 2 * (d - 1) - s;
                p[k][i] = s;
            }
        }
        return pick(x, p);
    }

    /** Elements with {@code j - i <= k} (lower) or {@code j - i >= k} (upper) over the last two axes kept, others zero. */
    static Dense triangle(Dense x, int k, boolean lower) {
        int n = x.ndim();
        double[] r = new double[x.size()];
        for (int j = 0; j < r.length; j++) {
            int[] idx = unravel(j, x.d());
            int diff = idx[n - 1] - idx[n - 2];
            boolean keep = lower ? diff <= k : diff >= k;
            r[j] = keep ? x.v()[j] : 0;
        }
        return new Dense(r, x.d());
    }

    /** NumPy's diagonal: {@code x[..., i, ..., i + offset, ...]} over axes a1, a2 (normalized), as a new last axis. */
    static Dense diagonal(Dense x, int offset, int a1, int a2) {
        int n = x.ndim();
        int d1 = x.d()[a1], d2 = x.d()[a2];
        int r1 = offset < 0 ? -offset : 0, r2 = offset > 0 ? offset : 0;
        int len = Math.max(0, Math.min(d1 - r1, d2 - r2));
        int[] od = new int[n - 1];
        int[] rest = new int[n - 2];
        for (int k = 0, s = 0; k < n; k++) {
            if (k != a1 && k != a2) {
                rest[s] = k;
                od[s++] = x.d()[k];
            }
        }
        od[n - 2] = len;
        double[] r = new double[count(od)];
        int[] src = new int[n];
        for (int j = 0; j < r.length; j++) {
            int[] idx = unravel(j, od);
            for (int s = 0; s < rest.length; s++) src[rest[s]] = idx[s];
            int t = idx[n - 2];
            src[a1] = t + r1;
            src[a2] = t + r2;
            r[j] = x.at(src);
        }
        return new Dense(r, od);
    }

    /** The (n + |k|)-square matrix with the vector on diagonal k. */
    static Dense diagMatrix(Dense x, int k) {
        int size = x.size() + Math.abs(k);
        double[] r = new double[size * size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) r[i * size + j] = j - i == k ? x.v()[Math.min(i, j)] : 0;
        }
        return new Dense(r, new int[] {size, size});
    }

    static int wrap(int index, int d) { return index < 0 ? index + d : index; }

    /** NumPy's take along {@code axis}: the axis is replaced by the indices' dims. */
    static Dense take(Dense x, int[] indices, int[] indexDims, int axis) {
        int n = x.ndim(), m = indexDims.length;
        int[] od = new int[n - 1 + m];
        for (int k = 0; k < axis; k++) od[k] = x.d()[k];
        for (int k = 0; k < m; k++) od[axis + k] = indexDims[k];
        for (int k = axis + 1; k < n; k++) od[k - 1 + m] = x.d()[k];
        double[] r = new double[count(od)];
        int[] src = new int[n];
        for (int j = 0; j < r.length; j++) {
            int[] idx = unravel(j, od);
            for (int k = 0; k < axis; k++) src[k] = idx[k];
            int[] ii = Arrays.copyOfRange(idx, axis, axis + m);
            src[axis] = wrap(indices[offset(ii, indexDims)], x.d()[axis]);
            for (int k = axis + 1; k < n; k++) src[k] = idx[k - 1 + m];
            r[j] = x.at(src);
        }
        return new Dense(r, od);
    }

    /** NumPy's take_along_axis with indices that broadcast against x outside {@code axis}. */
    static Dense takeAlongAxis(Dense x, int[] indices, int[] indexDims, int axis) {
        int n = x.ndim();
        int[] od = new int[n];
        // outside the axis the sizes agree or one is 1
        for (int k = 0; k < n; k++) od[k] = k == axis || x.d()[k] == 1 ? indexDims[k] : x.d()[k];
        double[] r = new double[count(od)];
        int[] src = new int[n], isrc = new int[n];
        for (int j = 0; j < r.length; j++) {
            int[] idx = unravel(j, od);
            for (int k = 0; k < n; k++) {
                isrc[k] = indexDims[k] == 1 ? 0 : idx[k];
                src[k] = x.d()[k] == 1 && k != axis ? 0 : idx[k];
            }
            src[axis] = wrap(indices[offset(isrc, indexDims)], x.d()[axis]);
            r[j] = x.at(src);
        }
        return new Dense(r, od);
    }

    /**
     * A copy of x with {@code u[..., k]} written (or added) at position {@code positions(pre)[k]} of the
     * last axis, in order of k, for every leading index {@code pre}.
     */
    static Dense updateLastAxis(Dense x, Dense u, java.util.function.IntFunction<int[]> positions, boolean add) {
        double[] r = x.v().clone();
        int d = x.dim(-1), m = u.dim(-1);
        int rows = d == 0 ? 0 : x.size() / d;
        for (int p = 0; p < rows; p++) {
            int[] pos = positions.apply(p);
            for (int k = 0; k < m; k++) {
                int o = p * d + wrap(pos[k], d);
                double v = u.v()[p * m + k];
                r[o] = add ? r[o] + v : v;
            }
        }
        return new Dense(r, x.d());
    }
}
