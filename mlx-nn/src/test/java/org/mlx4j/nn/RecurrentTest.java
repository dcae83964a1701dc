package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlx4j.nn.NormalizationTest.assertThrowsWith;
import static org.mlx4j.nn.NormalizationTest.f64;
import static org.mlx4j.nn.NormalizationTest.randn;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

class RecurrentTest {
    private static final double TOL = 1e-11;
    private static final int N = 2, L = 4, D = 3, H = 5;

    static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    /** Row {@code row} of a (rows, cols) row-major matrix times {@code v}. */
    static double dot(double[] m, int row, int cols, double[] v, int off) {
        double s = 0;
        for (int k = 0; k < cols; k++) s += m[row * cols + k] * v[off + k];
        return s;
    }

    static double[] p(Module m, String name) { return m.parameters().get(name).toDoubleArray(); }

    /** Reference RNN: x (n, L, D), h0 (n, H) or null; returns (n, L, H). */
    static double[] rnnRef(RNN m, double[] x, int n, double[] h0, DoubleUnaryOperator act) {
        double[] wx = p(m, "Wxh"), wh = p(m, "Whh"), b = p(m, "bias");
        double[] out = new double[n * L * H];
        for (int bi = 0; bi < n; bi++) {
            double[] h = h0 == null ? new double[H] : Arrays.copyOfRange(h0, bi * H, bi * H + H);
            for (int t = 0; t < L; t++) {
                double[] nh = new double[H];
                for (int j = 0; j < H; j++) nh[j] = act.applyAsDouble(b[j] + dot(wx, j, D, x, (bi * L + t) * D) + dot(wh, j, H, h, 0));
                h = nh;
                System.arraycopy(h, 0, out, (bi * L + t) * H, H);
            }
        }
        return out;
    }

    static double[] gruRef(GRU m, double[] x, int n, double[] h0) {
        double[] wx = p(m, "Wx"), wh = p(m, "Wh"), b = p(m, "b"), bhn = p(m, "bhn");
        double[] out = new double[n * L * H];
        for (int bi = 0; bi < n; bi++) {
            double[] h = h0 == null ? new double[H] : Arrays.copyOfRange(h0, bi * H, bi * H + H);
            for (int t = 0; t < L; t++) {
                int xo = (bi * L + t) * D;
                double[] nh = new double[H];
                for (int j = 0; j < H; j++) {
                    double r = sigmoid(dot(wx, j, D, x, xo) + b[j] + dot(wh, j, H, h, 0));
                    double z = sigmoid(dot(wx, H + j, D, x, xo) + b[H + j] + dot(wh, H + j, H, h, 0));
                    double nn = Math.tanh(dot(wx, 2 * H + j, D, x, xo) + b[2 * H + j] + r * (dot(wh, 2 * H + j, H, h, 0) + bhn[j]));
                    nh[j] = (1 - z) * nn + z * h[j];
                }
                h = nh;
                System.arraycopy(h, 0, out, (bi * L + t) * H, H);
            }
        }
        return out;
    }

    /** Reference LSTM: returns {hidden (n, L, H), cell (n, L, H)}. */
    static double[][] lstmRef(LSTM m, double[] x, int n, double[] h0, double[] c0) {
        double[] wx = p(m, "Wx"), wh = p(m, "Wh"), b = p(m, "bias");
        double[] hs = new double[n * L * H], cs = new double[n * L * H];
        for (int bi = 0; bi < n; bi++) {
            double[] h = h0 == null ? new double[H] : Arrays.copyOfRange(h0, bi * H, bi * H + H);
            double[] c = c0 == null ? new double[H] : Arrays.copyOfRange(c0, bi * H, bi * H + H);
            for (int t = 0; t < L; t++) {
                int xo = (bi * L + t) * D;
                double[] pre = new double[4 * H];
                for (int j = 0; j < 4 * H; j++) pre[j] = dot(wx, j, D, x, xo) + b[j] + dot(wh, j, H, h, 0);
                double[] nh = new double[H], nc = new double[H];
                for (int j = 0; j < H; j++) {
                    double i = sigmoid(pre[j]), f = sigmoid(pre[H + j]), g = Math.tanh(pre[2 * H + j]), o = sigmoid(pre[3 * H + j]);
                    nc[j] = f * c[j] + i * g;
                    nh[j] = o * Math.tanh(nc[j]);
                }
                h = nh;
                c = nc;
                System.arraycopy(h, 0, hs, (bi * L + t) * H, H);
                System.arraycopy(c, 0, cs, (bi * L + t) * H, H);
            }
        }
        return new double[][] {hs, cs};
    }

    static void assertBounded(Module m) {
        double bound = 1 / Math.sqrt(H);
        for (var e : m.parameters().entrySet()) {
            for (double v : e.getValue().toDoubleArray()) assertTrue(Math.abs(v) <= bound, e.getKey() + " " + v);
        }
    }

    // ------------------------------------------------------------------ RNN

