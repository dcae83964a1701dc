package org.mlx4j.tests.spec;

import static org.mlx4j.tests.spec.ShapeRefs.count;
import static org.mlx4j.tests.spec.ShapeRefs.unravel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.mlx4j.tests.spec.ShapeRefs.Dense;

/**
 * Float64 references for the reduction, scan, sorting and numerics rows: plain loops over dense
 * row-major {@link Dense} arrays that also state the output dims. Everything is built on
 * {@link #groups}: the input offsets each output element folds, in row-major input order (so the
 * k-th member of a one-axis group is position k along that axis). None of them calls an mlx4j op.
 */
final class ReductionRefs {
    private ReductionRefs() {}

    /** Which axes are reduced; null means all of them. Negative axes count from the end. */
    static boolean[] reduced(int ndim, int[] axes) {
        boolean[] r = new boolean[ndim];
        if (axes == null) {
            Arrays.fill(r, true);
            return r;
        }
        for (int a : axes) r[a < 0 ? a + ndim : a] = true;
        return r;
    }

    /** The dims of a reduction: reduced axes dropped, or kept with size one when keepDims. */
    static int[] reducedDims(int[] d, boolean[] red, boolean keepDims) {
        int[] r = new int[d.length];
        int n = 0;
        for (int k = 0; k < d.length; k++) {
            if (!red[k]) r[n++] = d[k];
            else if (keepDims) r[n++] = 1;
        }
        return Arrays.copyOf(r, n);
    }

    /**
     * For each output element (row-major over the kept axes), the input offsets it folds, in
     * increasing order. An empty reduced axis gives empty groups.
     */
    static int[][] groups(int[] d, boolean[] red) {
        int[] kept = reducedDims(d, red, true);
        List<List<Integer>> g = new ArrayList<>();
        for (int o = 0; o < count(kept); o++) g.add(new ArrayList<>());
        for (int i = 0; i < count(d); i++) {
            int[] idx = unravel(i, d);
            int o = 0;
            for (int k = 0; k < d.length; k++) o = o * kept[k] + (red[k] ? 0 : idx[k]);
            g.get(o).add(i);
        }
        int[][] r = new int[g.size()][];
        for (int o = 0; o < r.length; o++) r[o] = g.get(o).stream().mapToInt(Integer::intValue).toArray();
        return r;
    }

    /** The lines along one axis: each the offsets of positions 0, 1, ... of that axis. */
    static int[][] lines(int[] d, int axis) {
        boolean[] red = new boolean[d.length];
        red[axis < 0 ? axis + d.length : axis] = true;
        return groups(d, red);
    }

    // ------------------------------------------------------------------ reductions

    /** {@code combine} folded from {@code init} over each group. */
    static Dense reduce(Dense x, int[] axes, boolean keepDims, double init, DoubleBinaryOperator combine) {
        boolean[] red = reduced(x.ndim(), axes);
        int[][] g = groups(x.d(), red);
        double[] r = new double[g.length];
        for (int o = 0; o < g.length; o++) {
            double acc = init;
            for (int i : g[o]) acc = combine.applyAsDouble(acc, x.v()[i]);
            r[o] = acc;
        }
        return new Dense(r, reducedDims(x.d(), red, keepDims));
    }

    static Dense sum(Dense x, int[] axes, boolean keepDims) { return reduce(x, axes, keepDims, 0, Double::sum); }

    /** The mean of each group (NaN for an empty one). */
    static Dense mean(Dense x, int[] axes, boolean keepDims) {
        boolean[] red = reduced(x.ndim(), axes);
        int[][] g = groups(x.d(), red);
        double[] r = new double[g.length];
        for (int o = 0; o < g.length; o++) {
            double s = 0;
            for (int i : g[o]) s += x.v()[i];
            r[o] = s / g[o].length;
        }
        return new Dense(r, reducedDims(x.d(), red, keepDims));
    }

    /** Two-pass variance: squared deviations from the mean over {@code max(n - ddof, 0)} (NumPy). */
    static Dense var(Dense x, int[] axes, boolean keepDims, int ddof) {
        boolean[] red = reduced(x.ndim(), axes);
        int[][] g = groups(x.d(), red);
        double[] r = new double[g.length];
        for (int o = 0; o < g.length; o++) {
            double mu = 0;
            for (int i : g[o]) mu += x.v()[i];
            mu /= g[o].length;
            double ss = 0;
            for (int i : g[o]) ss += (x.v()[i] - mu) * (x.v()[i] - mu);
            r[o] = ss / Math.max(g[o].length - ddof, 0);
        }
        return new Dense(r, reducedDims(x.d(), red, keepDims));
    }

