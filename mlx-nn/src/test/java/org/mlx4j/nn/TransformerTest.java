package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.core.Shape;

class TransformerTest {
    static Array rand(long seed, int... shape) { return MX.normal(shape, DType.FLOAT64, MX.key(seed)); }

    static void assertMessage(String prefix, Runnable r) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    /** float64, and the layer norms' weights and biases made random so the test sees them used. */
    static <M extends Module> M prepared(M m, long seed) {
        m.setDtype(DType.FLOAT64);
        Map<String, Array> norms = new HashMap<>();
        long s = seed;
        for (var e : m.parameters().entrySet()) {
            int dot = e.getKey().lastIndexOf('.');
            String owner = dot < 0 ? "" : e.getKey().substring(0, dot);
            if (m instanceof LayerNorm || owner.matches("(.*\\.)?ln\\d?")) norms.put(e.getKey(), rand(s++, e.getValue().shape().toArray()));
        }
        m.update(norms);
        return m;
    }

    /** Layer norm over the last axis in double loops with the weight and bias of {@code prefix} in {@code m}. */
    static Array lnRef(Array x, Module m, String prefix) {
        String p = prefix.isEmpty() ? "" : prefix + ".";
        double[] w = m.parameters().get(p + "weight").toDoubleArray(), b = m.parameters().get(p + "bias").toDoubleArray();
        double[] xs = x.toDoubleArray();
        int d = w.length;
        double[] y = new double[xs.length];
        for (int r = 0; r < xs.length / d; r++) {
            double mean = 0, var = 0;
            for (int k = 0; k < d; k++) mean += xs[r * d + k];
            mean /= d;
            for (int k = 0; k < d; k++) var += (xs[r * d + k] - mean) * (xs[r * d + k] - mean);
            var /= d;
            for (int k = 0; k < d; k++) y[r * d + k] = (xs[r * d + k] - mean) / Math.sqrt(var + 1e-5) * w[k] + b[k];
        }
        return MX.array(y, DType.FLOAT64, x.shape().toArray());
    }

    static Array relu(Array x) { return MX.maximum(x, MX.scalarLike(0, x)); }

    static Array encoderLayerRef(TransformerEncoderLayer l, Array x, Array mask, UnaryOperator<Array> act) {
        if (l.normFirst()) {
            Array y = lnRef(x, l, "ln1");
            x = x.add(l.attention().forward(y, y, y, mask));
            y = lnRef(x, l, "ln2");
            return x.add(l.linear2().forward(act.apply(l.linear1().forward(y))));
        }
        x = lnRef(x.add(l.attention().forward(x, x, x, mask)), l, "ln1");
        return lnRef(x.add(l.linear2().forward(act.apply(l.linear1().forward(x)))), l, "ln2");
    }

    static Array decoderLayerRef(TransformerDecoderLayer l, Array x, Array mem, Array xMask, Array memMask) {
        if (l.normFirst()) {
            Array y = lnRef(x, l, "ln1");
            x = x.add(l.selfAttention().forward(y, y, y, xMask));
            y = lnRef(x, l, "ln2");
            x = x.add(l.crossAttention().forward(y, mem, mem, memMask));
            y = lnRef(x, l, "ln3");
            return x.add(l.linear2().forward(relu(l.linear1().forward(y))));
        }
        Array y = l.selfAttention().forward(x, x, x, xMask);
        x = lnRef(x.add(y), l, "ln1");
        y = l.crossAttention().forward(y, mem, mem, memMask);   // MLX's queries: the self-attention branch
        x = lnRef(x.add(y), l, "ln2");
        return lnRef(x.add(l.linear2().forward(relu(l.linear1().forward(x)))), l, "ln3");
    }

    @Test void encoderLayerKeysAndDefaults() {
        TransformerEncoderLayer l = new TransformerEncoderLayer(8, 2);
        LayerChecks.assertKeys(l, "attention.query_proj.weight", "attention.key_proj.weight", "attention.value_proj.weight", "attention.out_proj.weight",
                "ln1.weight", "ln1.bias", "ln2.weight", "ln2.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias");
        assertEquals(32, l.mlpDims());
        assertTrue(l.normFirst());
        assertEquals(0.0, l.dropout());
        assertEquals(Shape.of(32, 8), l.parameters().get("linear1.weight").shape());
        assertEquals(List.of("attention", "ln1", "ln2", "linear1", "linear2", "dropout1", "dropout2"), new ArrayList<>(l.children().keySet()));
        assertEquals(Shape.of(3, 5, 8), l.forward(MX.zeros(3, 5, 8)).shape());
        // a module activation becomes a child, as in MLX
        assertTrue(new TransformerEncoderLayer(8, 2, 0, 0, new ReLU(), true).children().containsKey("activation"));
    }

