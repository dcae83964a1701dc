package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.UnaryOp;

/**
 * Vector API loops over float32 rows. Loaded only when {@link Simd#ENABLED}; each loop takes its
 * lane op as a lambda that the JIT inlines at the (constant) call site.
 */
final class VecF32 {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();

    private VecF32() {}

    interface Un { FloatVector apply(FloatVector x); }

    interface Bin { FloatVector apply(FloatVector a, FloatVector b); }

    interface SUn { float apply(float x); }

    interface SBin { float apply(float a, float b); }

    /** out[o..o+len) = f(x[xo..]) with unit strides (offsets in elements). */
    static void unary(MemorySegment x, long xo, MemorySegment out, long o, int len, Un f, SUn g) {
        int i = 0;
        int ub = S.loopBound(len);
        for (; i < ub; i += L) {
            FloatVector v = FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO);
            f.apply(v).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) out.setAtIndex(Elem.F32, o + i, g.apply(x.getAtIndex(Elem.F32, xo + i)));
    }

    /** Binary with strides 0 or 1 per input. */
    static void binary(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment out, long o, int len, Bin f, SBin g) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) {
                FloatVector va = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO);
                FloatVector vb = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                f.apply(va, vb).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 0 && bs == 1) {
            FloatVector va = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) {
                FloatVector vb = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                f.apply(va, vb).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 1 && bs == 0) {
            FloatVector vb = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) {
                FloatVector va = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO);
                f.apply(va, vb).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else {
            i = 0;
        }
        for (; i < len; i++) {
            out.setAtIndex(Elem.F32, o + i, g.apply(a.getAtIndex(Elem.F32, ao + i * as), b.getAtIndex(Elem.F32, bo + i * bs)));
        }
    }

    static FloatVector exp(FloatVector x) { return x.lanewise(VectorOperators.EXP); }

    /** Sum of x[xo..xo+len). */
    static float sum(MemorySegment x, long xo, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
        for (; i + L < ub; i += 2 * L) {
            acc0 = acc0.add(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO));
            acc1 = acc1.add(FloatVector.fromMemorySegment(S, x, (xo + i + L) * 4, NO));
        }
        for (; i < ub; i += L) acc0 = acc0.add(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO));
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) s += x.getAtIndex(Elem.F32, xo + i);
        return s;
    }

    /** Max of x[xo..xo+len), len > 0; NaN propagates. */
    static float max(MemorySegment x, long xo, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        float m = Float.NEGATIVE_INFINITY;
        if (ub > 0) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (; i < ub; i += L) acc = acc.max(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO));
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < len; i++) m = Math.max(m, x.getAtIndex(Elem.F32, xo + i));
        return m;
    }

    /** out[j] += a * x[j] for a row (axpy). */
    static void axpy(float a, MemorySegment x, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        FloatVector va = FloatVector.broadcast(S, a);
        for (; i < ub; i += L) {
            FloatVector vo = FloatVector.fromMemorySegment(S, out, (o + i) * 4, NO);
            va.fma(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO), vo).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) out.setAtIndex(Elem.F32, o + i, out.getAtIndex(Elem.F32, o + i) + a * x.getAtIndex(Elem.F32, xo + i));
    }

    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    /** The Vector API loop for ops that have one; false when the op must take the scalar loop. */
    static boolean unaryOp(UnaryOp op, MemorySegment x, long xo, MemorySegment o, long oo, int len) {
        switch (op) {
            case ABS -> unary(x, xo, o, oo, len, v -> v.abs(), Math::abs);
            case NEGATIVE -> unary(x, xo, o, oo, len, v -> v.neg(), v -> -v);
            case SQUARE -> unary(x, xo, o, oo, len, v -> v.mul(v), v -> v * v);
            case SQRT -> unary(x, xo, o, oo, len, v -> v.sqrt(), v -> (float) Math.sqrt(v));
            case RSQRT -> unary(x, xo, o, oo, len, v -> ONE.div(v.sqrt()), v -> (float) (1 / Math.sqrt(v)));
            case RECIPROCAL -> unary(x, xo, o, oo, len, v -> ONE.div(v), v -> 1 / v);
            case EXP -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.EXP), v -> (float) Math.exp(v));
            case EXPM1 -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.EXPM1), v -> (float) Math.expm1(v));
            case LOG -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.LOG), v -> (float) Math.log(v));
            case LOG1P -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.LOG1P), v -> (float) Math.log1p(v));
            case LOG10 -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.LOG10), v -> (float) Math.log10(v));
            case SIN -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.SIN), v -> (float) Math.sin(v));
            case COS -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.COS), v -> (float) Math.cos(v));
            case TAN -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.TAN), v -> (float) Math.tan(v));
            case TANH -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.TANH), v -> (float) Math.tanh(v));
            case SINH -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.SINH), v -> (float) Math.sinh(v));
            case COSH -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.COSH), v -> (float) Math.cosh(v));
            case ARCTAN -> unary(x, xo, o, oo, len, v -> v.lanewise(VectorOperators.ATAN), v -> (float) Math.atan(v));
            case SIGMOID -> unary(x, xo, o, oo, len,
                    v -> ONE.div(ONE.add(v.neg().lanewise(VectorOperators.EXP))), v -> (float) (1 / (1 + Math.exp(-v))));
            default -> {
                return false;
            }
        }
        return true;
    }

    static boolean binaryOp(BinaryOp op, MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs,
                                        MemorySegment o, long oo, int len) {
        switch (op) {
            case ADD -> binary(a, ao, as, b, bo, bs, o, oo, len, (x, y) -> x.add(y), (x, y) -> x + y);
            case SUBTRACT -> binary(a, ao, as, b, bo, bs, o, oo, len, (x, y) -> x.sub(y), (x, y) -> x - y);
            case MULTIPLY -> binary(a, ao, as, b, bo, bs, o, oo, len, (x, y) -> x.mul(y), (x, y) -> x * y);
            case DIVIDE -> binary(a, ao, as, b, bo, bs, o, oo, len, (x, y) -> x.div(y), (x, y) -> x / y);
            case MAXIMUM -> binary(a, ao, as, b, bo, bs, o, oo, len, (x, y) -> x.max(y),
                    (x, y) -> Float.isNaN(x) || Float.isNaN(y) ? Float.NaN : Math.max(x, y));
            case MINIMUM -> binary(a, ao, as, b, bo, bs, o, oo, len, (x, y) -> x.min(y),
                    (x, y) -> Float.isNaN(x) || Float.isNaN(y) ? Float.NaN : Math.min(x, y));
            case POWER -> binary(a, ao, as, b, bo, bs, o, oo, len, (x, y) -> x.lanewise(VectorOperators.POW, y),
                    (x, y) -> (float) Math.pow(x, y));
            default -> {
                return false;
            }
        }
        return true;
    }

}
