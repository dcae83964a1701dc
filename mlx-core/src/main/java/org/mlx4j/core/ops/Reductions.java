package org.mlx4j.core.ops;

import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.ArgReduce;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.LayerNorm;
import org.mlx4j.core.primitive.LogSumExp;
import org.mlx4j.core.primitive.Reduce;
import org.mlx4j.core.primitive.ReduceOp;
import org.mlx4j.core.primitive.RmsNorm;
import org.mlx4j.core.primitive.Softmax;

/** Reductions over axes with keepDims, logsumexp and softmax. See {@link org.mlx4j.core.MX}. */
public final class Reductions {
    private Reductions() {}

    /** Normalized, sorted, unique axes; all axes when {@code axes} is null or empty. */
    public static int[] normalizeAxes(String op, int ndim, int[] axes) {
        if (axes == null || axes.length == 0) {
            int[] all = new int[ndim];
            for (int i = 0; i < ndim; i++) all[i] = i;
            return all;
        }
        boolean[] seen = new boolean[ndim];
        for (int a : axes) {
            int aa = Shape.normalizeAxis(a, ndim, op);
            if (seen[aa]) throw new IllegalArgumentException("[" + op + "] repeated axis in " + Arrays.toString(axes) + ".");
            seen[aa] = true;
        }
        int[] out = new int[axes.length];
        int k = 0;
        for (int i = 0; i < ndim; i++) if (seen[i]) out[k++] = i;
        return out;
    }

    static Shape keptShape(Shape s, int[] axes) {
        int[] d = s.toArray();
        for (int a : axes) d[a] = 1;
        return new Shape(d);
    }

    static Array squeezeAxes(Array r, int[] axes, boolean keepDims) {
        return keepDims || axes.length == 0 ? r : ShapeOps.squeeze(r, axes);
    }

    /** A reduction; sum and prod of bool or small integers accumulate in int32, as in NumPy/MLX. */
    public static Array reduce(ReduceOp op, Array x, int[] axes, boolean keepDims) {
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        int[] ax = normalizeAxes(name, x.ndim(), axes);
        DType t = x.dtype();
        if ((op == ReduceOp.SUM || op == ReduceOp.PROD) && t.isIntegral() && t.size() < 4) {
            t = t == DType.UINT8 ? DType.UINT32 : DType.INT32;
            x = Elementwise.astype(x, t);
        }
        if (op == ReduceOp.ALL || op == ReduceOp.ANY) {
            x = Elementwise.astype(x, DType.BOOL);
            t = DType.BOOL;
        }
        if ((op == ReduceOp.MAX || op == ReduceOp.MIN) && x.size() == 0) {
            throw new IllegalArgumentException("[" + name + "] cannot reduce an array of size 0 (shape " + x.shape() + ").");
        }
        if (ax.length == 0) return x;
        Array r = Array.node(keptShape(x.shape(), ax), t, new Reduce(op, ax), x);
        return squeezeAxes(r, ax, keepDims);
    }

    /** Mean over axes; integral inputs give float32. */
    public static Array mean(Array x, int[] axes, boolean keepDims) {
        int[] ax = normalizeAxes("mean", x.ndim(), axes);
        long n = 1;
        for (int a : ax) n *= x.shape().dims()[a];
        DType t = x.dtype().toFloating();
        Array s = reduce(ReduceOp.SUM, Elementwise.astype(x, t), ax, keepDims);
        return Elementwise.binary(BinaryOp.DIVIDE, s, Creation.scalarLike(n, s));
    }

    /** Variance over axes with {@code ddof} delta degrees of freedom. */
    public static Array var(Array x, int[] axes, boolean keepDims, int ddof) {
        int[] ax = normalizeAxes("var", x.ndim(), axes);
        long n = 1;
        for (int a : ax) n *= x.shape().dims()[a];
        Array xf = Elementwise.astype(x, x.dtype().toFloating());
        Array mu = mean(xf, ax, true);
        Array d = Elementwise.binary(BinaryOp.SUBTRACT, xf, mu);
        Array ss = reduce(ReduceOp.SUM, Elementwise.binary(BinaryOp.MULTIPLY, d, d), ax, keepDims);
        return Elementwise.binary(BinaryOp.DIVIDE, ss, Creation.scalarLike(Math.max(n - ddof, 0), ss));
    }

    /** Index of the max (or min) along {@code axis}, uint32; the whole flattened array when axis is null. */
    public static Array argReduce(boolean max, Array x, Integer axis, boolean keepDims) {
        String name = max ? "argmax" : "argmin";
        if (axis == null) {
            Array r = argReduce(max, ShapeOps.flatten(x), 0, false);
            if (keepDims) {
                int[] ones = new int[x.ndim()];
                Arrays.fill(ones, 1);
                return ShapeOps.reshape(r, ones);
            }
            return r;
        }
        int a = Shape.normalizeAxis(axis, x.ndim(), name);
        if (x.shape().dims()[a] == 0) throw new IllegalArgumentException("[" + name + "] cannot reduce an axis of size 0 (shape " + x.shape() + ").");
        Array r = Array.node(keptShape(x.shape(), new int[] {a}), DType.UINT32, new ArgReduce(max, a), x);
        return squeezeAxes(r, new int[] {a}, keepDims);
    }

    // ---------------------------------------------------------------- logsumexp and softmax