    @Test void encoderLayerMatchesComposition() {
        Array x = rand(10, 2, 5, 8);
        Array mask = MultiHeadAttention.createAdditiveCausalMask(5, DType.FLOAT64);
        for (boolean normFirst : new boolean[] {true, false}) {
            TransformerEncoderLayer l = prepared(new TransformerEncoderLayer(8, 2, 12, 0, Activations::relu, normFirst), 20);
            assertArrayEquals(encoderLayerRef(l, x, mask, TransformerTest::relu).toDoubleArray(), l.forward(x, mask).toDoubleArray(), 1e-12, "normFirst=" + normFirst);
            assertArrayEquals(encoderLayerRef(l, x, null, TransformerTest::relu).toDoubleArray(), l.forward(x).toDoubleArray(), 1e-12, "no mask, normFirst=" + normFirst);
        }
        UnaryOperator<Array> tanh = MX::tanh;
        TransformerEncoderLayer t = prepared(new TransformerEncoderLayer(8, 4, 0, 0, tanh, true), 30);
        assertArrayEquals(encoderLayerRef(t, x, null, tanh).toDoubleArray(), t.forward(x, null).toDoubleArray(), 1e-12, "tanh activation");
    }

    @Test void decoderLayerMatchesComposition() {
        TransformerDecoderLayer keys = new TransformerDecoderLayer(8, 2);
        LayerChecks.assertKeys(keys, "self_attention.query_proj.weight", "self_attention.key_proj.weight", "self_attention.value_proj.weight",
                "self_attention.out_proj.weight", "cross_attention.query_proj.weight", "cross_attention.key_proj.weight",
                "cross_attention.value_proj.weight", "cross_attention.out_proj.weight", "ln1.weight", "ln1.bias", "ln2.weight", "ln2.bias",
                "ln3.weight", "ln3.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias");
        assertEquals(List.of("self_attention", "cross_attention", "ln1", "ln2", "ln3", "linear1", "linear2", "dropout1", "dropout2", "dropout3"),
                new ArrayList<>(keys.children().keySet()));

        Array x = rand(40, 2, 4, 8), mem = rand(41, 2, 6, 8);
        Array xMask = MultiHeadAttention.createAdditiveCausalMask(4, DType.FLOAT64);
        Array memMask = MX.array(new double[] {0, 0, 0, 0, -1e9, -1e9, 0, 0, 0, 0, 0, -1e9}, DType.FLOAT64, 2, 1, 1, 6);
        for (boolean normFirst : new boolean[] {true, false}) {
            TransformerDecoderLayer l = prepared(new TransformerDecoderLayer(8, 2, 16, 0, Activations::relu, normFirst), 50);
            Array y = l.forward(x, mem, xMask, memMask);
            assertEquals(Shape.of(2, 4, 8), y.shape());
            assertArrayEquals(decoderLayerRef(l, x, mem, xMask, memMask).toDoubleArray(), y.toDoubleArray(), 1e-12, "normFirst=" + normFirst);
            assertArrayEquals(decoderLayerRef(l, x, mem, null, null).toDoubleArray(), l.forward(x, mem).toDoubleArray(), 1e-12, "no masks");
        }
    }