    @Test void rnnKeysShapesAndInit() {
        RNN m = new RNN(D, H);
        LayerChecks.assertKeys(m, "Wxh", "Whh", "bias");
        assertArrayEquals(new int[] {H, D}, m.parameters().get("Wxh").shape().toArray());
        assertArrayEquals(new int[] {H, H}, m.parameters().get("Whh").shape().toArray());
        assertArrayEquals(new int[] {H}, m.parameters().get("bias").shape().toArray());
        assertBounded(m);
        LayerChecks.assertKeys(new RNN(D, H, false), "Wxh", "Whh");
        assertArrayEquals(new int[] {N, L, H}, m.forward(MX.normal(N, L, D)).shape().toArray());
        assertArrayEquals(new int[] {L, H}, m.forward(MX.normal(L, D)).shape().toArray());
    }

    @Test void rnnMatchesLoops() {
        RNN m = new RNN(D, H);
        m.setDtype(DType.FLOAT64);
        double[] x = randn(1, N * L * D), h0 = randn(2, N * H);
        assertArrayEquals(rnnRef(m, x, N, null, Math::tanh), m.forward(f64(x, N, L, D)).toDoubleArray(), TOL);
        assertArrayEquals(rnnRef(m, x, N, h0, Math::tanh), m.forward(f64(x, N, L, D), f64(h0, N, H)).toDoubleArray(), TOL);
        // zeros as the initial state are the same as none
        assertArrayEquals(m.forward(f64(x, N, L, D)).toDoubleArray(), m.forward(f64(x, N, L, D), MX.zeros(new int[] {N, H}, DType.FLOAT64)).toDoubleArray(), TOL);
        // unbatched: the first batch element
        double[] x0 = Arrays.copyOf(x, L * D), h00 = Arrays.copyOf(h0, H);
        assertArrayEquals(rnnRef(m, x0, 1, h00, Math::tanh), m.forward(f64(x0, L, D), f64(h00, H)).toDoubleArray(), TOL);
        // another nonlinearity
        RNN r = new RNN(D, H, true, Activations::relu);
        r.setDtype(DType.FLOAT64);
        assertArrayEquals(rnnRef(r, x, N, h0, v -> Math.max(v, 0)), r.forward(f64(x, N, L, D), f64(h0, N, H)).toDoubleArray(), TOL);
    }

    // ------------------------------------------------------------------ GRU

    @Test void gruKeysShapesAndInit() {
        GRU m = new GRU(D, H);
        LayerChecks.assertKeys(m, "Wx", "Wh", "b", "bhn");
        assertArrayEquals(new int[] {3 * H, D}, m.parameters().get("Wx").shape().toArray());
        assertArrayEquals(new int[] {3 * H, H}, m.parameters().get("Wh").shape().toArray());
        assertArrayEquals(new int[] {3 * H}, m.parameters().get("b").shape().toArray());
        assertArrayEquals(new int[] {H}, m.parameters().get("bhn").shape().toArray());
        assertBounded(m);
        LayerChecks.assertKeys(new GRU(D, H, false), "Wx", "Wh");
        assertArrayEquals(new int[] {N, L, H}, m.forward(MX.normal(N, L, D)).shape().toArray());
        assertArrayEquals(new int[] {L, H}, m.forward(MX.normal(L, D)).shape().toArray());
    }

    @Test void gruMatchesLoops() {
        GRU m = new GRU(D, H);
        m.setDtype(DType.FLOAT64);
        double[] x = randn(3, N * L * D), h0 = randn(4, N * H);
        // no state is a zero state, b_hn included at the first step
        assertArrayEquals(gruRef(m, x, N, null), m.forward(f64(x, N, L, D)).toDoubleArray(), TOL);
        assertArrayEquals(gruRef(m, x, N, h0), m.forward(f64(x, N, L, D), f64(h0, N, H)).toDoubleArray(), TOL);
        double[] x0 = Arrays.copyOf(x, L * D), h00 = Arrays.copyOf(h0, H);
        assertArrayEquals(gruRef(m, x0, 1, h00), m.forward(f64(x0, L, D), f64(h00, H)).toDoubleArray(), TOL);
        // without biases
        GRU nb = new GRU(D, H, false);
        nb.setDtype(DType.FLOAT64);
        GRU same = new GRU(D, H);
        same.setDtype(DType.FLOAT64);
        same.update(java.util.Map.of("Wx", nb.parameters().get("Wx"), "Wh", nb.parameters().get("Wh"),
                "b", MX.zeros(new int[] {3 * H}, DType.FLOAT64), "bhn", MX.zeros(new int[] {H}, DType.FLOAT64)));
        assertArrayEquals(gruRef(same, x, N, h0), nb.forward(f64(x, N, L, D), f64(h0, N, H)).toDoubleArray(), TOL);
    }

    // ------------------------------------------------------------------ LSTM

