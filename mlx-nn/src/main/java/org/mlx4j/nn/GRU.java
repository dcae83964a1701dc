package org.mlx4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * A gated recurrent unit layer, like MLX's {@code nn.GRU}. For each step:
 *
 * <pre>
 * r = sigmoid(W_xr x + W_hr h + b_r)
 * z = sigmoid(W_xz x + W_hz h + b_z)
 * n = tanh(W_xn x + b_n + r * (W_hn h + b_hn))
 * h = (1 - z) * n + z * h
 * </pre>
 *
 * <p>Input (N, L, D) or unbatched (L, D); the optional initial hidden state is (N, H) (or (H),
 * shared by the batch) or (H) unbatched, and {@code null} means zeros (exactly: the first step
 * still adds {@code r * b_hn}, as MLX does since it fixed ml-explore/mlx#3249). Returns the hidden
 * state of every step, (N, L, H) or (L, H). The input projection of all steps is one matmul; each
 * step adds one matmul with {@code Wh} for all three gates.
 *
 * <p>Parameters (MLX's names and layout, gates in the order r, z, n): {@code Wx} (3H, D),
 * {@code Wh} (3H, H), {@code b} (3H) and {@code bhn} (H), the biases optional; all uniform in
 * {@code [-1/sqrt(H), 1/sqrt(H)]}.
 */
public final class GRU extends UnaryModule {
    private final int inputSize;
    private final int hiddenSize;

    /** A GRU with biases. */
    public GRU(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, true); }

    /**
     * A GRU.
     *
     * @param inputSize  the input features D
     * @param hiddenSize the hidden features H
     * @param bias       learn the biases {@code b} and {@code bhn} (default true)
     * @throws IllegalArgumentException if a size is not positive
     */
    public GRU(int inputSize, int hiddenSize, boolean bias) {
        RNN.checkSizes("GRU", inputSize, hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        double s = 1.0 / Math.sqrt(hiddenSize);
        registerParameter("Wx", MX.uniform(-s, s, new int[] {3 * hiddenSize, inputSize}));
        registerParameter("Wh", MX.uniform(-s, s, new int[] {3 * hiddenSize, hiddenSize}));
        if (bias) {
            registerParameter("b", MX.uniform(-s, s, new int[] {3 * hiddenSize}));
            registerParameter("bhn", MX.uniform(-s, s, new int[] {hiddenSize}));
        }
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
        RNN.checkInput("GRU", x, inputSize);
        RNN.checkState("GRU", "hidden", hidden, x, hiddenSize);
        int h2 = 2 * hiddenSize;
        Array wxT = MX.transpose(param("Wx"));
        Array xp = hasParam("b") ? MX.addmm(param("b"), x, wxT) : MX.matmul(x, wxT);
        Array[] xs = MX.split(xp, new int[] {h2}, -1);
        Array xRz = xs[0];
        Array xN = xs[1];
        Array whT = MX.transpose(param("Wh"));
        Array bhn = hasParam("bhn") ? param("bhn") : null;
        List<Array> all = new ArrayList<>();
        for (int t = 0; t < x.dim(-2); t++) {
            Array rz = RNN.step(xRz, t);
            Array hN; // W_hn h + b_hn; null when both are zero
            if (hidden != null) {
                Array[] hp = MX.split(MX.matmul(hidden, whT), new int[] {h2}, -1);
                rz = MX.add(rz, hp[0]);
                hN = bhn == null ? hp[1] : MX.add(hp[1], bhn);
            } else {
                hN = bhn;
            }
            Array[] gates = MX.split(MX.sigmoid(rz), 2, -1);
            Array r = gates[0];
            Array z = gates[1];
            Array n = RNN.step(xN, t);
            if (hN != null) n = MX.add(n, MX.multiply(r, hN));
            n = MX.tanh(n);
            Array next = MX.multiply(RNN.oneMinus(z), n);
            hidden = hidden == null ? next : MX.add(next, MX.multiply(z, hidden));
            all.add(hidden);
        }
        return MX.stack(all, -2);
    }

    @Override protected String describe() {
        return "inputSize=" + inputSize + ", hiddenSize=" + hiddenSize + ", bias=" + hasParam("b");
    }
}