    @Test void stacksAndTransformerMatchComposition() {
        Array src = rand(60, 2, 5, 8), tgt = rand(61, 2, 3, 8);
        Array srcMask = MX.array(new double[] {0, 0, 0, -1e9, -1e9, 0, 0, 0, 0, 0}, DType.FLOAT64, 2, 1, 1, 5);
        Array tgtMask = MultiHeadAttention.createAdditiveCausalMask(3, DType.FLOAT64);
        Transformer t = prepared(new Transformer(8, 2, 2, 3, 16, 0, Activations::relu, null, null, true, false), 70);
        TransformerEncoder enc = (TransformerEncoder) t.encoder();
        TransformerDecoder dec = (TransformerDecoder) t.decoder();
        assertEquals(2, enc.layers().size());
        assertEquals(3, dec.layers().size());

        Array mem = src;
        for (TransformerEncoderLayer l : enc.layers()) mem = l.forward(mem, srcMask);
        mem = lnRef(mem, enc, "ln");
        assertArrayEquals(mem.toDoubleArray(), enc.forward(src, srcMask).toDoubleArray(), 1e-12, "encoder");

        Array y = tgt;
        for (TransformerDecoderLayer l : dec.layers()) y = l.forward(y, mem, tgtMask, srcMask);
        y = lnRef(y, dec, "ln");
        assertArrayEquals(y.toDoubleArray(), dec.forward(tgt, mem, tgtMask, srcMask).toDoubleArray(), 1e-12, "decoder");

        Array out = t.forward(src, tgt, srcMask, tgtMask, srcMask);
        assertEquals(Shape.of(2, 3, 8), out.shape());
        assertArrayEquals(y.toDoubleArray(), out.toDoubleArray(), 1e-12, "transformer");

        Map<String, Array> ps = t.parameters();
        assertTrue(ps.containsKey("encoder.layers.1.attention.out_proj.weight"));
        assertTrue(ps.containsKey("encoder.ln.bias"));
        assertTrue(ps.containsKey("decoder.layers.2.cross_attention.query_proj.weight"));
        assertTrue(ps.containsKey("decoder.ln.weight"));
        assertFalse(ps.containsKey("encoder.layers.2.ln1.weight"));
    }

    @Test void defaultTransformerHasMlxSizes() {
        Transformer t = new Transformer();
        long d = 512, mlp = 2048;
        long attention = 4 * d * d, norm = 2 * d, mlpParams = d * mlp + mlp + mlp * d + d;
        long encoderLayer = attention + 2 * norm + mlpParams;
        long decoderLayer = 2 * attention + 3 * norm + mlpParams;
        assertEquals(6 * encoderLayer + norm + 6 * decoderLayer + norm, t.parameterCount());
        assertEquals(6, ((TransformerEncoder) t.encoder()).layers().size());
        assertEquals(Shape.of(2048, 512), t.parameters().get("decoder.layers.5.linear1.weight").shape());
        assertEquals(8, ((TransformerDecoder) t.decoder()).layers().get(0).numHeads());
    }

    @Test void customEncoderAndDecoderAreUsed() {
        TransformerEncoder enc = new TransformerEncoder(1, 8, 4);
        TransformerDecoder dec = new TransformerDecoder(2, 8, 2, 24, 0, Activations::relu, false, false);
        Transformer t = new Transformer(8, 2, 5, 5, 0, 0, Activations::relu, enc, dec, true, false);
        assertSame(enc, t.encoder());
        assertSame(dec, t.decoder());
        assertEquals(enc.parameterCount() + dec.parameterCount(), t.parameterCount());
        Array src = rand(1, 1, 4, 8), tgt = rand(2, 1, 3, 8);
        t.setDtype(DType.FLOAT64);
        assertArrayEquals(dec.forward(tgt, enc.forward(src)).toDoubleArray(), t.forward(src, tgt).toDoubleArray(), 1e-12);
    }

    @Test void dropoutOnlyInTraining() {
        Transformer t = new Transformer(8, 2, 1, 1, 16, 0.5, Activations::relu, null, null, true, false);
        Transformer plain = new Transformer(8, 2, 1, 1, 16, 0, Activations::relu, null, null, true, false);
        plain.loadWeights(t.parameters(), true);
        Array src = MX.normal(new int[] {2, 4, 8}, MX.key(1)), tgt = MX.normal(new int[] {2, 3, 8}, MX.key(2));
        MX.seed(9);
        double[] a = t.forward(src, tgt).toDoubleArray(), b = t.forward(src, tgt).toDoubleArray();
        assertFalse(java.util.Arrays.equals(a, b), "training draws new masks");
        t.eval();
        assertArrayEquals(plain.forward(src, tgt).toDoubleArray(), t.forward(src, tgt).toDoubleArray(), 1e-6, "eval = no dropout");
        assertEquals(0.5, ((TransformerEncoder) t.encoder()).layers().get(0).dropout());
    }

