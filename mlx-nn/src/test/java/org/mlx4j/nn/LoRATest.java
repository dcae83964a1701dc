package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlx4j.nn.NormalizationTest.assertThrowsWith;
import static org.mlx4j.nn.NormalizationTest.f64;
import static org.mlx4j.nn.NormalizationTest.randn;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

class LoRATest {
    private static final int IN = 4, OUT = 3, R = 2, ROWS = 5;

    /** A float64 adapter of rank R on a fresh Linear, with a random nonzero lora_b. */
    static LoRALinear adapted(double scale) {
        LoRALinear l = LoRALinear.fromBase(new Linear(IN, OUT), R, scale, 0);
        l.setDtype(DType.FLOAT64);
        l.update(Map.of("lora_b", f64(randn(9, R * OUT), R, OUT)));
        return l;
    }

    @Test void keysShapesInitAndFreezing() {
        Linear base = new Linear(IN, OUT);
        LoRALinear l = LoRALinear.fromBase(base, R, 20, 0);
        assertSame(base, l.linear());
        // a module lists its own parameters before its children's
        LayerChecks.assertKeys(l, "lora_a", "lora_b", "linear.weight", "linear.bias");
        assertEquals(List.of("lora_a", "lora_b"), List.copyOf(l.trainableParameters().keySet()));
        assertArrayEquals(new int[] {IN, R}, l.loraA().shape().toArray());
        assertArrayEquals(new int[] {R, OUT}, l.loraB().shape().toArray());
        for (double v : l.loraA().toDoubleArray()) assertTrue(Math.abs(v) <= 1 / Math.sqrt(IN));
        assertArrayEquals(new double[R * OUT], l.loraB().toDoubleArray());
        LoRALinear d = LoRALinear.fromBase(new Linear(IN, OUT));
        assertEquals(8, d.rank());
        assertEquals(20.0, d.scale());
        assertEquals(0.0, d.dropout());
        LoRALinear c = new LoRALinear(IN, OUT);
        LayerChecks.assertKeys(c, "lora_a", "lora_b", "linear.weight");
        assertEquals(List.of("lora_a", "lora_b"), List.copyOf(c.trainableParameters().keySet()));
        // inside a model the keys nest, and only the adapters train
        Sequential s = new Sequential(LoRALinear.fromBase(new Linear(IN, OUT), R, 20, 0), new ReLU());
        assertEquals(List.of("layers.0.lora_a", "layers.0.lora_b"), List.copyOf(s.trainableParameters().keySet()));
        assertArrayEquals(new int[] {ROWS, OUT}, s.forward(MX.normal(ROWS, IN)).shape().toArray());
    }

    @Test void freshAdapterComputesTheBase() {
        Linear base = new Linear(IN, OUT);
        Array x = MX.normal(new int[] {2, ROWS, IN}, MX.key(1));
        double[] before = base.forward(x).toDoubleArray();
        LoRALinear l = LoRALinear.fromBase(base, R, 20, 0);
        Array y = l.forward(x);
        assertArrayEquals(new int[] {2, ROWS, OUT}, y.shape().toArray());
        assertArrayEquals(before, y.toDoubleArray(), 0);
    }

    @Test void matchesLoops() {
        double scale = 2.5;
        LoRALinear l = adapted(scale);
        double[] w = l.linear().weight().toDoubleArray(), b = l.linear().bias().toDoubleArray();
        double[] a = l.loraA().toDoubleArray(), bb = l.loraB().toDoubleArray();
        double[] x = randn(2, ROWS * IN);
        double[] y = l.forward(f64(x, ROWS, IN)).toDoubleArray();
        for (int i = 0; i < ROWS; i++) {
            double[] xa = new double[R];
            for (int r = 0; r < R; r++) for (int k = 0; k < IN; k++) xa[r] += x[i * IN + k] * a[k * R + r];
            for (int o = 0; o < OUT; o++) {
                double s = b[o];
                for (int k = 0; k < IN; k++) s += x[i * IN + k] * w[o * IN + k];
                for (int r = 0; r < R; r++) s += scale * xa[r] * bb[r * OUT + o];
                assertEquals(s, y[i * OUT + o], 1e-12);
            }
        }
    }

