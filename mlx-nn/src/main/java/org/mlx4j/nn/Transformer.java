package org.mlx4j.nn;

import java.util.function.UnaryOperator;
import org.mlx4j.core.Array;

/**
 * The encoder-decoder transformer of "Attention Is All You Need", like MLX's {@code nn.Transformer}:
 * children {@code encoder} (a {@link TransformerEncoder} unless a custom one is given) and
 * {@code decoder} (a {@link TransformerDecoder} unless a custom one is given).
 * {@code forward(src, tgt, srcMask, tgtMask, memoryMask)} is {@code decoder(tgt, encoder(src, srcMask),
 * tgtMask, memoryMask)}.
 *
 * <p>Shapes: src (N, S, dims), tgt (N, L, dims), output (N, L, dims). Masks are additive (or bool
 * keep) attention masks: srcMask broadcasts to (N, heads, S, S), tgtMask to (N, heads, L, L)
 * (typically {@link MultiHeadAttention#createAdditiveCausalMask(int, org.mlx4j.core.DType)}),
 * memoryMask to (N, heads, L, S); each may be null.
 *
 * <pre>{@code
 * var model = new Transformer(64, 4, 2, 2, 0, 0.1, Activations::relu, null, null, true, false);
 * Array y = model.forward(src, tgt, null, MultiHeadAttention.createAdditiveCausalMask(tgt.dim(1)), null);
 * }</pre>
 */
public final class Transformer extends Module {
    /** What the transformer needs of an encoder: (x, mask) to the memory. Implemented by {@link TransformerEncoder}. */
    @FunctionalInterface
    public interface Encoder {
        /** Encodes {@code x} (N, S, dims) under an optional attention {@code mask}. */
        Array forward(Array x, Array mask);
    }

    /** What the transformer needs of a decoder. Implemented by {@link TransformerDecoder}. */
    @FunctionalInterface
    public interface Decoder {
        /** Decodes {@code x} (N, L, dims) attending to {@code memory} (N, S, dims) under optional masks. */
        Array forward(Array x, Array memory, Array xMask, Array memoryMask);
    }

    private final Module encoder;
    private final Module decoder;

    /** MLX's defaults: dims 512, 8 heads, 6 encoder and 6 decoder layers, mlpDims 2048, no dropout, ReLU, pre-norm. */
    public Transformer() { this(512, 8, 6, 6); }

    /** A transformer with MLX's defaults for everything but the sizes. */
    public Transformer(int dims, int numHeads, int numEncoderLayers, int numDecoderLayers) {
        this(dims, numHeads, numEncoderLayers, numDecoderLayers, 0, 0, Activations::relu, null, null, true, false);
    }

    /**
     * A transformer with every MLX option. The layer arguments are those of
     * {@link TransformerEncoderLayer}; they are ignored for a part that is given as a custom module.
     *
     * @param dims             the model width (MLX: 512)
     * @param numHeads         attention heads (MLX: 8)
     * @param numEncoderLayers encoder layers (MLX: 6)
     * @param numDecoderLayers decoder layers (MLX: 6)
     * @param mlpDims          the MLP hidden size, or 0 for 4 * dims
     * @param dropout          the dropout probability in [0, 1) (MLX: 0)
     * @param activation       the MLP activation (MLX: relu)
     * @param customEncoder    null, or a module to use as {@code encoder}
     * @param customDecoder    null, or a module to use as {@code decoder}
     * @param normFirst        pre-norm layers (MLX: true)
     * @param checkpoint       checkpoint each layer (MLX: false)
     * @param <E>              a module that encodes
     * @param <D>              a module that decodes
     * @throws IllegalArgumentException for bad sizes or options of a part that is built here
     */
    public <E extends Module & Encoder, D extends Module & Decoder> Transformer(
            int dims, int numHeads, int numEncoderLayers, int numDecoderLayers, int mlpDims, double dropout,
            UnaryOperator<Array> activation, E customEncoder, D customDecoder, boolean normFirst, boolean checkpoint) {
        encoder = registerModule("encoder", customEncoder != null ? customEncoder
                : new TransformerEncoder(numEncoderLayers, dims, numHeads, mlpDims, dropout, activation, normFirst, checkpoint));
        decoder = registerModule("decoder", customDecoder != null ? customDecoder
                : new TransformerDecoder(numDecoderLayers, dims, numHeads, mlpDims, dropout, activation, normFirst, checkpoint));
    }

    /** The transformer without masks. */
    public Array forward(Array src, Array tgt) { return forward(src, tgt, null, null, null); }

    /**
     * Encodes {@code src} (N, S, dims) and decodes {@code tgt} (N, L, dims) against it; returns (N, L, dims).
     *
     * @throws IllegalArgumentException (from the encoder or decoder) for mis-shaped inputs or masks
     */
    public Array forward(Array src, Array tgt, Array srcMask, Array tgtMask, Array memoryMask) {
        Array memory = ((Encoder) encoder).forward(src, srcMask);
        return ((Decoder) decoder).forward(tgt, memory, tgtMask, memoryMask);
    }

    /** The encoder, child {@code encoder}. */
    public Module encoder() { return encoder; }

    /** The decoder, child {@code decoder}. */
    public Module decoder() { return decoder; }
}
