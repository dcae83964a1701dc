package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.mlx4j.core.primitive.BinaryOp;

/**
 * Vector API loops that make and use boolean masks: float32 comparisons writing bytes, and
 * {@code where} over 4-byte elements. These are the masks of relu, max and max-pooling gradients.
 * Loaded only when {@link Simd#ENABLED}; one loop per comparison, written out, so each vector
 * comparison is a constant at its call site (see {@link VecF32}).
 */
final class VecMask {
    private VecMask() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Bytes with one lane per float lane: the mask's storage. */
    private static final VectorSpecies<Byte> SB = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ByteVector ZERO_B = ByteVector.zero(SB);


    private static final FloatVector ZERO_F = FloatVector.zero(S), ONE_F = FloatVector.broadcast(S, 1f);


    /** Compares a float32 row into bool bytes; strides 1/1, 1/0 or 0/1, else false (the caller loops). */
    static boolean compare(BinaryOp op, MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment o, long oo, int len) {
        if (!((as == 1 && bs == 1) || (as == 1 && bs == 0) || (as == 0 && bs == 1))) return false;
        switch (op) {
            case EQUAL -> equal(a, ao, as, b, bo, bs, o, oo, len);
            case NOT_EQUAL -> notEqual(a, ao, as, b, bo, bs, o, oo, len);
            case LESS -> less(a, ao, as, b, bo, bs, o, oo, len);
            case LESS_EQUAL -> lessEqual(a, ao, as, b, bo, bs, o, oo, len);
            case GREATER -> greater(a, ao, as, b, bo, bs, o, oo, len);
            case GREATER_EQUAL -> greaterEqual(a, ao, as, b, bo, bs, o, oo, len);
            default -> { return false; }
        }
        return true;
    }

    private static void equal(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment o, long oo, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.EQ, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else if (bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.EQ, y)).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, x.compare(VectorOperators.EQ, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        }
        for (; i < len; i++) {
            o.set(ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) == b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0));
        }
    }

    private static void notEqual(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment o, long oo, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.NE, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else if (bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.NE, y)).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, x.compare(VectorOperators.NE, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        }
        for (; i < len; i++) {
            o.set(ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) != b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0));
        }
    }

    private static void less(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment o, long oo, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.LT, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else if (bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.LT, y)).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, x.compare(VectorOperators.LT, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        }
        for (; i < len; i++) {
            o.set(ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) < b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0));
        }
    }

    private static void lessEqual(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment o, long oo, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.LE, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else if (bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.LE, y)).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, x.compare(VectorOperators.LE, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        }
        for (; i < len; i++) {
            o.set(ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) <= b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0));
        }
    }

    private static void greater(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment o, long oo, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.GT, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else if (bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.GT, y)).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, x.compare(VectorOperators.GT, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        }
        for (; i < len; i++) {
            o.set(ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) > b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0));
        }
    }

    private static void greaterEqual(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment o, long oo, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.GE, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else if (bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).compare(VectorOperators.GE, y)).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        } else {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) ((ByteVector) ZERO_F.blend(ONE_F, x.compare(VectorOperators.GE, FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO))).convertShape(VectorOperators.F2B, SB, 0)).intoMemorySegment(o, oo + i, NO);
        }
        for (; i < len; i++) {
            o.set(ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) >= b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0));
        }
    }



    /**
     * {@code out = c ? x : y} over 4-byte elements (bit copies, so NaN payloads and int32 survive);
     * the condition dense, x and y dense or broadcast; else false. One loop per layout: vectors
     * merged across branches would not stay in registers.
     */
    static boolean where4(MemorySegment c, long co, long cs, MemorySegment x, long xo, long xs, MemorySegment y, long yo, long ys,
                          MemorySegment o, long oo, int len) {
        if (cs != 1 || xs > 1 || ys > 1) return false;
        int i = 0;
        int ub = SI.loopBound(len);
        if (xs == 1 && ys == 1) {
            for (; i < ub; i += L) IntVector.fromMemorySegment(SI, y, (yo + i) * 4, NO).blend(IntVector.fromMemorySegment(SI, x, (xo + i) * 4, NO), ((IntVector) ByteVector.fromMemorySegment(SB, c, co + i, NO).convertShape(VectorOperators.B2I, SI, 0)).compare(VectorOperators.NE, 0)).intoMemorySegment(o, (oo + i) * 4, NO);
        } else if (xs == 1) {
            IntVector yb = IntVector.broadcast(SI, y.getAtIndex(Elem.I32, yo));
            for (; i < ub; i += L) yb.blend(IntVector.fromMemorySegment(SI, x, (xo + i) * 4, NO), ((IntVector) ByteVector.fromMemorySegment(SB, c, co + i, NO).convertShape(VectorOperators.B2I, SI, 0)).compare(VectorOperators.NE, 0)).intoMemorySegment(o, (oo + i) * 4, NO);
        } else if (ys == 1) {
            IntVector xb = IntVector.broadcast(SI, x.getAtIndex(Elem.I32, xo));
            for (; i < ub; i += L) IntVector.fromMemorySegment(SI, y, (yo + i) * 4, NO).blend(xb, ((IntVector) ByteVector.fromMemorySegment(SB, c, co + i, NO).convertShape(VectorOperators.B2I, SI, 0)).compare(VectorOperators.NE, 0)).intoMemorySegment(o, (oo + i) * 4, NO);
        } else {
            IntVector xb = IntVector.broadcast(SI, x.getAtIndex(Elem.I32, xo)), yb = IntVector.broadcast(SI, y.getAtIndex(Elem.I32, yo));
            for (; i < ub; i += L) yb.blend(xb, ((IntVector) ByteVector.fromMemorySegment(SB, c, co + i, NO).convertShape(VectorOperators.B2I, SI, 0)).compare(VectorOperators.NE, 0)).intoMemorySegment(o, (oo + i) * 4, NO);
        }
        for (; i < len; i++) {
            boolean pick = c.get(ValueLayout.JAVA_BYTE, co + i) != 0;
            o.setAtIndex(Elem.I32, oo + i, pick ? x.getAtIndex(Elem.I32, xo + i * xs) : y.getAtIndex(Elem.I32, yo + i * ys));
        }
        return true;
    }
}
