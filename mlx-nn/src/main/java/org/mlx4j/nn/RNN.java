package org.mlx4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.mlx4j.core.Array;
import org.mlx4j.core.Index;
import org.mlx4j.core.MX;

/**
 * An Elman recurrent layer, like MLX's {@code nn.RNN}: for each step of the sequence
 * {@code h_t = nonlinearity(x_t Wxh^T + h_{t-1} Whh^T + bias)}, tanh by default.
 *
 * <p>Input (N, L, D) or unbatched (L, D); the optional initial hidden state is (N, H) (or (H),
 * shared by the batch) or (H) unbatched, and {@code null} means zeros. Returns the hidden state of
 * every step, (N, L, H) or (L, H). The input projection of all steps is one matmul; each step then
 * adds one matmul with {@code Whh}.
 *
 * <p>Parameters (MLX's names and layout): {@code Wxh} (H, D), {@code Whh} (H, H), {@code bias}
 * (H, optional), all uniform in {@code [-1/sqrt(H), 1/sqrt(H)]}.
 */
public final class RNN extends UnaryModule {
    private final int inputSize;
    private final int hiddenSize;
    private final UnaryOperator<Array> nonlinearity;
    private final boolean defaultNonlinearity;

    /** An RNN with a bias and tanh. */
    public RNN(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, true, null); }

    /** An RNN with tanh. */
    public RNN(int inputSize, int hiddenSize, boolean bias) { this(inputSize, hiddenSize, bias, null); }

    /**
     * An RNN.
     *
     * @param inputSize    the input features D
     * @param hiddenSize   the hidden features H
     * @param bias         learn a bias (default true)
     * @param nonlinearity applied to each step's pre-activation; {@code null} for tanh (the default)
     * @throws IllegalArgumentException if a size is not positive
     */
    public RNN(int inputSize, int hiddenSize, boolean bias, UnaryOperator<Array> nonlinearity) {
        checkSizes("RNN", inputSize, hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.defaultNonlinearity = nonlinearity == null;
        this.nonlinearity = nonlinearity == null ? MX::tanh : nonlinearity;
        double s = 1.0 / Math.sqrt(hiddenSize);
        registerParameter("Wxh", MX.uniform(-s, s, new int[] {hiddenSize, inputSize}));
        registerParameter("Whh", MX.uniform(-s, s, new int[] {hiddenSize, hiddenSize}));
        if (bias) registerParameter("bias", MX.uniform(-s, s, new int[] {hiddenSize}));
    }

    /** The input features D. */
    public int inputSize() { return inputSize; }

    /** The hidden features H. */
    public int hiddenSize() { return hiddenSize; }

    /** The hidden states of every step from a zero initial state: (N, L, H) or (L, H). */
    @Override public Array forward(Array x) { return forward(x, null); }

    /**
     * The hidden states of every step.
     *
     * @param x      (N, L, D) or (L, D)
     * @param hidden the initial hidden state (N, H) or (H), or {@code null} for zeros
     * @return (N, L, H) or (L, H)
     * @throws IllegalArgumentException if a shape does not fit
     */
    public Array forward(Array x, Array hidden) {
        checkInput("RNN", x, inputSize);
        checkState("RNN", "hidden", hidden, x, hiddenSize);
        Array wt = MX.transpose(param("Wxh"));
        Array xp = hasParam("bias") ? MX.addmm(param("bias"), x, wt) : MX.matmul(x, wt);
        Array whhT = MX.transpose(param("Whh"));
        List<Array> all = new ArrayList<>();
        for (int t = 0; t < x.dim(-2); t++) {
            Array xt = step(xp, t);
            // a null state is zeros: its product with Whh would add nothing
            hidden = nonlinearity.apply(hidden == null ? xt : MX.addmm(xt, hidden, whhT));
            all.add(hidden);
        }
        return MX.stack(all, -2);
    }

    @Override protected String describe() {
        return "inputSize=" + inputSize + ", hiddenSize=" + hiddenSize + ", nonlinearity=" + (defaultNonlinearity ? "tanh" : nonlinearity)
                + ", bias=" + hasParam("bias");
    }

    // ------------------------------------------------------------------ shared by GRU and LSTM

    static void checkSizes(String layer, int inputSize, int hiddenSize) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("[" + layer + "] sizes must be positive, got inputSize=" + inputSize + " and hiddenSize=" + hiddenSize + ".");
        }
    }

    static void checkInput(String layer, Array x, int inputSize) {
        if (x.ndim() < 2 || x.ndim() > 3 || x.dim(-1) != inputSize || x.dim(-2) == 0) {
            throw new IllegalArgumentException("[" + layer + "] expected input (N, L, " + inputSize + ") or (L, " + inputSize + ") with L > 0, got shape "
                    + x.shape() + ".");
        }
    }

    /** A state is (H), or (N, H) for batched input; null is allowed (zeros). */
    static void checkState(String layer, String what, Array h, Array x, int hiddenSize) {
        if (h == null) return;
        boolean ok = h.ndim() >= 1 && h.dim(-1) == hiddenSize && (h.ndim() == 1 || (x.ndim() == 3 && h.ndim() == 2 && h.dim(0) == x.dim(0)));
        if (!ok) {
            String expected = x.ndim() == 3 ? "(" + x.dim(0) + ", " + hiddenSize + ") or (" + hiddenSize + ",)" : "(" + hiddenSize + ",)";
            throw new IllegalArgumentException("[" + layer + "] expected " + what + " state " + expected + ", got shape " + h.shape() + ".");
        }
    }

    /** Step {@code t} of a (..., L, F) array: (..., F). */
    static Array step(Array seq, int t) {
        return seq.get(Index.ellipsis(), Index.at(t), Index.all());
    }

    /** {@code 1 - a}. */
    static Array oneMinus(Array a) {
        return MX.subtract(MX.scalarLike(1, a), a);
    }
}
