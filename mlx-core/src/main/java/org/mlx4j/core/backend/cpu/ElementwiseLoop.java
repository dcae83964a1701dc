package org.mlx4j.core.backend.cpu;

/**
 * Walks same-shaped operands with arbitrary strides as a set of rows: axes that are contiguous for
 * every operand are merged first, so dense data is one long row and a broadcast bias is one row per
 * outer index. Rows (or pieces of a single long row) run in parallel.
 */
final class ElementwiseLoop {
    private ElementwiseLoop() {}

    /** One row: operand k starts at element {@code off[k]} and advances by {@code stride[k]}. */
    @FunctionalInterface
    interface Row { void run(long[] off, long[] stride, int len); }

    private static final long GRAIN = 1 << 15;

    /**
     * @param dims    the common shape
     * @param strides per operand (operand 0 is usually the output), element strides per axis
     * @param offsets per operand, element offset of the first element
     */
    static void run(int[] dims, long[][] strides, long[] offsets, Row row) {
        int ops = strides.length;
        long total = 1;
        for (int d : dims) total *= d;
        if (total == 0) return;
        // drop size-1 axes, then merge axis i into i+1 when contiguous for every operand
        int n = 0;
        // at least one axis, so scalars run as one row of length one
        int[] d2 = new int[Math.max(1, dims.length)];
        long[][] s2 = new long[ops][Math.max(1, dims.length)];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 1) continue;
            d2[n] = dims[i];
            for (int k = 0; k < ops; k++) s2[k][n] = strides[k][i];
            n++;
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m > 0) {
                boolean merge = true;
                for (int k = 0; k < ops && merge; k++) merge = s2[k][m - 1] == s2[k][i] * d2[i];
                if (merge) {
                    d2[m - 1] *= d2[i];
                    for (int k = 0; k < ops; k++) s2[k][m - 1] = s2[k][i];
                    continue;
                }
            }
            d2[m] = d2[i];
            for (int k = 0; k < ops; k++) s2[k][m] = s2[k][i];
            m++;
        }
        if (m == 0) {
            m = 1;
            d2[0] = 1;
            for (int k = 0; k < ops; k++) s2[k][0] = 1;
        }
        final int nd = m;
        final int inner = d2[nd - 1];
        final long[] innerStride = new long[ops];
        for (int k = 0; k < ops; k++) innerStride[k] = s2[k][nd - 1];
        final long rows = total / inner;
        if (rows == 1) {
            Parallel.forRange(inner, GRAIN, (a, b) -> {
                long[] off = new long[ops];
                for (int k = 0; k < ops; k++) off[k] = offsets[k] + a * innerStride[k];
                row.run(off, innerStride, (int) (b - a));
            });
            return;
        }
        final int[] dd = d2;
        Parallel.forRange(rows, Math.max(1, GRAIN / inner), (a, b) -> {
            // position of row a by division once, then an odometer: short rows (a broadcast bias
            // over 32 channels) would otherwise spend more on divisions than on the row itself
            long[] off = new long[ops];
            int[] idx = new int[Math.max(1, nd - 1)];
            long rem = a;
            for (int k = 0; k < ops; k++) off[k] = offsets[k];
            for (int ax = nd - 2; ax >= 0; ax--) {
                idx[ax] = (int) (rem % dd[ax]);
                rem /= dd[ax];
                for (int k = 0; k < ops; k++) off[k] += idx[ax] * s2[k][ax];
            }
            long[] cur = off.clone();
            for (long r = a; r < b; r++) {
                System.arraycopy(off, 0, cur, 0, ops); // the row may not change off, but be safe
                row.run(cur, innerStride, inner);
                for (int ax = nd - 2; ax >= 0; ax--) {
                    if (++idx[ax] < dd[ax]) {
                        for (int k = 0; k < ops; k++) off[k] += s2[k][ax];
                        break;
                    }
                    idx[ax] = 0;
                    for (int k = 0; k < ops; k++) off[k] -= (long) (dd[ax] - 1) * s2[k][ax];
                }
            }
        });
    }
}
