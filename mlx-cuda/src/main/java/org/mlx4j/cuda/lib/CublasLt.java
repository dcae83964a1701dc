package org.mlx4j.cuda.lib;

import static org.mlx4j.cuda.lib.NativeLib.ADDR;
import static org.mlx4j.cuda.lib.NativeLib.INT;
import static org.mlx4j.cuda.lib.NativeLib.LONG;
import static org.mlx4j.cuda.lib.NativeLib.SIZE_T;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.mlx4j.cuda.CudaException;

/**
 * cuBLASLt ({@code libcublasLt.so.13} or {@code .12}) through {@code java.lang.foreign}: handles and the
 * strided-batched matrix product {@link #matmul}. Descriptors and the chosen algorithm are cached per
 * shape (an LRU of {@value #PLAN_CACHE} plans) and destroyed when evicted or on {@link #close()}.
 *
 * <p>Constants are those of the CUDA headers, checked against the header text:
 * {@code cublasLt.h} ({@code cublasLtMatmulDescAttributes_t}: TRANSA = 3, TRANSB = 4;
 * {@code cublasLtMatrixLayoutAttribute_t}: BATCH_COUNT = 5 (int32), STRIDED_BATCH_OFFSET = 6 (int64);
 * {@code cublasLtMatmulPreferenceAttributes_t}: MAX_WORKSPACE_BYTES = 1 (uint64), MIN_ALIGNMENT_A..D_BYTES
 * = 5..8 (uint32); {@code cublasLtMatmulAlgo_t} = {@code uint64_t data[8]} (64 bytes);
 * {@code cublasLtMatmulHeuristicResult_t} = {algo, size_t workspaceSize @64, cublasStatus_t state @72,
 * float wavesCount @76, int reserved[4] @80}, 96 bytes), {@code cublas_api.h} ({@code cublasOperation_t}
 * N = 0, T = 1; {@code cublasComputeType_t} 32F = 68, 32F_FAST_TF32 = 77, 64F = 70; {@code cublasStatus_t};
 * version = major * 10000 + minor * 100 + patch) and {@code library_types.h} ({@code cudaDataType_t}
 * R_32F = 0, R_64F = 1, R_16F = 2, R_16BF = 14; the last checked in CUDA 13.0's own header).
 */
