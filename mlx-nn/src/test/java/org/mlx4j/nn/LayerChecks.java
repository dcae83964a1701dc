package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Checks every layer test runs: the parameter keys, gradients reaching every trainable parameter,
 * frozen parameters getting none, and a weights round trip through both file formats.
 */
public final class LayerChecks {
    private LayerChecks() {}

    /** The module's parameter keys, in order, are exactly {@code keys}. */
    public static void assertKeys(Module m, String... keys) {
        assertEquals(List.of(keys), new ArrayList<>(m.parameters().keySet()), "parameter keys of " + m.getClass().getSimpleName());
    }

    /**
     * Every trainable parameter gets a finite, nonzero gradient of a random projection of the
     * output; {@code out} builds the output from the (traced) module.
     */
    public static <M extends Module> void assertGradientsReachEveryParameter(M m, Function<M, Array> out) {
        Map<String, Array> grads = gradients(m, out);
        assertEquals(m.trainableParameters().keySet(), grads.keySet(), "gradient keys");
        for (var e : grads.entrySet()) {
            Array g = e.getValue();
            assertEquals(m.trainableParameters().get(e.getKey()).shape(), g.shape(), "gradient shape of " + e.getKey());
            double[] v = MX.astype(g, org.mlx4j.core.DType.FLOAT64).toDoubleArray();
            double s = 0;
            for (double d : v) {
                assertTrue(Double.isFinite(d), "gradient of " + e.getKey() + " is not finite");
                s += Math.abs(d);
            }
            assertTrue(s > 0, "gradient of " + e.getKey() + " is all zero");
        }
    }

    /** Freezing one parameter removes it, and only it, from the gradients; unfreezing restores it. */
    public static <M extends Module> void assertFrozenGetNoGradient(M m, Function<M, Array> out) {
        List<String> keys = new ArrayList<>(m.trainableParameters().keySet());
        assertFalse(keys.isEmpty(), "module has no trainable parameters");
        String first = keys.get(0);
        m.freeze(first);
        try {
            assertTrue(m.isFrozen(first));
            Map<String, Array> grads = gradients(m, out);
            assertFalse(grads.containsKey(first), first + " is frozen but got a gradient");
            assertEquals(keys.size() - 1, grads.size());
            assertTrue(m.parameters().containsKey(first), "frozen parameters are still parameters");
        } finally {
            m.unfreeze(first);
        }
        assertFalse(m.isFrozen(first));
    }

    /**
     * Saves {@code m} as .safetensors and .npz, loads each strictly into a fresh module, and checks
     * keys, values and outputs match.
     */
    public static <M extends Module> void assertSaveLoadRoundTrip(M m, Supplier<M> fresh, Function<M, Array> out) {
        try {
            Path dir = Files.createTempDirectory("mlx4j-layer");
            for (String ext : new String[] {"safetensors", "npz"}) {
                Path f = dir.resolve("w." + ext);
                m.saveWeights(f);
                M n = fresh.get();
                n.loadWeights(f);
                assertEquals(new ArrayList<>(m.parameters().keySet()), new ArrayList<>(n.parameters().keySet()));
                for (var e : m.parameters().entrySet()) {
                    assertArrayEquals(e.getValue().toDoubleArray(), n.parameters().get(e.getKey()).toDoubleArray(), 0.0, e.getKey() + " after " + ext);
                }
                m.eval();
                n.eval();
                assertArrayEquals(out.apply(m).toDoubleArray(), out.apply(n).toDoubleArray(), 0.0, "output after loading " + ext);
                m.train();
                Files.delete(f);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs the three checks above. */
    public static <M extends Module> void assertLayerContract(M m, Supplier<M> fresh, Function<M, Array> out) {
        assertGradientsReachEveryParameter(m, out);
        assertFrozenGetNoGradient(m, out);
        assertSaveLoadRoundTrip(m, fresh, out);
    }

    private static <M extends Module> Map<String, Array> gradients(M m, Function<M, Array> out) {
        var f = NN.valueAndGrad(m, (mm, in) -> {
            Array y = out.apply(mm);
            Array w = MX.astype(MX.normal(y.shape().toArray(), MX.key(7)), y.dtype());
            return MX.sum(MX.multiply(y, w));
        });
        return f.apply().grad();
    }
}
