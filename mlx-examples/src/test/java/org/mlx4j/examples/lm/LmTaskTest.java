package org.mlx4j.examples.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.nn.NN;
import org.mlx4j.optim.AdamW;
import org.mlx4j.optim.Optimizer;

class LmTaskTest {
    static ByteCorpus repetitive(int n) {
        byte[] b = new byte[n];
        byte[] pattern = "the cat sat on the mat. ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) b[i] = pattern[i % pattern.length];
        return ByteCorpus.of(b, "cats");
    }

    static ByteCorpus counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + i / 256);
        return ByteCorpus.of(b, "counting");
    }

    @Test void batchesAreWindowsAndTheirShiftedTargets() {
        MX.seed(0);
        ByteCorpus c = counting(3000);
        LmTask task = new LmTask(new CharTransformer(new CharTransformer.Config(1, 16, 2, 8, 256)), c, 5, 10);
        Array[] b = task.batch(1, 0, 0);
        assertEquals(org.mlx4j.core.Shape.of(5, 8), b[0].shape());
        assertEquals(org.mlx4j.core.Shape.of(5, 8), b[1].shape());
        assertEquals(org.mlx4j.core.DType.INT32, b[0].dtype());
        int[] x = b[0].toIntArray(), y = b[1].toIntArray();
        byte[] train = c.trainBytes();
        for (int r = 0; r < 5; r++) {
            int off = findWindow(train, x, r * 8);
            assertTrue(off >= 0 && off < train.length - 8 - 1, "row " + r + " is a window of the training split");
            for (int t = 0; t < 8; t++) assertEquals(train[off + t + 1] & 0xff, y[r * 8 + t]);
        }
        assertEquals(40, task.itemsPerStep());
        assertEquals("tok", task.itemUnit());
        assertEquals(Map.of("model", "lm", "layers", "1", "dims", "16", "heads", "2", "context", "8", "vocab", "256"), task.architecture());
    }

    private static int findWindow(byte[] data, int[] x, int from) {
        outer:
        for (int off = 0; off + 8 <= data.length; off++) {
            for (int t = 0; t < 8; t++) if ((data[off + t] & 0xff) != x[from + t]) continue outer;
            return off;
        }
        return -1;
    }

    @Test void batchesDependOnlyOnSeedEpochAndIndex() {
        MX.seed(0);
        LmTask task = new LmTask(new CharTransformer(new CharTransformer.Config(1, 16, 2, 8, 256)), counting(50_000), 4, 10);
        int[] a = task.batch(7, 2, 3)[0].toIntArray();
        task.batch(1, 1, 1);                                   // another draw in between changes nothing
        MX.seed(123);                                          // nor does the global random state
        assertArrayEquals(a, task.batch(7, 2, 3)[0].toIntArray());
        assertFalse(Arrays.equals(a, task.batch(8, 2, 3)[0].toIntArray()));
        assertFalse(Arrays.equals(a, task.batch(7, 3, 3)[0].toIntArray()));
        assertFalse(Arrays.equals(a, task.batch(7, 2, 4)[0].toIntArray()));
        assertFalse(Arrays.equals(a, task.batch(7, 3, 2)[0].toIntArray()));   // swapped epoch and index
    }

    @Test void validationOffsetsAreTorchLinspaceFloat32() {
        // torch.linspace(0, n - 130, 512).long() under PyTorch 1.13 differs from the exact
        // floor(i * (n - 130) / 511) at these indices (printed by torch itself for n = 951957, the
        // Vim help's validation split, and n = 2000000); everywhere else the two agree
        int[][] torchAt = {{117, 217933}, {157, 292440}, {311, 579292}, {314, 584880}, {351, 653799}, {391, 728306}, {431, 802813}, {471, 877320}};
        check(951957, torchAt);
        check(2_000_000, new int[][] {{25, 97841}, {50, 195682}, {100, 391364}, {175, 684887}, {200, 782728}, {275, 1076251}, {278, 1087992},
                {325, 1271933}, {350, 1369774}, {375, 1467615}, {389, 1522406}, {400, 1565456}, {414, 1620247}, {425, 1663297}, {439, 1718088}});
    }

    private static void check(int n, int[][] torchAt) {
        int[] got = LmTask.validationOffsets(n, 128, 512);
        int[] expected = new int[512];
        for (int i = 0; i < 512; i++) expected[i] = (int) Math.floor((double) i * (n - 130) / 511);
        for (int[] p : torchAt) {
            assertTrue(expected[p[0]] != p[1], "the listed indices are where the exact value differs");
            expected[p[0]] = p[1];
        }
        assertArrayEquals(expected, got);
        assertEquals(n - 130, got[511]);
    }

    @Test void validationLossStartsNearLn256AndIsRepeatable() {
        MX.seed(0);
        LmTask task = new LmTask(new CharTransformer(new CharTransformer.Config(1, 16, 2, 8, 256)), counting(20_000), 4, 10);
        double v = task.evaluate().get("val_loss");
        assertEquals(Math.log(256), v, 0.1);
        assertEquals(v, task.evaluate().get("val_loss"), 1e-9);
        assertTrue(task.model().isTraining(), "evaluate restores training mode");
    }

    @Test void adamStepsLowerTheLossOnARepetitiveCorpus() {
        MX.seed(0);
        CharTransformer model = new CharTransformer(new CharTransformer.Config(1, 32, 2, 16, 256));
        LmTask task = new LmTask(model, repetitive(4000), 16, 40);
        Optimizer opt = AdamW.builder(1e-2).biasCorrection(true).build();
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> task.loss(m, in));
        double v0 = task.evaluate().get("val_loss"), first = 0, last = 0;
        for (int s = 0; s < 40; s++) {
            Array[] b = task.batch(0, 0, s);
            var r = lossAndGrad.apply(b);
            model.update(opt.apply(r.grad(), model.trainableParameters()));
            List<Array> targets = new ArrayList<>(model.parameters().values());
            targets.addAll(opt.state().values());
            targets.add(r.value());
            MX.eval(targets);
            if (s == 0) first = r.value().item();
            last = r.value().item();
        }
        double v1 = task.evaluate().get("val_loss");
        assertTrue(first > 4.5, "starts near ln 256, got " + first);
        assertTrue(last < 1.5, "40 steps on a 24-byte cycle must lower the loss well below ln 256, got " + last);
        assertTrue(v1 < v0 - 3, "validation loss " + v0 + " -> " + v1);
    }

    @Test void badArgumentsAreRejected() {
        MX.seed(0);
        CharTransformer m = new CharTransformer(new CharTransformer.Config(1, 16, 2, 8, 256));
        assertThrows(IllegalArgumentException.class, () -> new LmTask(m, counting(3000), 0, 10));
        IllegalArgumentException shortCorpus = assertThrows(IllegalArgumentException.class, () -> new LmTask(m, counting(50), 2, 10));
        assertTrue(shortCorpus.getMessage().startsWith("[ByteCorpus]"), shortCorpus.getMessage());
    }
}
