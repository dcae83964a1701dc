package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.ops.Gathering;

/**
 * A cumulative op along {@code axis} (MLX's Scan): {@code out[i] = x[0] op ... op x[i]}, from the
 * end when {@code reverse}, and excluding {@code x[i]} itself when not {@code inclusive} (the first
 * output is then the op's identity: 0, 1, the dtype's lowest or highest value, or {@code -inf}).
 * The output has the input's shape; the op chose its dtype.
 *
 * @param op        which running op
 * @param axis      the scanned axis, non-negative
 * @param reverse   scan from the last element toward the first
 * @param inclusive include {@code x[i]} in {@code out[i]}
 */
public record Scan(ScanOp op, int axis, boolean reverse, boolean inclusive) implements Primitive {
    @Override public String name() { return "Scan." + op; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        Array x = primals.get(0);
        if (op == ScanOp.SUM) return Collections.singletonList(cumsum(cotangent, axis, !reverse, inclusive));
        if (inclusive) return Collections.singletonList(vjpInclusive(x, output, cotangent));
        // an exclusive scan is the inclusive one shifted by one: shift the cotangent back
        Array p = scan(x, true);
        return Collections.singletonList(vjpInclusive(x, p, shift(cotangent, !reverse)));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array t = tangents.get(0);
        if (t == null) return zerosLike(output);
        if (op == ScanOp.SUM) return cumsum(t, axis, reverse, inclusive);
        if (inclusive) return jvpInclusive(primals.get(0), output, t);
        return shift(jvpInclusive(primals.get(0), scan(primals.get(0), true), t), reverse);
    }

    private Array scan(Array x, boolean incl) {
        return switch (op) {
            case SUM -> cumsum(x, axis, reverse, incl);
            case PROD -> cumprod(x, axis, reverse, incl);
            case MAX -> cummax(x, axis, reverse, incl);
            case MIN -> cummin(x, axis, reverse, incl);
            case LOGADDEXP -> logcumsumexp(x, axis, reverse, incl);
        };
    }

    /** The cotangent of x for the inclusive scan {@code p} of x. */
    private Array vjpInclusive(Array x, Array p, Array g) {
        return switch (op) {
            case SUM -> cumsum(g, axis, !reverse, true);
            case PROD -> {
                // dx_k = sum_{i>=k} g_i p_i / x_k where x_k != 0; only the first zero of a run gets the
                // gradient through zeros, computed with that zero replaced by one (no division by zero)
                Array isZero = equal(x, zerosLike(x));
                Array first = firstZero(isZero);
                Array safe = where(isZero, onesLike(x), x);
                Array part = where(isZero, zerosLike(x), divide(cumsum(multiply(g, p), axis, !reverse, true), safe));
                Array q = cumprod(where(first, onesLike(x), x), axis, reverse, true);
                yield where(first, cumsum(multiply(g, q), axis, !reverse, true), part);
            }
            case MAX, MIN -> Gathering.scatterAlongAxis(zerosLike(x), extremumIndex(x), g, axis, true);
            case LOGADDEXP -> {
                // dx_k = sum_{i>=k} g_i exp(x_k - p_i), split by the sign of g so logs stay real
                Array[] lg = signedLogs(g);
                Array ps = emptyToInf(p);
                Array pos = exp(add(logcumsumexp(subtract(lg[0], ps), axis, !reverse, true), x));
                Array neg = exp(add(logcumsumexp(subtract(lg[1], ps), axis, !reverse, true), x));
                yield subtract(pos, neg);
            }
        };
    }

    /** The tangent of the inclusive scan {@code p} of x. */
    private Array jvpInclusive(Array x, Array p, Array t) {
        return switch (op) {
            case SUM -> cumsum(t, axis, reverse, true);
            case PROD -> {
                Array isZero = equal(x, zerosLike(x));
                Array first = firstZero(isZero);
                Array safe = where(isZero, onesLike(x), x);
                Array noZeros = multiply(p, cumsum(divide(t, safe), axis, reverse, true));
                Array q = cumprod(where(first, onesLike(x), x), axis, reverse, true);
                Array tz = cumsum(where(first, t, zerosLike(t)), axis, reverse, true);
                yield add(noZeros, multiply(tz, q));
            }
            case MAX, MIN -> Gathering.gatherAlongAxis(t, extremumIndex(x), axis);
            case LOGADDEXP -> {
                Array[] lt = signedLogs(t);
                Array ps = emptyToInf(p);
                Array pos = exp(subtract(logcumsumexp(add(lt[0], x), axis, reverse, true), ps));
                Array neg = exp(subtract(logcumsumexp(add(lt[1], x), axis, reverse, true), ps));
                yield subtract(pos, neg);
            }
        };
    }

    /**
     * The running logsumexp p with -inf (every element so far is -inf: the output cannot move) made
     * +inf, so those positions' terms exp(. - p) are exp(-inf) = 0 instead of exp(-inf + inf) = NaN.
     * The vjp of the first order feeds -inf into this scan, so grad-of-grad needs it.
     */
    private static Array emptyToInf(Array p) {
        Array ninf = scalarLike(Double.NEGATIVE_INFINITY, p);
        return where(equal(p, ninf), scalarLike(Double.POSITIVE_INFINITY, p), p);
    }

    /** True at the first zero of each scan (in scan order). */
    private Array firstZero(Array isZero) {
        Array count = cumsum(astype(isZero, DType.INT32), axis, reverse, true);
        return logicalAnd(isZero, equal(count, scalar(1, DType.INT32)));
    }

    /**
     * For each position, the index (along the axis) of the element the running max/min took its
     * value from: the first position that reached it, in scan order.
     */
    private Array extremumIndex(Array x) {
        int n = x.dim(axis);
        Array before = scan(x, false);
        Array isNew = op == ScanOp.MAX ? greater(x, before) : less(x, before);
        int[] shape = new int[x.ndim()];
        java.util.Arrays.fill(shape, 1);
        shape[axis] = n;
        Array pos = broadcastTo(reshape(arange(n), shape), x.shape().dims());
        if (!reverse) return cummax(where(isNew, pos, zerosLike(pos)), axis, false, true);
        return cummin(where(isNew, pos, full(x.shape().dims(), Math.max(n - 1, 0), DType.INT32)), axis, true, true);
    }

    /** {log(g) where g > 0 else -inf, log(-g) where g < 0 else -inf}, safe to differentiate. */
    private static Array[] signedLogs(Array g) {
        Array zero = zerosLike(g), one = onesLike(g), ninf = full(g.shape().dims(), scalarLike(Double.NEGATIVE_INFINITY, g));
        Array gp = greater(g, zero), gn = less(g, zero);
        Array lp = where(gp, log(where(gp, g, one)), ninf);
        Array ln = where(gn, log(where(gn, negative(g), one)), ninf);
        return new Array[] {lp, ln};
    }

    /**
     * {@code a} moved by one position along the axis, filled with zero: toward lower indices when
     * {@code toLower}, else toward higher ones.
     */
    private Array shift(Array a, boolean toLower) {
        int n = a.dim(axis);
        if (n <= 1) return zerosLike(a);
        int nd = a.ndim();
        int[] start = new int[nd], stop = a.shape().toArray(), step = new int[nd];
        java.util.Arrays.fill(step, 1);
        int[] dstStart = start.clone(), dstStop = stop.clone();
        if (toLower) {
            start[axis] = 1;
            dstStop[axis] = n - 1;
        } else {
            stop[axis] = n - 1;
            dstStart[axis] = 1;
        }
        return sliceUpdate(zerosLike(a), slice(a, start, stop, step), dstStart, dstStop, step);
    }
}
