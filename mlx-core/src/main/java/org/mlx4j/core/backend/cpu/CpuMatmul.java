package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.Matmul;

/**
 * Batched matrix product on the CPU. Operands may be strided views (transposes, slices, broadcast
 * batches); each batch reads them through their strides. float32 and float64 go to {@link Gemm};
 * float16 and bfloat16 are widened to float32 per batch, multiplied, and rounded back.
 * Many small products run in parallel over the batch (each one on a single thread); large ones run
 * one after another, each parallel inside.
 */
final class CpuMatmul {
    private CpuMatmul() {}

    /** Per-product multiply-adds below which a batch is spread over threads product by product (the product alone would not go parallel). */
    private static final long SMALL_PRODUCT = Gemm.PARALLEL_WORK;

    static void register(CpuBackend.Registry r) {
        r.put(Matmul.class, CpuMatmul::matmul);
    }

    static void matmul(Array node) {
        Array a = node.input(0), b = node.input(1);
        ArrayData ad = a.data(), bd = b.data();
        int nd = node.ndim();
        int m = node.shape().dim(-2), n = node.shape().dim(-1), k = a.shape().dim(-1);
        long batches = node.size() == 0 ? 0 : node.size() / ((long) m * n);
        Buffer ob = CpuElementwise.alloc(node);
        MemorySegment os = ob.segment(), as = ad.buffer().hostSegment(), bs = bd.buffer().hostSegment();
        long[] sa = ad.strides(), sb = bd.strides();
        long ars = sa[nd - 2], acs = sa[nd - 1], brs = sb[nd - 2], bcs = sb[nd - 1];
        int[] batchDims = java.util.Arrays.copyOf(node.shape().dims(), nd - 2);
        DType t = node.dtype();
        // products spread over the batch run one per thread: no multi-threaded BLAS inside
        boolean spread = batches > 1 && (long) m * n * Math.max(k, 1) < SMALL_PRODUCT;
        Parallel.Range run = (b0, b1) -> {
            Buffer tmp = null;
            try {
                for (long bi = b0; bi < b1; bi++) {
                    long ao = ad.offset(), bo = bd.offset(), rem = bi;
                    for (int ax = nd - 3; ax >= 0; ax--) {
                        long idx = rem % batchDims[ax];
                        rem /= batchDims[ax];
                        ao += idx * sa[ax];
                        bo += idx * sb[ax];
                    }
                    long oo = bi * m * n;
                    switch (t) {
                        case FLOAT32 -> Gemm.sgemm(!spread, m, n, k, as, ao, ars, acs, bs, bo, brs, bcs, os, oo);
                        case FLOAT64 -> Gemm.dgemm(!spread, m, n, k, as, ao, ars, acs, bs, bo, brs, bcs, os, oo);
                        default -> {
                            long need = ((long) m * k + (long) k * n + (long) m * n) * 4;
                            if (tmp == null) tmp = Allocator.global().allocate(need);
                            halfGemm(!spread, t, m, n, k, as, ao, ars, acs, bs, bo, brs, bcs, os, oo, tmp.segment());
                        }
                    }
                }
            } finally {
                if (tmp != null) tmp.release();
            }
        };
        if (spread) {
            Parallel.forRange(batches, Math.max(1, SMALL_PRODUCT / ((long) m * n * Math.max(k, 1) + 1)), run);
        } else {
            run.run(0, batches);
        }
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    /** float16/bfloat16: widen A and B to dense float32, multiply, round the product back. */
    private static void halfGemm(boolean autoBlas, DType t, int m, int n, int k, MemorySegment as, long ao, long ars, long acs,
                                 MemorySegment bs, long bo, long brs, long bcs, MemorySegment os, long oo, MemorySegment tmp) {
        long ta = 0, tb = (long) m * k, tc = tb + (long) k * n;
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) tmp.setAtIndex(Elem.F32, ta + (long) i * k + p, (float) Elem.getDouble(t, as, ao + i * ars + p * acs));
        }
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) tmp.setAtIndex(Elem.F32, tb + (long) p * n + j, (float) Elem.getDouble(t, bs, bo + p * brs + j * bcs));
        }
        Gemm.sgemm(autoBlas, m, n, k, tmp, ta, k, 1, tmp, tb, n, 1, tmp, tc);
        for (long i = 0, len = (long) m * n; i < len; i++) Elem.setDouble(t, os, oo + i, tmp.getAtIndex(Elem.F32, tc + i));
    }
}
