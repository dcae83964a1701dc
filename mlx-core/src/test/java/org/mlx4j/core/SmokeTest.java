package org.mlx4j.core;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void addBroadcastAndSum() {
        Array x = array(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Array b = array(new float[] {10, 20, 30});
        Array y = add(x, b);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, y.toFloatArray());
        assertEquals(21f, x.sum().itemFloat());
        assertArrayEquals(new float[] {5, 7, 9}, sum(x, 0).toFloatArray());
        assertArrayEquals(new float[] {6, 15}, sum(x, 1).toFloatArray());
    }

    @Test
    void transposeMatmul() {
        Array a = array(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Array c = matmul(a, a.T());
        assertArrayEquals(new float[] {14, 32, 32, 77}, c.toFloatArray());
    }

    @Test
    void gradOfSquareSum() {
        Array x = array(new float[] {1, 2, 3});
        Array g = grad(v -> sum(square(v))).apply(x);
        assertArrayEquals(new float[] {2, 4, 6}, g.toFloatArray());
        Array gg = grad(v -> sum(grad(u -> sum(multiply(u, square(u)))).apply(v))).apply(x);
        assertArrayEquals(new float[] {6, 12, 18}, gg.toFloatArray(), 1e-5f);
    }

    @Test
    void matmulGrad() {
        Array a = array(new double[] {1, 2, 3, 4}, 2, 2);
        Array b = array(new double[] {5, 6, 7, 8}, 2, 2);
        List<Array> g = grad((List<Array> p) -> sum(matmul(p.get(0), p.get(1))), 0, 1).apply(List.of(a, b));
        assertArrayEquals(new double[] {11, 15, 11, 15}, g.get(0).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {4, 4, 6, 6}, g.get(1).toDoubleArray(), 1e-12);
    }

    @Test
    void slicingString() {
        Array x = arange(12).reshape(3, 4);
        assertArrayEquals(new int[] {5, 6}, x.get("1, 1:3").toIntArray());
        Array y = x.get("None, ..., ::2, 3");
        assertEquals(Shape.of(1, 2), y.shape());
        assertArrayEquals(new int[] {3, 11}, y.toIntArray());
        assertArrayEquals(new int[] {11, 10, 9, 8}, x.get("-1, ::-1").toIntArray());
    }

    @Test
    void toStringLikeNumpy() {
        Array x = array(new float[] {1, 2, 3, 4}, 2, 2);
        assertEquals("array([[1., 2.],\n       [3., 4.]], shape=(2, 2), dtype=float32)", x.toString());
    }

    @Test
    void longChainDoesNotOverflow() {
        Array x = array(new float[] {0});
        Array y = x;
        for (int i = 0; i < 100_000; i++) y = add(y, array(1));
        assertEquals(100_000f, y.itemFloat());
    }
}
