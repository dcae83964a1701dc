package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlx4j.nn.ConvLayersTest.rejects;

import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

class BilinearTest {
    @Test void parametersFollowMlx() {
        MX.seed(8);
        Bilinear b = new Bilinear(20, 3, 50);
        LayerChecks.assertKeys(b, "weight", "bias");
        assertArrayEquals(new int[] {50, 3, 20}, b.weight().shape().toArray());   // (outputDims, input2Dims, input1Dims)
        assertArrayEquals(new int[] {50}, b.bias().shape().toArray());
        double s = Math.sqrt(1.0 / 20), max = 0;
        for (double v : b.weight().toDoubleArray()) {
            assertTrue(Math.abs(v) <= s);
            max = Math.max(max, Math.abs(v));
        }
        for (double v : b.bias().toDoubleArray()) assertTrue(Math.abs(v) <= s);
        assertTrue(max > 0.9 * s);
        Bilinear nb = new Bilinear(2, 3, 4, false);
        LayerChecks.assertKeys(nb, "weight");
        assertNull(nb.bias());
        assertEquals("Bilinear(input1Dims=2, input2Dims=3, outputDims=4, bias=false)", nb.toString());
    }

    @Test void matchesLoops() {
        for (boolean bias : new boolean[] {true, false}) {
            Bilinear b = new Bilinear(4, 3, 5, bias);
            b.setDtype(DType.FLOAT64);
            Array x1 = MX.normal(new int[] {2, 3, 4}, DType.FLOAT64, MX.key(1));
            Array x2 = MX.normal(new int[] {2, 3, 3}, DType.FLOAT64, MX.key(2));
            Array y = b.forward(x1, x2);
            assertArrayEquals(new int[] {2, 3, 5}, y.shape().toArray());
            double[] w = b.weight().toDoubleArray(), a = x1.toDoubleArray(), c = x2.toDoubleArray(), got = y.toDoubleArray();
            double[] bv = bias ? b.bias().toDoubleArray() : new double[5];
            for (int r = 0; r < 6; r++) {
                for (int i = 0; i < 5; i++) {
                    double s = bv[i];
                    for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) s += c[r * 3 + j] * w[(i * 3 + j) * 4 + k] * a[r * 4 + k];
                    assertEquals(s, got[r * 5 + i], 1e-12);
                }
            }
        }
        Bilinear b = new Bilinear(2, 2, 3);
        assertArrayEquals(new int[] {3}, b.forward(MX.ones(2), MX.ones(2)).shape().toArray());
    }

    @Test void layerContract() {
        Array x1 = MX.normal(new int[] {4, 3}, MX.key(1));
        Array x2 = MX.normal(new int[] {4, 2}, MX.key(2));
        LayerChecks.assertLayerContract(new Bilinear(3, 2, 5), () -> new Bilinear(3, 2, 5), m -> m.forward(x1, x2));
    }

    @Test void badInputIsRejected() {
        Bilinear b = new Bilinear(3, 2, 5);
        rejects(() -> b.forward(MX.zeros(4, 2), MX.zeros(4, 2)), "[Bilinear] expected inputs (..., 3) and (..., 2) with the same leading shape",
                "(4, 2) and (4, 2)");
        rejects(() -> b.forward(MX.zeros(4, 3), MX.zeros(5, 2)), "[Bilinear] expected inputs", "(4, 3) and (5, 2)");
        rejects(() -> b.forward(MX.zeros(4, 3), MX.zeros(4, 1, 2)), "[Bilinear] expected inputs");
        rejects(() -> new Bilinear(3, 0, 5), "[Bilinear] sizes must be positive", "input2Dims=0");
    }
}