    @Test void checkpointGivesTheSameGradients() {
        Transformer a = new Transformer(8, 2, 2, 2, 16, 0, Activations::relu, null, null, true, false);
        Transformer b = new Transformer(8, 2, 2, 2, 16, 0, Activations::relu, null, null, true, true);
        a.setDtype(DType.FLOAT64);
        b.setDtype(DType.FLOAT64);
        b.loadWeights(a.parameters(), true);
        assertTrue(((TransformerEncoder) b.encoder()).checkpoint());
        Array src = rand(1, 2, 4, 8), tgt = rand(2, 2, 3, 8);
        Array tgtMask = MultiHeadAttention.createAdditiveCausalMask(3, DType.FLOAT64);
        Array w = rand(3, 2, 3, 8);
        NN.ModelLoss<Transformer> loss = (m, in) -> MX.sum(MX.multiply(m.forward(in[0], in[1], null, tgtMask, null), w));
        var ga = NN.valueAndGrad(a, loss).apply(src, tgt);
        var gb = NN.valueAndGrad(b, loss).apply(src, tgt);
        assertEquals(ga.value().item(), gb.value().item(), 1e-12);
        assertEquals(ga.grad().keySet(), gb.grad().keySet());
        for (var e : ga.grad().entrySet()) {
            assertArrayEquals(e.getValue().toDoubleArray(), gb.grad().get(e.getKey()).toDoubleArray(), 1e-10, e.getKey());
        }
        // parameters are untouched by the traced calls
        for (var e : a.parameters().entrySet()) {
            assertArrayEquals(e.getValue().toDoubleArray(), b.parameters().get(e.getKey()).toDoubleArray(), 0, e.getKey());
        }
    }

    @Test void layerContracts() {
        Array x = MX.normal(new int[] {2, 4, 8}, MX.key(1)), mem = MX.normal(new int[] {2, 5, 8}, MX.key(2));
        Array mask = MultiHeadAttention.createAdditiveCausalMask(4);
        LayerChecks.assertLayerContract(new TransformerEncoderLayer(8, 2), () -> new TransformerEncoderLayer(8, 2), m -> m.forward(x, mask));
        LayerChecks.assertLayerContract(new TransformerDecoderLayer(8, 2), () -> new TransformerDecoderLayer(8, 2), m -> m.forward(x, mem, mask, null));
        java.util.function.Supplier<Transformer> small = () -> new Transformer(8, 2, 1, 1, 16, 0, Activations::relu, null, null, true, false);
        LayerChecks.assertLayerContract(small.get(), small, m -> m.forward(mem, x, null, mask, null));
    }

    @Test void badInputs() {
        assertMessage("[TransformerEncoderLayer] dims must be divisible by numHeads", () -> new TransformerEncoderLayer(10, 4));
        assertMessage("[TransformerEncoderLayer] dims and numHeads must be positive", () -> new TransformerEncoderLayer(8, 2, -1, 0, Activations::relu, true));
        assertMessage("[TransformerEncoderLayer] the dropout probability must be in [0, 1), got 1.0", () -> new TransformerEncoderLayer(8, 2, 0, 1, Activations::relu, true));
        assertMessage("[TransformerDecoderLayer] the activation is null", () -> new TransformerDecoderLayer(8, 2, 0, 0, null, true));
        assertMessage("[TransformerEncoder] numLayers must be non-negative", () -> new TransformerEncoder(-1, 8, 2));
        assertMessage("[TransformerDecoder] dims must be divisible", () -> new TransformerDecoder(1, 9, 2));
        assertMessage("[TransformerEncoderLayer] expected input (N, L, 8), got shape (4, 8)", () -> new TransformerEncoderLayer(8, 2).forward(MX.zeros(4, 8)));
        assertMessage("[TransformerEncoder] expected input (N, L, 8), got shape (1, 4, 6)", () -> new TransformerEncoder(1, 8, 2).forward(MX.zeros(1, 4, 6)));
        assertMessage("[TransformerDecoderLayer] expected memory (2, S, 8), got shape (3, 4, 8)",
                () -> new TransformerDecoderLayer(8, 2).forward(MX.zeros(2, 3, 8), MX.zeros(3, 4, 8)));
        assertMessage("[TransformerDecoder] expected x (N, L, 8), got null", () -> new TransformerDecoder(1, 8, 2).forward(null, MX.zeros(3, 4, 8)));
        assertMessage("[MultiHeadAttention] the mask must broadcast", () -> new TransformerEncoderLayer(8, 2).forward(MX.zeros(1, 3, 8), MX.zeros(4, 4)));
    }
}
