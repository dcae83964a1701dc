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

    /**
     * An 8 x 2L register tile of an implicit-GEMM convolution: output rows i = 0..7 (pixels) times the
     * 2L output channels of one packed B panel ({@code b[bo + p*2L + j]}, p = tap*cig + c), summed over
     * every tap and input channel with no packed A: row i at tap t reads its cig input channels from
     * {@code seg[t*8 + i]} at byte offset {@code off[t*8 + i]} (a zero row where the tap is padding).
     * The tile goes to {@code t[to..]} as 8 rows of 2L.
     */
    static void kernel8(int kvol, int cig, MemorySegment[] seg, long[] off, MemorySegment b, long bo, MemorySegment t, long to) {
        FloatVector c00 = FloatVector.zero(FS), c01 = FloatVector.zero(FS), c10 = FloatVector.zero(FS), c11 = FloatVector.zero(FS);
        FloatVector c20 = FloatVector.zero(FS), c21 = FloatVector.zero(FS), c30 = FloatVector.zero(FS), c31 = FloatVector.zero(FS);
        FloatVector c40 = FloatVector.zero(FS), c41 = FloatVector.zero(FS), c50 = FloatVector.zero(FS), c51 = FloatVector.zero(FS);
        FloatVector c60 = FloatVector.zero(FS), c61 = FloatVector.zero(FS), c70 = FloatVector.zero(FS), c71 = FloatVector.zero(FS);
        long bb = bo * 4;
        for (int tap = 0; tap < kvol; tap++) {
            int q = tap * 8;
            MemorySegment s0 = seg[q], s1 = seg[q + 1], s2 = seg[q + 2], s3 = seg[q + 3];
            MemorySegment s4 = seg[q + 4], s5 = seg[q + 5], s6 = seg[q + 6], s7 = seg[q + 7];
            long a0 = off[q], a1 = off[q + 1], a2 = off[q + 2], a3 = off[q + 3];
            long a4 = off[q + 4], a5 = off[q + 5], a6 = off[q + 6], a7 = off[q + 7];
            for (int c = 0; c < cig; c++) {
                FloatVector b0 = FloatVector.fromMemorySegment(FS, b, bb, NO);
                FloatVector b1 = FloatVector.fromMemorySegment(FS, b, bb + FL * 4L, NO);
                long e = c * 4L;
                FloatVector x = FloatVector.broadcast(FS, s0.get(Elem.F32, a0 + e));
                c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(FS, s1.get(Elem.F32, a1 + e));
                c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(FS, s2.get(Elem.F32, a2 + e));
                c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(FS, s3.get(Elem.F32, a3 + e));
                c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(FS, s4.get(Elem.F32, a4 + e));
                c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(FS, s5.get(Elem.F32, a5 + e));
                c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
                x = FloatVector.broadcast(FS, s6.get(Elem.F32, a6 + e));
                c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
                x = FloatVector.broadcast(FS, s7.get(Elem.F32, a7 + e));
                c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
                bb += 2L * FL * 4;
            }
        }
        long r = to * 4, v = FL * 4L;
        c00.intoMemorySegment(t, r, NO); c01.intoMemorySegment(t, r + v, NO);
        c10.intoMemorySegment(t, r + 2 * v, NO); c11.intoMemorySegment(t, r + 3 * v, NO);
        c20.intoMemorySegment(t, r + 4 * v, NO); c21.intoMemorySegment(t, r + 5 * v, NO);
        c30.intoMemorySegment(t, r + 6 * v, NO); c31.intoMemorySegment(t, r + 7 * v, NO);
        c40.intoMemorySegment(t, r + 8 * v, NO); c41.intoMemorySegment(t, r + 9 * v, NO);
        c50.intoMemorySegment(t, r + 10 * v, NO); c51.intoMemorySegment(t, r + 11 * v, NO);
        c60.intoMemorySegment(t, r + 12 * v, NO); c61.intoMemorySegment(t, r + 13 * v, NO);
        c70.intoMemorySegment(t, r + 14 * v, NO); c71.intoMemorySegment(t, r + 15 * v, NO);
    }

    /**
     * An 8 x 2L tile of a product whose k steps are listed rather than strided: step i multiplies
     * A rows {@code a[aOff[i] + aAdd + r*ars]} (bytes, r = 0..7, broadcast) by the 2L contiguous floats
     * {@code b[bOff[i] + bAdd ..]}. A weight gradient lists only the (position, tap) pairs that do not
     * read padding and reads both operands where they lie, with no patch matrix and no packing.
     * The tile goes to {@code t[to..]} as 8 rows of 2L.
     */
    static void kernelListed(int m, long[] aOff, long aAdd, long[] bOff, long bAdd, MemorySegment a, long ars, MemorySegment b,
                             MemorySegment t, long to) {
        FloatVector c00 = FloatVector.zero(FS), c01 = FloatVector.zero(FS), c10 = FloatVector.zero(FS), c11 = FloatVector.zero(FS);
        FloatVector c20 = FloatVector.zero(FS), c21 = FloatVector.zero(FS), c30 = FloatVector.zero(FS), c31 = FloatVector.zero(FS);
        FloatVector c40 = FloatVector.zero(FS), c41 = FloatVector.zero(FS), c50 = FloatVector.zero(FS), c51 = FloatVector.zero(FS);
        FloatVector c60 = FloatVector.zero(FS), c61 = FloatVector.zero(FS), c70 = FloatVector.zero(FS), c71 = FloatVector.zero(FS);
        long v = FL * 4L;
        for (int i = 0; i < m; i++) {
            long pb = bOff[i] + bAdd, pa = aOff[i] + aAdd;
            FloatVector b0 = FloatVector.fromMemorySegment(FS, b, pb, NO);
            FloatVector b1 = FloatVector.fromMemorySegment(FS, b, pb + v, NO);
            FloatVector x = FloatVector.broadcast(FS, a.get(Elem.F32, pa));
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(FS, a.get(Elem.F32, pa + ars));
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(FS, a.get(Elem.F32, pa + 2 * ars));
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(FS, a.get(Elem.F32, pa + 3 * ars));
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(FS, a.get(Elem.F32, pa + 4 * ars));
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(FS, a.get(Elem.F32, pa + 5 * ars));
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(FS, a.get(Elem.F32, pa + 6 * ars));
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(FS, a.get(Elem.F32, pa + 7 * ars));
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        long r = to * 4;
        c00.intoMemorySegment(t, r, NO); c01.intoMemorySegment(t, r + v, NO);
        c10.intoMemorySegment(t, r + 2 * v, NO); c11.intoMemorySegment(t, r + 3 * v, NO);
        c20.intoMemorySegment(t, r + 4 * v, NO); c21.intoMemorySegment(t, r + 5 * v, NO);
        c30.intoMemorySegment(t, r + 6 * v, NO); c31.intoMemorySegment(t, r + 7 * v, NO);
        c40.intoMemorySegment(t, r + 8 * v, NO); c41.intoMemorySegment(t, r + 9 * v, NO);
        c50.intoMemorySegment(t, r + 10 * v, NO); c51.intoMemorySegment(t, r + 11 * v, NO);
        c60.intoMemorySegment(t, r + 12 * v, NO); c61.intoMemorySegment(t, r + 13 * v, NO);
        c70.intoMemorySegment(t, r + 14 * v, NO); c71.intoMemorySegment(t, r + 15 * v, NO);
    }
}
