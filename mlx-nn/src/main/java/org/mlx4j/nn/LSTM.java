package org.mlx4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * A long short-term memory layer, like MLX's {@code nn.LSTM}. For each step:
 *
 * <pre>
 * i = sigmoid(W_xi x + W_hi h + b_i)      f = sigmoid(W_xf x + W_hf h + b_f)
 * g = tanh(W_xg x + W_hg h + b_g)         o = sigmoid(W_xo x + W_ho h + b_o)
 * c = f * c + i * g                       h = o * tanh(c)
 * </pre>
 *
 * <p>Input (N, L, D) or unbatched (L, D); the optional initial hidden and cell states are (N, H)
 * (or (H), shared by the batch) or (H) unbatched, and {@code null} means zeros. Returns the hidden
 * and cell states of every step, each (N, L, H) or (L, H). The input projection of all steps is
 * one matmul; each step adds one matmul with {@code Wh} for all four gates.
 *
 * <p>Parameters (MLX's names and layout, gates in the order i, f, g, o): {@code Wx} (4H, D),
 * {@code Wh} (4H, H), {@code bias} (4H, optional); all uniform in {@code [-1/sqrt(H), 1/sqrt(H)]}.
 */
public final class LSTM extends Module {
    private final int inputSize;
    private final int hiddenSize;

    /**
     * The states of every step.
     *
     * @param hidden the hidden states, (N, L, H) or (L, H)
     * @param cell   the cell states, same shape
     */
    public record Output(Array hidden, Array cell) {}

    /** An LSTM with a bias. */
    public LSTM(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, true); }

    /**
     * An LSTM.
     *
     * @param inputSize  the input features D
     * @param hiddenSize the hidden features H
     * @param bias       learn a bias (default true)
     * @throws IllegalArgumentException if a size is not positive
     */
    public LSTM(int inputSize, int hiddenSize, boolean bias) {
        RNN.checkSizes("LSTM", inputSize, hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        double s = 1.0 / Math.sqrt(hiddenSize);
        registerParameter("Wx", MX.uniform(-s, s, new int[] {4 * hiddenSize, inputSize}));
        registerParameter("Wh", MX.uniform(-s, s, new int[] {4 * hiddenSize, hiddenSize}));
        if (bias) registerParameter("bias", MX.uniform(-s, s, new int[] {4 * hiddenSize}));
    }

    /** The input features D. */
    public int inputSize() { return inputSize; }

    /** The hidden features H. */
    public int hiddenSize() { return hiddenSize; }

    /** {@link #forward(Array, Array, Array)} from zero initial states. */
    public Output forward(Array x) { return forward(x, null, null); }

    /**
     * The hidden and cell states of every step.
     *
     * @param x      (N, L, D) or (L, D)
     * @param hidden the initial hidden state (N, H) or (H), or {@code null} for zeros
     * @param cell   the initial cell state (N, H) or (H), or {@code null} for zeros
     * @return both states of every step, each (N, L, H) or (L, H)
     * @throws IllegalArgumentException if a shape does not fit
     */
    public Output forward(Array x, Array hidden, Array cell) {
        RNN.checkInput("LSTM", x, inputSize);
        RNN.checkState("LSTM", "hidden", hidden, x, hiddenSize);
        RNN.checkState("LSTM", "cell", cell, x, hiddenSize);
        Array wxT = MX.transpose(param("Wx"));
        Array xp = hasParam("bias") ? MX.addmm(param("bias"), x, wxT) : MX.matmul(x, wxT);
        Array whT = MX.transpose(param("Wh"));
        List<Array> hs = new ArrayList<>();
        List<Array> cs = new ArrayList<>();
        for (int t = 0; t < x.dim(-2); t++) {
            Array ifgo = RNN.step(xp, t);
            if (hidden != null) ifgo = MX.addmm(ifgo, hidden, whT);
            Array[] gates = MX.split(ifgo, 4, -1);
            Array i = MX.sigmoid(gates[0]);
            Array f = MX.sigmoid(gates[1]);
            Array g = MX.tanh(gates[2]);
            Array o = MX.sigmoid(gates[3]);
            Array ig = MX.multiply(i, g);
            cell = cell == null ? ig : MX.add(MX.multiply(f, cell), ig);
            hidden = MX.multiply(o, MX.tanh(cell));
            hs.add(hidden);
            cs.add(cell);
        }
        return new Output(MX.stack(hs, -2), MX.stack(cs, -2));
    }

    @Override protected String describe() {
        return "inputSize=" + inputSize + ", hiddenSize=" + hiddenSize + ", bias=" + hasParam("bias");
    }
}
