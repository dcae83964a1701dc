package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.mlx4j.core.primitive.ReduceOp;

/**
 * Vector API loops of the reduction family over float32 (sum, prod, max, min, row accumulation,
 * softmax and logsumexp rows, running ops across rows). Loaded only when {@link Simd#ENABLED};
 * {@link CpuReduce}, {@link CpuSoftmax} and {@link CpuScan} hold the scalar fallbacks. Max and min
 * propagate NaN like {@link Math#max}.
 */
final class VecReduce {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();

    private VecReduce() {}


    private static FloatVector apply(ReduceOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case SUM -> a.add(b);
            case PROD -> a.mul(b);
            case MAX -> a.max(b);
            case MIN -> a.min(b);
            case ALL, ANY -> throw new IllegalStateException("float32 " + op);
        };
    }

    private static float apply(ReduceOp op, float a, float b) {
        return switch (op) {
            case SUM -> a + b;
            case PROD -> a * b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case ALL, ANY -> throw new IllegalStateException("float32 " + op);
        };
    }

    private static VectorOperators.Associative lanes(ReduceOp op) {
        return switch (op) {
            case SUM -> VectorOperators.ADD;
            case PROD -> VectorOperators.MUL;
            case MAX -> VectorOperators.MAX;
            case MIN -> VectorOperators.MIN;
            case ALL, ANY -> throw new IllegalStateException("float32 " + op);
        };
    }

    private static float identity(ReduceOp op) {
        return switch (op) {
            case SUM -> 0f;
            case PROD -> 1f;
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
            case ALL, ANY -> throw new IllegalStateException("float32 " + op);
        };
    }

    /** {@code op} over x[xo..xo+len); four independent accumulators hide the add latency. */
    static float reduce(ReduceOp op, MemorySegment x, long xo, int len) {
        if (op == ReduceOp.SUM) return sum(x, xo, len);
        float id = identity(op);
        FloatVector a0 = FloatVector.broadcast(S, id), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 4 * L <= len; i += 4 * L) {
            a0 = apply(op, a0, FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO));
            a1 = apply(op, a1, FloatVector.fromMemorySegment(S, x, (xo + i + L) * 4, NO));
            a2 = apply(op, a2, FloatVector.fromMemorySegment(S, x, (xo + i + 2 * L) * 4, NO));
            a3 = apply(op, a3, FloatVector.fromMemorySegment(S, x, (xo + i + 3 * L) * 4, NO));
        }
        for (; i + L <= len; i += L) a0 = apply(op, a0, FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO));
        float r = apply(op, apply(op, a0, a1), apply(op, a2, a3)).reduceLanes(lanes(op));
        for (; i < len; i++) r = apply(op, r, x.getAtIndex(Elem.F32, xo + i));
        return r;
    }

    /** Sum of x[xo..xo+len) (specialised: the hottest loop of the family; eight chains keep loads in flight). */
    static float sum(MemorySegment x, long xo, int len) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int i = 0;
        for (; i + 8 * L <= len; i += 8 * L) {
            long p = xo + i;
            a0 = a0.add(FloatVector.fromMemorySegment(S, x, (p) * 4, NO));
            a1 = a1.add(FloatVector.fromMemorySegment(S, x, (p + L) * 4, NO));
            a2 = a2.add(FloatVector.fromMemorySegment(S, x, (p + 2 * L) * 4, NO));
            a3 = a3.add(FloatVector.fromMemorySegment(S, x, (p + 3 * L) * 4, NO));
            a4 = a4.add(FloatVector.fromMemorySegment(S, x, (p + 4 * L) * 4, NO));
            a5 = a5.add(FloatVector.fromMemorySegment(S, x, (p + 5 * L) * 4, NO));
            a6 = a6.add(FloatVector.fromMemorySegment(S, x, (p + 6 * L) * 4, NO));
            a7 = a7.add(FloatVector.fromMemorySegment(S, x, (p + 7 * L) * 4, NO));
        }
        for (; i + L <= len; i += L) a0 = a0.add(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO));
        float r = a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) r += x.getAtIndex(Elem.F32, xo + i);
        return r;
    }

    /** acc[ao + j] = op(acc[ao + j], x[xo + j]) for j in [0, len). */
    static void accumulate(ReduceOp op, MemorySegment x, long xo, float[] acc, int ao, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        switch (op) {
            case SUM -> {
                for (; i < ub; i += L) FloatVector.fromArray(S, acc, ao + i).add(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO)).intoArray(acc, ao + i);
            }
            case PROD -> {
                for (; i < ub; i += L) FloatVector.fromArray(S, acc, ao + i).mul(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO)).intoArray(acc, ao + i);
            }
            case MAX -> {
                for (; i < ub; i += L) FloatVector.fromArray(S, acc, ao + i).max(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO)).intoArray(acc, ao + i);
            }
            case MIN -> {
                for (; i < ub; i += L) FloatVector.fromArray(S, acc, ao + i).min(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO)).intoArray(acc, ao + i);
            }
            case ALL, ANY -> throw new IllegalStateException("float32 " + op);
        }
        for (; i < len; i++) acc[ao + i] = apply(op, acc[ao + i], x.getAtIndex(Elem.F32, xo + i));
    }

    /** out[oo..] = softmax(x[xo..xo+len)): max, then exp and sum (stored), then scale. */
    static void softmaxRow(MemorySegment x, long xo, MemorySegment out, long oo, int len) {
        float m = reduce(ReduceOp.MAX, x, xo, len);
        float s = expStore(x, xo, out, oo, len, m);
        scale(out, oo, len, 1f / s);
    }

    /** out[oo + j] = exp(x[xo + j] - m); returns their sum. Kept small so the JIT keeps vectors in registers. */
    static float expStore(MemorySegment x, long xo, MemorySegment out, long oo, int len, float m) {
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector s0 = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= len; i += L) {
            FloatVector e = FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO).sub(vm).lanewise(VectorOperators.EXP);
            e.intoMemorySegment(out, (oo + i) * 4, NO);
            s0 = s0.add(e);
        }
        float s = s0.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float e = (float) Math.exp(x.getAtIndex(Elem.F32, xo + i) - m);
            out.setAtIndex(Elem.F32, oo + i, e);
            s += e;
        }
        return s;
    }

    /** out[oo + j] *= f. */
    static void scale(MemorySegment out, long oo, int len, float f) {
        FloatVector vf = FloatVector.broadcast(S, f);
        int i = 0;
        for (; i + L <= len; i += L) FloatVector.fromMemorySegment(S, out, (oo + i) * 4, NO).mul(vf).intoMemorySegment(out, (oo + i) * 4, NO);
        for (; i < len; i++) out.setAtIndex(Elem.F32, oo + i, out.getAtIndex(Elem.F32, oo + i) * f);
    }

    /** sum(exp(x[xo..xo+len) - m)) for a known finite max m. */
    static float sumExp(MemorySegment x, long xo, int len, float m) {
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        int i = 0;
        for (; i + 2 * L <= len; i += 2 * L) {
            s0 = s0.add(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO).sub(vm).lanewise(VectorOperators.EXP));
            s1 = s1.add(FloatVector.fromMemorySegment(S, x, (xo + i + L) * 4, NO).sub(vm).lanewise(VectorOperators.EXP));
        }
        for (; i + L <= len; i += L) s0 = s0.add(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO).sub(vm).lanewise(VectorOperators.EXP));
        float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) s += (float) Math.exp(x.getAtIndex(Elem.F32, xo + i) - m);
        return s;
    }

    /** out[oo + j] = op(prev[po + j], x[xo + j]): one step of a running op across rows. */
    static void stepRow(ReduceOp op, MemorySegment prev, long po, MemorySegment x, long xo, MemorySegment out, long oo, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        for (; i < ub; i += L) apply(op, FloatVector.fromMemorySegment(S, prev, (po + i) * 4, NO), FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO)).intoMemorySegment(out, (oo + i) * 4, NO);
        for (; i < len; i++) {
            out.setAtIndex(Elem.F32, oo + i, apply(op, prev.getAtIndex(Elem.F32, po + i), x.getAtIndex(Elem.F32, xo + i)));
        }
    }
}