    @Test void lstmKeysShapesAndInit() {
        LSTM m = new LSTM(D, H);
        LayerChecks.assertKeys(m, "Wx", "Wh", "bias");
        assertArrayEquals(new int[] {4 * H, D}, m.parameters().get("Wx").shape().toArray());
        assertArrayEquals(new int[] {4 * H, H}, m.parameters().get("Wh").shape().toArray());
        assertArrayEquals(new int[] {4 * H}, m.parameters().get("bias").shape().toArray());
        assertBounded(m);
        LayerChecks.assertKeys(new LSTM(D, H, false), "Wx", "Wh");
        LSTM.Output o = m.forward(MX.normal(N, L, D));
        assertArrayEquals(new int[] {N, L, H}, o.hidden().shape().toArray());
        assertArrayEquals(new int[] {N, L, H}, o.cell().shape().toArray());
        assertArrayEquals(new int[] {L, H}, m.forward(MX.normal(L, D)).cell().shape().toArray());
    }

    @Test void lstmMatchesLoops() {
        LSTM m = new LSTM(D, H);
        m.setDtype(DType.FLOAT64);
        double[] x = randn(5, N * L * D), h0 = randn(6, N * H), c0 = randn(7, N * H);
        double[][] ref = lstmRef(m, x, N, null, null);
        LSTM.Output o = m.forward(f64(x, N, L, D));
        assertArrayEquals(ref[0], o.hidden().toDoubleArray(), TOL);
        assertArrayEquals(ref[1], o.cell().toDoubleArray(), TOL);
        ref = lstmRef(m, x, N, h0, c0);
        o = m.forward(f64(x, N, L, D), f64(h0, N, H), f64(c0, N, H));
        assertArrayEquals(ref[0], o.hidden().toDoubleArray(), TOL);
        assertArrayEquals(ref[1], o.cell().toDoubleArray(), TOL);
        // only a hidden state, cell zeros
        ref = lstmRef(m, x, N, h0, null);
        assertArrayEquals(ref[1], m.forward(f64(x, N, L, D), f64(h0, N, H), null).cell().toDoubleArray(), TOL);
        double[] x0 = Arrays.copyOf(x, L * D);
        ref = lstmRef(m, x0, 1, Arrays.copyOf(h0, H), Arrays.copyOf(c0, H));
        o = m.forward(f64(x0, L, D), f64(Arrays.copyOf(h0, H), H), f64(Arrays.copyOf(c0, H), H));
        assertArrayEquals(ref[0], o.hidden().toDoubleArray(), TOL);
        assertArrayEquals(ref[1], o.cell().toDoubleArray(), TOL);
    }

    // ------------------------------------------------------------------ contracts and errors

    @Test void layerContracts() {
        Array x = MX.normal(new int[] {N, L, D}, MX.key(3));
        Array h0 = MX.normal(new int[] {N, H}, MX.key(4));
        LayerChecks.assertLayerContract(new RNN(D, H), () -> new RNN(D, H), m -> m.forward(x, h0));
        LayerChecks.assertLayerContract(new GRU(D, H), () -> new GRU(D, H), m -> m.forward(x));
        LayerChecks.assertLayerContract(new GRU(D, H), () -> new GRU(D, H), m -> m.forward(x, h0));
        LayerChecks.assertLayerContract(new LSTM(D, H), () -> new LSTM(D, H), m -> {
            LSTM.Output o = m.forward(x, h0, h0);
            return MX.concatenate(new Array[] {o.hidden(), o.cell()}, -1);
        });
    }

    @Test void badInputsNameTheLayer() {
        assertThrowsWith("[RNN] ", () -> new RNN(D, H).forward(MX.zeros(N, L, 4)), "(N, L, 3) or (L, 3)", "(2, 4, 4)");
        assertThrowsWith("[RNN] ", () -> new RNN(D, H).forward(MX.zeros(3)), "(3,)");
        assertThrowsWith("[RNN] ", () -> new RNN(D, H).forward(MX.zeros(N, L, D), MX.zeros(3, H)), "hidden", "(2, 5) or (5,)", "(3, 5)");
        assertThrowsWith("[RNN] ", () -> new RNN(0, H), "inputSize=0");
        assertThrowsWith("[GRU] ", () -> new GRU(D, H).forward(MX.zeros(1, N, L, D)), "(1, 2, 4, 3)");
        assertThrowsWith("[GRU] ", () -> new GRU(D, H).forward(MX.zeros(L, D), MX.zeros(N, H)), "(5,)", "(2, 5)");
        assertThrowsWith("[LSTM] ", () -> new LSTM(D, H).forward(MX.zeros(N, 0, D)), "L > 0");
        assertThrowsWith("[LSTM] ", () -> new LSTM(D, H).forward(MX.zeros(N, L, D), null, MX.zeros(N, 4)), "cell", "(2, 4)");
        assertEquals("RNN(inputSize=3, hiddenSize=5, nonlinearity=tanh, bias=true)", new RNN(D, H).toString());
    }
}
