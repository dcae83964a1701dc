package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API micro-kernels for {@link Gemm}: an MR x 2L register tile (L = lanes of the species)
 * accumulated with FMAs from packed panels. Loaded only when {@link Simd#ENABLED}.
 */
final class GemmVec {
    private static final int BITS = Integer.getInteger("mlx4j.gemm.bits", FloatVector.SPECIES_PREFERRED.vectorBitSize());
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED.vectorBitSize() == BITS ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_256;
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED.vectorBitSize() == BITS ? DoubleVector.SPECIES_PREFERRED : DoubleVector.SPECIES_256;
    static final int FL = FS.length(), DL = DS.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final int MR = Integer.getInteger("mlx4j.gemm.mr", 12);
    private static final Gemm.Impl F32_SMALL = new F32x4(), F64_SMALL = new F64x4();
    private static final Gemm.Impl F32_BIG = switch (MR) { case 4 -> F32_SMALL; case 6 -> new F32x6(); case 8 -> new F32x8(); default -> new F32x12(); };
    private static final Gemm.Impl F64_BIG = switch (MR) { case 4 -> F64_SMALL; case 8 -> new F64x8(); default -> new F64x12(); };

    private GemmVec() {}

    static Gemm.Impl f32(int m) { return m < F32_BIG.mr ? F32_SMALL : F32_BIG; }

    static Gemm.Impl f64(int m) { return m < F64_BIG.mr ? F64_SMALL : F64_BIG; }

    static String describe() { return "Vector API " + FS.vectorBitSize() + "-bit FMA"; }

    /** 4 x 2L register tile (8 accumulators). */
    static final class F32x4 extends Gemm.F32Impl {
        F32x4() { super(4, 2 * FL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment c, long co, long ldc, boolean acc) {
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
            long r = co * 4, step = ldc * 4;
            if (acc) {
                c00 = c00.add(FloatVector.fromMemorySegment(FS, c, r + 0 * step + 0L * FL * 4, NO)); c01 = c01.add(FloatVector.fromMemorySegment(FS, c, r + 0 * step + 1L * FL * 4, NO));
                c10 = c10.add(FloatVector.fromMemorySegment(FS, c, r + 1 * step + 0L * FL * 4, NO)); c11 = c11.add(FloatVector.fromMemorySegment(FS, c, r + 1 * step + 1L * FL * 4, NO));
                c20 = c20.add(FloatVector.fromMemorySegment(FS, c, r + 2 * step + 0L * FL * 4, NO)); c21 = c21.add(FloatVector.fromMemorySegment(FS, c, r + 2 * step + 1L * FL * 4, NO));
                c30 = c30.add(FloatVector.fromMemorySegment(FS, c, r + 3 * step + 0L * FL * 4, NO)); c31 = c31.add(FloatVector.fromMemorySegment(FS, c, r + 3 * step + 1L * FL * 4, NO));
            }
            c00.intoMemorySegment(c, r + 0 * step + 0L * FL * 4, NO); c01.intoMemorySegment(c, r + 0 * step + 1L * FL * 4, NO);
            c10.intoMemorySegment(c, r + 1 * step + 0L * FL * 4, NO); c11.intoMemorySegment(c, r + 1 * step + 1L * FL * 4, NO);
            c20.intoMemorySegment(c, r + 2 * step + 0L * FL * 4, NO); c21.intoMemorySegment(c, r + 2 * step + 1L * FL * 4, NO);
            c30.intoMemorySegment(c, r + 3 * step + 0L * FL * 4, NO); c31.intoMemorySegment(c, r + 3 * step + 1L * FL * 4, NO);
        }
    }

    /** 6 x 2L register tile (12 accumulators). */
    static final class F32x6 extends Gemm.F32Impl {
        F32x6() { super(6, 2 * FL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment c, long co, long ldc, boolean acc) {
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
            long r = co * 4, step = ldc * 4;
            if (acc) {
                c00 = c00.add(FloatVector.fromMemorySegment(FS, c, r + 0 * step + 0L * FL * 4, NO)); c01 = c01.add(FloatVector.fromMemorySegment(FS, c, r + 0 * step + 1L * FL * 4, NO));
                c10 = c10.add(FloatVector.fromMemorySegment(FS, c, r + 1 * step + 0L * FL * 4, NO)); c11 = c11.add(FloatVector.fromMemorySegment(FS, c, r + 1 * step + 1L * FL * 4, NO));
                c20 = c20.add(FloatVector.fromMemorySegment(FS, c, r + 2 * step + 0L * FL * 4, NO)); c21 = c21.add(FloatVector.fromMemorySegment(FS, c, r + 2 * step + 1L * FL * 4, NO));
                c30 = c30.add(FloatVector.fromMemorySegment(FS, c, r + 3 * step + 0L * FL * 4, NO)); c31 = c31.add(FloatVector.fromMemorySegment(FS, c, r + 3 * step + 1L * FL * 4, NO));
                c40 = c40.add(FloatVector.fromMemorySegment(FS, c, r + 4 * step + 0L * FL * 4, NO)); c41 = c41.add(FloatVector.fromMemorySegment(FS, c, r + 4 * step + 1L * FL * 4, NO));
                c50 = c50.add(FloatVector.fromMemorySegment(FS, c, r + 5 * step + 0L * FL * 4, NO)); c51 = c51.add(FloatVector.fromMemorySegment(FS, c, r + 5 * step + 1L * FL * 4, NO));
            }
            c00.intoMemorySegment(c, r + 0 * step + 0L * FL * 4, NO); c01.intoMemorySegment(c, r + 0 * step + 1L * FL * 4, NO);
            c10.intoMemorySegment(c, r + 1 * step + 0L * FL * 4, NO); c11.intoMemorySegment(c, r + 1 * step + 1L * FL * 4, NO);
            c20.intoMemorySegment(c, r + 2 * step + 0L * FL * 4, NO); c21.intoMemorySegment(c, r + 2 * step + 1L * FL * 4, NO);
            c30.intoMemorySegment(c, r + 3 * step + 0L * FL * 4, NO); c31.intoMemorySegment(c, r + 3 * step + 1L * FL * 4, NO);
            c40.intoMemorySegment(c, r + 4 * step + 0L * FL * 4, NO); c41.intoMemorySegment(c, r + 4 * step + 1L * FL * 4, NO);
            c50.intoMemorySegment(c, r + 5 * step + 0L * FL * 4, NO); c51.intoMemorySegment(c, r + 5 * step + 1L * FL * 4, NO);
        }
    }

    /** 8 x 2L register tile (16 accumulators). */
    static final class F32x8 extends Gemm.F32Impl {
        F32x8() { super(8, 2 * FL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment c, long co, long ldc, boolean acc) {
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
            long r = co * 4, step = ldc * 4;
            if (acc) {
                c00 = c00.add(FloatVector.fromMemorySegment(FS, c, r + 0 * step + 0L * FL * 4, NO)); c01 = c01.add(FloatVector.fromMemorySegment(FS, c, r + 0 * step + 1L * FL * 4, NO));
                c10 = c10.add(FloatVector.fromMemorySegment(FS, c, r + 1 * step + 0L * FL * 4, NO)); c11 = c11.add(FloatVector.fromMemorySegment(FS, c, r + 1 * step + 1L * FL * 4, NO));
                c20 = c20.add(FloatVector.fromMemorySegment(FS, c, r + 2 * step + 0L * FL * 4, NO)); c21 = c21.add(FloatVector.fromMemorySegment(FS, c, r + 2 * step + 1L * FL * 4, NO));
                c30 = c30.add(FloatVector.fromMemorySegment(FS, c, r + 3 * step + 0L * FL * 4, NO)); c31 = c31.add(FloatVector.fromMemorySegment(FS, c, r + 3 * step + 1L * FL * 4, NO));
                c40 = c40.add(FloatVector.fromMemorySegment(FS, c, r + 4 * step + 0L * FL * 4, NO)); c41 = c41.add(FloatVector.fromMemorySegment(FS, c, r + 4 * step + 1L * FL * 4, NO));
                c50 = c50.add(FloatVector.fromMemorySegment(FS, c, r + 5 * step + 0L * FL * 4, NO)); c51 = c51.add(FloatVector.fromMemorySegment(FS, c, r + 5 * step + 1L * FL * 4, NO));
                c60 = c60.add(FloatVector.fromMemorySegment(FS, c, r + 6 * step + 0L * FL * 4, NO)); c61 = c61.add(FloatVector.fromMemorySegment(FS, c, r + 6 * step + 1L * FL * 4, NO));
                c70 = c70.add(FloatVector.fromMemorySegment(FS, c, r + 7 * step + 0L * FL * 4, NO)); c71 = c71.add(FloatVector.fromMemorySegment(FS, c, r + 7 * step + 1L * FL * 4, NO));
            }
            c00.intoMemorySegment(c, r + 0 * step + 0L * FL * 4, NO); c01.intoMemorySegment(c, r + 0 * step + 1L * FL * 4, NO);
            c10.intoMemorySegment(c, r + 1 * step + 0L * FL * 4, NO); c11.intoMemorySegment(c, r + 1 * step + 1L * FL * 4, NO);
            c20.intoMemorySegment(c, r + 2 * step + 0L * FL * 4, NO); c21.intoMemorySegment(c, r + 2 * step + 1L * FL * 4, NO);
            c30.intoMemorySegment(c, r + 3 * step + 0L * FL * 4, NO); c31.intoMemorySegment(c, r + 3 * step + 1L * FL * 4, NO);
            c40.intoMemorySegment(c, r + 4 * step + 0L * FL * 4, NO); c41.intoMemorySegment(c, r + 4 * step + 1L * FL * 4, NO);
            c50.intoMemorySegment(c, r + 5 * step + 0L * FL * 4, NO); c51.intoMemorySegment(c, r + 5 * step + 1L * FL * 4, NO);
            c60.intoMemorySegment(c, r + 6 * step + 0L * FL * 4, NO); c61.intoMemorySegment(c, r + 6 * step + 1L * FL * 4, NO);
            c70.intoMemorySegment(c, r + 7 * step + 0L * FL * 4, NO); c71.intoMemorySegment(c, r + 7 * step + 1L * FL * 4, NO);
        }
    }

    /** 12 x 2L register tile (24 accumulators). */
    static final class F32x12 extends Gemm.F32Impl {
        F32x12() { super(12, 2 * FL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment c, long co, long ldc, boolean acc) {
            FloatVector c00 = FloatVector.zero(FS); FloatVector c01 = FloatVector.zero(FS);
            FloatVector c10 = FloatVector.zero(FS); FloatVector c11 = FloatVector.zero(FS);
            FloatVector c20 = FloatVector.zero(FS); FloatVector c21 = FloatVector.zero(FS);
            FloatVector c30 = FloatVector.zero(FS); FloatVector c31 = FloatVector.zero(FS);
            FloatVector c40 = FloatVector.zero(FS); FloatVector c41 = FloatVector.zero(FS);
            FloatVector c50 = FloatVector.zero(FS); FloatVector c51 = FloatVector.zero(FS);
            FloatVector c60 = FloatVector.zero(FS); FloatVector c61 = FloatVector.zero(FS);
            FloatVector c70 = FloatVector.zero(FS); FloatVector c71 = FloatVector.zero(FS);
            FloatVector c80 = FloatVector.zero(FS); FloatVector c81 = FloatVector.zero(FS);
            FloatVector c90 = FloatVector.zero(FS); FloatVector c91 = FloatVector.zero(FS);
            FloatVector c100 = FloatVector.zero(FS); FloatVector c101 = FloatVector.zero(FS);
            FloatVector c110 = FloatVector.zero(FS); FloatVector c111 = FloatVector.zero(FS);
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
                FloatVector a8 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 32));
                c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
                FloatVector a9 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 36));
                c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
                FloatVector a10 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 40));
                c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
                FloatVector a11 = FloatVector.broadcast(FS, a.get(Elem.F32, ab + 44));
                c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
                ab += 48;
                bb += 2L * FL * 4;
            }
            long r = co * 4, step = ldc * 4;
            if (acc) {
                c00 = c00.add(FloatVector.fromMemorySegment(FS, c, r + 0 * step + 0L * FL * 4, NO)); c01 = c01.add(FloatVector.fromMemorySegment(FS, c, r + 0 * step + 1L * FL * 4, NO));
                c10 = c10.add(FloatVector.fromMemorySegment(FS, c, r + 1 * step + 0L * FL * 4, NO)); c11 = c11.add(FloatVector.fromMemorySegment(FS, c, r + 1 * step + 1L * FL * 4, NO));
                c20 = c20.add(FloatVector.fromMemorySegment(FS, c, r + 2 * step + 0L * FL * 4, NO)); c21 = c21.add(FloatVector.fromMemorySegment(FS, c, r + 2 * step + 1L * FL * 4, NO));
                c30 = c30.add(FloatVector.fromMemorySegment(FS, c, r + 3 * step + 0L * FL * 4, NO)); c31 = c31.add(FloatVector.fromMemorySegment(FS, c, r + 3 * step + 1L * FL * 4, NO));
                c40 = c40.add(FloatVector.fromMemorySegment(FS, c, r + 4 * step + 0L * FL * 4, NO)); c41 = c41.add(FloatVector.fromMemorySegment(FS, c, r + 4 * step + 1L * FL * 4, NO));
                c50 = c50.add(FloatVector.fromMemorySegment(FS, c, r + 5 * step + 0L * FL * 4, NO)); c51 = c51.add(FloatVector.fromMemorySegment(FS, c, r + 5 * step + 1L * FL * 4, NO));
                c60 = c60.add(FloatVector.fromMemorySegment(FS, c, r + 6 * step + 0L * FL * 4, NO)); c61 = c61.add(FloatVector.fromMemorySegment(FS, c, r + 6 * step + 1L * FL * 4, NO));
                c70 = c70.add(FloatVector.fromMemorySegment(FS, c, r + 7 * step + 0L * FL * 4, NO)); c71 = c71.add(FloatVector.fromMemorySegment(FS, c, r + 7 * step + 1L * FL * 4, NO));
                c80 = c80.add(FloatVector.fromMemorySegment(FS, c, r + 8 * step + 0L * FL * 4, NO)); c81 = c81.add(FloatVector.fromMemorySegment(FS, c, r + 8 * step + 1L * FL * 4, NO));
                c90 = c90.add(FloatVector.fromMemorySegment(FS, c, r + 9 * step + 0L * FL * 4, NO)); c91 = c91.add(FloatVector.fromMemorySegment(FS, c, r + 9 * step + 1L * FL * 4, NO));
                c100 = c100.add(FloatVector.fromMemorySegment(FS, c, r + 10 * step + 0L * FL * 4, NO)); c101 = c101.add(FloatVector.fromMemorySegment(FS, c, r + 10 * step + 1L * FL * 4, NO));
                c110 = c110.add(FloatVector.fromMemorySegment(FS, c, r + 11 * step + 0L * FL * 4, NO)); c111 = c111.add(FloatVector.fromMemorySegment(FS, c, r + 11 * step + 1L * FL * 4, NO));
            }
            c00.intoMemorySegment(c, r + 0 * step + 0L * FL * 4, NO); c01.intoMemorySegment(c, r + 0 * step + 1L * FL * 4, NO);
            c10.intoMemorySegment(c, r + 1 * step + 0L * FL * 4, NO); c11.intoMemorySegment(c, r + 1 * step + 1L * FL * 4, NO);
            c20.intoMemorySegment(c, r + 2 * step + 0L * FL * 4, NO); c21.intoMemorySegment(c, r + 2 * step + 1L * FL * 4, NO);
            c30.intoMemorySegment(c, r + 3 * step + 0L * FL * 4, NO); c31.intoMemorySegment(c, r + 3 * step + 1L * FL * 4, NO);
            c40.intoMemorySegment(c, r + 4 * step + 0L * FL * 4, NO); c41.intoMemorySegment(c, r + 4 * step + 1L * FL * 4, NO);
            c50.intoMemorySegment(c, r + 5 * step + 0L * FL * 4, NO); c51.intoMemorySegment(c, r + 5 * step + 1L * FL * 4, NO);
            c60.intoMemorySegment(c, r + 6 * step + 0L * FL * 4, NO); c61.intoMemorySegment(c, r + 6 * step + 1L * FL * 4, NO);
            c70.intoMemorySegment(c, r + 7 * step + 0L * FL * 4, NO); c71.intoMemorySegment(c, r + 7 * step + 1L * FL * 4, NO);
            c80.intoMemorySegment(c, r + 8 * step + 0L * FL * 4, NO); c81.intoMemorySegment(c, r + 8 * step + 1L * FL * 4, NO);
            c90.intoMemorySegment(c, r + 9 * step + 0L * FL * 4, NO); c91.intoMemorySegment(c, r + 9 * step + 1L * FL * 4, NO);
            c100.intoMemorySegment(c, r + 10 * step + 0L * FL * 4, NO); c101.intoMemorySegment(c, r + 10 * step + 1L * FL * 4, NO);
            c110.intoMemorySegment(c, r + 11 * step + 0L * FL * 4, NO); c111.intoMemorySegment(c, r + 11 * step + 1L * FL * 4, NO);
        }
    }

    /** 4 x 2L register tile (8 accumulators). */
    static final class F64x4 extends Gemm.F64Impl {
        F64x4() { super(4, 2 * DL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment c, long co, long ldc, boolean acc) {
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
            long r = co * 8, step = ldc * 8;
            if (acc) {
                c00 = c00.add(DoubleVector.fromMemorySegment(DS, c, r + 0 * step + 0L * DL * 8, NO)); c01 = c01.add(DoubleVector.fromMemorySegment(DS, c, r + 0 * step + 1L * DL * 8, NO));
                c10 = c10.add(DoubleVector.fromMemorySegment(DS, c, r + 1 * step + 0L * DL * 8, NO)); c11 = c11.add(DoubleVector.fromMemorySegment(DS, c, r + 1 * step + 1L * DL * 8, NO));
                c20 = c20.add(DoubleVector.fromMemorySegment(DS, c, r + 2 * step + 0L * DL * 8, NO)); c21 = c21.add(DoubleVector.fromMemorySegment(DS, c, r + 2 * step + 1L * DL * 8, NO));
                c30 = c30.add(DoubleVector.fromMemorySegment(DS, c, r + 3 * step + 0L * DL * 8, NO)); c31 = c31.add(DoubleVector.fromMemorySegment(DS, c, r + 3 * step + 1L * DL * 8, NO));
            }
            c00.intoMemorySegment(c, r + 0 * step + 0L * DL * 8, NO); c01.intoMemorySegment(c, r + 0 * step + 1L * DL * 8, NO);
            c10.intoMemorySegment(c, r + 1 * step + 0L * DL * 8, NO); c11.intoMemorySegment(c, r + 1 * step + 1L * DL * 8, NO);
            c20.intoMemorySegment(c, r + 2 * step + 0L * DL * 8, NO); c21.intoMemorySegment(c, r + 2 * step + 1L * DL * 8, NO);
            c30.intoMemorySegment(c, r + 3 * step + 0L * DL * 8, NO); c31.intoMemorySegment(c, r + 3 * step + 1L * DL * 8, NO);
        }
    }

    /** 8 x 2L register tile (16 accumulators). */
    static final class F64x8 extends Gemm.F64Impl {
        F64x8() { super(8, 2 * DL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment c, long co, long ldc, boolean acc) {
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
            long r = co * 8, step = ldc * 8;
            if (acc) {
                c00 = c00.add(DoubleVector.fromMemorySegment(DS, c, r + 0 * step + 0L * DL * 8, NO)); c01 = c01.add(DoubleVector.fromMemorySegment(DS, c, r + 0 * step + 1L * DL * 8, NO));
                c10 = c10.add(DoubleVector.fromMemorySegment(DS, c, r + 1 * step + 0L * DL * 8, NO)); c11 = c11.add(DoubleVector.fromMemorySegment(DS, c, r + 1 * step + 1L * DL * 8, NO));
                c20 = c20.add(DoubleVector.fromMemorySegment(DS, c, r + 2 * step + 0L * DL * 8, NO)); c21 = c21.add(DoubleVector.fromMemorySegment(DS, c, r + 2 * step + 1L * DL * 8, NO));
                c30 = c30.add(DoubleVector.fromMemorySegment(DS, c, r + 3 * step + 0L * DL * 8, NO)); c31 = c31.add(DoubleVector.fromMemorySegment(DS, c, r + 3 * step + 1L * DL * 8, NO));
                c40 = c40.add(DoubleVector.fromMemorySegment(DS, c, r + 4 * step + 0L * DL * 8, NO)); c41 = c41.add(DoubleVector.fromMemorySegment(DS, c, r + 4 * step + 1L * DL * 8, NO));
                c50 = c50.add(DoubleVector.fromMemorySegment(DS, c, r + 5 * step + 0L * DL * 8, NO)); c51 = c51.add(DoubleVector.fromMemorySegment(DS, c, r + 5 * step + 1L * DL * 8, NO));
                c60 = c60.add(DoubleVector.fromMemorySegment(DS, c, r + 6 * step + 0L * DL * 8, NO)); c61 = c61.add(DoubleVector.fromMemorySegment(DS, c, r + 6 * step + 1L * DL * 8, NO));
                c70 = c70.add(DoubleVector.fromMemorySegment(DS, c, r + 7 * step + 0L * DL * 8, NO)); c71 = c71.add(DoubleVector.fromMemorySegment(DS, c, r + 7 * step + 1L * DL * 8, NO));
            }
            c00.intoMemorySegment(c, r + 0 * step + 0L * DL * 8, NO); c01.intoMemorySegment(c, r + 0 * step + 1L * DL * 8, NO);
            c10.intoMemorySegment(c, r + 1 * step + 0L * DL * 8, NO); c11.intoMemorySegment(c, r + 1 * step + 1L * DL * 8, NO);
            c20.intoMemorySegment(c, r + 2 * step + 0L * DL * 8, NO); c21.intoMemorySegment(c, r + 2 * step + 1L * DL * 8, NO);
            c30.intoMemorySegment(c, r + 3 * step + 0L * DL * 8, NO); c31.intoMemorySegment(c, r + 3 * step + 1L * DL * 8, NO);
            c40.intoMemorySegment(c, r + 4 * step + 0L * DL * 8, NO); c41.intoMemorySegment(c, r + 4 * step + 1L * DL * 8, NO);
            c50.intoMemorySegment(c, r + 5 * step + 0L * DL * 8, NO); c51.intoMemorySegment(c, r + 5 * step + 1L * DL * 8, NO);
            c60.intoMemorySegment(c, r + 6 * step + 0L * DL * 8, NO); c61.intoMemorySegment(c, r + 6 * step + 1L * DL * 8, NO);
            c70.intoMemorySegment(c, r + 7 * step + 0L * DL * 8, NO); c71.intoMemorySegment(c, r + 7 * step + 1L * DL * 8, NO);
        }
    }

    /** 12 x 2L register tile (24 accumulators). */
    static final class F64x12 extends Gemm.F64Impl {
        F64x12() { super(12, 2 * DL); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment c, long co, long ldc, boolean acc) {
            DoubleVector c00 = DoubleVector.zero(DS); DoubleVector c01 = DoubleVector.zero(DS);
            DoubleVector c10 = DoubleVector.zero(DS); DoubleVector c11 = DoubleVector.zero(DS);
            DoubleVector c20 = DoubleVector.zero(DS); DoubleVector c21 = DoubleVector.zero(DS);
            DoubleVector c30 = DoubleVector.zero(DS); DoubleVector c31 = DoubleVector.zero(DS);
            DoubleVector c40 = DoubleVector.zero(DS); DoubleVector c41 = DoubleVector.zero(DS);
            DoubleVector c50 = DoubleVector.zero(DS); DoubleVector c51 = DoubleVector.zero(DS);
            DoubleVector c60 = DoubleVector.zero(DS); DoubleVector c61 = DoubleVector.zero(DS);
            DoubleVector c70 = DoubleVector.zero(DS); DoubleVector c71 = DoubleVector.zero(DS);
            DoubleVector c80 = DoubleVector.zero(DS); DoubleVector c81 = DoubleVector.zero(DS);
            DoubleVector c90 = DoubleVector.zero(DS); DoubleVector c91 = DoubleVector.zero(DS);
            DoubleVector c100 = DoubleVector.zero(DS); DoubleVector c101 = DoubleVector.zero(DS);
            DoubleVector c110 = DoubleVector.zero(DS); DoubleVector c111 = DoubleVector.zero(DS);
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
                DoubleVector a8 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 64));
                c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
                DoubleVector a9 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 72));
                c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
                DoubleVector a10 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 80));
                c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
                DoubleVector a11 = DoubleVector.broadcast(DS, a.get(Elem.F64, ab + 88));
                c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
                ab += 96;
                bb += 2L * DL * 8;
            }
            long r = co * 8, step = ldc * 8;
            if (acc) {
                c00 = c00.add(DoubleVector.fromMemorySegment(DS, c, r + 0 * step + 0L * DL * 8, NO)); c01 = c01.add(DoubleVector.fromMemorySegment(DS, c, r + 0 * step + 1L * DL * 8, NO));
                c10 = c10.add(DoubleVector.fromMemorySegment(DS, c, r + 1 * step + 0L * DL * 8, NO)); c11 = c11.add(DoubleVector.fromMemorySegment(DS, c, r + 1 * step + 1L * DL * 8, NO));
                c20 = c20.add(DoubleVector.fromMemorySegment(DS, c, r + 2 * step + 0L * DL * 8, NO)); c21 = c21.add(DoubleVector.fromMemorySegment(DS, c, r + 2 * step + 1L * DL * 8, NO));
                c30 = c30.add(DoubleVector.fromMemorySegment(DS, c, r + 3 * step + 0L * DL * 8, NO)); c31 = c31.add(DoubleVector.fromMemorySegment(DS, c, r + 3 * step + 1L * DL * 8, NO));
                c40 = c40.add(DoubleVector.fromMemorySegment(DS, c, r + 4 * step + 0L * DL * 8, NO)); c41 = c41.add(DoubleVector.fromMemorySegment(DS, c, r + 4 * step + 1L * DL * 8, NO));
                c50 = c50.add(DoubleVector.fromMemorySegment(DS, c, r + 5 * step + 0L * DL * 8, NO)); c51 = c51.add(DoubleVector.fromMemorySegment(DS, c, r + 5 * step + 1L * DL * 8, NO));
                c60 = c60.add(DoubleVector.fromMemorySegment(DS, c, r + 6 * step + 0L * DL * 8, NO)); c61 = c61.add(DoubleVector.fromMemorySegment(DS, c, r + 6 * step + 1L * DL * 8, NO));
                c70 = c70.add(DoubleVector.fromMemorySegment(DS, c, r + 7 * step + 0L * DL * 8, NO)); c71 = c71.add(DoubleVector.fromMemorySegment(DS, c, r + 7 * step + 1L * DL * 8, NO));
                c80 = c80.add(DoubleVector.fromMemorySegment(DS, c, r + 8 * step + 0L * DL * 8, NO)); c81 = c81.add(DoubleVector.fromMemorySegment(DS, c, r + 8 * step + 1L * DL * 8, NO));
                c90 = c90.add(DoubleVector.fromMemorySegment(DS, c, r + 9 * step + 0L * DL * 8, NO)); c91 = c91.add(DoubleVector.fromMemorySegment(DS, c, r + 9 * step + 1L * DL * 8, NO));
                c100 = c100.add(DoubleVector.fromMemorySegment(DS, c, r + 10 * step + 0L * DL * 8, NO)); c101 = c101.add(DoubleVector.fromMemorySegment(DS, c, r + 10 * step + 1L * DL * 8, NO));
                c110 = c110.add(DoubleVector.fromMemorySegment(DS, c, r + 11 * step + 0L * DL * 8, NO)); c111 = c111.add(DoubleVector.fromMemorySegment(DS, c, r + 11 * step + 1L * DL * 8, NO));
            }
            c00.intoMemorySegment(c, r + 0 * step + 0L * DL * 8, NO); c01.intoMemorySegment(c, r + 0 * step + 1L * DL * 8, NO);
            c10.intoMemorySegment(c, r + 1 * step + 0L * DL * 8, NO); c11.intoMemorySegment(c, r + 1 * step + 1L * DL * 8, NO);
            c20.intoMemorySegment(c, r + 2 * step + 0L * DL * 8, NO); c21.intoMemorySegment(c, r + 2 * step + 1L * DL * 8, NO);
            c30.intoMemorySegment(c, r + 3 * step + 0L * DL * 8, NO); c31.intoMemorySegment(c, r + 3 * step + 1L * DL * 8, NO);
            c40.intoMemorySegment(c, r + 4 * step + 0L * DL * 8, NO); c41.intoMemorySegment(c, r + 4 * step + 1L * DL * 8, NO);
            c50.intoMemorySegment(c, r + 5 * step + 0L * DL * 8, NO); c51.intoMemorySegment(c, r + 5 * step + 1L * DL * 8, NO);
            c60.intoMemorySegment(c, r + 6 * step + 0L * DL * 8, NO); c61.intoMemorySegment(c, r + 6 * step + 1L * DL * 8, NO);
            c70.intoMemorySegment(c, r + 7 * step + 0L * DL * 8, NO); c71.intoMemorySegment(c, r + 7 * step + 1L * DL * 8, NO);
            c80.intoMemorySegment(c, r + 8 * step + 0L * DL * 8, NO); c81.intoMemorySegment(c, r + 8 * step + 1L * DL * 8, NO);
            c90.intoMemorySegment(c, r + 9 * step + 0L * DL * 8, NO); c91.intoMemorySegment(c, r + 9 * step + 1L * DL * 8, NO);
            c100.intoMemorySegment(c, r + 10 * step + 0L * DL * 8, NO); c101.intoMemorySegment(c, r + 10 * step + 1L * DL * 8, NO);
            c110.intoMemorySegment(c, r + 11 * step + 0L * DL * 8, NO); c111.intoMemorySegment(c, r + 11 * step + 1L * DL * 8, NO);
        }
    }
}
