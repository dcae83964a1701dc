package org.mlx4j.core.ops;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.AsType;
import org.mlx4j.core.primitive.Binary;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.StopGradient;
import org.mlx4j.core.primitive.Unary;
import org.mlx4j.core.primitive.UnaryOp;
import org.mlx4j.core.primitive.Where;

/** Elementwise ops: the unary and binary families, where, astype. See {@link org.mlx4j.core.MX}. */
public final class Elementwise {
    private Elementwise() {}

    /** Inputs on one device or an {@code [op]} error. */
    static void sameDevice(String op, Array a, Array b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException("[" + op + "] inputs are on different devices, " + a.device() + " and " + b.device()
                    + "; move one with MX.toDevice.");
        }
    }

    /** Applies a unary op; math ops on integral inputs compute in float32, as in MLX. */
    public static Array unary(UnaryOp op, Array x) {
        String name = op.opName();
        DType in = x.dtype();
        DType out;
        switch (op) {
            case ABS, NEGATIVE, SIGN, SQUARE -> out = in;
            case FLOOR, CEIL, ROUND -> {
                if (in.isIntegral()) return x;
                out = in;
            }
            case ISNAN, ISINF, ISFINITE -> {
                if (in.isIntegral()) return Creation.full(x.shape().dims(), op == UnaryOp.ISFINITE ? 1 : 0, DType.BOOL);
                out = DType.BOOL;
            }
            case LOGICAL_NOT -> {
                x = in == DType.BOOL ? x : astype(x, DType.BOOL);
                out = DType.BOOL;
            }
            case BITWISE_INVERT -> {
                if (!in.isIntegral()) throw new IllegalArgumentException("[bitwiseInvert] requires an integral dtype, got " + in.mlxName() + ".");
                out = in;
            }
            default -> {
                out = in.toFloating();
                if (out != in) x = astype(x, out);
            }
        }
        if (op == UnaryOp.NEGATIVE && in == DType.BOOL) {
            throw new IllegalArgumentException("[" + name + "] not defined for bool; use logicalNot.");
        }
        return Array.node(x.shape(), out, new Unary(op), x);
    }

    /** Applies a binary op with NumPy promotion and broadcasting. */
    public static Array binary(BinaryOp op, Array a, Array b) {
        String name = op.opName();
        sameDevice(name, a, b);
        DType t = DType.promote(a.dtype(), b.dtype());
        switch (op) {
            case DIVIDE, LOGADDEXP, ARCTAN2 -> t = t.toFloating();
            case LOGICAL_AND, LOGICAL_OR -> t = DType.BOOL;
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, LEFT_SHIFT, RIGHT_SHIFT -> {
                if (!t.isIntegral()) {
                    throw new IllegalArgumentException("[" + name + "] requires integral dtypes, got " + a.dtype().mlxName() + " and " + b.dtype().mlxName() + ".");
                }
            }
            case SUBTRACT -> {
                if (t == DType.BOOL) throw new IllegalArgumentException("[subtract] not defined for bool inputs.");
            }
            default -> { }
        }
        Shape s = Shape.broadcast(name, a.shape(), b.shape());
        a = ShapeOps.broadcastTo(astype(a, t), s.dims());
        b = ShapeOps.broadcastTo(astype(b, t), s.dims());
        return Array.node(s, op.isComparison() ? DType.BOOL : t, new Binary(op), a, b);
    }

    /** Converts to {@code dtype}; returns {@code x} itself when it already has it. */
    public static Array astype(Array x, DType dtype) {
        if (x.dtype() == dtype) return x;
        return Array.node(x.shape(), dtype, new AsType(dtype), x);
    }

    /** Elements of {@code x} where {@code condition}, else of {@code y}, broadcast together. */
    public static Array where(Array condition, Array x, Array y) {
        sameDevice("where", x, y);
        sameDevice("where", condition, x);
        DType t = DType.promote(x.dtype(), y.dtype());
        Shape s = Shape.broadcast("where", Shape.broadcast("where", condition.shape(), x.shape()), y.shape());
        Array c = ShapeOps.broadcastTo(astype(condition, DType.BOOL), s.dims());
        return Array.node(s, t, new Where(), c, ShapeOps.broadcastTo(astype(x, t), s.dims()), ShapeOps.broadcastTo(astype(y, t), s.dims()));
    }

    /** The values of {@code x} with a zero derivative. */
    public static Array stopGradient(Array x) {
        return Array.node(x.shape(), x.dtype(), new StopGradient(), x);
    }
}
