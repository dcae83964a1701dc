package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API half of {@link Gemm}: MR x 2L register-tile micro-kernels (L = lanes of the preferred
 * species; FMA accumulators fed by one broadcast of A and two vectors of B per k step), packing that
 * moves whole vectors (row-major B, transposed A) or transposes blocks in registers (row-major A,
 * transposed B), tile stores, and the dot/axpy loops of matrix-vector shapes. Loaded only when
 * {@link Simd#ENABLED}. {@code -Dmlx4j.gemm.bits=256} forces 256-bit vectors, {@code -Dmlx4j.gemm.mr}
 * the tile rows (4, 6 or 8), for measurements.
 */
final class GemmVec {
    private static final int BITS = Integer.getInteger("mlx4j.gemm.bits", FloatVector.SPECIES_PREFERRED.vectorBitSize());
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED.vectorBitSize() == BITS ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_256;
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED.vectorBitSize() == BITS ? DoubleVector.SPECIES_PREFERRED : DoubleVector.SPECIES_256;
    static final int FL = FS.length(), DL = DS.length();
    /** Exactly 8 floats and 4 doubles: the rows of a transposed A panel, moved without masks. */
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    /**
     * Rows of the main tile, measured on this Zen 5 machine. 512-bit vectors (AVX-512, 32 registers):
     * 8 x 2L, 16 accumulators, ran fastest (4 and 6 rows slower; 12 rows could not be compiled by C1 at
     * tier 3 and stayed in slow tier-2 code for good). Narrower vectors (emulated AVX2 with
     * -XX:UseAVX=2, 16 registers): 6 x 2L ran about 1.5x faster than 4 x 2L, and 8 rows no faster.
     */
    private static final int MR = Integer.getInteger("mlx4j.gemm.mr", FS.vectorBitSize() >= 512 ? 8 : 6);
    private static final Gemm.Impl F32_SMALL = new F32x4(), F64_SMALL = new F64x4();
    private static final Gemm.Impl F32_BIG = switch (MR) { case 4 -> F32_SMALL; case 6 -> new F32x6(); default -> new F32x8(); };
    private static final Gemm.Impl F64_BIG = switch (MR) { case 4 -> F64_SMALL; case 6 -> new F64x6(); default -> new F64x8(); };

    /**
     * Index vectors for the two halves of a lane-wise zip of two vectors (x0, y0, x1, y1, ...); log2(R)
     * rounds of zips transpose R rows of L lanes (each round rotates the row/lane index bits by one).
     */
    private static final FloatVector FZLO = zipIndex(FS, 0), FZHI = zipIndex(FS, FL / 2);
    private static final DoubleVector DZLO = DoubleVector.fromArray(DS, zipIndexD(DL, 0), 0), DZHI = DoubleVector.fromArray(DS, zipIndexD(DL, DL / 2), 0);

    private GemmVec() {}

    private static FloatVector zipIndex(VectorSpecies<Float> s, int from) {
        double[] d = zipIndexD(s.length(), from);
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) d[i];
        return FloatVector.fromArray(s, f, 0);
    }

    private static double[] zipIndexD(int lanes, int from) {
        double[] r = new double[lanes];
        for (int i = 0; i < lanes; i++) r[i] = (i % 2 == 0 ? 0 : lanes) + from + i / 2;
        return r;
    }

    private static boolean transposable(int rows) { return rows == 4 || rows == 8 || rows == 16; }

    private static void ftr(int rows, MemorySegment s, long so, long ss, MemorySegment d, long dO, long ds) {
        switch (rows) {
            case 4 -> ftr4(s, so, ss, d, dO, ds);
            case 8 -> ftr8(s, so, ss, d, dO, ds);
            default -> ftr16(s, so, ss, d, dO, ds);
        }
    }

    private static void dtr(int rows, MemorySegment s, long so, long ss, MemorySegment d, long dO, long ds) {
        if (rows == 4) dtr4(s, so, ss, d, dO, ds);
        else dtr8(s, so, ss, d, dO, ds);
    }

    /** Transposes 4 source rows of one vector each (row stride {@code ss} bytes) into 4 vectors stored {@code ds} bytes apart. */
    private static void ftr4(MemorySegment s, long so, long ss, MemorySegment d, long dO, long ds) {
        FloatVector v0 = FloatVector.fromMemorySegment(FS, s, so + 0 * ss, NO);
        FloatVector v1 = FloatVector.fromMemorySegment(FS, s, so + 1 * ss, NO);
        FloatVector v2 = FloatVector.fromMemorySegment(FS, s, so + 2 * ss, NO);
        FloatVector v3 = FloatVector.fromMemorySegment(FS, s, so + 3 * ss, NO);
        for (int stage = 0; stage < 2; stage++) {
            FloatVector n0 = FZLO.selectFrom(v0, v2), n1 = FZHI.selectFrom(v0, v2);
            FloatVector n2 = FZLO.selectFrom(v1, v3), n3 = FZHI.selectFrom(v1, v3);
            v0 = n0; v1 = n1; v2 = n2; v3 = n3;
        }
        v0.intoMemorySegment(d, dO + 0 * ds, NO);
        v1.intoMemorySegment(d, dO + 1 * ds, NO);
        v2.intoMemorySegment(d, dO + 2 * ds, NO);
        v3.intoMemorySegment(d, dO + 3 * ds, NO);
    }

    /** Transposes 8 source rows of one vector each (row stride {@code ss} bytes) into 8 vectors stored {@code ds} bytes apart. */
    private static void ftr8(MemorySegment s, long so, long ss, MemorySegment d, long dO, long ds) {
        FloatVector v0 = FloatVector.fromMemorySegment(FS, s, so + 0 * ss, NO);
        FloatVector v1 = FloatVector.fromMemorySegment(FS, s, so + 1 * ss, NO);
        FloatVector v2 = FloatVector.fromMemorySegment(FS, s, so + 2 * ss, NO);
        FloatVector v3 = FloatVector.fromMemorySegment(FS, s, so + 3 * ss, NO);
        FloatVector v4 = FloatVector.fromMemorySegment(FS, s, so + 4 * ss, NO);
        FloatVector v5 = FloatVector.fromMemorySegment(FS, s, so + 5 * ss, NO);
        FloatVector v6 = FloatVector.fromMemorySegment(FS, s, so + 6 * ss, NO);
        FloatVector v7 = FloatVector.fromMemorySegment(FS, s, so + 7 * ss, NO);
        for (int stage = 0; stage < 3; stage++) {
            FloatVector n0 = FZLO.selectFrom(v0, v4), n1 = FZHI.selectFrom(v0, v4);
            FloatVector n2 = FZLO.selectFrom(v1, v5), n3 = FZHI.selectFrom(v1, v5);
            FloatVector n4 = FZLO.selectFrom(v2, v6), n5 = FZHI.selectFrom(v2, v6);
            FloatVector n6 = FZLO.selectFrom(v3, v7), n7 = FZHI.selectFrom(v3, v7);
            v0 = n0; v1 = n1; v2 = n2; v3 = n3; v4 = n4; v5 = n5; v6 = n6; v7 = n7;
        }
        v0.intoMemorySegment(d, dO + 0 * ds, NO);
        v1.intoMemorySegment(d, dO + 1 * ds, NO);
        v2.intoMemorySegment(d, dO + 2 * ds, NO);
        v3.intoMemorySegment(d, dO + 3 * ds, NO);
        v4.intoMemorySegment(d, dO + 4 * ds, NO);
        v5.intoMemorySegment(d, dO + 5 * ds, NO);
        v6.intoMemorySegment(d, dO + 6 * ds, NO);
        v7.intoMemorySegment(d, dO + 7 * ds, NO);
    }

    /**
     * An 8-row A panel straight from 8 scattered rows: {@code len} elements (a multiple of the lane
     * count) of row i from byte offset {@code off[i]} of {@code s}, or zeros where that is negative,
     * go transposed to {@code d[dO..]} (element (i, p) at {@code dO + (p*8 + i)*4} bytes). Lets a
     * convolution pack its patches without writing them out first.
     */
    static void packRows8(MemorySegment s, long[] off, int from, int len, MemorySegment d, long dO) {
        long o0 = off[from], o1 = off[from + 1], o2 = off[from + 2], o3 = off[from + 3];
        long o4 = off[from + 4], o5 = off[from + 5], o6 = off[from + 6], o7 = off[from + 7];
        FloatVector z = FloatVector.zero(FS);
        for (int p = 0; p < len; p += FL, dO += 8L * FL * 4) {
            long b = p * 4L;
            FloatVector v0 = o0 < 0 ? z : FloatVector.fromMemorySegment(FS, s, o0 + b, NO);
            FloatVector v1 = o1 < 0 ? z : FloatVector.fromMemorySegment(FS, s, o1 + b, NO);
            FloatVector v2 = o2 < 0 ? z : FloatVector.fromMemorySegment(FS, s, o2 + b, NO);
            FloatVector v3 = o3 < 0 ? z : FloatVector.fromMemorySegment(FS, s, o3 + b, NO);
            FloatVector v4 = o4 < 0 ? z : FloatVector.fromMemorySegment(FS, s, o4 + b, NO);
            FloatVector v5 = o5 < 0 ? z : FloatVector.fromMemorySegment(FS, s, o5 + b, NO);
            FloatVector v6 = o6 < 0 ? z : FloatVector.fromMemorySegment(FS, s, o6 + b, NO);
            FloatVector v7 = o7 < 0 ? z : FloatVector.fromMemorySegment(FS, s, o7 + b, NO);
            for (int stage = 0; stage < 3; stage++) {
                FloatVector n0 = FZLO.selectFrom(v0, v4), n1 = FZHI.selectFrom(v0, v4);
                FloatVector n2 = FZLO.selectFrom(v1, v5), n3 = FZHI.selectFrom(v1, v5);
                FloatVector n4 = FZLO.selectFrom(v2, v6), n5 = FZHI.selectFrom(v2, v6);
                FloatVector n6 = FZLO.selectFrom(v3, v7), n7 = FZHI.selectFrom(v3, v7);
                v0 = n0; v1 = n1; v2 = n2; v3 = n3; v4 = n4; v5 = n5; v6 = n6; v7 = n7;
            }
            v0.intoMemorySegment(d, dO + 0L * FL * 4, NO);
            v1.intoMemorySegment(d, dO + 1L * FL * 4, NO);
            v2.intoMemorySegment(d, dO + 2L * FL * 4, NO);
            v3.intoMemorySegment(d, dO + 3L * FL * 4, NO);
            v4.intoMemorySegment(d, dO + 4L * FL * 4, NO);
            v5.intoMemorySegment(d, dO + 5L * FL * 4, NO);
            v6.intoMemorySegment(d, dO + 6L * FL * 4, NO);
            v7.intoMemorySegment(d, dO + 7L * FL * 4, NO);
        }
    }

    /** Transposes 16 source rows of one vector each (row stride {@code ss} bytes) into 16 vectors stored {@code ds} bytes apart. */
    private static void ftr16(MemorySegment s, long so, long ss, MemorySegment d, long dO, long ds) {
        FloatVector v0 = FloatVector.fromMemorySegment(FS, s, so + 0 * ss, NO);
        FloatVector v1 = FloatVector.fromMemorySegment(FS, s, so + 1 * ss, NO);
        FloatVector v2 = FloatVector.fromMemorySegment(FS, s, so + 2 * ss, NO);
        FloatVector v3 = FloatVector.fromMemorySegment(FS, s, so + 3 * ss, NO);
        FloatVector v4 = FloatVector.fromMemorySegment(FS, s, so + 4 * ss, NO);
        FloatVector v5 = FloatVector.fromMemorySegment(FS, s, so + 5 * ss, NO);
        FloatVector v6 = FloatVector.fromMemorySegment(FS, s, so + 6 * ss, NO);
        FloatVector v7 = FloatVector.fromMemorySegment(FS, s, so + 7 * ss, NO);
        FloatVector v8 = FloatVector.fromMemorySegment(FS, s, so + 8 * ss, NO);
        FloatVector v9 = FloatVector.fromMemorySegment(FS, s, so + 9 * ss, NO);
        FloatVector v10 = FloatVector.fromMemorySegment(FS, s, so + 10 * ss, NO);
        FloatVector v11 = FloatVector.fromMemorySegment(FS, s, so + 11 * ss, NO);
        FloatVector v12 = FloatVector.fromMemorySegment(FS, s, so + 12 * ss, NO);
        FloatVector v13 = FloatVector.fromMemorySegment(FS, s, so + 13 * ss, NO);
        FloatVector v14 = FloatVector.fromMemorySegment(FS, s, so + 14 * ss, NO);
        FloatVector v15 = FloatVector.fromMemorySegment(FS, s, so + 15 * ss, NO);
        for (int stage = 0; stage < 4; stage++) {
            FloatVector n0 = FZLO.selectFrom(v0, v8), n1 = FZHI.selectFrom(v0, v8);
            FloatVector n2 = FZLO.selectFrom(v1, v9), n3 = FZHI.selectFrom(v1, v9);
            FloatVector n4 = FZLO.selectFrom(v2, v10), n5 = FZHI.selectFrom(v2, v10);
            FloatVector n6 = FZLO.selectFrom(v3, v11), n7 = FZHI.selectFrom(v3, v11);
            FloatVector n8 = FZLO.selectFrom(v4, v12), n9 = FZHI.selectFrom(v4, v12);
            FloatVector n10 = FZLO.selectFrom(v5, v13), n11 = FZHI.selectFrom(v5, v13);
            FloatVector n12 = FZLO.selectFrom(v6, v14), n13 = FZHI.selectFrom(v6, v14);
            FloatVector n14 = FZLO.selectFrom(v7, v15), n15 = FZHI.selectFrom(v7, v15);
            v0 = n0; v1 = n1; v2 = n2; v3 = n3; v4 = n4; v5 = n5; v6 = n6; v7 = n7; v8 = n8; v9 = n9; v10 = n10; v11 = n11; v12 = n12; v13 = n13; v14 = n14; v15 = n15;
        }
        v0.intoMemorySegment(d, dO + 0 * ds, NO);
        v1.intoMemorySegment(d, dO + 1 * ds, NO);
        v2.intoMemorySegment(d, dO + 2 * ds, NO);
        v3.intoMemorySegment(d, dO + 3 * ds, NO);
        v4.intoMemorySegment(d, dO + 4 * ds, NO);
        v5.intoMemorySegment(d, dO + 5 * ds, NO);
        v6.intoMemorySegment(d, dO + 6 * ds, NO);
        v7.intoMemorySegment(d, dO + 7 * ds, NO);
        v8.intoMemorySegment(d, dO + 8 * ds, NO);
        v9.intoMemorySegment(d, dO + 9 * ds, NO);
        v10.intoMemorySegment(d, dO + 10 * ds, NO);
        v11.intoMemorySegment(d, dO + 11 * ds, NO);
        v12.intoMemorySegment(d, dO + 12 * ds, NO);
        v13.intoMemorySegment(d, dO + 13 * ds, NO);
        v14.intoMemorySegment(d, dO + 14 * ds, NO);
        v15.intoMemorySegment(d, dO + 15 * ds, NO);
    }

    /** Transposes 4 source rows of one vector each (row stride {@code ss} bytes) into 4 vectors stored {@code ds} bytes apart. */
    private static void dtr4(MemorySegment s, long so, long ss, MemorySegment d, long dO, long ds) {
        DoubleVector v0 = DoubleVector.fromMemorySegment(DS, s, so + 0 * ss, NO);
        DoubleVector v1 = DoubleVector.fromMemorySegment(DS, s, so + 1 * ss, NO);
        DoubleVector v2 = DoubleVector.fromMemorySegment(DS, s, so + 2 * ss, NO);
        DoubleVector v3 = DoubleVector.fromMemorySegment(DS, s, so + 3 * ss, NO);
        for (int stage = 0; stage < 2; stage++) {
            DoubleVector n0 = DZLO.selectFrom(v0, v2), n1 = DZHI.selectFrom(v0, v2);
            DoubleVector n2 = DZLO.selectFrom(v1, v3), n3 = DZHI.selectFrom(v1, v3);
            v0 = n0; v1 = n1; v2 = n2; v3 = n3;
        }
        v0.intoMemorySegment(d, dO + 0 * ds, NO);
        v1.intoMemorySegment(d, dO + 1 * ds, NO);
        v2.intoMemorySegment(d, dO + 2 * ds, NO);
        v3.intoMemorySegment(d, dO + 3 * ds, NO);
    }

    /** Transposes 8 source rows of one vector each (row stride {@code ss} bytes) into 8 vectors stored {@code ds} bytes apart. */
    private static void dtr8(MemorySegment s, long so, long ss, MemorySegment d, long dO, long ds) {
        DoubleVector v0 = DoubleVector.fromMemorySegment(DS, s, so + 0 * ss, NO);
        DoubleVector v1 = DoubleVector.fromMemorySegment(DS, s, so + 1 * ss, NO);
        DoubleVector v2 = DoubleVector.fromMemorySegment(DS, s, so + 2 * ss, NO);
        DoubleVector v3 = DoubleVector.fromMemorySegment(DS, s, so + 3 * ss, NO);
        DoubleVector v4 = DoubleVector.fromMemorySegment(DS, s, so + 4 * ss, NO);
        DoubleVector v5 = DoubleVector.fromMemorySegment(DS, s, so + 5 * ss, NO);
        DoubleVector v6 = DoubleVector.fromMemorySegment(DS, s, so + 6 * ss, NO);
        DoubleVector v7 = DoubleVector.fromMemorySegment(DS, s, so + 7 * ss, NO);
        for (int stage = 0; stage < 3; stage++) {
            DoubleVector n0 = DZLO.selectFrom(v0, v4), n1 = DZHI.selectFrom(v0, v4);
            DoubleVector n2 = DZLO.selectFrom(v1, v5), n3 = DZHI.selectFrom(v1, v5);
            DoubleVector n4 = DZLO.selectFrom(v2, v6), n5 = DZHI.selectFrom(v2, v6);
            DoubleVector n6 = DZLO.selectFrom(v3, v7), n7 = DZHI.selectFrom(v3, v7);
            v0 = n0; v1 = n1; v2 = n2; v3 = n3; v4 = n4; v5 = n5; v6 = n6; v7 = n7;
        }
        v0.intoMemorySegment(d, dO + 0 * ds, NO);
        v1.intoMemorySegment(d, dO + 1 * ds, NO);
        v2.intoMemorySegment(d, dO + 2 * ds, NO);
        v3.intoMemorySegment(d, dO + 3 * ds, NO);
        v4.intoMemorySegment(d, dO + 4 * ds, NO);
        v5.intoMemorySegment(d, dO + 5 * ds, NO);
        v6.intoMemorySegment(d, dO + 6 * ds, NO);
        v7.intoMemorySegment(d, dO + 7 * ds, NO);
    }


    static Gemm.Impl f32(int m) { return m < F32_BIG.mr ? F32_SMALL : F32_BIG; }

    static Gemm.Impl f64(int m) { return m < F64_BIG.mr ? F64_SMALL : F64_BIG; }

    static String describe() { return "Vector API " + FS.vectorBitSize() + "-bit FMA"; }

    /** Vector API packing and tile store for float32. */
    abstract static class VF32 extends Gemm.F32Impl {
        private final VectorMask<Float> rowMask;

        VF32(int mr, int nr) {
            super(mr, nr);
            rowMask = mr <= FL ? FS.indexInRange(0, mr) : null;
        }

        @Override void packAPanel(MemorySegment a, long ao, long ars, long acs, int rows, int kc, MemorySegment ap, long d) {
            if (rows == mr && acs == 1 && transposable(mr)) {
                // row-major A: transpose L columns of the MR rows at a time
                int p = 0;
                for (; p + FL <= kc; p += FL) ftr(mr, a, (ao + p) * 4, ars * 4, ap, (d + (long) p * mr) * 4, FL * 4L);
                for (; p < kc; p++) {
                    for (int r = 0; r < mr; r++) ap.setAtIndex(Elem.F32, d + (long) p * mr + r, a.getAtIndex(Elem.F32, ao + r * ars + p));
                }
            } else if (rows == 8 && mr == 8 && ars == 1 && FL >= 8) {
                // transposed A: each k step is MR contiguous elements, one plain 256-bit vector (a masked
                // access of a wider one checks its mask and runs several times slower)
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromMemorySegment(F8, a, (ao + p * acs) * 4, NO).intoMemorySegment(ap, (d + (long) p * 8) * 4, NO);
                }
            } else if (rows == mr && ars == 1 && rowMask != null) {
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromMemorySegment(FS, a, (ao + p * acs) * 4, NO, rowMask).intoMemorySegment(ap, (d + (long) p * mr) * 4, NO, rowMask);
                }
            } else {
                super.packAPanel(a, ao, ars, acs, rows, kc, ap, d);
            }
        }

        @Override void packBPanel(MemorySegment b, long bo, long brs, long bcs, int kc, int cols, MemorySegment bp, long d) {
            if (cols == nr && bcs == 1) {
                for (int p = 0; p < kc; p++) {
                    long src = (bo + p * brs) * 4, dst = (d + (long) p * nr) * 4;
                    for (int j = 0; j < nr; j += FL) FloatVector.fromMemorySegment(FS, b, src + j * 4L, NO).intoMemorySegment(bp, dst + j * 4L, NO);
                }
            } else if (cols == nr && brs == 1 && transposable(FL)) {
                // transposed B: square L x L transposes
                int p = 0;
                for (; p + FL <= kc; p += FL) {
                    for (int h = 0; h < nr; h += FL) ftr(FL, b, (bo + h * bcs + p) * 4, bcs * 4, bp, (d + (long) p * nr + h) * 4, nr * 4L);
                }
                for (; p < kc; p++) {
                    for (int j = 0; j < nr; j++) bp.setAtIndex(Elem.F32, d + (long) p * nr + j, b.getAtIndex(Elem.F32, bo + j * bcs + p));
                }
            } else {
                super.packBPanel(b, bo, brs, bcs, kc, cols, bp, d);
            }
        }

        @Override void dot(int k, MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment c, long ci) {
            if (as != 1 || bs != 1) {
                super.dot(k, a, ao, as, b, bo, bs, c, ci);
                return;
            }
            FloatVector s0 = FloatVector.zero(FS), s1 = FloatVector.zero(FS), s2 = FloatVector.zero(FS), s3 = FloatVector.zero(FS);
            long x = ao * 4, y = bo * 4;
            int p = 0;
            for (; p + 4 * FL <= k; p += 4 * FL, x += 4L * FL * 4, y += 4L * FL * 4) {
                s0 = FloatVector.fromMemorySegment(FS, a, x, NO).fma(FloatVector.fromMemorySegment(FS, b, y, NO), s0);
                s1 = FloatVector.fromMemorySegment(FS, a, x + FL * 4, NO).fma(FloatVector.fromMemorySegment(FS, b, y + FL * 4, NO), s1);
                s2 = FloatVector.fromMemorySegment(FS, a, x + 2L * FL * 4, NO).fma(FloatVector.fromMemorySegment(FS, b, y + 2L * FL * 4, NO), s2);
                s3 = FloatVector.fromMemorySegment(FS, a, x + 3L * FL * 4, NO).fma(FloatVector.fromMemorySegment(FS, b, y + 3L * FL * 4, NO), s3);
            }
            for (; p + FL <= k; p += FL, x += FL * 4, y += FL * 4) {
                s0 = FloatVector.fromMemorySegment(FS, a, x, NO).fma(FloatVector.fromMemorySegment(FS, b, y, NO), s0);
            }
            float acc = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
            for (; p < k; p++) acc += a.getAtIndex(Elem.F32, ao + p) * b.getAtIndex(Elem.F32, bo + p);
            c.setAtIndex(Elem.F32, ci, acc);
        }

        @Override void axpy(int len, MemorySegment x, long xi, MemorySegment r, long ro, MemorySegment c, long co) {
            float xv = x.getAtIndex(Elem.F32, xi);
            FloatVector v = FloatVector.broadcast(FS, xv);
            int j = 0;
            for (int ub = FS.loopBound(len); j < ub; j += FL) {
                long cj = (co + j) * 4;
                v.fma(FloatVector.fromMemorySegment(FS, r, (ro + j) * 4, NO), FloatVector.fromMemorySegment(FS, c, cj, NO)).intoMemorySegment(c, cj, NO);
            }
            for (; j < len; j++) c.setAtIndex(Elem.F32, co + j, c.getAtIndex(Elem.F32, co + j) + xv * r.getAtIndex(Elem.F32, ro + j));
        }

        @Override void storeTile(MemorySegment t, long to, MemorySegment c, long co, long ldc, int rows, int cols, boolean acc) {
            int vb = FS.loopBound(cols);
            for (int r = 0; r < rows; r++) {
                long src = (to + (long) r * nr) * 4, dst = (co + r * ldc) * 4;
                int j = 0;
                for (; j < vb; j += FL) {
                    FloatVector v = FloatVector.fromMemorySegment(FS, t, src + j * 4L, NO);
                    if (acc) v = v.add(FloatVector.fromMemorySegment(FS, c, dst + j * 4L, NO));
                    v.intoMemorySegment(c, dst + j * 4L, NO);
                }
                for (; j < cols; j++) {
                    float v = t.get(Elem.F32, src + j * 4L);
                    c.set(Elem.F32, dst + j * 4L, acc ? c.get(Elem.F32, dst + j * 4L) + v : v);
                }
            }
        }
    }

    /** Vector API packing and tile store for float64. */
    abstract static class VF64 extends Gemm.F64Impl {
        private final VectorMask<Double> rowMask;

        VF64(int mr, int nr) {
            super(mr, nr);
            rowMask = mr <= DL ? DS.indexInRange(0, mr) : null;
        }

        @Override void packAPanel(MemorySegment a, long ao, long ars, long acs, int rows, int kc, MemorySegment ap, long d) {
            if (rows == mr && acs == 1 && (mr == 4 || mr == 8)) {
                int p = 0;
                for (; p + DL <= kc; p += DL) dtr(mr, a, (ao + p) * 8, ars * 8, ap, (d + (long) p * mr) * 8, DL * 8L);
                for (; p < kc; p++) {
                    for (int r = 0; r < mr; r++) ap.setAtIndex(Elem.F64, d + (long) p * mr + r, a.getAtIndex(Elem.F64, ao + r * ars + p));
                }
            } else if (rows == 8 && mr == 8 && ars == 1 && DL == 8) {
                for (int p = 0; p < kc; p++) {
                    DoubleVector.fromMemorySegment(DS, a, (ao + p * acs) * 8, NO).intoMemorySegment(ap, (d + (long) p * 8) * 8, NO);
                }
            } else if (rows == 4 && mr == 4 && ars == 1 && DL >= 4) {
                for (int p = 0; p < kc; p++) {
                    DoubleVector.fromMemorySegment(D4, a, (ao + p * acs) * 8, NO).intoMemorySegment(ap, (d + (long) p * 4) * 8, NO);
                }
            } else if (rows == mr && ars == 1 && rowMask != null) {
                for (int p = 0; p < kc; p++) {
                    DoubleVector.fromMemorySegment(DS, a, (ao + p * acs) * 8, NO, rowMask).intoMemorySegment(ap, (d + (long) p * mr) * 8, NO, rowMask);
                }
            } else {
                super.packAPanel(a, ao, ars, acs, rows, kc, ap, d);
            }
        }

        @Override void packBPanel(MemorySegment b, long bo, long brs, long bcs, int kc, int cols, MemorySegment bp, long d) {
            if (cols == nr && bcs == 1) {
                for (int p = 0; p < kc; p++) {
                    long src = (bo + p * brs) * 8, dst = (d + (long) p * nr) * 8;
                    for (int j = 0; j < nr; j += DL) DoubleVector.fromMemorySegment(DS, b, src + j * 8L, NO).intoMemorySegment(bp, dst + j * 8L, NO);
                }
            } else if (cols == nr && brs == 1 && (DL == 4 || DL == 8)) {
                int p = 0;
                for (; p + DL <= kc; p += DL) {
                    for (int h = 0; h < nr; h += DL) dtr(DL, b, (bo + h * bcs + p) * 8, bcs * 8, bp, (d + (long) p * nr + h) * 8, nr * 8L);
                }
                for (; p < kc; p++) {
                    for (int j = 0; j < nr; j++) bp.setAtIndex(Elem.F64, d + (long) p * nr + j, b.getAtIndex(Elem.F64, bo + j * bcs + p));
                }
            } else {
                super.packBPanel(b, bo, brs, bcs, kc, cols, bp, d);
            }
        }

        @Override void dot(int k, MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment c, long ci) {
            if (as != 1 || bs != 1) {
                super.dot(k, a, ao, as, b, bo, bs, c, ci);
                return;
            }
            DoubleVector s0 = DoubleVector.zero(DS), s1 = DoubleVector.zero(DS), s2 = DoubleVector.zero(DS), s3 = DoubleVector.zero(DS);
            long x = ao * 8, y = bo * 8;
            int p = 0;
            for (; p + 4 * DL <= k; p += 4 * DL, x += 4L * DL * 8, y += 4L * DL * 8) {
                s0 = DoubleVector.fromMemorySegment(DS, a, x, NO).fma(DoubleVector.fromMemorySegment(DS, b, y, NO), s0);
                s1 = DoubleVector.fromMemorySegment(DS, a, x + DL * 8, NO).fma(DoubleVector.fromMemorySegment(DS, b, y + DL * 8, NO), s1);
                s2 = DoubleVector.fromMemorySegment(DS, a, x + 2L * DL * 8, NO).fma(DoubleVector.fromMemorySegment(DS, b, y + 2L * DL * 8, NO), s2);
                s3 = DoubleVector.fromMemorySegment(DS, a, x + 3L * DL * 8, NO).fma(DoubleVector.fromMemorySegment(DS, b, y + 3L * DL * 8, NO), s3);
            }
            for (; p + DL <= k; p += DL, x += DL * 8, y += DL * 8) {
                s0 = DoubleVector.fromMemorySegment(DS, a, x, NO).fma(DoubleVector.fromMemorySegment(DS, b, y, NO), s0);
            }
            double acc = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
            for (; p < k; p++) acc += a.getAtIndex(Elem.F64, ao + p) * b.getAtIndex(Elem.F64, bo + p);
            c.setAtIndex(Elem.F64, ci, acc);
        }

        @Override void axpy(int len, MemorySegment x, long xi, MemorySegment r, long ro, MemorySegment c, long co) {
            double xv = x.getAtIndex(Elem.F64, xi);
            DoubleVector v = DoubleVector.broadcast(DS, xv);
            int j = 0;
            for (int ub = DS.loopBound(len); j < ub; j += DL) {
                long cj = (co + j) * 8;
                v.fma(DoubleVector.fromMemorySegment(DS, r, (ro + j) * 8, NO), DoubleVector.fromMemorySegment(DS, c, cj, NO)).intoMemorySegment(c, cj, NO);
            }
            for (; j < len; j++) c.setAtIndex(Elem.F64, co + j, c.getAtIndex(Elem.F64, co + j) + xv * r.getAtIndex(Elem.F64, ro + j));
        }

        @Override void storeTile(MemorySegment t, long to, MemorySegment c, long co, long ldc, int rows, int cols, boolean acc) {
            int vb = DS.loopBound(cols);
            for (int r = 0; r < rows; r++) {
                long src = (to + (long) r * nr) * 8, dst = (co + r * ldc) * 8;
                int j = 0;
                for (; j < vb; j += DL) {
                    DoubleVector v = DoubleVector.fromMemorySegment(DS, t, src + j * 8L, NO);
                    if (acc) v = v.add(DoubleVector.fromMemorySegment(DS, c, dst + j * 8L, NO));
                    v.intoMemorySegment(c, dst + j * 8L, NO);
                }
                for (; j < cols; j++) {
                    double v = t.get(Elem.F64, src + j * 8L);
                    c.set(Elem.F64, dst + j * 8L, acc ? c.get(Elem.F64, dst + j * 8L) + v : v);
                }
            }
        }
    }

    /** 4 x 2L register tile (8 accumulators). */
    static final class F32x4 extends VF32 {
        F32x4() { super(4, 2 * FL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment t, long to) {
            FloatVector c00 = FloatVector.zero(FS); FloatVector c01 = FloatVector.zero(FS);
            FloatVector c10 = FloatVector.zero(FS); FloatVector c11 = FloatVector.zero(FS);
            FloatVector c20 = FloatVector.zero(FS); FloatVector c21 = FloatVector.zero(FS);
            FloatVector c30 = FloatVector.zero(FS); FloatVector c31 = FloatVector.zero(FS);
            long ab = ao * 4, bb = bo * 4;
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromMemorySegment(FS, b, bb + 0L * FL * 4, NO);
                FloatVector b1 = FloatVector.fromMemorySegment(FS, b, bb + 1L * FL * 4, NO);
                FloatVector a0 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 0));
                c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
                FloatVector a1 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 4));
                c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
                FloatVector a2 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 8));
                c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
                FloatVector a3 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 12));
                c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
                ab += 16;
                bb += 2L * FL * 4;
            }
            long r = to * 4;
            c00.intoMemorySegment(t, r + 0L * FL * 4, NO); c01.intoMemorySegment(t, r + 1L * FL * 4, NO);
            c10.intoMemorySegment(t, r + 2L * FL * 4, NO); c11.intoMemorySegment(t, r + 3L * FL * 4, NO);
            c20.intoMemorySegment(t, r + 4L * FL * 4, NO); c21.intoMemorySegment(t, r + 5L * FL * 4, NO);
            c30.intoMemorySegment(t, r + 6L * FL * 4, NO); c31.intoMemorySegment(t, r + 7L * FL * 4, NO);
        }
    }

    /** 6 x 2L register tile (12 accumulators). */
    static final class F32x6 extends VF32 {
        F32x6() { super(6, 2 * FL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment t, long to) {
            FloatVector c00 = FloatVector.zero(FS); FloatVector c01 = FloatVector.zero(FS);
            FloatVector c10 = FloatVector.zero(FS); FloatVector c11 = FloatVector.zero(FS);
            FloatVector c20 = FloatVector.zero(FS); FloatVector c21 = FloatVector.zero(FS);
            FloatVector c30 = FloatVector.zero(FS); FloatVector c31 = FloatVector.zero(FS);
            FloatVector c40 = FloatVector.zero(FS); FloatVector c41 = FloatVector.zero(FS);
            FloatVector c50 = FloatVector.zero(FS); FloatVector c51 = FloatVector.zero(FS);
            long ab = ao * 4, bb = bo * 4;
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromMemorySegment(FS, b, bb + 0L * FL * 4, NO);
                FloatVector b1 = FloatVector.fromMemorySegment(FS, b, bb + 1L * FL * 4, NO);
                FloatVector a0 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 0));
                c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
                FloatVector a1 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 4));
                c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
                FloatVector a2 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 8));
                c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
                FloatVector a3 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 12));
                c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
                FloatVector a4 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 16));
                c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
                FloatVector a5 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 20));
                c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
                ab += 24;
                bb += 2L * FL * 4;
            }
            long r = to * 4;
            c00.intoMemorySegment(t, r + 0L * FL * 4, NO); c01.intoMemorySegment(t, r + 1L * FL * 4, NO);
            c10.intoMemorySegment(t, r + 2L * FL * 4, NO); c11.intoMemorySegment(t, r + 3L * FL * 4, NO);
            c20.intoMemorySegment(t, r + 4L * FL * 4, NO); c21.intoMemorySegment(t, r + 5L * FL * 4, NO);
            c30.intoMemorySegment(t, r + 6L * FL * 4, NO); c31.intoMemorySegment(t, r + 7L * FL * 4, NO);
            c40.intoMemorySegment(t, r + 8L * FL * 4, NO); c41.intoMemorySegment(t, r + 9L * FL * 4, NO);
            c50.intoMemorySegment(t, r + 10L * FL * 4, NO); c51.intoMemorySegment(t, r + 11L * FL * 4, NO);
        }
    }

    /** 8 x 2L register tile (16 accumulators). */
    static final class F32x8 extends VF32 {
        F32x8() { super(8, 2 * FL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment t, long to) {
            FloatVector c00 = FloatVector.zero(FS); FloatVector c01 = FloatVector.zero(FS);
            FloatVector c10 = FloatVector.zero(FS); FloatVector c11 = FloatVector.zero(FS);
            FloatVector c20 = FloatVector.zero(FS); FloatVector c21 = FloatVector.zero(FS);
            FloatVector c30 = FloatVector.zero(FS); FloatVector c31 = FloatVector.zero(FS);
            FloatVector c40 = FloatVector.zero(FS); FloatVector c41 = FloatVector.zero(FS);
            FloatVector c50 = FloatVector.zero(FS); FloatVector c51 = FloatVector.zero(FS);
            FloatVector c60 = FloatVector.zero(FS); FloatVector c61 = FloatVector.zero(FS);
            FloatVector c70 = FloatVector.zero(FS); FloatVector c71 = FloatVector.zero(FS);
            long ab = ao * 4, bb = bo * 4;
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromMemorySegment(FS, b, bb + 0L * FL * 4, NO);
                FloatVector b1 = FloatVector.fromMemorySegment(FS, b, bb + 1L * FL * 4, NO);
                FloatVector a0 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 0));
                c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
                FloatVector a1 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 4));
                c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
                FloatVector a2 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 8));
                c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
                FloatVector a3 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 12));
                c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
                FloatVector a4 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 16));
                c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
                FloatVector a5 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 20));
                c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
                FloatVector a6 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 24));
                c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
                FloatVector a7 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 28));
                c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
                ab += 32;
                bb += 2L * FL * 4;
            }
            long r = to * 4;
            c00.intoMemorySegment(t, r + 0L * FL * 4, NO); c01.intoMemorySegment(t, r + 1L * FL * 4, NO);
            c10.intoMemorySegment(t, r + 2L * FL * 4, NO); c11.intoMemorySegment(t, r + 3L * FL * 4, NO);
            c20.intoMemorySegment(t, r + 4L * FL * 4, NO); c21.intoMemorySegment(t, r + 5L * FL * 4, NO);
            c30.intoMemorySegment(t, r + 6L * FL * 4, NO); c31.intoMemorySegment(t, r + 7L * FL * 4, NO);
            c40.intoMemorySegment(t, r + 8L * FL * 4, NO); c41.intoMemorySegment(t, r + 9L * FL * 4, NO);
            c50.intoMemorySegment(t, r + 10L * FL * 4, NO); c51.intoMemorySegment(t, r + 11L * FL * 4, NO);
            c60.intoMemorySegment(t, r + 12L * FL * 4, NO); c61.intoMemorySegment(t, r + 13L * FL * 4, NO);
            c70.intoMemorySegment(t, r + 14L * FL * 4, NO); c71.intoMemorySegment(t, r + 15L * FL * 4, NO);
        }
    }

    /** 4 x 2L register tile (8 accumulators). */
    static final class F64x4 extends VF64 {
        F64x4() { super(4, 2 * DL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment t, long to) {
            DoubleVector c00 = DoubleVector.zero(DS); DoubleVector c01 = DoubleVector.zero(DS);
            DoubleVector c10 = DoubleVector.zero(DS); DoubleVector c11 = DoubleVector.zero(DS);
            DoubleVector c20 = DoubleVector.zero(DS); DoubleVector c21 = DoubleVector.zero(DS);
            DoubleVector c30 = DoubleVector.zero(DS); DoubleVector c31 = DoubleVector.zero(DS);
            long ab = ao * 8, bb = bo * 8;
            for (int p = 0; p < kc; p++) {
                DoubleVector b0 = DoubleVector.fromMemorySegment(DS, b, bb + 0L * DL * 8, NO);
                DoubleVector b1 = DoubleVector.fromMemorySegment(DS, b, bb + 1L * DL * 8, NO);
                DoubleVector a0 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 0));
                c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
                DoubleVector a1 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 8));
                c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
                DoubleVector a2 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 16));
                c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
                DoubleVector a3 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 24));
                c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
                ab += 32;
                bb += 2L * DL * 8;
            }
            long r = to * 8;
            c00.intoMemorySegment(t, r + 0L * DL * 8, NO); c01.intoMemorySegment(t, r + 1L * DL * 8, NO);
            c10.intoMemorySegment(t, r + 2L * DL * 8, NO); c11.intoMemorySegment(t, r + 3L * DL * 8, NO);
            c20.intoMemorySegment(t, r + 4L * DL * 8, NO); c21.intoMemorySegment(t, r + 5L * DL * 8, NO);
            c30.intoMemorySegment(t, r + 6L * DL * 8, NO); c31.intoMemorySegment(t, r + 7L * DL * 8, NO);
        }
    }

    /** 6 x 2L register tile (12 accumulators). */
    static final class F64x6 extends VF64 {
        F64x6() { super(6, 2 * DL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment t, long to) {
            DoubleVector c00 = DoubleVector.zero(DS); DoubleVector c01 = DoubleVector.zero(DS);
            DoubleVector c10 = DoubleVector.zero(DS); DoubleVector c11 = DoubleVector.zero(DS);
            DoubleVector c20 = DoubleVector.zero(DS); DoubleVector c21 = DoubleVector.zero(DS);
            DoubleVector c30 = DoubleVector.zero(DS); DoubleVector c31 = DoubleVector.zero(DS);
            DoubleVector c40 = DoubleVector.zero(DS); DoubleVector c41 = DoubleVector.zero(DS);
            DoubleVector c50 = DoubleVector.zero(DS); DoubleVector c51 = DoubleVector.zero(DS);
            long ab = ao * 8, bb = bo * 8;
            for (int p = 0; p < kc; p++) {
                DoubleVector b0 = DoubleVector.fromMemorySegment(DS, b, bb + 0L * DL * 8, NO);
                DoubleVector b1 = DoubleVector.fromMemorySegment(DS, b, bb + 1L * DL * 8, NO);
                DoubleVector a0 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 0));
                c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
                DoubleVector a1 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 8));
                c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
                DoubleVector a2 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 16));
                c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
                DoubleVector a3 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 24));
                c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
                DoubleVector a4 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 32));
                c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
                DoubleVector a5 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 40));
                c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
                ab += 48;
                bb += 2L * DL * 8;
            }
            long r = to * 8;
            c00.intoMemorySegment(t, r + 0L * DL * 8, NO); c01.intoMemorySegment(t, r + 1L * DL * 8, NO);
            c10.intoMemorySegment(t, r + 2L * DL * 8, NO); c11.intoMemorySegment(t, r + 3L * DL * 8, NO);
            c20.intoMemorySegment(t, r + 4L * DL * 8, NO); c21.intoMemorySegment(t, r + 5L * DL * 8, NO);
            c30.intoMemorySegment(t, r + 6L * DL * 8, NO); c31.intoMemorySegment(t, r + 7L * DL * 8, NO);
            c40.intoMemorySegment(t, r + 8L * DL * 8, NO); c41.intoMemorySegment(t, r + 9L * DL * 8, NO);
            c50.intoMemorySegment(t, r + 10L * DL * 8, NO); c51.intoMemorySegment(t, r + 11L * DL * 8, NO);
        }
    }

    /** 8 x 2L register tile (16 accumulators). */
    static final class F64x8 extends VF64 {
        F64x8() { super(8, 2 * DL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment t, long to) {
            DoubleVector c00 = DoubleVector.zero(DS); DoubleVector c01 = DoubleVector.zero(DS);
            DoubleVector c10 = DoubleVector.zero(DS); DoubleVector c11 = DoubleVector.zero(DS);
            DoubleVector c20 = DoubleVector.zero(DS); DoubleVector c21 = DoubleVector.zero(DS);
            DoubleVector c30 = DoubleVector.zero(DS); DoubleVector c31 = DoubleVector.zero(DS);
            DoubleVector c40 = DoubleVector.zero(DS); DoubleVector c41 = DoubleVector.zero(DS);
            DoubleVector c50 = DoubleVector.zero(DS); DoubleVector c51 = DoubleVector.zero(DS);
            DoubleVector c60 = DoubleVector.zero(DS); DoubleVector c61 = DoubleVector.zero(DS);
            DoubleVector c70 = DoubleVector.zero(DS); DoubleVector c71 = DoubleVector.zero(DS);
            long ab = ao * 8, bb = bo * 8;
            for (int p = 0; p < kc; p++) {
                DoubleVector b0 = DoubleVector.fromMemorySegment(DS, b, bb + 0L * DL * 8, NO);
                DoubleVector b1 = DoubleVector.fromMemorySegment(DS, b, bb + 1L * DL * 8, NO);
                DoubleVector a0 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 0));
                c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
                DoubleVector a1 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 8));
                c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
                DoubleVector a2 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 16));
                c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
                DoubleVector a3 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 24));
                c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
                DoubleVector a4 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 32));
                c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
                DoubleVector a5 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 40));
                c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
                DoubleVector a6 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 48));
                c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
                DoubleVector a7 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 56));
                c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
                ab += 64;
                bb += 2L * DL * 8;
            }
            long r = to * 8;
            c00.intoMemorySegment(t, r + 0L * DL * 8, NO); c01.intoMemorySegment(t, r + 1L * DL * 8, NO);
            c10.intoMemorySegment(t, r + 2L * DL * 8, NO); c11.intoMemorySegment(t, r + 3L * DL * 8, NO);
            c20.intoMemorySegment(t, r + 4L * DL * 8, NO); c21.intoMemorySegment(t, r + 5L * DL * 8, NO);
            c30.intoMemorySegment(t, r + 6L * DL * 8, NO); c31.intoMemorySegment(t, r + 7L * DL * 8, NO);
            c40.intoMemorySegment(t, r + 8L * DL * 8, NO); c41.intoMemorySegment(t, r + 9L * DL * 8, NO);
            c50.intoMemorySegment(t, r + 10L * DL * 8, NO); c51.intoMemorySegment(t, r + 11L * DL * 8, NO);
            c60.intoMemorySegment(t, r + 12L * DL * 8, NO); c61.intoMemorySegment(t, r + 13L * DL * 8, NO);
            c70.intoMemorySegment(t, r + 14L * DL * 8, NO); c71.intoMemorySegment(t, r + 15L * DL * 8, NO);
        }
    }

}
