package org.mlx4j.cuda;

import org.mlx4j.core.Array;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.Scan;
import org.mlx4j.cuda.kernel.KernelSpec;
import org.mlx4j.cuda.kernel.ReductionKernels;

/**
 * Scans on the GPU ({@link Scan}: cumsum, cumprod, cummax, cummin, logcumsumexp; kernel
 * {@code scan.cu}): one thread per line, sequential along the axis as on the CPU, reading a strided
 * input in place and writing the dense result.
 */
final class CudaScan {
    private CudaScan() {}

    static void register(CudaKernels t) {
        t.put(Scan.class, (n, rt) -> scan(n, CudaReduce.Gpu.of(rt)));
    }

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
            rt.launch(spec, "scan_rows", Grid.linear(rows), CudaRuntime.ptr(x), CudaReduce.lines(dims, strides, a), len, stride, out,
                    CudaReduce.inner(dims, a), rows);
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }
}
