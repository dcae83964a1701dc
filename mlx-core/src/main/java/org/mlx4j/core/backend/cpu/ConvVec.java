package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels of {@link CpuConv}. Loaded only when {@link Simd#ENABLED}.
 *
 * <p>{@link #direct2d} computes 2-d convolutions whose reduction (taps x input channels) is too
 * short for a GEMM to pay off (a first layer on one to three input channels): packing, tile stores
 * and the gather of nine-element patch rows cost more than the multiply-adds. Each output pixel
 * accumulates its channels in registers instead, tap by tap, straight from the input.
 */
final class ConvVec {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector; output channels go in blocks of two vectors. */
    static final int FL = FS.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();

    private ConvVec() {}

    /**
     * Output pixels {@code [r0, r0+nr)} (flat over (N, H_out, W_out)) of a float32 2-d convolution
     * with one group, written to {@code os} as rows of {@code cOut} channels.
     *
     * @param xs   input; pixel (n, h, w) channel c at {@code xo + n*sN + tH[..] + tW[..] + c}
     * @param tH   per output row oh and tap kh, {@code tH[oh*kH + kh]}: element offset of the input row, -1 for padding
     * @param tW   the same along the width
     * @param cig  input channels (contiguous in the input)
     * @param wp   packed weight: row {@code (kh*kW + kw)*cig + c} holds the {@code cop} output channels
     *             (C_out padded with zeros to a multiple of 2 vectors)
     */
    static void direct2d(MemorySegment xs, long xo, long sN, long[] tH, long[] tW, int oH, int oW, int kH, int kW, int cig,
                         float[] wp, int cop, int cOut, long r0, long nr, MemorySegment os) {
        int ow = (int) (r0 % oW), oh = (int) (r0 / oW % oH);
        long nb = r0 / oW / oH;
        long r = 0;
        while (r < nr) {
            long base = xo + nb * sN, ob = (r0 + r) * cOut * 4L;
            if (cop == 2 * FL && cop == cOut && ow + 4 <= oW && r + 4 <= nr && interior(tW, ow * kW, 4 * kW)) {
                // four adjacent pixels of one output row with every tap inside the input: eight
                // independent accumulation chains instead of two
                quad(xs, base, tH, tW, oh * kH, ow * kW, kH, kW, cig, wp, os, ob);
                r += 4;
                ow += 4;
            } else {
                pixel(xs, base, tH, tW, oh * kH, ow * kW, kH, kW, cig, wp, cop, cOut, os, ob);
                r++;
                ow++;
            }
            if (ow == oW) {
                ow = 0;
                if (++oh == oH) {
                    oh = 0;
                    nb++;
                }
            }
        }
    }

    private static boolean interior(long[] tW, int from, int len) {
        for (int i = 0; i < len; i++) if (tW[from + i] < 0) return false;
        return true;
    }

    /** One output pixel, every block of channels. */
    private static void pixel(MemorySegment xs, long base, long[] tH, long[] tW, int hb, int wb, int kH, int kW, int cig,
                              float[] wp, int cop, int cOut, MemorySegment os, long ob) {
        for (int cb = 0; cb < cop; cb += 2 * FL) {
            FloatVector a0 = FloatVector.zero(FS), a1 = FloatVector.zero(FS);
            for (int kh = 0; kh < kH; kh++) {
                long ho = tH[hb + kh];
                if (ho < 0) continue;
                for (int kw = 0; kw < kW; kw++) {
                    long wo = tW[wb + kw];
                    if (wo < 0) continue;
                    long src = base + ho + wo;
                    int q = (kh * kW + kw) * cig * cop + cb;
                    for (int c = 0; c < cig; c++, q += cop) {
                        FloatVector v = FloatVector.broadcast(FS, xs.getAtIndex(Elem.F32, src + c));
                        a0 = v.fma(FloatVector.fromArray(FS, wp, q), a0);
                        a1 = v.fma(FloatVector.fromArray(FS, wp, q + FL), a1);
                    }
                }
            }
            long at = ob + cb * 4L;
            if (cb + 2 * FL <= cOut) {
                a0.intoMemorySegment(os, at, NO);
                a1.intoMemorySegment(os, at + FL * 4L, NO);
            } else {
                // the last, partial block of channels
                VectorMask<Float> m0 = FS.indexInRange(cb, cOut), m1 = FS.indexInRange(cb + FL, cOut);
                a0.intoMemorySegment(os, at, NO, m0);
                a1.intoMemorySegment(os, at + FL * 4L, NO, m1);
            }
        }
    }

    /** Four adjacent pixels (one block of exactly 2 vectors of channels), all taps inside along the width. */
    private static void quad(MemorySegment xs, long base, long[] tH, long[] tW, int hb, int wb, int kH, int kW, int cig,
                             float[] wp, MemorySegment os, long ob) {
        final int cop = 2 * FL;
        FloatVector a0 = FloatVector.zero(FS), a1 = FloatVector.zero(FS), b0 = FloatVector.zero(FS), b1 = FloatVector.zero(FS);
        FloatVector c0 = FloatVector.zero(FS), c1 = FloatVector.zero(FS), d0 = FloatVector.zero(FS), d1 = FloatVector.zero(FS);
        for (int kh = 0; kh < kH; kh++) {
            long ho = tH[hb + kh];
            if (ho < 0) continue;
            for (int kw = 0; kw < kW; kw++) {
                long s0 = base + ho + tW[wb + kw], s1 = base + ho + tW[wb + kW + kw];
                long s2 = base + ho + tW[wb + 2 * kW + kw], s3 = base + ho + tW[wb + 3 * kW + kw];
                int q = (kh * kW + kw) * cig * cop;
                for (int c = 0; c < cig; c++, q += cop) {
                    FloatVector w0 = FloatVector.fromArray(FS, wp, q), w1 = FloatVector.fromArray(FS, wp, q + FL);
                    FloatVector v = FloatVector.broadcast(FS, xs.getAtIndex(Elem.F32, s0 + c));
                    a0 = v.fma(w0, a0);
                    a1 = v.fma(w1, a1);
                    v = FloatVector.broadcast(FS, xs.getAtIndex(Elem.F32, s1 + c));
                    b0 = v.fma(w0, b0);
                    b1 = v.fma(w1, b1);
                    v = FloatVector.broadcast(FS, xs.getAtIndex(Elem.F32, s2 + c));
                    c0 = v.fma(w0, c0);
                    c1 = v.fma(w1, c1);
                    v = FloatVector.broadcast(FS, xs.getAtIndex(Elem.F32, s3 + c));
                    d0 = v.fma(w0, d0);
                    d1 = v.fma(w1, d1);
                }
            }
        }
        long row = cop * 4L;
        a0.intoMemorySegment(os, ob, NO);
        a1.intoMemorySegment(os, ob + FL * 4L, NO);
        b0.intoMemorySegment(os, ob + row, NO);
        b1.intoMemorySegment(os, ob + row + FL * 4L, NO);
        c0.intoMemorySegment(os, ob + 2 * row, NO);
        c1.intoMemorySegment(os, ob + 2 * row + FL * 4L, NO);
        d0.intoMemorySegment(os, ob + 3 * row, NO);
        d1.intoMemorySegment(os, ob + 3 * row + FL * 4L, NO);
    }
}
