package org.mlx4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Converting weights between PyTorch's layouts and ours (MLX's), so a checkpoint of the same
 * architecture written by either loads by key name.
 *
 * <p>An MLX checkpoint needs no conversion: our keys and layouts are MLX's, so
 * {@link Module#loadWeights(Path)} reads it directly. A PyTorch {@code state_dict} (saved as
 * {@code .safetensors}, or as {@code .npz} from numpy) differs in three ways, all handled here:
 * <ul>
 *   <li>convolution weights are channels-first: {@code Conv*d} (C_out, C_in, k...) becomes our
 *       (C_out, k..., C_in), and {@code ConvTranspose*d} (C_in, C_out, k...) becomes our
 *       (C_out, k..., C_in);</li>
 *   <li>a PyTorch {@code nn.Sequential} names its layers {@code 0.weight}, ours (like MLX)
 *       {@code layers.0.weight};</li>
 *   <li>PyTorch's {@code num_batches_tracked} counters have no counterpart and are dropped.</li>
 * </ul>
 * Linear, embedding, normalization and attention weights have the same layout in both. A linear
 * layer that follows a flatten of convolutional features sees its inputs in (C, H, W) order in
 * PyTorch and (H, W, C) order here; {@link #flattenedLinearFromPyTorch} permutes its columns.
 *
 * <pre>{@code
 * Model model = new Model();
 * Checkpoints.loadPyTorch(model, Path.of("model.safetensors"));   // strict: every key must match
 * }</pre>
 */
public final class Checkpoints {
    private Checkpoints() {}

    /**
     * Loads a PyTorch {@code state_dict} file (.safetensors or .npz) into {@code model}, strictly.
     *
     * @throws IllegalArgumentException naming missing, unexpected and mis-shaped keys
     * @throws IOException              when the file cannot be read
     */
    public static Module loadPyTorch(Module model, Path file) throws IOException {
        return model.loadWeights(fromPyTorch(MX.load(file), model), true);
    }

    /**
     * Renames and transposes a PyTorch {@code state_dict} into {@code model}'s keys and layouts.
     * Keys that match none of the model's are passed through unchanged (so a strict load reports them).
     */
    public static Map<String, Array> fromPyTorch(Map<String, Array> state, Module model) {
        Map<String, Module> owners = ownerOfParameters(model);
        Map<String, String> oursToTorch = torchKeys(model);
        Map<String, String> torchToOurs = new LinkedHashMap<>();
        for (var e : oursToTorch.entrySet()) torchToOurs.put(e.getValue(), e.getKey());
        Map<String, Array> out = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            String k = e.getKey();
            if (k.endsWith("num_batches_tracked")) continue;
            String ours = owners.containsKey(k) ? k : torchToOurs.getOrDefault(k, k);
            Module owner = owners.get(ours);
            out.put(ours, owner != null && ours.endsWith("weight") ? convWeightFromPyTorch(owner, e.getValue()) : e.getValue());
        }
        return out;
    }

    /** {@code model}'s parameters in PyTorch's keys and layouts: the inverse of {@link #fromPyTorch}. */
    public static Map<String, Array> toPyTorch(Module model) {
        Map<String, Module> owners = ownerOfParameters(model);
        Map<String, String> oursToTorch = torchKeys(model);
        Map<String, Array> out = new LinkedHashMap<>();
        for (var e : model.parameters().entrySet()) {
            Module owner = owners.get(e.getKey());
            Array v = e.getValue();
            if (e.getKey().endsWith("weight")) v = convWeightToPyTorch(owner, v);
            out.put(oursToTorch.get(e.getKey()), v);
        }
        return out;
    }

    /**
     * Permutes the columns of a PyTorch linear weight (out, C*H*W) that reads flattened (C, H, W)
     * features into ours (out, H*W*C), for a model that flattens channels-last features.
     *
     * @throws IllegalArgumentException if the weight is not (out, channels*height*width)
     */
    public static Array flattenedLinearFromPyTorch(Array weight, int channels, int height, int width) {
        if (weight.ndim() != 2 || weight.dim(1) != channels * height * width) {
            throw new IllegalArgumentException("[Checkpoints] expected a weight (out, " + channels * height * width + ") for (C, H, W) = ("
                    + channels + ", " + height + ", " + width + "), got shape " + weight.shape() + ".");
        }
        int out = weight.dim(0);
        return MX.reshape(MX.transpose(MX.reshape(weight, out, channels, height, width), 0, 2, 3, 1), out, height * width * channels);
    }

    private static boolean isConv(Module m) { return m instanceof Conv1d || m instanceof Conv2d || m instanceof Conv3d; }

    private static boolean isConvTranspose(Module m) {
        return m instanceof ConvTranspose1d || m instanceof ConvTranspose2d || m instanceof ConvTranspose3d;
    }

    /** PyTorch (C_out, C_in, k...) or, transposed, (C_in, C_out, k...) to ours (C_out, k..., C_in). */
    private static Array convWeightFromPyTorch(Module owner, Array w) {
        int n = w.ndim();
        if (isConv(owner)) return MX.transpose(w, perm(n, 0, 2, 1));
        if (isConvTranspose(owner)) return MX.transpose(w, perm(n, 1, 2, 0));
        return w;
    }

    private static Array convWeightToPyTorch(Module owner, Array w) {
        int n = w.ndim();
        if (isConv(owner)) return MX.transpose(w, inverse(perm(n, 0, 2, 1)));
        if (isConvTranspose(owner)) return MX.transpose(w, inverse(perm(n, 1, 2, 0)));
        return w;
    }

    /** The permutation {@code first, spatial..., last} where spatial axes start at {@code spatialFrom}. */
    private static int[] perm(int n, int first, int spatialFrom, int last) {
        int[] p = new int[n];
        p[0] = first;
        for (int i = 1; i < n - 1; i++) p[i] = spatialFrom + i - 1;
        p[n - 1] = last;
        return p;
    }

    private static int[] inverse(int[] p) {
        int[] q = new int[p.length];
        for (int i = 0; i < p.length; i++) q[p[i]] = i;
        return q;
    }

    /**
     * Each parameter's key as PyTorch writes it: the same path, except that the children of a
     * {@link Sequential} are {@code 0, 1, ...} there and {@code layers.0, layers.1, ...} here (other
     * lists, such as a transformer's {@code layers.N}, are named alike in both).
     */
    static Map<String, String> torchKeys(Module model) {
        Map<String, String> out = new LinkedHashMap<>();
        walk(model, "", "", out);
        return out;
    }

    private static void walk(Module m, String ours, String torch, Map<String, String> out) {
        for (String k : m.ownParameterNames()) out.put(ours + k, torch + k);
        for (var e : m.children().entrySet()) {
            String child = e.getKey();
            String tchild = m instanceof Sequential && child.startsWith("layers.") ? child.substring("layers.".length()) : child;
            walk(e.getValue(), ours + child + ".", torch + tchild + ".", out);
        }
    }

    /** The module that registered each parameter. */
    private static Map<String, Module> ownerOfParameters(Module model) {
        Map<String, Module> owners = new LinkedHashMap<>();
        for (var e : model.modules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (String k : e.getValue().ownParameterNames()) owners.put(prefix + k, e.getValue());
        }
        return owners;
    }
}
