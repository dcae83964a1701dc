package org.mlx4j.examples.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.MX;

class SamplerTest {
    @Test void greedyIsDeterministicAndTheArgMaxOfTheModel() {
        MX.seed(0);
        CharTransformer m = new CharTransformer(new CharTransformer.Config(1, 16, 2, 8, 256));
        byte[] a = Sampler.generateBytes(m, "hello world", 20, 0, 1);
        byte[] b = Sampler.generateBytes(m, "hello world", 20, 0, 999);   // the seed does not matter when greedy
        assertEquals(20, a.length);
        assertArrayEquals(a, b);
        // the first new byte is the arg max at the last position of the (cropped) prompt
        byte[] prompt = "hello world".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int[] last8 = new int[8];
        for (int i = 0; i < 8; i++) last8[i] = prompt[prompt.length - 8 + i] & 0xff;
        float[] logits = m.forward(MX.array(last8, 1, 8)).toFloatArray();
        int best = 0;
        for (int v = 1; v < 256; v++) if (logits[7 * 256 + v] > logits[7 * 256 + best]) best = v;
        assertEquals(best, a[0] & 0xff);
        assertTrue(m.isTraining(), "the mode is restored");
    }

    @Test void samplingIsReproducibleBySeed() {
        MX.seed(0);
        CharTransformer m = new CharTransformer(new CharTransformer.Config(1, 16, 2, 8, 256));
        byte[] a = Sampler.generateBytes(m, "", 30, 1.0, 5);
        assertArrayEquals(a, Sampler.generateBytes(m, "", 30, 1.0, 5));
        assertFalse(Arrays.equals(a, Sampler.generateBytes(m, "", 30, 1.0, 6)));
        assertEquals(0, Sampler.generate(m, "abc", 0, 1.0, 5).length());
        assertThrows(IllegalArgumentException.class, () -> Sampler.generate(m, "abc", 3, -1, 5));
        assertThrows(IllegalArgumentException.class, () -> Sampler.generate(m, "abc", -1, 0, 5));
    }
}
