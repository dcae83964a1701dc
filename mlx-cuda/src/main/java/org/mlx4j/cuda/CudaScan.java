package org.mlx4j.cuda;

import org.mlx4j.core.Array;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.Scan;
import org.mlx4j.cuda.kernel.KernelSpec;
import org.mlx4j.cuda.kernel.ReductionKernels;

/**
 * Scans on the GPU ({@link Scan}: cumsum, cumprod, cummax, cummin, logcumsumexp; kernel
 * {@code scan.cu}), reading a strided input in place and writing the dense result: one thread per
 * line, sequential along the axis as on the CPU; or, for few long lines ({@link #blockPerLine}), one
 * block per line, each thread scanning a chunk after a block-wide scan of the chunk totals (float
 * sums and products then round in that grouping, within a few ulps of the CPU's).
 */
final class CudaScan {
    private CudaScan() {}

    static void register(CudaKernels t) {
        t.put(Scan.class, (n, rt) -> scan(n, CudaReduce.Gpu.of(rt)));
    }

    /** Threads of a block scanning one line. */
    static final int BLOCK = 256;

    /**
     * Whether a block scans each line: when the lines are too few to occupy the GPU one thread each
     * (under {@value #FEW_LINES}) and long enough to share ({@value #LONG_LINE} elements or more).
     */
    static boolean blockPerLine(long rows, long len) { return rows < FEW_LINES && len >= LONG_LINE; }

    static final long FEW_LINES = 16384, LONG_LINE = 512;

    static void scan(Array node, CudaReduce.Gpu rt) {
        Scan p = (Scan) node.primitive();
        Array x = node.input(0);
        CudaBuffer out = rt.allocate(node.nbytes());
        if (node.size() > 0) {
            int[] dims = x.shape().dims();
            long[] strides = x.data().strides();
            int a = p.axis();
            long len = dims[a], stride = strides[a], rows = x.size() / len;
            KernelSpec spec = ReductionKernels.scan(p.op(), p.reverse(), p.inclusive(), x.dtype(), node.dtype());
            Layout lines = CudaReduce.lines(dims, strides, a);
            long inner = CudaReduce.inner(dims, a);
            if (blockPerLine(rows, len)) {
                rt.launch(spec, "scan_rows_block", Grid.rows(rows, BLOCK, 0), CudaRuntime.ptr(x), lines, len, stride, out, inner, rows);
            } else {
                rt.launch(spec, "scan_rows", Grid.linear(rows), CudaRuntime.ptr(x), lines, len, stride, out, inner, rows);
            }
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }
}
