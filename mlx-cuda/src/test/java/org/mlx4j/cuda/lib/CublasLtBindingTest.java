package org.mlx4j.cuda.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlx4j.cuda.CudaException;

/**
 * {@link CublasLt#matmul} against a gcc-built fake cuBLASLt whose "device" memory is host memory: the
 * fake computes the product from the descriptors the facade made, so a wrong layout, transpose,
 * batch attribute or scale type gives a wrong result here. The real library runs on a GPU machine only.
 */
class CublasLtBindingTest {
    @TempDir static Path tmp;
    private static Path lib;
    private CublasLt lt;
    private long handle;
    private Arena arena;
    private MethodHandle live, align, ws, failHeuristic;

    @BeforeEach void load() throws Throwable {
        FakeLibs.assumeGcc();
        if (lib == null) lib = FakeLibs.build("fake_cublasLt.c", tmp.resolve("lt"), "libcublasLt.so.13");
        lt = CublasLt.load(new LibrarySearch(List.of(tmp.resolve("lt"))));
        handle = lt.createHandle();
        arena = Arena.ofConfined();
        live = FakeLibs.probe(lib, "fake_live", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        align = FakeLibs.probe(lib, "fake_align", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        ws = FakeLibs.probe(lib, "fake_ws", FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        failHeuristic = FakeLibs.probe(lib, "fake_fail_heuristic", FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
    }

    @AfterEach void close() throws Throwable {
        if (lt == null) return;
        lt.close();
        assertEquals(0, (int) live.invokeExact(), "close destroys every descriptor");
        lt.destroyHandle(handle);
        arena.close();
    }

    private MemorySegment floats(float[] v) {
        MemorySegment s = arena.allocate(Math.max(4L, v.length * 4L), 256);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_FLOAT, 0, v.length);
        return s;
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextInt(7) - 3; // small integers: exact sums
        return v;
    }

    @Test void versionAndHandle() {
        assertEquals(130100L, lt.version());
        assertEquals("13.1.0", lt.versionString());
        assertTrue(handle != 0);
    }

    @Test void rowMajorProductThroughTheColumnMajorConvention() {
        int m = 3, k = 4, n = 5;
        float[] x = random(m * k, 1), y = random(k * n, 2);
        MemorySegment xs = floats(x), ys = floats(y), rs = floats(new float[m * n]);
        // R = X Y row-major is R^T = Y^T X^T column-major: A = Y (n x k, ld n), B = X (k x m, ld k)
        lt.matmul(handle, 0, CublasLt.Type.F32, false, false, n, m, k,
                ys.address(), n, 0, xs.address(), k, 0, rs.address(), n, 0, 1, 1f, 0f, 0, 0);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) s += x[i * k + p] * y[p * n + j];
                assertEquals(s, rs.getAtIndex(ValueLayout.JAVA_FLOAT, (long) i * n + j), "R[" + i + "," + j + "]");
            }
        }
    }

