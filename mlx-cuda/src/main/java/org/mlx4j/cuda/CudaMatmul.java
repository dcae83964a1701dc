package org.mlx4j.cuda;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.Matmul;
import org.mlx4j.cuda.lib.CublasLt;
import org.mlx4j.cuda.lib.CudaLibraries;

/**
 * Matmul through cuBLASLt: float32 (TF32 when {@code -Dmlx4j.cuda.allowTf32=true}, off by default
 * as in PyTorch), float16 and bfloat16 with float32 accumulation, float64; batched with one strided
 * call when the batch axes step uniformly. Views whose last two axes have a unit stride are passed
 * as they are (a transposed view becomes a transpose flag); other views are made dense first.
 */
final class CudaMatmul {
    private CudaMatmul() {}

    /** cuBLASLt's recommended workspace on Hopper. */
    static final long WORKSPACE_BYTES = 32L << 20;

    /** Per device: the cuBLASLt handle and its workspace, made with the context current. */
    private record Lt(CublasLt lib, long handle, CudaBuffer workspace) {}

    private static final Map<CudaRuntime, Lt> HANDLES = new ConcurrentHashMap<>();

    static void register(CudaKernels t) { t.put(Matmul.class, CudaMatmul::matmul); }

    static boolean allowTf32() { return Boolean.getBoolean("mlx4j.cuda.allowTf32"); }

    private static Lt lt(CudaRuntime rt) {
        return HANDLES.computeIfAbsent(rt, r -> {
            r.makeCurrent();
            CublasLt lib = CudaLibraries.cublasLt();
            return new Lt(lib, lib.createHandle(), r.allocate(WORKSPACE_BYTES));
        });
    }

    static void matmul(Array node, CudaRuntime rt) {
        Array a = node.input(0), b = node.input(1);
        DType t = node.dtype();
        int nd = node.ndim();
        int m = node.shape().dim(-2), n = node.shape().dim(-1), k = a.shape().dim(-1);
        CudaBuffer out = rt.allocate(node.nbytes());
        node.setData(ArrayData.contiguous(out, node.shape()));
        if (node.size() == 0) return;
        if (k == 0) {
            rt.zero(out, 0, node.nbytes());
            return;
        }
        int[] batchDims = java.util.Arrays.copyOf(node.shape().dims(), nd - 2);
        Operand oa = Operand.of(rt, a, m, k, batchDims), ob = Operand.of(rt, b, k, n, batchDims);
        try {
            long batch = node.size() / ((long) m * n);
            gemm(rt, t, oa.plan.trans(), ob.plan.trans(), Math.toIntExact(batch), m, n, k,
                    oa.ptr, oa.plan.ld(), oa.batchStride, ob.ptr, ob.plan.ld(), ob.batchStride,
                    out.ptr(), n, (long) m * n);
        } finally {
            oa.release();
            ob.release();
        }
    }

    /** An operand as the GEMM reads it: address, plan, batch stride, and a temporary to free. */
    private record Operand(Ptr ptr, MatmulPlan.Operand plan, long batchStride, CudaBuffer temp) {
        static Operand of(CudaRuntime rt, Array x, long rows, long cols, int[] batchDims) {
            ArrayData d = x.data();
            long[] st = d.strides();
            int nd = st.length;
            MatmulPlan.Operand p = MatmulPlan.operand(rows, cols, st[nd - 2], st[nd - 1]);
            long[] bs = MatmulPlan.batch(batchDims, java.util.Arrays.copyOf(st, nd - 2));
            if (p != null && bs != null) return new Operand(CudaRuntime.ptr(x), p, bs[1], null);
            // a general view: one dense copy, then it is plain row-major
            CudaBuffer dense = CudaElementwise.dense(rt, x);
            return new Operand(dense.ptr(), new MatmulPlan.Operand(false, Math.max(1, cols)), rows * cols, dense);
        }

        void release() {
            if (temp != null) temp.release();
        }
    }

    /**
     * Row-major batched GEMM: {@code C[m,n] = op(A)[m,k] op(B)[k,n]} for each of {@code batch}
     * products, with element strides between products (0 broadcasts an operand). {@code transA}
     * means A is stored as its transpose ({@code k x m}, row pitch {@code lda}); likewise B. C is
     * row-major with row pitch {@code ldc}. Queued on the runtime's stream. Used by matmul and by the
     * im2col convolution.
     */
    static void gemm(CudaRuntime rt, DType t, boolean transA, boolean transB, int batch, long m, long n, long k,
                     Ptr a, long lda, long strideA, Ptr b, long ldb, long strideB, Ptr c, long ldc, long strideC) {
        CublasLt.Type type = switch (t) {
            case FLOAT32 -> allowTf32() ? CublasLt.Type.F32_TF32 : CublasLt.Type.F32;
            case FLOAT16 -> CublasLt.Type.F16;
            case BFLOAT16 -> CublasLt.Type.BF16;
            case FLOAT64 -> CublasLt.Type.F64;
            default -> throw new UnsupportedOperationException("[matmul] no CUDA GEMM for " + t + " (ops compute integer products in float32)");
        };
        Lt lt = lt(rt);
        // column-major cuBLAS sees our row-major C as C^T = op(B)^T op(A)^T: B first, A second
        lt.lib().matmul(lt.handle(), rt.streamHandle(), type, transB, transA, n, m, k,
                b.address(), ldb, strideB, a.address(), lda, strideA, c.address(), ldc, strideC,
                batch, 1f, 0f, lt.workspace().address(), WORKSPACE_BYTES);
    }
}
