package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlx4j.nn.ConvLayersTest.rejects;

import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

class EmbeddingTest {
    @Test void rowsAreLookedUp() {
        Embedding e = new Embedding(10, 4);
        LayerChecks.assertKeys(e, "weight");
        assertArrayEquals(new int[] {10, 4}, e.weight().shape().toArray());
        int[] ids = {3, 0, 9, 3, -1, 7};
        Array y = e.forward(MX.array(ids, 2, 3));
        assertArrayEquals(new int[] {2, 3, 4}, y.shape().toArray());
        double[] w = e.weight().toDoubleArray(), got = y.toDoubleArray();
        for (int i = 0; i < ids.length; i++) {
            int row = ids[i] < 0 ? ids[i] + 10 : ids[i];
            for (int j = 0; j < 4; j++) assertEquals(w[row * 4 + j], got[i * 4 + j], 0.0, "index " + i);
        }
        assertArrayEquals(new int[] {5, 4}, e.forward(MX.array(new long[] {1, 2, 3, 4, 5}, 5)).shape().toArray());
        assertArrayEquals(new int[] {4}, e.forward(MX.scalar(2, DType.INT32)).shape().toArray());
        assertEquals("Embedding(numEmbeddings=10, dims=4)", e.toString());
    }

    @Test void initializationIsNormalWithScaleOneOverSqrtDims() {
        MX.seed(12);
        double[] w = new Embedding(1000, 64).weight().toDoubleArray();
        double mean = 0, sq = 0;
        for (double v : w) mean += v;
        mean /= w.length;
        for (double v : w) sq += (v - mean) * (v - mean);
        double std = Math.sqrt(sq / (w.length - 1));
        assertEquals(0, mean, 0.005);
        assertEquals(Math.sqrt(1.0 / 64), std, 0.02 * Math.sqrt(1.0 / 64));
    }

    @Test void asLinearMatchesLoops() {
        Embedding e = new Embedding(5, 3);
        e.setDtype(DType.FLOAT64);
        Array x = MX.normal(new int[] {2, 2, 3}, DType.FLOAT64, MX.key(3));
        Array y = e.asLinear(x);
        assertArrayEquals(new int[] {2, 2, 5}, y.shape().toArray());
        double[] w = e.weight().toDoubleArray(), xd = x.toDoubleArray(), got = y.toDoubleArray();
        for (int r = 0; r < 4; r++) {
            for (int v = 0; v < 5; v++) {
                double s = 0;
                for (int k = 0; k < 3; k++) s += xd[r * 3 + k] * w[v * 3 + k];
                assertEquals(s, got[r * 5 + v], 1e-12);
            }
        }
    }

    /**
     * LayerChecks.assertLayerContract less its frozen check, which needs a second parameter to keep
     * trainable (NN.valueAndGrad rejects an empty trainable tree); freezing is checked inline.
     */
    @Test void layerContract() {
        Array ids = MX.array(new int[] {0, 1, 2, 3, 4, 5, 1, 1}, 2, 4);
        Array h = MX.normal(new int[] {2, 3}, MX.key(5));
        for (java.util.function.Function<Embedding, Array> out : java.util.List.<java.util.function.Function<Embedding, Array>>of(
                m -> m.forward(ids), m -> m.asLinear(h))) {
            Embedding e = new Embedding(6, 3);
            LayerChecks.assertGradientsReachEveryParameter(e, out);
            e.freeze("weight");
            assertTrue(e.isFrozen("weight") && e.trainableParameters().isEmpty() && e.parameters().containsKey("weight"));
            e.unfreeze();
            assertEquals(java.util.Set.of("weight"), e.trainableParameters().keySet());
            LayerChecks.assertSaveLoadRoundTrip(e, () -> new Embedding(6, 3), out);
        }
        // rows that are not looked up get a zero gradient, the others the summed cotangents
        Embedding e = new Embedding(6, 3);
        var g = NN.valueAndGrad(e, (m, in) -> MX.sum(m.forward(ids))).apply().grad().get("weight").toDoubleArray();
        double[] counts = {1, 3, 1, 1, 1, 1};
        for (int r = 0; r < 6; r++) for (int j = 0; j < 3; j++) assertEquals(counts[r], g[r * 3 + j], 0.0, "row " + r);
    }

    @Test void badInputIsRejected() {
        Embedding e = new Embedding(10, 4);
        rejects(() -> e.forward(MX.array(new float[] {1, 2}, 2)), "[Embedding] indices must have an integer dtype, got float32", "(2,)");
        rejects(() -> e.forward(MX.array(new boolean[] {true}, 1)), "[Embedding] indices must have an integer dtype, got bool");
        rejects(() -> e.asLinear(MX.zeros(2, 5)), "[Embedding] asLinear expected input (..., 4), got shape (2, 5).");
        rejects(() -> new Embedding(0, 4), "[Embedding] sizes must be positive", "numEmbeddings=0");
        var ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> e.forward(MX.array(new int[] {10}, 1)).eval());
        assertTrue(ex.getMessage().contains("10"), ex.getMessage());
    }
}
