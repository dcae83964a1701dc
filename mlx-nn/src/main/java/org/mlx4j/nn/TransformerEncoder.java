package org.mlx4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.mlx4j.core.Array;

/**
 * A stack of {@link TransformerEncoderLayer}s ({@code layers.0}, {@code layers.1}, ...) followed by
 * a final layer norm {@code ln}, like MLX's {@code nn.TransformerEncoder}. Input (N, L, dims),
 * output (N, L, dims); every layer gets the same mask.
 *
 * <p>With {@code checkpoint}, each layer is recomputed in the backward pass instead of keeping its
 * intermediates (less memory, more compute). As in MLX, a layer with active dropout draws new masks
 * when it is recomputed, so checkpoint with dropout in training mode gives inexact gradients.
 */
public final class TransformerEncoder extends Module implements Transformer.Encoder {
    private final int dims;
    private final boolean checkpoint;
    private final List<TransformerEncoderLayer> layers;
    private final UnaryModule ln;

    /** {@code numLayers} pre-norm layers with MLX's defaults (mlpDims = 4 * dims, no dropout, ReLU, no checkpointing). */
    public TransformerEncoder(int numLayers, int dims, int numHeads) {
        this(numLayers, dims, numHeads, 0, 0, Activations::relu, true, false);
    }

    /**
     * An encoder; the layer arguments are those of {@link TransformerEncoderLayer}.
     *
     * @param numLayers  the number of layers (0 leaves only the final norm)
     * @param checkpoint recompute each layer in the backward pass (MLX: false)
     * @throws IllegalArgumentException for a negative numLayers or bad layer arguments
     */
    public TransformerEncoder(int numLayers, int dims, int numHeads, int mlpDims, double dropout,
                              UnaryOperator<Array> activation, boolean normFirst, boolean checkpoint) {
        if (numLayers < 0) throw new IllegalArgumentException("[TransformerEncoder] numLayers must be non-negative, got " + numLayers + ".");
        TransformerLayer.checkSizes("TransformerEncoder", dims, numHeads, mlpDims, activation);
        this.dims = dims;
        this.checkpoint = checkpoint;
        List<TransformerEncoderLayer> ls = new ArrayList<>();
        for (int i = 0; i < numLayers; i++) ls.add(new TransformerEncoderLayer(dims, numHeads, mlpDims, dropout, activation, normFirst));
        layers = registerModules("layers", ls);
        ln = registerModule("ln", new LayerNorm(dims));
    }

    /** The encoder without a mask. */
    public Array forward(Array x) { return forward(x, null); }

    /**
     * Runs the layers and the final norm on {@code x} (N, L, dims); returns (N, L, dims).
     *
     * @param mask null or the attention mask, broadcastable to (N, heads, L, L)
     * @throws IllegalArgumentException if x is not (N, L, dims) or the mask does not broadcast
     */
    @Override public Array forward(Array x, Array mask) {
        if (x == null || x.ndim() != 3 || x.dim(2) != dims) {
            throw new IllegalArgumentException("[TransformerEncoder] expected input (N, L, " + dims + "), got " + (x == null ? "null" : "shape " + x.shape()) + ".");
        }
        for (TransformerEncoderLayer l : layers) {
            x = checkpoint ? TransformerCheckpoint.call(l, a -> l.forward(a[0], mask), x) : l.forward(x, mask);
        }
        return ln.forward(x);
    }

    /** The layers, in order. */
    public List<TransformerEncoderLayer> layers() { return layers; }

    /** The model width. */
    public int dims() { return dims; }

    /** True if the layers are checkpointed. */
    public boolean checkpoint() { return checkpoint; }

    @Override protected String describe() { return "numLayers=" + layers.size() + ", checkpoint=" + checkpoint; }
}
