package org.mlx4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.mlx4j.core.Array;

/**
 * A stack of {@link TransformerDecoderLayer}s ({@code layers.0}, {@code layers.1}, ...) followed by
 * a final layer norm {@code ln}, like MLX's {@code nn.TransformerDecoder}. x (N, L, dims) and memory
 * (N, S, dims) in, (N, L, dims) out; every layer gets the same memory and masks.
 *
 * <p>With {@code checkpoint}, each layer is recomputed in the backward pass (see
 * {@link TransformerEncoder} for the caveat with dropout).
 */
public final class TransformerDecoder extends Module implements Transformer.Decoder {
    private final int dims;
    private final boolean checkpoint;
    private final List<TransformerDecoderLayer> layers;
    private final UnaryModule ln;

    /** {@code numLayers} pre-norm layers with MLX's defaults (mlpDims = 4 * dims, no dropout, ReLU, no checkpointing). */
    public TransformerDecoder(int numLayers, int dims, int numHeads) {
        this(numLayers, dims, numHeads, 0, 0, Activations::relu, true, false);
    }

    /**
     * A decoder; the layer arguments are those of {@link TransformerDecoderLayer}.
     *
     * @param numLayers  the number of layers (0 leaves only the final norm)
     * @param checkpoint recompute each layer in the backward pass (MLX: false)
     * @throws IllegalArgumentException for a negative numLayers or bad layer arguments
     */
    public TransformerDecoder(int numLayers, int dims, int numHeads, int mlpDims, double dropout,
                              UnaryOperator<Array> activation, boolean normFirst, boolean checkpoint) {
        if (numLayers < 0) throw new IllegalArgumentException("[TransformerDecoder] numLayers must be non-negative, got " + numLayers + ".");
        TransformerLayer.checkSizes("TransformerDecoder", dims, numHeads, mlpDims, activation);
        this.dims = dims;
        this.checkpoint = checkpoint;
        List<TransformerDecoderLayer> ls = new ArrayList<>();
        for (int i = 0; i < numLayers; i++) ls.add(new TransformerDecoderLayer(dims, numHeads, mlpDims, dropout, activation, normFirst));
        layers = registerModules("layers", ls);
        ln = registerModule("ln", new LayerNorm(dims));
    }

    /** The decoder without masks. */
    public Array forward(Array x, Array memory) { return forward(x, memory, null, null); }

    /**
     * Runs the layers and the final norm on {@code x} (N, L, dims) attending to {@code memory}
     * (N, S, dims); returns (N, L, dims).
     *
     * @param xMask      null or the self-attention mask, broadcastable to (N, heads, L, L)
     * @param memoryMask null or the cross-attention mask, broadcastable to (N, heads, L, S)
     * @throws IllegalArgumentException for mis-shaped inputs or masks
     */
    @Override public Array forward(Array x, Array memory, Array xMask, Array memoryMask) {
        TransformerDecoderLayer.checkInputs("TransformerDecoder", x, memory, dims);
        for (TransformerDecoderLayer l : layers) {
            x = checkpoint
                    ? TransformerCheckpoint.call(l, a -> l.forward(a[0], a[1], xMask, memoryMask), x, memory)
                    : l.forward(x, memory, xMask, memoryMask);
        }
        return ln.forward(x);
    }

    /** The layers, in order. */
    public List<TransformerDecoderLayer> layers() { return layers; }

    /** The model width. */
    public int dims() { return dims; }

    /** True if the layers are checkpointed. */
    public boolean checkpoint() { return checkpoint; }

    @Override protected String describe() { return "numLayers=" + layers.size() + ", checkpoint=" + checkpoint; }
}
