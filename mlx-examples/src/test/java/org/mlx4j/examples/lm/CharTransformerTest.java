package org.mlx4j.examples.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.nn.Linear;
import org.mlx4j.nn.LoRALinear;

class CharTransformerTest {
    static final CharTransformer.Config TINY = new CharTransformer.Config(2, 16, 2, 8, 256);

    @TempDir Path dir;

    static Array tokens(int b, int t, long seed) {
        return MX.randint(0, 256, new int[] {b, t}, org.mlx4j.core.DType.INT32, MX.key(seed));
    }

    /** The peer's count, written out from its module list (PyTorch counts every parameter of the LM). */
    static long peerCount(int layers, int d, int ctx, int vocab) {
        long emb = (long) vocab * d + (long) ctx * d;
        long ln = 2L * d;
        long block = ln + (d * 3L * d + 3L * d) + ((long) d * d + d) + ln + (d * 4L * d + 4L * d) + (4L * d * d + d);
        return emb + layers * block + ln + ((long) d * vocab + vocab);
    }

    @Test void shapesAndParameterCountMatchThePeer() {
        MX.seed(1);
        CharTransformer m = new CharTransformer(TINY);
        Array logits = m.forward(tokens(3, 5, 0));
        assertEquals(org.mlx4j.core.Shape.of(3, 5, 256), logits.shape());
        assertEquals(peerCount(2, 16, 8, 256), m.parameterCount());
        assertEquals(m.parameterCount(), TINY.parameterCount());
        // the default configuration: transformer_lm.py prints params=875520
        assertEquals(875520L, peerCount(4, 128, 128, 256));
        assertEquals(875520L, CharTransformer.Config.DEFAULT.parameterCount());
    }

    @Test void keysAreThePeers() {
        MX.seed(1);
        Set<String> keys = new CharTransformer(new CharTransformer.Config(1, 16, 2, 8, 256)).parameters().keySet();
        Set<String> expected = new TreeSet<>();
        expected.addAll(Set.of("tok.weight", "pos.weight", "lnf.weight", "lnf.bias", "head.weight", "head.bias"));
        for (String l : new String[] {"ln1", "qkv", "proj", "ln2", "fc1", "fc2"}) {
            expected.add("blocks.0." + l + ".weight");
            expected.add("blocks.0." + l + ".bias");
        }
        assertEquals(expected, new TreeSet<>(keys));
    }

    @Test void initIsThePeers() {
        MX.seed(2);
        CharTransformer m = new CharTransformer(CharTransformer.Config.of(1, 64, 4, 64));
        Map<String, Array> p = m.parameters();
        for (String k : new String[] {"tok.weight", "blocks.0.fc1.weight", "head.weight"}) {
            float[] w = p.get(k).toFloatArray();
            double s = 0, s2 = 0;
            for (float v : w) { s += v; s2 += v * v; }
            double mean = s / w.length, std = Math.sqrt(s2 / w.length - mean * mean);
            assertEquals(0.0, mean, 0.002, k);
            assertEquals(0.02, std, 0.001, k);
        }
        for (float v : p.get("blocks.0.qkv.bias").toFloatArray()) assertEquals(0f, v);
        for (float v : p.get("blocks.0.ln1.weight").toFloatArray()) assertEquals(1f, v);
        for (float v : p.get("lnf.bias").toFloatArray()) assertEquals(0f, v);
    }

    @Test void laterTokensDoNotChangeEarlierLogits() {
        MX.seed(3);
        CharTransformer m = new CharTransformer(TINY);
        int[] a = {10, 20, 30, 40, 50, 60, 70, 80};
        int[] b = a.clone();
        b[5] = 200;
        float[] la = m.forward(MX.array(a, 1, 8)).toFloatArray();
        float[] lb = m.forward(MX.array(b, 1, 8)).toFloatArray();
        for (int i = 0; i < 5 * 256; i++) assertEquals(la[i], lb[i], 1e-6, "position " + i / 256);
        double diff = 0;
        for (int i = 5 * 256; i < la.length; i++) diff += Math.abs(la[i] - lb[i]);
        assertTrue(diff > 1e-3, "changing token 5 must change logits at 5..7");
        // a shorter input gives the same logits as the prefix of a longer one
        float[] shortLogits = m.forward(MX.array(new int[] {10, 20, 30}, 1, 3)).toFloatArray();
        for (int i = 0; i < shortLogits.length; i++) assertEquals(la[i], shortLogits[i], 1e-5);
    }

    @Test void badInputsAndConfigsAreRejected() {
        MX.seed(4);
        CharTransformer m = new CharTransformer(TINY);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> m.forward(tokens(1, 9, 0)));
        assertTrue(tooLong.getMessage().startsWith("[CharTransformer]"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.forward(MX.zeros(1, 4)));
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class, () -> new CharTransformer.Config(1, 10, 3, 8, 256));
        assertTrue(heads.getMessage().startsWith("[CharTransformer]") && heads.getMessage().contains("heads=3"), heads.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CharTransformer.Config(0, 16, 2, 8, 256));
    }

    @Test void loraTrainsOnlyAdaptersAndMergesBackToAPlainCheckpoint() throws Exception {
        MX.seed(5);
        CharTransformer m = new CharTransformer(TINY);
        Array x = tokens(2, 8, 7);
        float[] before = m.forward(x).toFloatArray();
        m.applyLoRA(4, 2.0);
        assertTrue(m.hasLoRA());
        assertTrue(m.blocks().get(1).fc2() instanceof LoRALinear);
        Map<String, Array> trainable = m.trainableParameters();
        assertEquals(2 * 4 * 2, trainable.size());   // 2 blocks x 4 layers x (lora_a, lora_b)
        for (String k : trainable.keySet()) assertTrue(k.endsWith(".lora_a") || k.endsWith(".lora_b"), k);
        assertTrue(m.parameters().containsKey("blocks.0.qkv.linear.weight"));
        assertTrue(m.isFrozen("tok.weight") && m.isFrozen("blocks.0.ln1.weight") && m.isFrozen("blocks.0.qkv.linear.weight"));
        float[] fresh = m.forward(x).toFloatArray();
        for (int i = 0; i < before.length; i++) assertEquals(before[i], fresh[i], 1e-6);

        // give the adapters non-zero values, as training would
        Map<String, Array> moved = new java.util.LinkedHashMap<>();
        for (var e : trainable.entrySet()) moved.put(e.getKey(), MX.normal(e.getValue().shape().toArray(), org.mlx4j.core.DType.FLOAT32, 0, 0.05, MX.key(e.getKey().hashCode())));
        m.update(moved);
        float[] adapted = m.forward(x).toFloatArray();
        double change = 0;
        for (int i = 0; i < before.length; i++) change += Math.abs(before[i] - adapted[i]);
        assertTrue(change > 1e-2, "the adapters must change the output");

        m.mergeLoRA();
        assertTrue(!m.hasLoRA() && m.blocks().get(0).qkv() instanceof Linear);
        float[] merged = m.forward(x).toFloatArray();
        for (int i = 0; i < adapted.length; i++) assertEquals(adapted[i], merged[i], 1e-5);
        Path file = dir.resolve("merged.safetensors");
        m.saveWeights(file);
        MX.seed(99);
        CharTransformer other = new CharTransformer(TINY);
        other.loadWeights(file, true);
        float[] loaded = other.forward(x).toFloatArray();
        for (int i = 0; i < adapted.length; i++) assertEquals(adapted[i], loaded[i], 1e-5);
        assertThrows(IllegalStateException.class, m::mergeLoRA);
    }
}