public final class CublasLt implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(CublasLt.class);
    /** How many shape plans stay cached. */
    static final int PLAN_CACHE = 64;

    // cublas_api.h: cublasOperation_t
    static final int CUBLAS_OP_N = 0, CUBLAS_OP_T = 1;
    // cublas_api.h: cublasComputeType_t
    static final int CUBLAS_COMPUTE_32F = 68, CUBLAS_COMPUTE_32F_FAST_TF32 = 77, CUBLAS_COMPUTE_64F = 70;
    // library_types.h: cudaDataType_t
    static final int CUDA_R_32F = 0, CUDA_R_64F = 1, CUDA_R_16F = 2, CUDA_R_16BF = 14;
    // cublasLt.h: cublasLtMatmulDescAttributes_t
    static final int CUBLASLT_MATMUL_DESC_TRANSA = 3, CUBLASLT_MATMUL_DESC_TRANSB = 4;
    // cublasLt.h: cublasLtMatrixLayoutAttribute_t
    static final int CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT = 5, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET = 6;
    // cublasLt.h: cublasLtMatmulPreferenceAttributes_t
    static final int CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES = 1;
    static final int CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES = 5, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES = 6,
            CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES = 7, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES = 8;
    // cublasLt.h: struct sizes and offsets
    static final long ALGO_BYTES = 64, HEURISTIC_BYTES = 96, HEURISTIC_WORKSPACE_OFFSET = 64, HEURISTIC_STATE_OFFSET = 72;
    /** How many heuristic results to ask for; the first usable one is taken. */
    static final int HEURISTIC_REQUEST = 4;
    /** The alignment cuBLASLt's heuristic assumes by default (bytes); smaller pointers must be declared. */
    static final int DEFAULT_ALIGNMENT = 256;

    /**
     * Element and arithmetic types of a product.
     */
    public enum Type {
        /** float32 data, float32 arithmetic ({@code CUBLAS_COMPUTE_32F}: no TF32 down-conversion). */
        F32(CUDA_R_32F, CUBLAS_COMPUTE_32F, CUDA_R_32F, 4),
        /** float32 data, TF32 tensor cores allowed ({@code CUBLAS_COMPUTE_32F_FAST_TF32}). */
        F32_TF32(CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, CUDA_R_32F, 4),
        /** float16 data, float32 accumulation and scale ({@code CUBLAS_COMPUTE_32F}, {@code CUDA_R_32F}). */
        F16(CUDA_R_16F, CUBLAS_COMPUTE_32F, CUDA_R_32F, 2),
        /** bfloat16 data, float32 accumulation and scale. */
        BF16(CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F, 2),
        /** float64 data and arithmetic; alpha and beta are passed as doubles. */
        F64(CUDA_R_64F, CUBLAS_COMPUTE_64F, CUDA_R_64F, 8);

        final int dataType, computeType, scaleType, elementBytes;

        Type(int dataType, int computeType, int scaleType, int elementBytes) {
            this.dataType = dataType;
            this.computeType = computeType;
            this.scaleType = scaleType;
            this.elementBytes = elementBytes;
        }

        /** The {@code cudaDataType_t} of A, B, C and D. */
        public int dataType() { return dataType; }

        /** The {@code cublasComputeType_t}. */
        public int computeType() { return computeType; }

        /** The {@code cudaDataType_t} of alpha and beta. */
        public int scaleType() { return scaleType; }

        /** Bytes per element. */
        public int elementBytes() { return elementBytes; }
    }

    private final NativeLib lib;
    private final NativeLib.Fn create, destroy, getVersion, getStatusName;
    private final NativeLib.Fn descCreate, descDestroy, descSet;
    private final NativeLib.Fn layoutCreate, layoutDestroy, layoutSet;
    private final NativeLib.Fn prefCreate, prefDestroy, prefSet;
    private final NativeLib.Fn heuristic, matmul;
    private final LinkedHashMap<PlanKey, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<PlanKey, Plan> eldest) {
            if (size() <= PLAN_CACHE) return false;
            eldest.getValue().destroy();
            return true;
        }
    };
    private int planMisses;

    private CublasLt(NativeLib lib) {
        this.lib = lib;
        FunctionDescriptor setAttr = FunctionDescriptor.of(INT, ADDR, INT, ADDR, SIZE_T);
        FunctionDescriptor oneAddr = FunctionDescriptor.of(INT, ADDR);
        create = lib.fn("cublasLtCreate", oneAddr);
        destroy = lib.fn("cublasLtDestroy", oneAddr);
        getVersion = lib.fn("cublasLtGetVersion", FunctionDescriptor.of(SIZE_T));
        getStatusName = lib.fn("cublasLtGetStatusName", FunctionDescriptor.of(ADDR, INT));
        // cublasLtMatmulDescCreate(cublasLtMatmulDesc_t*, cublasComputeType_t, cudaDataType_t scaleType)
        descCreate = lib.fn("cublasLtMatmulDescCreate", FunctionDescriptor.of(INT, ADDR, INT, INT));
        descDestroy = lib.fn("cublasLtMatmulDescDestroy", oneAddr);
        descSet = lib.fn("cublasLtMatmulDescSetAttribute", setAttr);
        // cublasLtMatrixLayoutCreate(cublasLtMatrixLayout_t*, cudaDataType, uint64_t rows, uint64_t cols, int64_t ld)
        layoutCreate = lib.fn("cublasLtMatrixLayoutCreate", FunctionDescriptor.of(INT, ADDR, INT, LONG, LONG, LONG));
        layoutDestroy = lib.fn("cublasLtMatrixLayoutDestroy", oneAddr);
        layoutSet = lib.fn("cublasLtMatrixLayoutSetAttribute", setAttr);
        prefCreate = lib.fn("cublasLtMatmulPreferenceCreate", oneAddr);
        prefDestroy = lib.fn("cublasLtMatmulPreferenceDestroy", oneAddr);
        prefSet = lib.fn("cublasLtMatmulPreferenceSetAttribute", setAttr);
        // cublasLtMatmulAlgoGetHeuristic(handle, desc, Adesc, Bdesc, Cdesc, Ddesc, pref, int requested,
        //                                cublasLtMatmulHeuristicResult_t results[], int* returned)
        heuristic = lib.fn("cublasLtMatmulAlgoGetHeuristic",
                FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR, INT, ADDR, ADDR));
        // cublasLtMatmul(handle, desc, alpha, A, Adesc, B, Bdesc, beta, C, Cdesc, D, Ddesc, algo*,
        //                workspace, size_t workspaceSizeInBytes, cudaStream_t)
        matmul = lib.fn("cublasLtMatmul", FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR,
                ADDR, ADDR, ADDR, ADDR, ADDR, ADDR, SIZE_T, ADDR));
    }

    /**
     * Finds and loads cuBLASLt.
     *
     * @throws IllegalStateException naming what was searched, or why the library could not be loaded
     */
    public static CublasLt load(LibrarySearch search) {
        return new CublasLt(NativeLib.open(search, CudaLibrary.CUBLASLT));
    }

    /** The loaded file. */
    public String path() { return lib.where(); }

    /** {@code cublasLtGetVersion()}: {@code major * 10000 + minor * 100 + patch}, e.g. 130100. */
    public long version() {
        try {
            return (long) getVersion.handle().invokeExact();
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /** The version as text, e.g. {@code 13.1.0}. */
    public String versionString() {
        long v = version();
        return (v / 10000) + "." + (v % 10000 / 100) + "." + (v % 100);
    }

    /**
     * A new handle ({@code cublasLtCreate}); cuBLASLt handles are not tied to a stream.
     *
     * @throws CudaException when cuBLASLt refuses (e.g. {@code CUBLAS_STATUS_NOT_INITIALIZED} without a device)
     */
    public long createHandle() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDR);
            check((int) create.handle().invokeExact(out), "cublasLtCreate");
            return out.get(ADDR, 0).address();
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /** Destroys a handle, and the cached plans made with it. */
    public void destroyHandle(long handle) {
        synchronized (this) {
            plans.entrySet().removeIf(e -> {
                if (e.getKey().handle() != handle) return false;
                e.getValue().destroy();
                return true;
            });
        }
        try {
            check((int) destroy.handle().invokeExact(MemorySegment.ofAddress(handle)), "cublasLtDestroy");
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /**
     * Queues {@code D = alpha * op(A) * op(B) + beta * C} on {@code stream}, in cuBLAS's column-major
     * convention, for {@code batch} matrices at the given strides; D is written over C (same pointer,
     * same layout). op(A) is m x k, op(B) is k x n, C is m x n. A row-major product R = X Y (X: m x k,
     * Y: k x n) is the column-major C^T = Y^T X^T: pass B = X, A = Y and swap m and n.
     *
     * @param handle         from {@link #createHandle()}
     * @param stream         the raw {@code CUstream} to queue on
     * @param transA         true when A is stored k x m (column-major) and used transposed
     * @param transB         true when B is stored n x k and used transposed
     * @param a              device address of A (its first element)
     * @param lda            leading dimension of A as stored (>= its rows)
     * @param strideA        elements between consecutive A matrices (ignored when {@code batch == 1})
     * @param c              device address of C, which receives D
     * @param workspace      device scratch memory for cuBLASLt, or 0
     * @param workspaceBytes its size (algorithms needing more are not chosen)
     * @throws IllegalArgumentException for sizes or leading dimensions that cannot describe the matrices
     * @throws CudaException            when a cuBLASLt call fails, named with its status and the shape
     */
    public synchronized void matmul(long handle, long stream, Type type, boolean transA, boolean transB,
                                    long m, long n, long k,
                                    long a, long lda, long strideA,
                                    long b, long ldb, long strideB,
                                    long c, long ldc, long strideC,
                                    int batch, float alpha, float beta, long workspace, long workspaceBytes) {
        if (m < 0 || n < 0 || k < 0 || batch < 0) {
            throw new IllegalArgumentException("[matmul] negative size: m=" + m + " n=" + n + " k=" + k + " batch=" + batch);
        }
        if (m == 0 || n == 0 || batch == 0) return;
        long rowsA = transA ? k : m, rowsB = transB ? n : k;
        checkLd("lda", lda, rowsA);
        checkLd("ldb", ldb, rowsB);
        checkLd("ldc", ldc, m);
        if (workspaceBytes < 0) throw new IllegalArgumentException("[matmul] workspaceBytes " + workspaceBytes + " < 0");
        String what = "cublasLtMatmul m=" + m + " n=" + n + " k=" + k + (batch > 1 ? " batch=" + batch : "") + " " + type
                + (transA ? " A^T" : "") + (transB ? " B^T" : "");
        PlanKey key = new PlanKey(handle, type, transA, transB, m, n, k, lda, ldb, ldc,
                batch > 1 ? strideA : 0, batch > 1 ? strideB : 0, batch > 1 ? strideC : 0, batch, workspaceBytes,
                alignment(a), alignment(b), alignment(c));
        Plan plan = plans.get(key);
        if (plan == null) {
            plan = plan(key, what);
            plans.put(key, plan);
            planMisses++;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al, be;
            if (type == Type.F64) {
                al = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, alpha);
                be = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, beta);
            } else {
                al = arena.allocateFrom(ValueLayout.JAVA_FLOAT, alpha);
                be = arena.allocateFrom(ValueLayout.JAVA_FLOAT, beta);
            }
            MemorySegment cPtr = MemorySegment.ofAddress(c);
            int status = (int) matmul.handle().invokeExact(MemorySegment.ofAddress(handle), plan.desc, al,
                    MemorySegment.ofAddress(a), plan.layoutA, MemorySegment.ofAddress(b), plan.layoutB, be,
                    cPtr, plan.layoutC, cPtr, plan.layoutC, plan.algo,
                    MemorySegment.ofAddress(workspace), workspaceBytes, MemorySegment.ofAddress(stream));
            check(status, what);
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    private static void checkLd(String name, long ld, long rows) {
        if (ld < Math.max(1, rows)) {
            throw new IllegalArgumentException("[matmul] " + name + "=" + ld + " is smaller than the stored rows " + rows);
        }
    }

    /** The largest power of two (at most 256) dividing {@code address}: what the heuristic may assume. */
    static int alignment(long address) {
        if (address == 0) return DEFAULT_ALIGNMENT;
        int tz = Long.numberOfTrailingZeros(address);
        return tz >= 8 ? DEFAULT_ALIGNMENT : 1 << tz;
    }

    /** Makes the descriptors for {@code key} and asks the heuristic for an algorithm. */
    private Plan plan(PlanKey key, String what) {
        Plan p = new Plan();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment out = tmp.allocate(ADDR);
            check((int) descCreate.handle().invokeExact(out, key.type().computeType, key.type().scaleType), "cublasLtMatmulDescCreate for " + what);
            p.desc = out.get(ADDR, 0);
            setInt(descSet, p.desc, CUBLASLT_MATMUL_DESC_TRANSA, key.transA() ? CUBLAS_OP_T : CUBLAS_OP_N, tmp, "TRANSA", what);
            setInt(descSet, p.desc, CUBLASLT_MATMUL_DESC_TRANSB, key.transB() ? CUBLAS_OP_T : CUBLAS_OP_N, tmp, "TRANSB", what);
            long m = key.m(), n = key.n(), k = key.k();
            p.layoutA = layout(key, key.transA() ? k : m, key.transA() ? m : k, key.lda(), key.strideA(), tmp, "A", what);
            p.layoutB = layout(key, key.transB() ? n : k, key.transB() ? k : n, key.ldb(), key.strideB(), tmp, "B", what);
            p.layoutC = layout(key, m, n, key.ldc(), key.strideC(), tmp, "C", what);

            check((int) prefCreate.handle().invokeExact(out), "cublasLtMatmulPreferenceCreate for " + what);
            MemorySegment pref = out.get(ADDR, 0);
            try {
                MemorySegment ws = tmp.allocateFrom(ValueLayout.JAVA_LONG, key.workspaceBytes());
                check((int) prefSet.handle().invokeExact(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, ws, 8L),
                        "cublasLtMatmulPreferenceSetAttribute(MAX_WORKSPACE_BYTES) for " + what);
                setInt(prefSet, pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, key.alignA(), tmp, "MIN_ALIGNMENT_A_BYTES", what);
                setInt(prefSet, pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, key.alignB(), tmp, "MIN_ALIGNMENT_B_BYTES", what);
                setInt(prefSet, pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, key.alignC(), tmp, "MIN_ALIGNMENT_C_BYTES", what);
                setInt(prefSet, pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, key.alignC(), tmp, "MIN_ALIGNMENT_D_BYTES", what);

                MemorySegment results = tmp.allocate(HEURISTIC_BYTES * HEURISTIC_REQUEST, 8);
                MemorySegment returned = tmp.allocate(INT);
                check((int) heuristic.handle().invokeExact(MemorySegment.ofAddress(key.handle()), p.desc, p.layoutA, p.layoutB,
                        p.layoutC, p.layoutC, pref, HEURISTIC_REQUEST, results, returned), "cublasLtMatmulAlgoGetHeuristic for " + what);
                int count = returned.get(INT, 0);
                MemorySegment chosen = null;
                for (int i = 0; i < Math.min(count, HEURISTIC_REQUEST) && chosen == null; i++) {
                    MemorySegment r = results.asSlice(i * HEURISTIC_BYTES, HEURISTIC_BYTES);
                    if (r.get(INT, HEURISTIC_STATE_OFFSET) == 0) chosen = r;
                }
                if (chosen == null) {
                    throw new CudaException(15, "CUBLAS_STATUS_NOT_SUPPORTED",
                            "cublasLtMatmulAlgoGetHeuristic found no algorithm (" + count + " results) for " + what);
                }
                p.algo = p.arena.allocate(ALGO_BYTES, 8);
                MemorySegment.copy(chosen, 0, p.algo, 0, ALGO_BYTES);
                p.workspaceNeeded = chosen.get(ValueLayout.JAVA_LONG, HEURISTIC_WORKSPACE_OFFSET);
            } finally {
                int r = (int) prefDestroy.handle().invokeExact(pref);
                if (r != 0) LOG.warn("cublasLtMatmulPreferenceDestroy: {}", statusName(r));
            }
            return p;
        } catch (Throwable t) {
            p.destroy();
            throw NativeLib.rethrow(t);
        }
    }

    private MemorySegment layout(PlanKey key, long rows, long cols, long ld, long stride, Arena tmp, String which, String what) throws Throwable {
        MemorySegment out = tmp.allocate(ADDR);
        check((int) layoutCreate.handle().invokeExact(out, key.type().dataType, rows, cols, ld), "cublasLtMatrixLayoutCreate(" + which + ") for " + what);
        MemorySegment layout = out.get(ADDR, 0);
        if (key.batch() > 1) {
            try {
                setInt(layoutSet, layout, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, key.batch(), tmp, "BATCH_COUNT(" + which + ")", what);
                MemorySegment s = tmp.allocateFrom(ValueLayout.JAVA_LONG, stride);
                check((int) layoutSet.handle().invokeExact(layout, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, s, 8L),
                        "cublasLtMatrixLayoutSetAttribute(STRIDED_BATCH_OFFSET(" + which + ")) for " + what);
            } catch (Throwable t) {
                int ignored = (int) layoutDestroy.handle().invokeExact(layout);
                throw t;
            }
        }
        return layout;
    }

    private void setInt(NativeLib.Fn setter, MemorySegment target, int attribute, int value, Arena tmp, String name, String what) throws Throwable {
        MemorySegment v = tmp.allocateFrom(ValueLayout.JAVA_INT, value);
        check((int) setter.handle().invokeExact(target, attribute, v, 4L), setter.symbol() + "(" + name + ") for " + what);
    }

    /** How many plans were made (cache misses) so far; for tests and diagnostics. */
    public synchronized int planMisses() { return planMisses; }

    /** How many plans are cached now. */
    public synchronized int cachedPlans() { return plans.size(); }

    /** Destroys every cached plan (handles stay; destroy them with {@link #destroyHandle}). */
    @Override public synchronized void close() {
        for (Plan p : plans.values()) p.destroy();
        plans.clear();
    }

    /** cuBLAS's name for a status, e.g. {@code CUBLAS_STATUS_INVALID_VALUE}. */
    public String statusName(int status) {
        try {
            String s = NativeLib.cString((MemorySegment) getStatusName.handle().invokeExact(status));
            if (s != null && !s.isBlank()) return s;
        } catch (Throwable t) {
            // an old library without cublasLtGetStatusName: use the header's names
        }
        return knownStatusName(status);
    }

    /** The {@code cublasStatus_t} names of {@code cublas_api.h}. */
    static String knownStatusName(int status) {
        return switch (status) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "CUBLAS_STATUS_" + status;
        };
    }

    private void check(int status, String call) {
        if (status != 0) throw new CudaException(status, statusName(status), call);
    }

    @Override public String toString() { return "cuBLASLt (" + path() + ")"; }

    /** What a plan depends on: everything the descriptors and the heuristic see. */
    record PlanKey(long handle, Type type, boolean transA, boolean transB, long m, long n, long k,
                   long lda, long ldb, long ldc, long strideA, long strideB, long strideC, int batch,
                   long workspaceBytes, int alignA, int alignB, int alignC) {}

    /** Descriptors and the chosen algorithm of one shape. */
    private final class Plan {
        final Arena arena = Arena.ofShared();
        MemorySegment desc, layoutA, layoutB, layoutC, algo;
        long workspaceNeeded;

        void destroy() {
            List<String> failures = new ArrayList<>();
            try {
                if (layoutA != null) note(failures, "A", (int) layoutDestroy.handle().invokeExact(layoutA));
                if (layoutB != null) note(failures, "B", (int) layoutDestroy.handle().invokeExact(layoutB));
                if (layoutC != null) note(failures, "C", (int) layoutDestroy.handle().invokeExact(layoutC));
                if (desc != null) note(failures, "desc", (int) descDestroy.handle().invokeExact(desc));
            } catch (Throwable t) {
                failures.add(t.toString());
            }
            layoutA = layoutB = layoutC = desc = null;
            if (arena.scope().isAlive()) arena.close();
            if (!failures.isEmpty()) LOG.warn("destroying cuBLASLt descriptors: {}", failures);
        }

        private void note(List<String> failures, String what, int status) {
            if (status != 0) failures.add(what + ": " + statusName(status));
        }
    }
}
