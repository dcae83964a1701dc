package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Loading real PyTorch state dicts: the fixtures in src/test/resources/torch were written by
 * make_fixture.py with PyTorch 1.13 (weights, an input and PyTorch's output), so these tests compare
 * our forward pass on converted weights with PyTorch's own numbers.
 */
class CheckpointsTest {
    static Path resource(String name) throws Exception {
        return Path.of(CheckpointsTest.class.getResource("/torch/" + name).toURI());
    }

    /** SmallCnn of make_fixture.py, channels-last. */
    static final class SmallCnn extends UnaryModule {
        final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 3, 3, 1, 1));
        final BatchNorm bn1 = registerModule("bn1", new BatchNorm(3));
        final Conv2d conv2 = registerModule("conv2", new Conv2d(3, 2, 3));
        final Linear fc = registerModule("fc", new Linear(2, 5));

        @Override public Array forward(Array x) {
            Array h = Activations.relu(bn1.forward(conv1.forward(x)));
            return fc.forward(MX.mean(conv2.forward(h), 1, 2));
        }
    }

    @Test void pyTorchCnnStateDictGivesPyTorchOutputs() throws Exception {
        SmallCnn m = new SmallCnn();
        Checkpoints.loadPyTorch(m, resource("small_cnn.npz"));
        m.eval();
        Map<String, Array> io = MX.load(resource("small_cnn_io.npz"));
        Array x = MX.transpose(io.get("input"), 0, 2, 3, 1); // NCHW -> NHWC
        assertArrayEquals(io.get("output").toFloatArray(), m.forward(x).toFloatArray(), 1e-5f);
    }

    @Test void convWeightLayoutIsTransposed() throws Exception {
        Map<String, Array> torch = MX.load(resource("small_cnn.npz"));
        Map<String, Array> ours = Checkpoints.fromPyTorch(torch, new SmallCnn());
        assertEquals(List.of(3, 3, 3, 1), toList(ours.get("conv1.weight").shape().toArray()));
        float[] t = torch.get("conv2.weight").toFloatArray(); // (2, 3, 3, 3) = (o, i, h, w)
        float[] o = MX.contiguous(ours.get("conv2.weight")).toFloatArray(); // (o, h, w, i)
        for (int a = 0; a < 2; a++) for (int i = 0; i < 3; i++) for (int h = 0; h < 3; h++) for (int w = 0; w < 3; w++) {
            assertEquals(t[((a * 3 + i) * 3 + h) * 3 + w], o[((a * 3 + h) * 3 + w) * 3 + i], 0f);
        }
        assertTrue(!ours.containsKey("bn1.num_batches_tracked"));
    }

    @Test void pyTorchSequentialKeysMapToLayers() throws Exception {
        Sequential s = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        Checkpoints.loadPyTorch(s, resource("mlp_seq.npz"));
        Map<String, Array> io = MX.load(resource("mlp_seq_io.npz"));
        assertArrayEquals(io.get("output").toFloatArray(), s.forward(io.get("input")).toFloatArray(), 1e-6f);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(Checkpoints.toPyTorch(s).keySet()));
    }

    @Test void exportAndReimportRoundTrip(@TempDir Path dir) throws Exception {
        SmallCnn a = new SmallCnn();
        Path f = dir.resolve("torch.safetensors");
        MX.saveSafetensors(f, Checkpoints.toPyTorch(a));
        assertEquals(List.of(3, 1, 3, 3), toList(MX.load(f).get("conv1.weight").shape().toArray()));
        SmallCnn b = new SmallCnn();
        Checkpoints.loadPyTorch(b, f);
        a.eval();
        b.eval();
        Array x = MX.normal(new int[] {2, 5, 5, 1}, MX.key(3));
        for (var e : a.parameters().entrySet()) {
            assertArrayEquals(MX.contiguous(e.getValue()).toFloatArray(), MX.contiguous(b.parameters().get(e.getKey())).toFloatArray(), 0f, e.getKey());
        }
        // same weights in another memory layout: the GEMM may sum in another order
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray(), 1e-6f);
    }

    @Test void transformerListsKeepTheirLayersKey() {
        TransformerEncoder enc = new TransformerEncoder(1, 8, 2);
        assertTrue(Checkpoints.toPyTorch(enc).keySet().stream().allMatch(k -> k.startsWith("layers.0.") || k.startsWith("ln.")),
                Checkpoints.toPyTorch(enc).keySet().toString());
    }

    @Test void flattenedLinearColumnsFollowChannelsLast() {
        // out=1, (C, H, W) = (2, 1, 2): torch column c*2 + w, ours w*2 + c
        Array w = MX.array(new float[] {10, 11, 20, 21}, 1, 4);
        assertArrayEquals(new float[] {10, 20, 11, 21}, MX.contiguous(Checkpoints.flattenedLinearFromPyTorch(w, 2, 1, 2)).toFloatArray(), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.flattenedLinearFromPyTorch(w, 3, 1, 2));
        assertTrue(e.getMessage().startsWith("[Checkpoints]"), e.getMessage());
    }

    @Test void wrongArchitectureIsReportedByKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadPyTorch(new Sequential(new Linear(3, 4)), resource("mlp_seq.npz")));
        assertTrue(e.getMessage().contains("unexpected keys [layers.2.bias, layers.2.weight]") || e.getMessage().contains("2.bias"), e.getMessage());
    }

    private static List<Integer> toList(int[] a) { return java.util.Arrays.stream(a).boxed().toList(); }
}