    /**
     * {@code x} with the (sorted, non-negative) {@code axes} moved to the end and merged into one
     * last axis, ready for a last-axis kernel; {@code x} itself when that changes nothing.
     */
    private static Array toLastAxis(Array x, int[] axes) {
        int n = x.ndim();
        boolean trailing = true;
        for (int i = 0; i < axes.length; i++) trailing &= axes[i] == n - axes.length + i;
        Array moved = x;
        if (!trailing) {
            int[] perm = new int[n];
            boolean[] red = new boolean[n];
            for (int a : axes) red[a] = true;
            int k = 0;
            for (int i = 0; i < n; i++) if (!red[i]) perm[k++] = i;
            for (int a : axes) perm[k++] = a;
            moved = ShapeOps.transpose(x, perm);
        }
        if (axes.length == 1) return moved;
        return ShapeOps.flatten(moved, n - axes.length, n - 1);
    }

    /** The floating type a softmax-like op computes in (integral inputs become float32). */
    private static Array floating(Array x) { return Elementwise.astype(x, x.dtype().toFloating()); }

    /**
     * {@code log(sum(exp(x), axes))}, computed stably; integral inputs give float32. Reducing an
     * empty axis gives {@code -inf}.
     */
    public static Array logsumexp(Array x, int[] axes, boolean keepDims) {
        int[] ax = normalizeAxes("logsumexp", x.ndim(), axes);
        x = floating(x);
        if (x.ndim() == 0) return x;
        Array last = toLastAxis(x, ax);
        int[] ls = last.shape().toArray();
        ls[ls.length - 1] = 1;
        Array r = Array.node(new Shape(ls), x.dtype(), new LogSumExp(), last);
        r = ShapeOps.reshape(r, keptShape(x.shape(), ax).dims());
        return squeezeAxes(r, ax, keepDims);
    }

    /**
     * Layer normalization over the last axis (one fused node), then {@code * weight + bias} where
     * given; integral inputs give float32.
     */
    public static Array layerNorm(Array x, Array weight, Array bias, double eps) {
        x = checkNorm("layerNorm", x, eps, weight, bias);
        Array y = Array.node(x.shape(), x.dtype(), new LayerNorm(eps), x);
        if (weight != null) y = Elementwise.binary(BinaryOp.MULTIPLY, y, weight);
        if (bias != null) y = Elementwise.binary(BinaryOp.ADD, y, bias);
        return y;
    }

    /** RMS normalization over the last axis (one fused node), then {@code * weight} where given. */
    public static Array rmsNorm(Array x, Array weight, double eps) {
        x = checkNorm("rmsNorm", x, eps, weight, null);
        Array y = Array.node(x.shape(), x.dtype(), new RmsNorm(eps), x);
        return weight == null ? y : Elementwise.binary(BinaryOp.MULTIPLY, y, weight);
    }

    /** Checks a normalization's arguments and returns x as floating. */
    private static Array checkNorm(String op, Array x, double eps, Array weight, Array bias) {
        if (x.ndim() == 0) throw new IllegalArgumentException("[" + op + "] needs an array with at least one axis; got a scalar.");
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("[" + op + "] eps must be finite and non-negative, got " + eps + ".");
        int d = x.dim(-1);
        for (Array p : new Array[] {weight, bias}) {
            if (p != null && (p.ndim() != 1 || p.dim(0) != d)) {
                throw new IllegalArgumentException("[" + op + "] " + (p == weight ? "weight" : "bias") + " must have shape (" + d
                        + ",), the last axis of the input " + x.shape() + "; got " + p.shape() + ".");
            }
        }
        return floating(x);
    }

    /** Softmax over {@code axes} (all when none given); integral inputs give float32. */
    public static Array softmax(Array x, int[] axes) {
        int[] ax = normalizeAxes("softmax", x.ndim(), axes);
        x = floating(x);
        if (x.ndim() == 0) return ShapeOps.reshape(softmax(ShapeOps.reshape(x, 1), new int[] {0}), new int[0]);
        int n = x.ndim();
        boolean trailing = true;
        for (int i = 0; i < ax.length; i++) trailing &= ax[i] == n - ax.length + i;
        Array last = toLastAxis(x, ax);
        Array y = Array.node(last.shape(), x.dtype(), new Softmax(), last);
        if (trailing) return ShapeOps.reshape(y, x.shape().dims());
        // undo the merge, then the move
        boolean[] isRed = new boolean[n];
        for (int a : ax) isRed[a] = true;
        int[] perm = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) if (!isRed[i]) perm[k++] = i;
        for (int a : ax) perm[k++] = a;
        int[] movedShape = new int[n];
        for (int i = 0; i < n; i++) movedShape[i] = x.shape().dims()[perm[i]];
        Array back = ShapeOps.reshape(y, movedShape);
        int[] inv = new int[n];
        for (int i = 0; i < n; i++) inv[perm[i]] = i;
        return ShapeOps.transpose(back, inv);
    }

    /** {@code x - logsumexp(x, axes, keepDims=true)}; integral inputs give float32. */
    public static Array logSoftmax(Array x, int[] axes) {
        normalizeAxes("logSoftmax", x.ndim(), axes);
        x = floating(x);
        return Elementwise.binary(BinaryOp.SUBTRACT, x, logsumexp(x, axes, true));
    }
}
