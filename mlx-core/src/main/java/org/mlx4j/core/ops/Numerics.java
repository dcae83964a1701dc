package org.mlx4j.core.ops;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.ReduceOp;
import org.mlx4j.core.primitive.UnaryOp;

/** Value ops built from the elementwise family: clip, nanToNum, isclose, allclose, arrayEqual. See {@link org.mlx4j.core.MX}. */
public final class Numerics {
    private Numerics() {}

    /**
     * {@code minimum(maximum(x, min), max)} with NumPy promotion; a null bound is not applied.
     *
     * @throws IllegalArgumentException when both bounds are null or a bound does not broadcast
     */
    public static Array clip(Array x, Array min, Array max) {
        if (min == null && max == null) throw new IllegalArgumentException("[clip] at most one of min and max may be null.");
        Array r = x;
        if (min != null) r = Elementwise.binary(BinaryOp.MAXIMUM, r, min);
        if (max != null) r = Elementwise.binary(BinaryOp.MINIMUM, r, max);
        return r;
    }

    /** {@link #clip(Array, Array, Array)} with scalar bounds typed like {@code x} (see {@link Creation#scalarLike}). */
    public static Array clip(Array x, Double min, Double max) {
        return clip(x, min == null ? null : Creation.scalarLike(min, x), max == null ? null : Creation.scalarLike(max, x));
    }

    /** The largest finite value of a floating dtype. */
    static double finiteMax(DType t) {
        return switch (t) {
            case FLOAT16 -> 65504.0;
            case BFLOAT16 -> 3.3895313892515355e38;
            case FLOAT32 -> Float.MAX_VALUE;
            default -> Double.MAX_VALUE;
        };
    }

    /**
     * NaN replaced by {@code nan}, +inf by {@code posinf} and -inf by {@code neginf}; null infinities
     * default to the dtype's largest and lowest finite values, as in NumPy. Integral arrays are
     * returned unchanged.
     */
    public static Array nanToNum(Array x, double nan, Double posinf, Double neginf) {
        DType t = x.dtype();
        if (!t.isFloating()) return x;
        double pi = posinf == null ? finiteMax(t) : posinf, ni = neginf == null ? -finiteMax(t) : neginf;
        Array r = Elementwise.where(Elementwise.unary(UnaryOp.ISNAN, x), Creation.scalar(nan, t), x);
        Array inf = Elementwise.unary(UnaryOp.ISINF, x);
        Array positive = Elementwise.binary(BinaryOp.GREATER, x, Creation.scalar(0, t));
        r = Elementwise.where(Elementwise.binary(BinaryOp.LOGICAL_AND, inf, positive), Creation.scalar(pi, t), r);
        Array negative = Elementwise.binary(BinaryOp.LESS, x, Creation.scalar(0, t));
        return Elementwise.where(Elementwise.binary(BinaryOp.LOGICAL_AND, inf, negative), Creation.scalar(ni, t), r);
    }

    /**
     * Elementwise {@code |a - b| <= atol + rtol * |b|} (bool, broadcast) as in NumPy; infinities are
     * close only to the same infinity; NaNs are close to each other only when {@code equalNan}.
     * Integral inputs are compared as float32.
     */
    public static Array isclose(Array a, Array b, double rtol, double atol, boolean equalNan) {
        DType t = DType.promote(a.dtype(), b.dtype()).toFloating();
        Array x = Elementwise.astype(a, t), y = Elementwise.astype(b, t);
        Array diff = Elementwise.unary(UnaryOp.ABS, Elementwise.binary(BinaryOp.SUBTRACT, x, y));
        Array tol = Elementwise.binary(BinaryOp.ADD, Creation.scalar(atol, t),
                Elementwise.binary(BinaryOp.MULTIPLY, Creation.scalar(rtol, t), Elementwise.unary(UnaryOp.ABS, y)));
        // |inf - finite| <= inf would say close: finite pairs use the tolerance, others need equality
        Array finite = Elementwise.binary(BinaryOp.LOGICAL_AND, Elementwise.unary(UnaryOp.ISFINITE, x), Elementwise.unary(UnaryOp.ISFINITE, y));
        Array close = Elementwise.binary(BinaryOp.LOGICAL_AND, Elementwise.binary(BinaryOp.LESS_EQUAL, diff, tol), finite);
        close = Elementwise.binary(BinaryOp.LOGICAL_OR, close, Elementwise.binary(BinaryOp.EQUAL, x, y));
        if (equalNan) close = Elementwise.binary(BinaryOp.LOGICAL_OR, close, bothNan(x, y));
        return close;
    }

    /** A bool scalar: {@code isclose(a, b, ...)} holds everywhere. */
    public static Array allclose(Array a, Array b, double rtol, double atol, boolean equalNan) {
        return Reductions.reduce(ReduceOp.ALL, isclose(a, b, rtol, atol, equalNan), null, false);
    }

    /**
     * A bool scalar: same shape and equal values (after promotion); false, not an error, when the
     * shapes differ. NaNs are equal to each other only when {@code equalNan}.
     */
    public static Array arrayEqual(Array a, Array b, boolean equalNan) {
        if (!a.shape().equals(b.shape())) return Creation.scalar(0, DType.BOOL);
        Array eq = Elementwise.binary(BinaryOp.EQUAL, a, b);
        if (equalNan && (a.dtype().isFloating() || b.dtype().isFloating())) {
            DType t = DType.promote(a.dtype(), b.dtype());
            eq = Elementwise.binary(BinaryOp.LOGICAL_OR, eq, bothNan(Elementwise.astype(a, t), Elementwise.astype(b, t)));
        }
        return Reductions.reduce(ReduceOp.ALL, eq, null, false);
    }

    private static Array bothNan(Array x, Array y) {
        return Elementwise.binary(BinaryOp.LOGICAL_AND, Elementwise.unary(UnaryOp.ISNAN, x), Elementwise.unary(UnaryOp.ISNAN, y));
    }
}