    static Dense std(Dense x, int[] axes, boolean keepDims, int ddof) {
        Dense v = var(x, axes, keepDims, ddof);
        return new Dense(Arrays.stream(v.v()).map(Math::sqrt).toArray(), v.d());
    }

    /**
     * The position of the first maximum (or minimum) along {@code axis}, or of the flattened array
     * when axis is null (then keepDims gives all-ones dims).
     */
    static Dense argReduce(Dense x, Integer axis, boolean keepDims, boolean max) {
        int[][] g;
        int[] od;
        if (axis == null) {
            g = new int[][] {ShapeRows.axes(x.size())};
            od = keepDims ? ones(x.ndim()) : new int[0];
        } else {
            boolean[] red = reduced(x.ndim(), new int[] {axis});
            g = groups(x.d(), red);
            od = reducedDims(x.d(), red, keepDims);
        }
        double[] r = new double[g.length];
        for (int o = 0; o < g.length; o++) {
            int best = 0;
            for (int p = 1; p < g[o].length; p++) {
                double v = x.v()[g[o][p]], b = x.v()[g[o][best]];
                if (max ? v > b : v < b) best = p;
            }
            r[o] = best;
        }
        return new Dense(r, od);
    }

    static int[] ones(int n) {
        int[] r = new int[n];
        Arrays.fill(r, 1);
        return r;
    }

    /** {@code m + log(sum(exp(v - m)))} with m the group's maximum; -inf for an empty group. */
    static Dense logsumexp(Dense x, int[] axes, boolean keepDims) {
        boolean[] red = reduced(x.ndim(), axes);
        int[][] g = groups(x.d(), red);
        double[] r = new double[g.length];
        for (int o = 0; o < g.length; o++) r[o] = lse(x.v(), g[o]);
        return new Dense(r, reducedDims(x.d(), red, keepDims));
    }

