package org.mlx4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/** State naming, save/load (bit-identical resume, mismatches), laziness and bad input. */
class OptimizerStateTest {
    @TempDir Path dir;

    static Stream<Arguments> optimizers() {
        List<Supplier<Optimizer>> all = List.of(
                () -> SGD.builder(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3).build(),
                () -> new Adam(0.01),
                () -> Adam.builder(Schedules.cosineDecay(0.01, 7)).biasCorrection(true).build(),
                () -> new AdamW(0.01),
                () -> new Adamax(0.01),
                () -> new RMSprop(0.01),
                () -> new Adagrad(0.1),
                () -> new AdaDelta(1.0),
                () -> Lion.builder(0.01).weightDecay(0.1).build(),
                () -> new Adafactor(),
                () -> Adafactor.builder().learningRate(0.01).relativeStep(false).beta1(0.9).build(),
                () -> new Muon(0.02),
                () -> new MultiOptimizer(List.of(new Muon(0.02), new AdamW(Schedules.exponentialDecay(0.01, 0.9))),
                        List.of((k, g) -> g.ndim() >= 2)));
        return all.stream().map(s -> Arguments.of(s.get().getClass().getSimpleName(), s));
    }

    static Map<String, Array> steps(Optimizer opt, Quadratic q, Map<String, Array> tree, int n) {
        for (int i = 0; i < n; i++) {
            tree = opt.apply(q.gradients(tree), tree);
            MX.eval(tree);
            MX.eval(opt.state());
        }
        return tree;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void resumeAfterSaveAndLoadIsBitIdentical(String name, Supplier<Optimizer> make) throws IOException {
        Quadratic q = Quadratic.standard();
        Optimizer a = make.get();
        Map<String, Array> mid = steps(a, q, q.initial(), 3);
        Path file = dir.resolve(name + ".safetensors");
        a.saveState(file);
        Map<String, Array> uninterrupted = steps(a, q, mid, 3);

        Optimizer b = make.get();
        b.loadState(file);
        assertEquals(3, b.step().itemInt());
        assertEquals(DType.INT32, b.step().dtype());
        Map<String, Array> resumed = steps(b, q, mid, 3);
        for (String k : uninterrupted.keySet()) {
            double[] u = uninterrupted.get(k).toDoubleArray();
            double[] r = resumed.get(k).toDoubleArray();
            for (int i = 0; i < u.length; i++) {
                assertEquals(Double.doubleToRawLongBits(u[i]), Double.doubleToRawLongBits(r[i]),
                        name + ": " + k + "[" + i + "] " + u[i] + " vs " + r[i]);
            }
        }
        assertEquals(a.state().keySet(), b.state().keySet());
        for (var e : a.state().entrySet()) {
            assertArrayEquals(e.getValue().toDoubleArray(), b.state().get(e.getKey()).toDoubleArray(), 0, name + ": state " + e.getKey());
        }
        // The loaded state matters: a fresh optimizer started from the middle ends elsewhere
        // (in its parameters or, for Lion whose update is a sign, in its state).
        Optimizer c = make.get();
        Map<String, Array> fresh = steps(c, q, mid, 3);
        boolean differs = false;
        for (String k : uninterrupted.keySet()) {
            differs |= !java.util.Arrays.equals(uninterrupted.get(k).toDoubleArray(), fresh.get(k).toDoubleArray());
        }
        for (var e : c.state().entrySet()) {
            differs |= !java.util.Arrays.equals(e.getValue().toDoubleArray(), a.state().get(e.getKey()).toDoubleArray());
        }
        assertTrue(differs, name + ": the saved state made no difference");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void float32StaysFloat32(String name, Supplier<Optimizer> make) {
        Quadratic q = Quadratic.standard();
        Map<String, Array> tree = new LinkedHashMap<>();
        q.initial().forEach((k, v) -> tree.put(k, v.astype(DType.FLOAT32)));
        Optimizer opt = make.get();
        Map<String, Array> out = tree;
        for (int i = 0; i < 2; i++) {
            Map<String, Array> g = new LinkedHashMap<>();
            q.gradients(out).forEach((k, v) -> g.put(k, v.astype(DType.FLOAT32)));
            out = opt.apply(g, out);
            MX.eval(out);
            MX.eval(opt.state());
        }
        for (var e : out.entrySet()) {
            assertEquals(DType.FLOAT32, e.getValue().dtype(), name + ": " + e.getKey());
            for (float v : e.getValue().toFloatArray()) assertTrue(Float.isFinite(v), name + ": " + e.getKey() + " is finite");
        }
        for (var e : opt.state().entrySet()) {
            DType want = e.getKey().endsWith("step") ? DType.INT32 : DType.FLOAT32;
            assertEquals(want, e.getValue().dtype(), name + ": state " + e.getKey());
        }
    }

    @Test void stateNames() {
        Adam adam = new Adam(1e-3);
        Map<String, Array> params = Quadratic.standard().initial();
        adam.init(params);
        assertEquals(List.of("step", "learning_rate", "w.m", "w.v", "b.m", "b.v"), List.copyOf(adam.state().keySet()));
        assertEquals(0, adam.step().itemInt());
        assertEquals(DType.FLOAT32, adam.learningRate().dtype());
        assertEquals((float) 1e-3, adam.learningRate().itemFloat());

        Map<String, Array> layered = new LinkedHashMap<>();
        layered.put("layers.0.weight", MX.zeros(2, 2));
        SGD sgd = new SGD(0.1);
        sgd.init(layered);
        assertEquals(List.of("step", "learning_rate", "layers.0.weight.v"), List.copyOf(sgd.state().keySet()));
        AdaDelta ad = new AdaDelta(1);
        ad.init(layered);
        assertEquals(List.of("step", "learning_rate", "layers.0.weight.v", "layers.0.weight.u"), List.copyOf(ad.state().keySet()));
        Adafactor af = Adafactor.builder().beta1(0.9).build();
        af.init(layered);
        assertEquals(List.of("step", "layers.0.weight.exp_avg_sq_row", "layers.0.weight.exp_avg_sq_col", "layers.0.weight.exp_avg"),
                List.copyOf(af.state().keySet()));
        assertEquals(List.of(2), List.of(af.state().get("layers.0.weight.exp_avg_sq_row").dim(0)));
    }

    @Test void hyperparametersAndToString() {
        Adam adam = Adam.builder(1e-3).betas(0.9, 0.98).build();
        assertEquals(Map.of("optimizer", "org.mlx4j.optim.Adam", "betas", "0.9,0.98", "eps", "1.0E-8", "biasCorrection", "false"),
                adam.hyperparameters());
        assertEquals("Adam(betas=0.9,0.98, eps=1.0E-8, biasCorrection=false)", adam.toString());
        assertTrue(new SGD(0.1).toString().startsWith("SGD(momentum=0.0"), new SGD(0.1).toString());
    }

    @Test void applyIsLazyAndKeepsOrder() {
        Map<String, Array> params = new LinkedHashMap<>();
        params.put("z", MX.array(new double[] {1, 2}, DType.FLOAT64, 2));
        params.put("frozen", MX.array(new double[] {3}, DType.FLOAT64, 1));
        params.put("a", MX.array(new double[] {4}, DType.FLOAT64, 1));
        MX.eval(params);
        Map<String, Array> grads = new LinkedHashMap<>();
        grads.put("a", MX.array(new double[] {1}, DType.FLOAT64, 1));
        grads.put("z", MX.array(new double[] {1, 1}, DType.FLOAT64, 2));
        Adam adam = new Adam(0.1);
        Map<String, Array> out = adam.apply(grads, params);
        assertEquals(List.of("z", "frozen", "a"), List.copyOf(out.keySet()));
        assertSame(params.get("frozen"), out.get("frozen"));
        assertFalse(out.get("z").isEvaluated(), "the update is lazy");
        assertFalse(out.get("a").isEvaluated(), "the update is lazy");
        assertFalse(adam.step().isEvaluated(), "the step is lazy");
        assertFalse(adam.state().get("z.m").isEvaluated(), "the state is lazy");
        assertEquals(1, adam.step().itemInt());
        assertEquals(List.of("step", "learning_rate", "a.m", "a.v", "z.m", "z.v"), List.copyOf(adam.state().keySet()));
    }

    @Test void gradientWithoutParameterIsRejected() {
        Map<String, Array> params = Map.of("w", MX.zeros(2));
        var e = assertThrows(IllegalArgumentException.class, () -> new SGD(0.1).apply(Map.of("bias", MX.zeros(2)), params));
        assertTrue(e.getMessage().startsWith("[Optimizer]") && e.getMessage().contains("'bias'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(0.1).apply(Map.of("w", MX.zeros(3)), params));
        assertTrue(e.getMessage().startsWith("[Optimizer]") && e.getMessage().contains("'w'") && e.getMessage().contains("(3,)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(0.1).apply(null, params));
        assertTrue(e.getMessage().startsWith("[Optimizer]"), e.getMessage());
        Map<String, Array> withNull = new LinkedHashMap<>();
        withNull.put("w", null);
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(0.1).apply(withNull, params));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        // A rejected update changes nothing.
        SGD sgd = new SGD(0.1);
        assertThrows(IllegalArgumentException.class, () -> sgd.apply(Map.of("x", MX.zeros(1)), params));
        assertEquals(0, sgd.step().itemInt());
    }

    @Test void loadRejectsOtherOptimizersAndHyperparameters() throws IOException {
        Quadratic q = Quadratic.standard();
        Adam adam = new Adam(0.01);
        steps(adam, q, q.initial(), 1);
        Path file = dir.resolve("adam.safetensors");
        adam.saveState(file);

        var e = assertThrows(IllegalArgumentException.class, () -> Adam.builder(0.01).betas(0.9, 0.98).build().loadState(file));
        assertTrue(e.getMessage().startsWith("[Optimizer]") && e.getMessage().contains("betas=0.9,0.999")
                && e.getMessage().contains("betas=0.9,0.98"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(0.01).loadState(file));
        assertTrue(e.getMessage().contains("org.mlx4j.optim.Adam") && e.getMessage().contains("org.mlx4j.optim.SGD"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdamW(0.01).loadState(file));
        assertTrue(e.getMessage().contains("AdamW"), e.getMessage());

        Path plain = dir.resolve("plain.safetensors");
        MX.saveSafetensors(plain, Map.of("step", MX.scalar(1, DType.INT32)));
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(0.01).loadState(plain));
        assertTrue(e.getMessage().contains("not an optimizer state"), e.getMessage());

        assertThrows(IOException.class, () -> new Adam(0.01).loadState(dir.resolve("missing.safetensors")));
    }

    @Test void loadedStateMustFitTheParameters() throws IOException {
        Quadratic q = Quadratic.standard();
        Adam adam = new Adam(0.01);
        steps(adam, q, q.initial(), 1);
        Path file = dir.resolve("adam.safetensors");
        adam.saveState(file);
        Adam other = new Adam(0.01);
        other.loadState(file);
        Map<String, Array> wrong = Map.of("w", MX.zeros(new int[] {3, 2}, DType.FLOAT64));
        var e = assertThrows(IllegalArgumentException.class, () -> other.apply(wrong, wrong));
        assertTrue(e.getMessage().startsWith("[Adam] state 'w.m' has shape (2, 3)"), e.getMessage());

        Adafactor af = new Adafactor();
        af.init(Map.of("w", MX.zeros(2, 3)));
        Map<String, Array> w32 = Map.of("w", MX.zeros(3, 3));
        e = assertThrows(IllegalArgumentException.class, () -> af.apply(w32, w32));
        assertTrue(e.getMessage().startsWith("[Adafactor] state 'w.exp_avg_sq_row'"), e.getMessage());
    }

    @Test void setStateValidates() {
        Adam adam = new Adam(0.01);
        var e = assertThrows(IllegalArgumentException.class, () -> adam.setState(Map.of("w.m", MX.zeros(2))));
        assertTrue(e.getMessage().contains("no 'step'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> adam.setState(Map.of("step", MX.zeros(1))));
        assertTrue(e.getMessage().contains("integer scalar"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> adam.setState(Map.of("step", MX.scalar(0, DType.INT64), "m", MX.zeros(1))));
        assertTrue(e.getMessage().contains("'m'"), e.getMessage());
        adam.setState(Map.of("step", MX.scalar(7, DType.INT64), "learning_rate", MX.array(0.5)));
        assertEquals(DType.INT32, adam.step().dtype());
        assertEquals(7, adam.step().itemInt());
        assertEquals(0.5, adam.learningRate().item());
    }

    @Test void constructorsValidate() {
        var e = assertThrows(IllegalArgumentException.class, () -> SGD.builder(0.1).nesterov(true).build());
        assertTrue(e.getMessage().startsWith("[SGD] Nesterov momentum requires a momentum"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SGD.builder(0.1).momentum(0.9).dampening(0.1).nesterov(true).build());
        assertTrue(e.getMessage().startsWith("[SGD]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RMSprop.builder(0.1).alpha(-1).build());
        assertTrue(e.getMessage().startsWith("[RMSprop] alpha"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adagrad.builder(0.1).eps(-1).build());
        assertTrue(e.getMessage().startsWith("[Adagrad] eps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AdaDelta.builder(0.1).rho(-0.5).build());
        assertTrue(e.getMessage().startsWith("[AdaDelta] rho"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adamax.builder(0.1).eps(-1).build());
        assertTrue(e.getMessage().startsWith("[Adamax] eps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adafactor.builder().relativeStep(false).build());
        assertTrue(e.getMessage().startsWith("[Adafactor]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Muon.builder(0.1).nsSteps(-1).build());
        assertTrue(e.getMessage().startsWith("[Muon]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(Double.NaN));
        assertTrue(e.getMessage().contains("learning rate must be finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiOptimizer(List.of(new SGD(1), new SGD(1)), List.of()));
        assertTrue(e.getMessage().startsWith("[MultiOptimizer] given 0 filters but 1 needed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiOptimizer(List.of(), List.of()));
        assertTrue(e.getMessage().startsWith("[MultiOptimizer]"), e.getMessage());
        var s = assertThrows(IllegalStateException.class, () -> new Adafactor().learningRate());
        assertTrue(s.getMessage().startsWith("[Adafactor]"), s.getMessage());
    }

    @Test void learningRateSetters() {
        MultiOptimizer multi = new MultiOptimizer(List.of(new SGD(0.1), new Adam(0.2)), List.of((k, g) -> k.startsWith("a")));
        assertEquals((float) 0.1, multi.learningRate().itemFloat());
        multi.setLearningRate(0.05);
        for (Optimizer o : multi.optimizers()) assertEquals((float) 0.05, o.learningRate().itemFloat());
        var e = assertThrows(IllegalArgumentException.class, () -> multi.setLearningRate(Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        assertNotEquals(multi.hyperparameters().get("optimizers.0.optimizer"), multi.hyperparameters().get("optimizers.1.optimizer"));
        assertEquals("2", multi.hyperparameters().get("count"));
    }

    @Test void multiOptimizerStateRoundTripThroughSetState() {
        Quadratic q = Quadratic.standard();
        MultiOptimizer a = new MultiOptimizer(List.of(new Adam(0.01), new SGD(0.1)), List.of((k, g) -> k.equals("w")));
        Map<String, Array> mid = steps(a, q, q.initial(), 2);
        MultiOptimizer b = new MultiOptimizer(List.of(new Adam(0.01), new SGD(0.1)), List.of((k, g) -> k.equals("w")));
        b.setState(a.state());
        Map<String, Array> x = steps(a, q, mid, 1);
        Map<String, Array> y = steps(b, q, mid, 1);
        assertArrayEquals(x.get("w").toDoubleArray(), y.get("w").toDoubleArray(), 0);
        assertArrayEquals(x.get("b").toDoubleArray(), y.get("b").toDoubleArray(), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> b.setState(Map.of("optimizers.2.step", MX.scalar(0, DType.INT32))));
        assertTrue(e.getMessage().startsWith("[MultiOptimizer]"), e.getMessage());
    }

    @Test void replacedStateIsReleasedOnceItsReplacementIsComputed() {
        Adam adam = new Adam(0.1);
        Map<String, Array> params = new java.util.LinkedHashMap<>(Map.of("w", MX.ones(64, 64)));
        Map<String, Array> grads = Map.of("w", MX.full(new int[] {64, 64}, 0.5));
        params = adam.apply(grads, params);
        MX.eval(params);
        MX.eval(adam.state());
        Array m1 = adam.state().get("w.m");
        params = adam.apply(grads, params);
        MX.eval(params);
        MX.eval(adam.state());
        org.junit.jupiter.api.Assertions.assertFalse(m1.isClosed(), "m of step 1 is released only at the update after its replacement is computed");
        params = adam.apply(grads, params);
        org.junit.jupiter.api.Assertions.assertTrue(m1.isClosed(), "the optimizer owns its state: step 1's m is released");
        MX.eval(params);
        org.junit.jupiter.api.Assertions.assertTrue(Float.isFinite(params.get("w").toFloatArray()[0]));
        org.junit.jupiter.api.Assertions.assertFalse(grads.get("w").isClosed(), "gradients are never released");
    }
}
