package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.Matmul;

/**
 * Batched matrix product on the CPU. Operands may be strided views (transposes, broadcast batches);
 * each batch reads them through their strides. float32 goes to {@link Gemm}; other floating types
 * compute in double.
 */
final class CpuMatmul {
    private CpuMatmul() {}

    static void register(CpuBackend.Registry r) {
        r.put(Matmul.class, CpuMatmul::matmul);
    }

    static void matmul(Array node) {
        Array a = node.input(0), b = node.input(1);
        ArrayData ad = a.data(), bd = b.data();
        int nd = node.ndim();
        int m = node.shape().dim(-2), n = node.shape().dim(-1), k = a.shape().dim(-1);
        long batches = node.size() / Math.max(1L, (long) m * n);
        if (node.size() == 0) batches = 0;
        Buffer ob = CpuElementwise.alloc(node);
        MemorySegment os = ob.segment(), as = ad.buffer().hostSegment(), bs = bd.buffer().hostSegment();
        long ars = ad.strides()[nd - 2], acs = ad.strides()[nd - 1], brs = bd.strides()[nd - 2], bcs = bd.strides()[nd - 1];
        int[] batchDims = java.util.Arrays.copyOf(node.shape().dims(), nd - 2);
        DType t = node.dtype();
        for (long bi = 0; bi < batches; bi++) {
            long ao = ad.offset(), bo = bd.offset(), rem = bi;
            for (int ax = nd - 3; ax >= 0; ax--) {
                long idx = rem % batchDims[ax];
                rem /= batchDims[ax];
                ao += idx * ad.strides()[ax];
                bo += idx * bd.strides()[ax];
            }
            long oo = bi * m * n;
            if (t == DType.FLOAT32) {
                Gemm.sgemm(m, n, k, as, ao, ars, acs, bs, bo, brs, bcs, os, oo);
            } else {
                genericGemm(t, m, n, k, as, ao, ars, acs, bs, bo, brs, bcs, os, oo);
            }
        }
        if (k == 0) {
            for (long i = 0; i < node.size(); i++) Elem.setDouble(t, os, i, 0);
        }
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    static void genericGemm(DType t, int m, int n, int k, MemorySegment as, long ao, long ars, long acs,
                            MemorySegment bs, long bo, long brs, long bcs, MemorySegment os, long oo) {
        Parallel.forRange(m, Math.max(1, 16384 / Math.max(1, (long) n * k)), (r0, r1) -> {
            double[] row = new double[n];
            for (long i = r0; i < r1; i++) {
                java.util.Arrays.fill(row, 0);
                for (int p = 0; p < k; p++) {
                    double av = Elem.getDouble(t, as, ao + i * ars + p * acs);
                    if (av == 0) continue;
                    long boff = bo + p * brs;
                    for (int j = 0; j < n; j++) row[j] += av * Elem.getDouble(t, bs, boff + j * bcs);
                }
                for (int j = 0; j < n; j++) Elem.setDouble(t, os, oo + i * n + j, row[j]);
            }
        });
    }
}
