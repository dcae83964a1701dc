package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;

/**
 * Dense copies of transposed views in cache-sized tiles. When an input's unit-stride axis is not
 * its last axis (a transpose or moveaxis), an element-by-element row-major copy misses the cache
 * on every read; copying 32 x 32 tiles of the two axes involved reads and writes whole cache lines
 * (measured: a (4096, 4096) float32 transpose in tens of ms instead of ~150 ms). Other layouts fall
 * back to {@link CpuElementwise#stridedCopy}.
 */
final class TiledCopy {
    private TiledCopy() {}

    private static final int TILE = 32;

    /** {@code x}'s data when dense, else a dense copy (the caller releases it when it differs). */
    static ArrayData dense(Array x) {
        ArrayData d = x.data();
        if (d.rowContiguous()) return d;
        int n = x.ndim();
        int[] dims = x.shape().dims();
        long[] st = d.strides();
        int unit = -1;
        for (int i = 0; i < n - 1; i++) if (dims[i] > 1 && st[i] == 1) unit = i;
        int es = x.dtype().size();
        if (unit < 0 || st[n - 1] == 1 || (es != 4 && es != 8) || dims[n - 1] < TILE || dims[unit] < TILE) return CpuElementwise.stridedCopy(x);
        return tiled(x, unit);
    }

    private static ArrayData tiled(Array x, int a) {
        ArrayData d = x.data();
        int n = x.ndim(), es = x.dtype().size();
        int[] dims = x.shape().dims();
        long[] st = d.strides(), ost = x.shape().strides();
        int rowsA = dims[a], cols = dims[n - 1];
        long lastStride = st[n - 1], outA = ost[a];
        long outer = x.size() / ((long) rowsA * cols);
        int tilesA = (rowsA + TILE - 1) / TILE;
        Buffer ob = Allocator.global().allocate(x.size() * es);
        MemorySegment xs = d.buffer().hostSegment(), os = ob.segment();
        Parallel.forRange(outer * tilesA, Math.max(1, (1L << 15) / ((long) TILE * cols)), (lo, hi) -> {
            // tiles pass through two small heap buffers: whole input rows in, whole output rows out,
            // so every cache line is touched once even when the strides are powers of two
            int[] i1 = es == 4 ? new int[TILE * TILE] : null, i2 = es == 4 ? new int[TILE * TILE] : null;
            long[] l1 = es == 8 ? new long[TILE * TILE] : null, l2 = es == 8 ? new long[TILE * TILE] : null;
            for (long task = lo; task < hi; task++) {
                long o = task / tilesA;
                int i0 = (int) (task % tilesA) * TILE, ni = Math.min(rowsA, i0 + TILE) - i0;
                // offsets of outer index o over every axis but a and the last
                long in = d.offset(), out = 0, rem = o;
                for (int k = n - 2; k >= 0; k--) {
                    if (k == a) continue;
                    long idx = rem % dims[k];
                    rem /= dims[k];
                    in += idx * st[k];
                    out += idx * ost[k];
                }
                for (int j0 = 0; j0 < cols; j0 += TILE) {
                    int nj = Math.min(cols, j0 + TILE) - j0;
                    for (int j = 0; j < nj; j++) {
                        long src = (in + i0 + (j0 + j) * lastStride) * es;
                        if (es == 4) MemorySegment.copy(xs, Elem.I32, src, i1, j * TILE, ni);
                        else MemorySegment.copy(xs, Elem.I64, src, l1, j * TILE, ni);
                    }
                    for (int i = 0; i < ni; i++) {
                        for (int j = 0; j < nj; j++) {
                            if (es == 4) i2[i * TILE + j] = i1[j * TILE + i];
                            else l2[i * TILE + j] = l1[j * TILE + i];
                        }
                    }
                    for (int i = 0; i < ni; i++) {
                        long dst = (out + (i0 + i) * outA + j0) * es;
                        if (es == 4) MemorySegment.copy(i2, i * TILE, os, Elem.I32, dst, nj);
                        else MemorySegment.copy(l2, i * TILE, os, Elem.I64, dst, nj);
                    }
                }
            }
        });
        return ArrayData.contiguous(ob, x.shape());
    }
}