    static double lse(double[] v, int[] members) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i : members) m = Math.max(m, v[i]);
        if (Double.isInfinite(m)) return m;
        double s = 0;
        for (int i : members) s += Math.exp(v[i] - m);
        return m + Math.log(s);
    }

    /** {@code exp(v - lse)} over each group (log when {@code log}), same dims as x. */
    static Dense softmax(Dense x, int[] axes, boolean log) {
        int[][] g = groups(x.d(), reduced(x.ndim(), axes));
        double[] r = new double[x.size()];
        for (int[] members : g) {
            double l = lse(x.v(), members);
            for (int i : members) r[i] = log ? x.v()[i] - l : Math.exp(x.v()[i] - l);
        }
        return new Dense(r, x.d());
    }

    /**
     * Layer norm ({@code centre}) or RMS norm over the last axis: {@code (v - mean) / sqrt(ms + eps)},
     * ms the mean square of {@code v - mean} (mean 0 for the RMS norm), then times {@code w[i]} and
     * plus {@code b[i]} along the axis where given.
     */
    static Dense norm(Dense x, boolean centre, double eps, double[] w, double[] b) {
        int[][] g = groups(x.d(), reduced(x.ndim(), new int[] {-1}));
        double[] r = new double[x.size()];
        for (int[] members : g) {
            int n = members.length;
            double mean = 0, ms = 0;
            if (centre) {
                for (int i : members) mean += x.v()[i];
                mean /= n;
            }
            for (int i : members) ms += (x.v()[i] - mean) * (x.v()[i] - mean);
            double scale = 1 / Math.sqrt(ms / n + eps);
            for (int k = 0; k < n; k++) {
                int i = members[k];
                r[i] = (x.v()[i] - mean) * scale * (w == null ? 1 : w[k]) + (b == null ? 0 : b[k]);
            }
        }
        return new Dense(r, x.d());
    }

    // ------------------------------------------------------------------ scans

    static double logaddexp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        if (b == Double.NEGATIVE_INFINITY) return a;
        return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /**
     * A scan along {@code axis} (the flattened array when null): walking each line forward (or
     * backward when {@code reverse}), an inclusive scan writes the running fold after taking the
     * element, an exclusive one before it (so its first output is {@code init}).
     */
    static Dense scan(Dense x, Integer axis, boolean reverse, boolean inclusive, double init, DoubleBinaryOperator f) {
        Dense in = axis == null ? new Dense(x.v(), new int[] {x.size()}) : x;
        int[][] lines = lines(in.d(), axis == null ? 0 : axis);
        double[] r = new double[in.size()];
        for (int[] line : lines) {
            double acc = init;
            for (int s = 0; s < line.length; s++) {
                int i = line[reverse ? line.length - 1 - s : s];
                if (inclusive) {
                    acc = f.applyAsDouble(acc, in.v()[i]);
                    r[i] = acc;
                } else {
                    r[i] = acc;
                    acc = f.applyAsDouble(acc, in.v()[i]);
                }
            }
        }
        return new Dense(r, in.d());
    }

    // ------------------------------------------------------------------ sorting

    /** Each line's positions in stable ascending order of value (equal values keep their order). */
    static Integer[] order(double[] v, int[] line) {
        Integer[] p = new Integer[line.length];
        for (int s = 0; s < p.length; s++) p[s] = s;
        // Arrays.sort on objects is stable (equal values keep their positions); -0.0 and 0.0 compare equal, as in NumPy
        Arrays.sort(p, (a, b) -> v[line[a]] < v[line[b]] ? -1 : v[line[a]] > v[line[b]] ? 1 : 0);
        return p;
    }

    /** Values sorted ascending along {@code axis} (indices when {@code indices}: a stable argsort). */
    static Dense sort(Dense x, int axis, boolean indices) {
        double[] r = new double[x.size()];
        for (int[] line : lines(x.d(), axis)) {
            Integer[] p = order(x.v(), line);
            for (int s = 0; s < line.length; s++) r[line[s]] = indices ? p[s] : x.v()[line[p[s]]];
        }
        return new Dense(r, x.d());
    }

    /** The last k entries of each sorted line: the k largest in ascending order; axis size becomes k. */
    static Dense topk(Dense x, int k, int axis) {
        int a = axis < 0 ? axis + x.ndim() : axis;
        int[] od = x.d().clone();
        od[a] = k;
        Dense sorted = sort(x, a, false);
        int[][] in = lines(x.d(), a), out = lines(od, a);
        double[] r = new double[count(od)];
        for (int l = 0; l < in.length; l++) {
            int n = in[l].length;
            for (int s = 0; s < k; s++) r[out[l][s]] = sorted.v()[in[l][n - k + s]];
        }
        return new Dense(r, od);
    }

    /** Positions 0, 1, ... of {@code axis} at every element (what a sorted permutation of the axis is). */
    static Dense positions(int[] d, int axis) {
        double[] r = new double[count(d)];
        for (int[] line : lines(d, axis)) for (int s = 0; s < line.length; s++) r[line[s]] = s;
        return new Dense(r, d);
    }

    // ------------------------------------------------------------------ numerics

    static Dense map(Dense x, java.util.function.DoubleUnaryOperator f) {
        return new Dense(Arrays.stream(x.v()).map(f).toArray(), x.d());
    }

    static Dense clip(Dense x, double lo, double hi) { return map(x, v -> Math.min(Math.max(v, lo), hi)); }

    static Dense nanToNum(Dense x, double nan, double posinf, double neginf) {
        return map(x, v -> Double.isNaN(v) ? nan : v == Double.POSITIVE_INFINITY ? posinf : v == Double.NEGATIVE_INFINITY ? neginf : v);
    }

    /** x and y broadcast to their common dims, combined elementwise. */
    static Dense zip(Dense x, Dense y, DoubleBinaryOperator f) {
        int[] d = ShapeRows.broadcastDims(x.d(), y.d());
        Dense a = ShapeRefs.broadcast(x, d), b = ShapeRefs.broadcast(y, d);
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = f.applyAsDouble(a.v()[i], b.v()[i]);
        return new Dense(r, d);
    }

    /** NumPy's isclose: finite pairs within {@code atol + rtol * |b|}, else equal, or both NaN when equalNan. */
    static boolean close(double a, double b, double rtol, double atol, boolean equalNan) {
        if (Double.isNaN(a) || Double.isNaN(b)) return equalNan && Double.isNaN(a) && Double.isNaN(b);
        if (Double.isInfinite(a) || Double.isInfinite(b)) return a == b;
        return Math.abs(a - b) <= atol + rtol * Math.abs(b);
    }

    static Dense isclose(Dense a, Dense b, double rtol, double atol, boolean equalNan) {
        return zip(a, b, (u, v) -> OpSpecTable.b(close(u, v, rtol, atol, equalNan)));
    }

    /** A scalar: true when isclose holds for every (broadcast) pair, including none. */
    static Dense allclose(Dense a, Dense b, double rtol, double atol, boolean equalNan) {
        double all = 1;
        for (double v : isclose(a, b, rtol, atol, equalNan).v()) all = Math.min(all, v);
        return new Dense(new double[] {all}, new int[0]);
    }

    /** A scalar: same dims and every pair equal (NaN pairs equal when equalNan). */
    static Dense arrayEqual(Dense a, Dense b, boolean equalNan) {
        boolean eq = Arrays.equals(a.d(), b.d());
        for (int i = 0; eq && i < a.size(); i++) {
            double u = a.v()[i], v = b.v()[i];
            eq = u == v || equalNan && Double.isNaN(u) && Double.isNaN(v);
        }
        return new Dense(new double[] {OpSpecTable.b(eq)}, new int[0]);
    }
}
