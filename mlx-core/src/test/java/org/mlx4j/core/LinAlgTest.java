package org.mlx4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.backend.cpu.Blas;
import org.mlx4j.core.transforms.Autodiff;

/**
 * matmul through the CPU GEMM (pure Java and OpenBLAS paths) against a double-precision loop, and
 * addmm, inner, outer, tensordot and einsum: values, float64 gradients against central differences,
 * and error messages.
 */
class LinAlgTest {
    private final Random rnd = new Random(3);

    // ------------------------------------------------------------------ helpers

    private Array rand(DType t, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt(9) - 4 + rnd.nextDouble();
        return array(v, t, shape);
    }

    /** Reference batched matmul in double of the (already broadcast-compatible) operands' values. */
    private static double[] refMatmul(Array a, Array b, int[] outShape) {
        int nd = outShape.length;
        int m = outShape[nd - 2], n = outShape[nd - 1], k = a.shape().dim(-1);
        Array ab = broadcastTo(a, concat(Arrays.copyOf(outShape, nd - 2), m, k));
        Array bb = broadcastTo(b, concat(Arrays.copyOf(outShape, nd - 2), k, n));
        double[] x = ab.toDoubleArray(), y = bb.toDoubleArray();
        int batches = m * n == 0 ? 0 : (int) (new Shape(outShape).size() / ((long) m * n));
        double[] r = new double[(int) new Shape(outShape).size()];
        for (int q = 0; q < batches; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += x[q * m * k + i * k + p] * y[q * k * n + p * n + j];
                    r[q * m * n + i * n + j] = s;
                }
            }
        }
        return r;
    }

    private static int[] concat(int[] head, int p, int q) {
        int[] r = Arrays.copyOf(head, head.length + 2);
        r[head.length] = p;
        r[head.length + 1] = q;
        return r;
    }

    private static void assertClose(double[] expected, double[] actual, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= rtol * scale)) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    private void checkMatmul(Array a, Array b, double rtol, String what) {
        Array c = matmul(a, b);
        Array a2 = a.ndim() == 1 ? expandDims(a, 0) : a, b2 = b.ndim() == 1 ? expandDims(b, 1) : b;
        int[] batch = Shape.broadcast("test", new Shape(Arrays.copyOf(a2.shape().dims(), a2.ndim() - 2)),
                new Shape(Arrays.copyOf(b2.shape().dims(), b2.ndim() - 2))).dims();
        int[] out = concat(batch, a2.shape().dim(-2), b2.shape().dim(-1));
        assertClose(refMatmul(a2, b2, out), c.toDoubleArray(), rtol, what + " " + a.shape() + " @ " + b.shape());
    }

    /** The GEMM cases: shapes, views and sizes above the cache blocks. */
    private void gemmCases(DType t, double rtol, boolean big) {
        int[][] mnk = {{1, 1, 1}, {13, 17, 29}, {0, 5, 3}, {4, 0, 3}, {3, 4, 0}, {1000, 3, 2}, {2, 3, 1000}, {1, 64, 65}, {65, 1, 64}};
        for (int[] s : mnk) {
            checkMatmul(rand(t, s[0], s[2]), rand(t, s[2], s[1]), rtol, t + " plain");
            checkMatmul(rand(t, s[2], s[0]).T(), rand(t, s[2], s[1]), rtol, t + " A^T");
            checkMatmul(rand(t, s[0], s[2]), rand(t, s[1], s[2]).T(), rtol, t + " B^T");
            checkMatmul(rand(t, s[2], s[0]).T(), rand(t, s[1], s[2]).T(), rtol, t + " A^T B^T");
        }
        // strided and negative-step views
        checkMatmul(rand(t, 26, 60).get("::2, 1::2"), rand(t, 30, 40).get("::-1, 3::3"), rtol, t + " strided");
        checkMatmul(rand(t, 9, 7).get("1:8, ::-1").T(), rand(t, 8, 11).get("1:8, :"), rtol, t + " reversed");
        // batches: equal, broadcast, broadcast views with a transposed operand
        checkMatmul(rand(t, 3, 5, 6), rand(t, 3, 6, 4), rtol, t + " batched");
        checkMatmul(rand(t, 2, 1, 5, 6), rand(t, 3, 6, 4), rtol, t + " broadcast batch");
        checkMatmul(rand(t, 5, 6), rand(t, 4, 2, 6, 3), rtol, t + " broadcast matrix");
        checkMatmul(swapaxes(rand(t, 3, 6, 5), -1, -2), rand(t, 1, 6, 4), rtol, t + " batched A^T");
        checkMatmul(rand(t, 40, 33, 20), rand(t, 40, 20, 30), rtol, t + " many small");
        // vectors
        checkMatmul(rand(t, 7), rand(t, 7, 3), rtol, t + " vector @ matrix");
        checkMatmul(rand(t, 3, 7), rand(t, 7), rtol, t + " matrix @ vector");
        checkMatmul(rand(t, 7), rand(t, 7), rtol, t + " vector @ vector");
        if (big) {
            checkMatmul(rand(t, 300, 270), rand(t, 270, 520), rtol, t + " above the blocks");
            checkMatmul(rand(t, 270, 300).T(), rand(t, 520, 270).T(), rtol, t + " above the blocks, transposed");
        }
    }

    private static void withGemm(String mode, Runnable r) {
        String old = System.getProperty("mlx4j.gemm");
        System.setProperty("mlx4j.gemm", mode);
        try {
            r.run();
        } finally {
            if (old == null) System.clearProperty("mlx4j.gemm");
            else System.setProperty("mlx4j.gemm", old);
        }
    }

    // ------------------------------------------------------------------ GEMM

    @Test
    void matmulFloat32PureJava() {
        withGemm("java", () -> gemmCases(DType.FLOAT32, 2e-6, true));
    }

    @Test
    void matmulFloat64PureJava() {
        withGemm("java", () -> gemmCases(DType.FLOAT64, 1e-13, true));
    }

    @Test
    void matmulHalfTypes() {
        for (DType t : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
            Array a = rand(DType.FLOAT32, 13, 29).astype(t), b = rand(DType.FLOAT32, 29, 17).astype(t);
            Array c = matmul(a, b);
            assertEquals(t, c.dtype());
            // reference from the rounded inputs; the result is rounded once more
            assertClose(refMatmul(a, b, new int[] {13, 17}), c.toDoubleArray(), t == DType.FLOAT16 ? 2e-3 : 1e-2, t.toString());
            checkMatmul(rand(DType.FLOAT32, 2, 1, 5, 6).astype(t), rand(DType.FLOAT32, 3, 7, 6).astype(t).swapaxes(-1, -2),
                    t == DType.FLOAT16 ? 2e-3 : 1e-2, t + " batched view");
        }
    }

    @Test
    void matmulThroughBlas() {
        assumeTrue(Blas.available(), "no OpenBLAS here: " + Blas.describe());
        withGemm("blas", () -> {
            gemmCases(DType.FLOAT32, 2e-6, true);
            gemmCases(DType.FLOAT64, 1e-13, false);
            checkMatmul(rand(DType.FLOAT32, 40, 30).astype(DType.FLOAT16), rand(DType.FLOAT32, 30, 20).astype(DType.FLOAT16), 2e-3, "half via BLAS");
        });
    }

    @Test
    void matmulAutoChoiceAgrees() {
        // whatever the calibration picks, a mid-size product is right
        withGemm("auto", () -> checkMatmul(rand(DType.FLOAT32, 200, 150), rand(DType.FLOAT32, 150, 170), 2e-6, "auto"));
    }

    @Test
    void matmulIntegralComputesInFloat32() {
        Array c = matmul(array(new int[] {1, 2, 3, 4}, 2, 2), array(new int[] {5, 6, 7, 8}, 2, 2));
        assertEquals(DType.FLOAT32, c.dtype());
        assertArrayEquals(new float[] {19, 22, 43, 50}, c.toFloatArray());
    }

    @Test
    void matmulBadInput() {
        Array a = zeros(2, 3), b = zeros(4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> matmul(a, b));
        assertTrue(e.getMessage().startsWith("[matmul] "), e.getMessage());
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(4, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> matmul(a, array(2.0)));
        assertTrue(e.getMessage().startsWith("[matmul] "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> matmul(zeros(2, 2, 3), zeros(3, 3, 4)));
        assertTrue(e.getMessage().startsWith("[matmul] "), e.getMessage());
    }

    // ------------------------------------------------------------------ addmm, inner, outer, tensordot

    @Test
    void addmmValues() {
        Array a = array(new double[] {1, 2, 3, 4, 5, 6}, 2, 3), b = array(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);
        Array c = array(new double[] {10, 20});
        // a@b = [[4, 5], [10, 11]]
        assertArrayEquals(new double[] {2 * 4 + 0.5 * 10, 2 * 5 + 0.5 * 20, 2 * 10 + 0.5 * 10, 2 * 11 + 0.5 * 20},
                addmm(c, a, b, 2, 0.5).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {14, 25, 20, 31}, addmm(c, a, b).toDoubleArray(), 1e-12);
        Array nan = array(new double[] {Double.NaN, Double.NaN});
        assertArrayEquals(new double[] {4, 5, 10, 11}, addmm(nan, a, b, 1, 0).toDoubleArray(), 1e-12);
        assertEquals(DType.FLOAT64, addmm(c.astype(DType.FLOAT32), a.astype(DType.FLOAT32), b).dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> addmm(zeros(3), a, b));
        assertTrue(e.getMessage().startsWith("[addmm] "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> addmm(zeros(2, 2, 2), a, b));
        assertTrue(e.getMessage().startsWith("[addmm] "), e.getMessage());
    }

    @Test
    void innerOuterValues() {
        Array x = array(new double[] {1, 2, 3}), y = array(new double[] {4, 5, 6});
        assertEquals(32, inner(x, y).item(), 1e-12);
        assertEquals(Shape.SCALAR, inner(x, y).shape());
        Array a = array(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new double[] {32, 77}, inner(a, y).toDoubleArray(), 1e-12);
        Array ia = inner(a, a);
        assertEquals(Shape.of(2, 2), ia.shape());
        assertArrayEquals(new double[] {14, 32, 32, 77}, ia.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {2, 4, 6}, inner(x, scalar(2, DType.FLOAT64)).toDoubleArray(), 1e-12);
        Array o = outer(x, array(new double[] {1, 10, 2, 20}, 2, 2));
        assertEquals(Shape.of(3, 4), o.shape());
        assertArrayEquals(new double[] {1, 10, 2, 20, 2, 20, 4, 40, 3, 30, 6, 60}, o.toDoubleArray(), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inner(x, zeros(4)));
        assertTrue(e.getMessage().startsWith("[inner] "), e.getMessage());
    }

    @Test
    void tensordotValues() {
        Array a = rand(DType.FLOAT64, 3, 4, 5), b = rand(DType.FLOAT64, 4, 5, 2);
        Array r = tensordot(a, b, 2);
        assertEquals(Shape.of(3, 2), r.shape());
        double[] x = a.toDoubleArray(), y = b.toDoubleArray(), ref = new double[6];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) for (int p = 0; p < 4; p++) for (int q = 0; q < 5; q++) {
            ref[i * 2 + j] += x[i * 20 + p * 5 + q] * y[p * 10 + q * 2 + j];
        }
        assertClose(ref, r.toDoubleArray(), 1e-13, "tensordot 2");
        // explicit axis pairs, out of order: a axes (2, 1) with b axes (1, 0)
        Array r2 = tensordot(a, b, new int[] {2, 1}, new int[] {1, 0});
        assertClose(ref, r2.toDoubleArray(), 1e-13, "tensordot pairs");
        // axes 0: outer product
        Array r0 = tensordot(array(new double[] {1, 2}), array(new double[] {3, 4, 5}), 0);
        assertArrayEquals(new double[] {3, 4, 5, 6, 8, 10}, r0.toDoubleArray(), 1e-12);
        // a view with negative axes
        Array v = tensordot(a.transpose(2, 0, 1), b, new int[] {-1, 0}, new int[] {0, 1});
        assertClose(ref, v.toDoubleArray(), 1e-13, "tensordot view");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tensordot(a, b, 3));
        assertTrue(e.getMessage().startsWith("[tensordot] "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tensordot(a, b, new int[] {0}, new int[] {0}));
        assertTrue(e.getMessage().startsWith("[tensordot] ") && e.getMessage().contains("equal sizes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tensordot(a, b, new int[] {1, 1}, new int[] {0, 0}));
        assertTrue(e.getMessage().startsWith("[tensordot] "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tensordot(a, b, new int[] {1}, new int[] {0, 1}));
        assertTrue(e.getMessage().startsWith("[tensordot] "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tensordot(a, b, new int[] {7}, new int[] {0}));
        assertTrue(e.getMessage().startsWith("[tensordot] "), e.getMessage());
    }

    // ------------------------------------------------------------------ einsum

    @Test
    void einsumValues() {
        Array a = rand(DType.FLOAT64, 3, 4), b = rand(DType.FLOAT64, 4, 5);
        assertClose(matmul(a, b).toDoubleArray(), einsum("ij,jk->ik", a, b).toDoubleArray(), 1e-13, "ij,jk->ik");
        assertClose(matmul(a, b).toDoubleArray(), einsum("ij,jk", a, b).toDoubleArray(), 1e-13, "implicit");
        assertClose(matmul(a, b).T().toDoubleArray(), einsum("ij,jk->ki", a, b).toDoubleArray(), 1e-13, "->ki");
        Array x = rand(DType.FLOAT64, 2, 3, 4), y = rand(DType.FLOAT64, 2, 4, 5);
        assertClose(matmul(x, y).toDoubleArray(), einsum("bij,bjk->bik", x, y).toDoubleArray(), 1e-13, "bij,bjk->bik");
        Array sq = array(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3);
        assertEquals(15, einsum("ii->", sq).item(), 1e-12);
        assertEquals(15, einsum("ii", sq).item(), 1e-12);
        assertArrayEquals(new double[] {1, 5, 9}, einsum("ii->i", sq).toDoubleArray(), 1e-12);
        assertArrayEquals(sq.T().toDoubleArray(), einsum("ij->ji", sq).toDoubleArray(), 1e-12);
        assertArrayEquals(sq.T().toDoubleArray(), einsum("ba", sq).toDoubleArray(), 1e-12);
        Array v = array(new double[] {1, 2, 3}), w = array(new double[] {4, 5, 6});
        assertEquals(32, einsum("i,i->", v, w).item(), 1e-12);
        assertEquals(32, einsum("i,i", v, w).item(), 1e-12);
        assertEquals(45, einsum("ij->", sq).item(), 1e-12);
        assertArrayEquals(new double[] {12, 15, 18}, einsum("ij->j", sq).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {4, 10, 18}, einsum("i,i->i", v, w).toDoubleArray(), 1e-12);
        assertArrayEquals(outer(v, w).toDoubleArray(), einsum("i,j->ij", v, w).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1 * 4 + 5 * 5 + 9 * 6}, new double[] {einsum("ii,i->", sq, w).item()}, 1e-12);
        // three operands, a repeated index across them, ellipsis
        Array c = rand(DType.FLOAT64, 5, 2);
        assertClose(matmul(matmul(a, b), c).toDoubleArray(), einsum("ij,jk,kl->il", a, b, c).toDoubleArray(), 1e-12, "chain");
        assertClose(swapaxes(x, -1, -2).toDoubleArray(), einsum("...ij->...ji", x).toDoubleArray(), 1e-13, "ellipsis");
        assertClose(matmul(x, y).toDoubleArray(), einsum("...ij,...jk->...ik", x, y).toDoubleArray(), 1e-13, "ellipsis matmul");
        assertClose(matmul(x, b).toDoubleArray(), einsum("...ij,jk", x, b).toDoubleArray(), 1e-13, "ellipsis implicit");
        // 3-d diagonal ("iij") and a trace over batches
        Array t3 = rand(DType.FLOAT64, 3, 3, 2);
        double[] tv = t3.toDoubleArray(), diag = new double[6];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) diag[i * 2 + j] = tv[i * 6 + i * 2 + j];
        assertClose(diag, einsum("iij->ij", t3).toDoubleArray(), 1e-14, "iij->ij");
        // float32 stays float32; size zero
        assertEquals(DType.FLOAT32, einsum("ij,jk->ik", a.astype(DType.FLOAT32), b.astype(DType.FLOAT32)).dtype());
        assertEquals(Shape.of(0, 5), einsum("ij,jk->ik", zeros(0, 4), zeros(4, 5)).shape());
        assertArrayEquals(new float[] {0, 0, 0, 0}, einsum("ij,jk->ik", zeros(2, 0), zeros(0, 2)).toFloatArray());
    }

    @Test
    void einsumBadInput() {
        Array a = zeros(2, 3), b = zeros(3, 4);
        String[][] bad = {
            {"ij,jk->ik", "1"}, {"ij->ik", "2"}, {"i$j->ij", "2"}, {"ijk->i", "2"}, {"ij,kl->ii", "3"}, {"ij,ij->", "3"},
            {"ij->j->i", "2"}, {"i...j...->", "2"},
        };
        for (String[] c : bad) {
            Array[] ops = switch (c[1]) {
                case "1" -> new Array[] {a};
                case "2" -> new Array[] {a};
                default -> new Array[] {a, b};
            };
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> einsum(c[0], ops), c[0]);
            assertTrue(e.getMessage().startsWith("[einsum] "), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> einsum("ij,jk->ik", a, zeros(4, 4)));
        assertTrue(e.getMessage().contains("index 'j'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> einsum("ii->i", a));
        assertTrue(e.getMessage().startsWith("[einsum] ") && e.getMessage().contains("'i'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> einsum("ij"));
        assertTrue(e.getMessage().startsWith("[einsum] "), e.getMessage());
    }

    // ------------------------------------------------------------------ gradients (float64, central differences)

    /**
     * Checks the vjp of {@code f} (through a fixed random projection to a scalar) and its jvp along a
     * random direction against central differences.
     */
    private void checkGrad(Function<List<Array>, Array> f, Array... inputs) {
        List<Array> xs = List.of(inputs);
        Array out = f.apply(xs);
        Array proj = rand(DType.FLOAT64, out.shape().dims());
        Function<List<Array>, Array> scalarF = ps -> sum(multiply(f.apply(ps), proj));
        int[] argnums = new int[inputs.length];
        for (int i = 0; i < argnums.length; i++) argnums[i] = i;
        List<Array> grads = grad(scalarF, argnums).apply(xs);
        double h = 1e-6;
        List<Array> tangents = new ArrayList<>();
        double directional = 0;
        for (int i = 0; i < inputs.length; i++) {
            double[] x = inputs[i].toDoubleArray(), g = grads.get(i).toDoubleArray();
            int[] shape = inputs[i].shape().dims();
            assertEquals(x.length, g.length, "gradient size of input " + i);
            for (int e = 0; e < x.length; e++) {
                double[] xp = x.clone(), xm = x.clone();
                xp[e] += h;
                xm[e] -= h;
                double fp = scalarF.apply(replace(xs, i, array(xp, shape))).item();
                double fm = scalarF.apply(replace(xs, i, array(xm, shape))).item();
                double num = (fp - fm) / (2 * h);
                assertEquals(num, g[e], 1e-6 * Math.max(1, Math.abs(num)), "d/d input " + i + " element " + e);
            }
            Array t = rand(DType.FLOAT64, shape);
            tangents.add(t);
            double[] tv = t.toDoubleArray();
            for (int e = 0; e < x.length; e++) directional += g[e] * tv[e];
        }
        // jvp: <J t, proj> must equal <t, J^T proj> = <t, grad>
        Autodiff.JvpResult j = jvp(ps -> List.of(f.apply(ps)), xs, tangents);
        double jt = sum(multiply(j.tangents().get(0), proj)).item();
        assertEquals(directional, jt, 1e-9 * Math.max(1, Math.abs(jt)), "jvp vs vjp");
    }

    private static List<Array> replace(List<Array> xs, int i, Array v) {
        List<Array> r = new ArrayList<>(xs);
        r.set(i, v);
        return r;
    }

    @Test
    void gradients() {
        Array a = rand(DType.FLOAT64, 3, 4), b = rand(DType.FLOAT64, 4, 2), c = rand(DType.FLOAT64, 2);
        checkGrad(p -> matmul(p.get(0), p.get(1)), a, b);
        checkGrad(p -> matmul(p.get(0).T(), p.get(1)), rand(DType.FLOAT64, 4, 3), rand(DType.FLOAT64, 4, 2));
        checkGrad(p -> matmul(p.get(0), p.get(1)), rand(DType.FLOAT64, 2, 1, 3, 4), rand(DType.FLOAT64, 3, 4, 2));
        checkGrad(p -> addmm(p.get(0), p.get(1), p.get(2), 1.5, -0.5), c, a, b);
        checkGrad(p -> inner(p.get(0), p.get(1)), rand(DType.FLOAT64, 2, 3), rand(DType.FLOAT64, 4, 3));
        checkGrad(p -> outer(p.get(0), p.get(1)), rand(DType.FLOAT64, 3), rand(DType.FLOAT64, 2, 2));
        checkGrad(p -> tensordot(p.get(0), p.get(1), 2), rand(DType.FLOAT64, 2, 3, 4), rand(DType.FLOAT64, 3, 4, 2));
        checkGrad(p -> tensordot(p.get(0), p.get(1), new int[] {0, 2}, new int[] {1, 0}), rand(DType.FLOAT64, 3, 2, 4), rand(DType.FLOAT64, 4, 3));
    }

    @Test
    void einsumGradients() {
        checkGrad(p -> einsum("ij,jk->ik", p.get(0), p.get(1)), rand(DType.FLOAT64, 3, 4), rand(DType.FLOAT64, 4, 2));
        checkGrad(p -> einsum("bij,bjk->bik", p.get(0), p.get(1)), rand(DType.FLOAT64, 2, 3, 4), rand(DType.FLOAT64, 2, 4, 2));
        checkGrad(p -> einsum("ii->", p.get(0)), rand(DType.FLOAT64, 3, 3));
        checkGrad(p -> einsum("ii->i", p.get(0)), rand(DType.FLOAT64, 3, 3));
        checkGrad(p -> einsum("ij->ji", p.get(0)), rand(DType.FLOAT64, 2, 3));
        checkGrad(p -> einsum("i,i->", p.get(0), p.get(1)), rand(DType.FLOAT64, 4), rand(DType.FLOAT64, 4));
        checkGrad(p -> einsum("ij->", p.get(0)), rand(DType.FLOAT64, 2, 3));
        checkGrad(p -> einsum("i,j->ij", p.get(0), p.get(1)), rand(DType.FLOAT64, 2), rand(DType.FLOAT64, 3));
        checkGrad(p -> einsum("ij,jk,kl->il", p.get(0), p.get(1), p.get(2)), rand(DType.FLOAT64, 2, 3), rand(DType.FLOAT64, 3, 2), rand(DType.FLOAT64, 2, 2));
    }
}
