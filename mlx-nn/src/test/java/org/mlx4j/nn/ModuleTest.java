package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

class ModuleTest {
    static Sequential mlp() { return new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3)); }

    @Test void keysAreDottedAndOrdered() {
        Sequential m = mlp();
        LayerChecks.assertKeys(m, "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias");
        assertEquals(List.of("", "layers.0", "layers.1", "layers.2"), List.copyOf(m.modules().keySet()));
        assertEquals(4 * 8 + 8 + 8 * 3 + 3, m.parameterCount());
    }

    @Test void linearMatchesLoops() {
        Linear l = new Linear(3, 2);
        l.setDtype(DType.FLOAT64);
        double[] w = l.weight().toDoubleArray(), b = l.bias().toDoubleArray();
        double[] x = {0.5, -1, 2, 3, 0.25, -0.75};
        double[] y = l.forward(MX.array(x, DType.FLOAT64, 2, 3)).toDoubleArray();
        for (int i = 0; i < 2; i++) {
            for (int o = 0; o < 2; o++) {
                double s = b[o];
                for (int k = 0; k < 3; k++) s += x[i * 3 + k] * w[o * 3 + k];
                assertEquals(s, y[i * 2 + o], 1e-12);
            }
        }
        double bound = Math.sqrt(1.0 / 3);
        for (double v : w) assertTrue(Math.abs(v) <= bound);
        assertThrows(IllegalArgumentException.class, () -> l.forward(MX.zeros(2, 4)), "[Linear]");
    }

    @Test void layerContract() {
        Array x = MX.normal(new int[] {5, 4}, MX.key(1));
        LayerChecks.assertLayerContract(mlp(), ModuleTest::mlp, m -> m.forward(x));
    }

    @Test void updateChecksKeysAndShapes() {
        Sequential m = mlp();
        var e = assertThrows(IllegalArgumentException.class, () -> m.update(Map.of("layers.9.weight", MX.zeros(1))));
        assertTrue(e.getMessage().contains("layers.9.weight"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.update(Map.of("layers.0.bias", MX.zeros(3))));
        assertTrue(e.getMessage().contains("(8,)") && e.getMessage().contains("(3,)"), e.getMessage());
        m.update(Map.of("layers.0.bias", MX.ones(8)));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, m.parameters().get("layers.0.bias").toFloatArray());
    }

    @Test void freezeByLocalNameAndPath() {
        Sequential m = mlp();
        m.freeze("bias");
        assertEquals(List.of("layers.0.weight", "layers.2.weight"), List.copyOf(m.trainableParameters().keySet()));
        m.unfreeze();
        m.freeze();
        assertTrue(m.trainableParameters().isEmpty());
        m.unfreeze("layers.2.weight");
        assertEquals(List.of("layers.2.weight"), List.copyOf(m.trainableParameters().keySet()));
        assertThrows(IllegalArgumentException.class, () -> m.freeze("nope"));
    }

    @Test void trainEvalRecurse() {
        Sequential m = mlp();
        assertTrue(m.get(0).isTraining());
        m.eval();
        assertFalse(m.get(0).isTraining());
        m.train();
        assertTrue(m.get(2).isTraining());
    }

    @Test void setDtypeCastsFloatingParameters() {
        Sequential m = mlp();
        m.setDtype(DType.BFLOAT16);
        for (Array a : m.parameters().values()) assertEquals(DType.BFLOAT16, a.dtype());
    }

    @Test void strictLoadNamesMissingExtraAndMisshapedKeys(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.safetensors");
        MX.saveSafetensors(f, Map.of("layers.0.weight", MX.zeros(8, 4), "layers.0.bias", MX.zeros(7), "extra", MX.zeros(1)));
        Sequential m = mlp();
        var e = assertThrows(IllegalArgumentException.class, () -> m.loadWeights(f));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("[loadWeights]"), msg);
        assertTrue(msg.contains("layers.2.weight") && msg.contains("extra") && msg.contains("layers.0.bias (expected (8,), got (7,))"), msg);
        Path g = dir.resolve("partial.npz");
        MX.savez(g, Map.of("layers.0.weight", MX.ones(8, 4)));
        m.loadWeights(g, false);
        assertEquals(32.0, MX.sum(m.parameters().get("layers.0.weight")).item(), 0);
        assertFalse(Files.exists(dir.resolve("w.safetensors.tmp")));
    }

    @Test void valueAndGradLeavesParametersAndMatchesManualGradient() {
        Linear l = new Linear(2, 1, false);
        Array w0 = l.weight();
        Array x = MX.array(new float[] {1, 2}, 1, 2);
        var r = NN.valueAndGrad(l, (m, in) -> MX.sum(m.forward(in[0]))).apply(x);
        assertTrue(w0 == l.weight(), "parameters restored after tracing");
        assertArrayEquals(new float[] {1, 2}, r.grad().get("weight").toFloatArray());
        assertEquals(w0.toFloatArray()[0] + 2 * w0.toFloatArray()[1], r.value().itemFloat(), 1e-6);
    }

    @Test void fullyFrozenModelHasALossAndNoGradients() {
        Sequential m = mlp();
        m.freeze();
        var r = NN.valueAndGrad(m, (mm, in) -> MX.sum(mm.forward(in[0]))).apply(MX.ones(2, 4));
        assertTrue(r.grad().isEmpty());
        assertTrue(Double.isFinite(r.value().item()));
    }

    @Test void identityReturnsItsInputAndHasNoParameters() {
        Array x = MX.array(new float[] {1, -2, 3}, 3);
        Identity id = new Identity();
        assertTrue(id.forward(x) == x);
        assertTrue(id.parameters().isEmpty());
        assertArrayEquals(new float[] {1, -2, 3}, new Sequential(id, new Identity()).forward(x).toFloatArray());
    }

    @Test void toStringShowsTree() {
        String s = mlp().toString();
        assertTrue(s.contains("(layers.0): Linear(inputDims=4, outputDims=8, bias=true)"), s);
    }
}