    @Test void onlyAdaptersGetGradients() {
        LoRALinear l = LoRALinear.fromBase(new Linear(IN, OUT), R, 20, 0);
        Array x = MX.normal(new int[] {ROWS, IN}, MX.key(2));
        var g = NN.valueAndGrad(l, (m, in) -> MX.sum(MX.square(m.forward(in[0])))).apply(x).grad();
        assertEquals(List.of("lora_a", "lora_b"), List.copyOf(g.keySet()));
        // with lora_b still zero, only lora_b's gradient is nonzero (d/dA of (xA)B vanishes at B = 0)
        assertTrue(Arrays.stream(g.get("lora_b").toDoubleArray()).anyMatch(v -> v != 0));
        assertTrue(Arrays.stream(g.get("lora_a").toDoubleArray()).allMatch(v -> v == 0));
        LoRALinear t = adapted(20);
        Array x64 = f64(randn(3, ROWS * IN), ROWS, IN);
        LayerChecks.assertLayerContract(t, () -> {
            LoRALinear f = LoRALinear.fromBase(new Linear(IN, OUT), R, 20, 0);
            f.setDtype(DType.FLOAT64);
            return f;
        }, m -> m.forward(x64));
        assertTrue(t.isFrozen("linear.weight") && t.isFrozen("linear.bias"));
    }

    @Test void toLinearEqualsTheAdaptedOutput() {
        LoRALinear l = adapted(3.0);
        Array x = f64(randn(4, 2 * ROWS * IN), 2, ROWS, IN);
        Linear merged = l.toLinear();
        LayerChecks.assertKeys(merged, "weight", "bias");
        assertEquals(DType.FLOAT64, merged.weight().dtype());
        assertEquals(List.of("weight", "bias"), List.copyOf(merged.trainableParameters().keySet()));
        assertArrayEquals(l.linear().bias().toDoubleArray(), merged.bias().toDoubleArray(), 0);
        assertArrayEquals(l.forward(x).toDoubleArray(), merged.forward(x).toDoubleArray(), 1e-12);
        assertArrayEquals(l.forward(x).toDoubleArray(), l.merge().forward(x).toDoubleArray(), 1e-12);
        // merging a fresh adapter gives back the base weight; a base without a bias stays without one
        LoRALinear c = new LoRALinear(IN, OUT);
        Linear cm = c.toLinear();
        assertArrayEquals(c.linear().weight().toDoubleArray(), cm.weight().toDoubleArray(), 0);
        LayerChecks.assertKeys(cm, "weight");
    }

    @Test void dropoutOnlyInTrainingAndOnlyOnTheAdapter() {
        LoRALinear l = LoRALinear.fromBase(new Linear(IN, OUT), R, 20, 0.5);
        l.setDtype(DType.FLOAT64);
        Array x = f64(randn(5, ROWS * IN), ROWS, IN);
        // with lora_b zero the adapter adds nothing, dropped or not
        assertArrayEquals(l.linear().forward(x).toDoubleArray(), l.forward(x).toDoubleArray(), 0);
        l.update(Map.of("lora_b", f64(randn(6, R * OUT), R, OUT)));
        LoRALinear noDrop = LoRALinear.fromBase(l.linear(), R, 20, 0);
        noDrop.update(Map.of("lora_a", l.loraA(), "lora_b", l.loraB()));
        double[] expected = noDrop.forward(x).toDoubleArray();
        l.eval();
        assertArrayEquals(expected, l.forward(x).toDoubleArray(), 1e-12);
        l.train();
        MX.seed(11);
        assertFalse(Arrays.equals(expected, l.forward(x).toDoubleArray()));
    }

    @Test void badInputsNameTheLayer() {
        assertThrowsWith("[LoRALinear] ", () -> LoRALinear.fromBase(new Linear(IN, OUT), 0, 20, 0), "rank", "0");
        assertThrowsWith("[LoRALinear] ", () -> LoRALinear.fromBase(new Linear(IN, OUT), R, 20, 1), "dropout", "1.0");
        assertThrowsWith("[LoRALinear] ", () -> LoRALinear.fromBase(null), "null");
        assertThrowsWith("[LoRALinear] ", () -> new LoRALinear(0, OUT), "inputDims=0");
        assertThrowsWith("[LoRALinear] ", () -> LoRALinear.fromBase(new Linear(IN, OUT)).forward(MX.zeros(2, 5)), "(..., 4)", "(2, 5)");
        assertEquals("LoRALinear(inputDims=4, outputDims=3, rank=8, scale=20.0, dropout=0.0\n  (linear): Linear(inputDims=4, outputDims=3, bias=true)\n)",
                LoRALinear.fromBase(new Linear(IN, OUT)).toString());
    }
}