    @Test void transposedBatchedWithStridesAndPaddedLeadingDimensions() {
        int m = 2, n = 3, k = 4, batch = 3;
        int lda = k + 1, ldb = n + 2, ldc = m + 1; // A stored k x m, B stored n x k (both transposed)
        long sa = (long) lda * m + 3, sb = (long) ldb * k + 1, sc = (long) ldc * n + 2;
        float[] a = random((int) (sa * batch), 3), b = random((int) (sb * batch), 4), c = random((int) (sc * batch), 5);
        MemorySegment as = floats(a), bs = floats(b), cs = floats(c);
        lt.matmul(handle, 7, CublasLt.Type.F32_TF32, true, true, m, n, k,
                as.address(), lda, sa, bs.address(), ldb, sb, cs.address(), ldc, sc, batch, 2f, -1f, 0, 1 << 20);
        for (int q = 0; q < batch; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int p = 0; p < k; p++) s += a[(int) (q * sa + i * lda + p)] * b[(int) (q * sb + p * ldb + j)];
                    int at = (int) (q * sc + j * ldc + i);
                    assertEquals(2f * s - c[at], cs.getAtIndex(ValueLayout.JAVA_FLOAT, at), "batch " + q + " C[" + i + "," + j + "]");
                }
            }
        }
    }

    @Test void float64UsesDoubleScalars() {
        int m = 2, n = 2, k = 3;
        double[] a = {1, 2, 3, 4, 5, 6}, b = {1, 0, 1, 0, 1, 0}, c = {10, 20, 30, 40};
        MemorySegment as = arena.allocate(8L * a.length, 256), bs = arena.allocate(8L * b.length, 256), cs = arena.allocate(8L * c.length, 256);
        MemorySegment.copy(a, 0, as, ValueLayout.JAVA_DOUBLE, 0, a.length);
        MemorySegment.copy(b, 0, bs, ValueLayout.JAVA_DOUBLE, 0, b.length);
        MemorySegment.copy(c, 0, cs, ValueLayout.JAVA_DOUBLE, 0, c.length);
        lt.matmul(handle, 0, CublasLt.Type.F64, false, false, m, n, k,
                as.address(), m, 0, bs.address(), k, 0, cs.address(), m, 0, 1, 0.5f, 0.25f, 0, 0);
        // column-major A (2x3) = [[1,3,5],[2,4,6]], B (3x2) = [[1,0],[0,1],[1,0]]: AB = [[6,3],[8,4]]
        double[] expected = {0.5 * 6 + 2.5, 0.5 * 8 + 5, 0.5 * 3 + 7.5, 0.5 * 4 + 10};
        for (int i = 0; i < 4; i++) assertEquals(expected[i], cs.getAtIndex(ValueLayout.JAVA_DOUBLE, i), "C[" + i + "]");
    }

    @Test void plansAreCachedPerShapeAndDestroyedOnEviction() throws Throwable {
        MemorySegment buf = floats(new float[4096]);
        long p = buf.address();
        lt.matmul(handle, 0, CublasLt.Type.F32, false, false, 4, 4, 4, p, 4, 0, p + 256, 4, 0, p + 512, 4, 0, 1, 1f, 0f, 0, 0);
        lt.matmul(handle, 0, CublasLt.Type.F32, false, false, 4, 4, 4, p, 4, 0, p + 256, 4, 0, p + 512, 4, 0, 1, 1f, 0f, 0, 0);
        assertEquals(1, lt.planMisses());
        assertEquals(4, (int) live.invokeExact(), "one plan: the operation and three layouts; the preference is gone");
        for (int s = 1; s <= CublasLt.PLAN_CACHE; s++) {
            lt.matmul(handle, 0, CublasLt.Type.F32, false, false, 1, 1, s, p, 1, 0, p + 256, s, 0, p + 512, 1, 0, 1, 1f, 0f, 0, 0);
        }
        assertEquals(CublasLt.PLAN_CACHE + 1, lt.planMisses());
        assertEquals(CublasLt.PLAN_CACHE, lt.cachedPlans());
        assertEquals(4 * CublasLt.PLAN_CACHE, (int) live.invokeExact());
    }

    @Test void pointerAlignmentAndWorkspaceReachTheHeuristic() throws Throwable {
        MemorySegment buf = floats(new float[1024]);
        long p = buf.address();
        lt.matmul(handle, 0, CublasLt.Type.F32, false, false, 2, 2, 2, p + 4, 2, 0, p + 256 + 16, 2, 0, p + 512, 2, 0, 1, 1f, 0f, 0, 4096);
        assertEquals(4, (int) align.invokeExact(0));
        assertEquals(16, (int) align.invokeExact(1));
        assertEquals(256, (int) align.invokeExact(2));
        assertEquals(256, (int) align.invokeExact(3));
        assertEquals(4096L, (long) ws.invokeExact());
        assertEquals(4, CublasLt.alignment(0x1004));
        assertEquals(256, CublasLt.alignment(0x10000));
    }

    @Test void noAlgorithmIsACudaExceptionNamingTheShape() throws Throwable {
        MemorySegment buf = floats(new float[64]);
        failHeuristic.invokeExact(1);
        try {
            CudaException e = assertThrows(CudaException.class, () -> lt.matmul(handle, 0, CublasLt.Type.F32, false, false, 2, 3, 4,
                    buf.address(), 2, 0, buf.address(), 4, 0, buf.address(), 2, 0, 1, 1f, 0f, 0, 0));
            assertEquals("CUBLAS_STATUS_NOT_SUPPORTED", e.errorName());
            assertTrue(e.getMessage().contains("cublasLtMatmul m=2 n=3 k=4"), e.getMessage());
            assertEquals(0, (int) live.invokeExact(), "a failed plan leaves nothing behind");
        } finally {
            failHeuristic.invokeExact(0);
        }
    }

    @Test void failingStatusBecomesCudaException() {
        MemorySegment buf = floats(new float[64]);
        // the fake computes float32 and float64 only: float16 is refused by its cublasLtMatmul
        CudaException e = assertThrows(CudaException.class, () -> lt.matmul(handle, 0, CublasLt.Type.F16, false, false, 2, 3, 4,
                buf.address(), 2, 0, buf.address(), 4, 0, buf.address(), 2, 0, 1, 1f, 0f, 0, 0));
        assertEquals(15, e.code());
        assertEquals("CUBLAS_STATUS_NOT_SUPPORTED", e.errorName());
        assertTrue(e.getMessage().contains("cublasLtMatmul m=2 n=3 k=4 F16"), e.getMessage());
    }

    @Test void callerMistakesAreIllegalArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lt.matmul(handle, 0, CublasLt.Type.F32,
                false, false, 4, 4, 4, 0, 3, 0, 0, 4, 0, 0, 4, 0, 1, 1f, 0f, 0, 0));
        assertTrue(e.getMessage().startsWith("[matmul] lda=3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lt.matmul(handle, 0, CublasLt.Type.F32,
                false, false, -1, 4, 4, 0, 3, 0, 0, 4, 0, 0, 4, 0, 1, 1f, 0f, 0, 0));
        // empty products launch nothing
        lt.matmul(handle, 0, CublasLt.Type.F32, false, false, 0, 4, 4, 0, 1, 0, 0, 4, 0, 0, 1, 0, 1, 1f, 0f, 0, 0);
        assertEquals(0, lt.planMisses());
    }

    @Test void statusNamesFallBackToTheHeaderTable() {
        assertEquals("CUBLAS_STATUS_INVALID_VALUE", lt.statusName(7));
        assertEquals("CUBLAS_STATUS_ARCH_MISMATCH", CublasLt.knownStatusName(8));
        assertEquals("CUBLAS_STATUS_99", CublasLt.knownStatusName(99));
    }
}
