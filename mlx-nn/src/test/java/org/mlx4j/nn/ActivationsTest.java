package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

class ActivationsTest {
    /** Points on both sides of every kink and threshold, plus large magnitudes where naive forms overflow. */
    static final double[] XS = {-1000, -50, -20, -6.5, -5, -3, -1.5, -1, -0.75, -0.5, -1e-3, 0, 1e-3, 0.25, 0.5, 0.6, 1, 1.7,
        2.5, 3, 5.9, 6, 6.1, 20, 50, 1000};

    // ------------------------------------------------------------------ double references

    static double sigmoidRef(double x) { return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); }

    static double softplusRef(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }

    static double eluRef(double x, double a) { return x > 0 ? x : a * Math.expm1(x); }

    /** Elementwise functions by name: the implementation and its double reference. */
    record Case(Function<Array, Array> f, DoubleUnaryOperator ref) {}

    static Map<String, Case> elementwise() {
        Map<String, Case> m = new LinkedHashMap<>();
        m.put("relu", new Case(Activations::relu, x -> Math.max(x, 0)));
        m.put("relu6", new Case(Activations::relu6, x -> Math.min(Math.max(x, 0), 6)));
        m.put("reluSquared", new Case(Activations::reluSquared, x -> x > 0 ? x * x : 0));
        m.put("leakyRelu", new Case(Activations::leakyRelu, x -> x >= 0 ? x : 0.01 * x));
        m.put("leakyRelu(0.2)", new Case(x -> Activations.leakyRelu(x, 0.2), x -> x >= 0 ? x : 0.2 * x));
        m.put("elu", new Case(Activations::elu, x -> eluRef(x, 1)));
        m.put("elu(0.5)", new Case(x -> Activations.elu(x, 0.5), x -> eluRef(x, 0.5)));
        m.put("celu", new Case(Activations::celu, x -> Math.max(x, 0) + Math.expm1(Math.min(x, 0))));
        m.put("celu(2)", new Case(x -> Activations.celu(x, 2), x -> Math.max(x, 0) + 2 * Math.expm1(Math.min(x, 0) / 2)));
        m.put("selu", new Case(Activations::selu, x -> 1.0507 * (x > 0 ? x : 1.67326 * Math.expm1(x))));
        m.put("sigmoid", new Case(Activations::sigmoid, ActivationsTest::sigmoidRef));
        m.put("softplus", new Case(Activations::softplus, ActivationsTest::softplusRef));
        m.put("logSigmoid", new Case(Activations::logSigmoid, x -> -softplusRef(-x)));
        m.put("silu", new Case(Activations::silu, x -> x * sigmoidRef(x)));
        m.put("mish", new Case(Activations::mish, x -> x * Math.tanh(softplusRef(x))));
        m.put("softsign", new Case(Activations::softsign, x -> x / (1 + Math.abs(x))));
        m.put("tanh", new Case(Activations::tanh, Math::tanh));
        m.put("hardswish", new Case(Activations::hardswish, x -> x * Math.min(Math.max(x + 3, 0), 6) / 6));
        m.put("hardTanh", new Case(Activations::hardTanh, x -> Math.min(Math.max(x, -1), 1)));
        m.put("hardTanh(-2,3)", new Case(x -> Activations.hardTanh(x, -2, 3), x -> Math.min(Math.max(x, -2), 3)));
        // erfc keeps the reference accurate where 1 + erf(x) cancels
        m.put("gelu", new Case(Activations::gelu, x -> 0.5 * x * Erf.erfc(-x / Math.sqrt(2))));
        m.put("geluApprox", new Case(Activations::geluApprox,
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))));
        m.put("geluFastApprox", new Case(Activations::geluFastApprox, x -> x * sigmoidRef(1.702 * x)));
        m.put("hardShrink", new Case(Activations::hardShrink, x -> Math.abs(x) > 0.5 ? x : 0));
        m.put("hardShrink(1)", new Case(x -> Activations.hardShrink(x, 1), x -> Math.abs(x) > 1 ? x : 0));
        m.put("softshrink", new Case(Activations::softshrink, x -> x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0));
        m.put("softshrink(1)", new Case(x -> Activations.softshrink(x, 1), x -> x > 1 ? x - 1 : x < -1 ? x + 1 : 0));
        m.put("step", new Case(Activations::step, x -> x > 0 ? 1 : 0));
        m.put("step(0.5)", new Case(x -> Activations.step(x, 0.5), x -> x > 0.5 ? 1 : 0));
        return m;
    }

    static void assertClose(double expected, double actual, double rtol, double atol, String what) {
        assertTrue(Math.abs(expected - actual) <= atol + rtol * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual);
    }

    @Test void elementwiseMatchDoubleReferenceInFloat64() {
        Array x = MX.array(XS, DType.FLOAT64, XS.length);
        for (var e : elementwise().entrySet()) {
            Array y = e.getValue().f().apply(x);
            assertEquals(DType.FLOAT64, y.dtype(), e.getKey());
            assertEquals(x.shape(), y.shape(), e.getKey());
            double[] got = y.toDoubleArray();
            for (int i = 0; i < XS.length; i++) {
                assertClose(e.getValue().ref().applyAsDouble(XS[i]), got[i], 1e-9, 1e-12, e.getKey() + "(" + XS[i] + ")");
            }
        }
    }

    @Test void elementwiseStayFiniteAndAccurateInFloat32() {
        Array x = MX.array(XS, DType.FLOAT32, XS.length);
        for (var e : elementwise().entrySet()) {
            Array y = e.getValue().f().apply(x);
            assertEquals(DType.FLOAT32, y.dtype(), e.getKey());
            double[] got = y.toDoubleArray();
            for (int i = 0; i < XS.length; i++) {
                assertTrue(Double.isFinite(got[i]), e.getKey() + "(" + XS[i] + ") is " + got[i]);
                assertClose(e.getValue().ref().applyAsDouble(XS[i]), got[i], 1e-5, 1e-6, e.getKey() + "(" + XS[i] + ") in float32");
            }
        }
    }

    @Test void gradientsStayFiniteAtLargeMagnitudes() {
        double[] big = {-1000, -80, 80, 1000};
        for (var e : elementwise().entrySet()) {
            Function<Array, Array> f = e.getValue().f();
            double[] g = MX.grad((Array a) -> MX.sum(f.apply(a))).apply(MX.array(big, DType.FLOAT32, big.length)).toDoubleArray();
            for (int i = 0; i < big.length; i++) assertTrue(Double.isFinite(g[i]), "d/dx " + e.getKey() + " at " + big[i] + " is " + g[i]);
        }
    }

    // ------------------------------------------------------------------ along an axis

    static double[] softmaxRef(double[] v, int rows, int cols, int axis, boolean log, boolean negate) {
        double[] out = new double[v.length];
        int outer = axis == 0 ? cols : rows, inner = axis == 0 ? rows : cols;
        for (int o = 0; o < outer; o++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < inner; k++) {
                int idx = axis == 0 ? k * cols + o : o * cols + k;
                mx = Math.max(mx, negate ? -v[idx] : v[idx]);
            }
            double s = 0;
            for (int k = 0; k < inner; k++) {
                int idx = axis == 0 ? k * cols + o : o * cols + k;
                s += Math.exp((negate ? -v[idx] : v[idx]) - mx);
            }
            for (int k = 0; k < inner; k++) {
                int idx = axis == 0 ? k * cols + o : o * cols + k;
                double z = (negate ? -v[idx] : v[idx]) - mx;
                out[idx] = log ? z - Math.log(s) : Math.exp(z) / s;
            }
        }
        return out;
    }

    @Test void softmaxFamilyAlongEitherAxis() {
        double[] v = {1000, 999, -1000, 0.5, -3, 2, 7, -7, 0, 0, 0, 1e-3};
        Array x = MX.array(v, DType.FLOAT64, 3, 4);
        for (int axis : new int[] {0, 1, -1}) {
            int ax = axis < 0 ? 1 : axis;
            assertArrayEquals(softmaxRef(v, 3, 4, ax, false, false), Activations.softmax(x, axis).toDoubleArray(), 1e-12, "softmax " + axis);
            assertArrayEquals(softmaxRef(v, 3, 4, ax, false, true), Activations.softmin(x, axis).toDoubleArray(), 1e-12, "softmin " + axis);
            assertArrayEquals(softmaxRef(v, 3, 4, ax, true, false), Activations.logSoftmax(x, axis).toDoubleArray(), 1e-9, "logSoftmax " + axis);
        }
        assertArrayEquals(softmaxRef(v, 3, 4, 1, false, false), Activations.softmax(x).toDoubleArray(), 1e-12);
        assertArrayEquals(softmaxRef(v, 3, 4, 1, false, true), Activations.softmin(x).toDoubleArray(), 1e-12);
        assertArrayEquals(softmaxRef(v, 3, 4, 1, true, false), Activations.logSoftmax(x).toDoubleArray(), 1e-9);
    }

    @Test void gluSplitsTheAxisInHalves() {
        double[] v = {0.5, -1, 2, 3, -4, 0.25, 1, 2, 3, -1, -2, -3};
        Array x = MX.array(v, DType.FLOAT64, 2, 6);
        Array y = Activations.glu(x);
        assertEquals(org.mlx4j.core.Shape.of(2, 3), y.shape());
        double[] got = y.toDoubleArray();
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < 3; j++) assertEquals(v[r * 6 + j] * sigmoidRef(v[r * 6 + 3 + j]), got[r * 3 + j], 1e-12);
        }
        Array x0 = MX.array(v, DType.FLOAT64, 4, 3);
        double[] g0 = Activations.glu(x0, 0).toDoubleArray();
        assertEquals(6, g0.length);
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < 3; j++) assertEquals(v[r * 3 + j] * sigmoidRef(v[(r + 2) * 3 + j]), g0[r * 3 + j], 1e-12);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Activations.glu(MX.zeros(2, 5)));
        assertTrue(e.getMessage().startsWith("[glu]") && e.getMessage().contains("(2, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activations.glu(MX.zeros(2, 4), 2));
        assertTrue(e.getMessage().startsWith("[glu]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GLU().forward(MX.zeros(3)));
        assertTrue(e.getMessage().startsWith("[glu]"), e.getMessage());
    }

    @Test void preluBroadcastsSlopesOverTheLastAxis() {
        double[] v = {-2, 3, -0.5, 1, -4, -1};
        double[] a = {0.1, 0.2, 0.3};
        double[] got = Activations.prelu(MX.array(v, DType.FLOAT64, 2, 3), MX.array(a, DType.FLOAT64, 3)).toDoubleArray();
        for (int i = 0; i < 6; i++) assertEquals(v[i] > 0 ? v[i] : a[i % 3] * v[i], got[i], 1e-15);
    }

    // ------------------------------------------------------------------ modules

    @Test void everyModuleEqualsItsFunction() {
        Array x = MX.array(XS, DType.FLOAT64, 2, 13);
        Map<Supplier<UnaryModule>, Function<Array, Array>> pairs = new LinkedHashMap<>();
        pairs.put(CELU::new, Activations::celu);
        pairs.put(() -> new CELU(0.3), a -> Activations.celu(a, 0.3));
        pairs.put(ELU::new, Activations::elu);
        pairs.put(() -> new ELU(2), a -> Activations.elu(a, 2));
        pairs.put(GELU::new, Activations::gelu);
        pairs.put(() -> new GELU(GELU.Approximation.PRECISE), Activations::geluApprox);
        pairs.put(() -> new GELU(GELU.Approximation.TANH), Activations::geluApprox);
        pairs.put(() -> new GELU(GELU.Approximation.FAST), Activations::geluFastApprox);
        pairs.put(() -> new GELU("tanh"), Activations::geluApprox);
        pairs.put(() -> new GELU("none"), Activations::gelu);
        pairs.put(HardShrink::new, Activations::hardShrink);
        pairs.put(() -> new HardShrink(2), a -> Activations.hardShrink(a, 2));
        pairs.put(HardTanh::new, Activations::hardTanh);
        pairs.put(() -> new HardTanh(-3, 0.5), a -> Activations.hardTanh(a, -3, 0.5));
        pairs.put(Hardswish::new, Activations::hardswish);
        pairs.put(LeakyReLU::new, Activations::leakyRelu);
        pairs.put(() -> new LeakyReLU(0.3), a -> Activations.leakyRelu(a, 0.3));
        pairs.put(LogSigmoid::new, Activations::logSigmoid);
        pairs.put(LogSoftmax::new, Activations::logSoftmax);
        pairs.put(() -> new LogSoftmax(0), a -> Activations.logSoftmax(a, 0));
        pairs.put(Mish::new, Activations::mish);
        pairs.put(ReLU::new, Activations::relu);
        pairs.put(ReLU6::new, Activations::relu6);
        pairs.put(ReLUSquared::new, Activations::reluSquared);
        pairs.put(SELU::new, Activations::selu);
        pairs.put(Sigmoid::new, Activations::sigmoid);
        pairs.put(SiLU::new, Activations::silu);
        pairs.put(Softmax::new, Activations::softmax);
        pairs.put(() -> new Softmax(0), a -> Activations.softmax(a, 0));
        pairs.put(Softmin::new, Activations::softmin);
        pairs.put(() -> new Softmin(0), a -> Activations.softmin(a, 0));
        pairs.put(Softplus::new, Activations::softplus);
        pairs.put(Softshrink::new, Activations::softshrink);
        pairs.put(() -> new Softshrink(0.1), a -> Activations.softshrink(a, 0.1));
        pairs.put(Softsign::new, Activations::softsign);
        pairs.put(Step::new, Activations::step);
        pairs.put(() -> new Step(1), a -> Activations.step(a, 1));
        pairs.put(Tanh::new, Activations::tanh);
        pairs.put(() -> new GLU(0), a -> Activations.glu(a, 0));
        pairs.put(GLU::new, a -> Activations.glu(a, -1));
        int n = 0;
        for (var e : pairs.entrySet()) {
            Array xin = e.getKey().get() instanceof GLU g && g.axis() == -1 ? MX.reshape(x, 13, 2) : x;
            UnaryModule m = e.getKey().get();
            assertTrue(m.parameters().isEmpty(), m + " has no parameters");
            assertArrayEquals(e.getValue().apply(xin).toDoubleArray(), m.forward(xin).toDoubleArray(), 0.0, m.toString());
            assertArrayEquals(e.getValue().apply(xin).toDoubleArray(), m.apply(xin).toDoubleArray(), 0.0, m.toString());
            n++;
        }
        assertEquals(40, n);
        assertEquals("GELU(approx=fast)", new GELU("fast").toString());
        assertEquals("LeakyReLU(negativeSlope=0.01)", new LeakyReLU().toString());
    }

    @Test void geluNamesFollowMlx() {
        assertEquals(GELU.Approximation.PRECISE, GELU.Approximation.fromMlxName("precise"));
        assertEquals(GELU.Approximation.FAST, GELU.Approximation.fromMlxName("fast"));
        var e = assertThrows(IllegalArgumentException.class, () -> new GELU("erf"));
        assertTrue(e.getMessage().startsWith("[GELU]") && e.getMessage().contains("erf"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HardTanh(1, -1));
    }

    @Test void preluIsALayer() {
        PReLU p = new PReLU(3);
        LayerChecks.assertKeys(p, "weight");
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, p.weight().toFloatArray());
        assertArrayEquals(new float[] {0.25f}, new PReLU().weight().toFloatArray());
        assertArrayEquals(new float[] {-0.5f, -0.5f}, new PReLU(2, -0.5).weight().toFloatArray());
        Array x = MX.normal(new int[] {4, 5, 3}, MX.key(3));
        LayerChecks.assertGradientsReachEveryParameter(p, m -> m.forward(x));
        LayerChecks.assertSaveLoadRoundTrip(p, () -> new PReLU(3), m -> m.forward(x));
        // the full contract freezes the first parameter; alone, PReLU would have none left to
        // differentiate (NN.valueAndGrad rejects an empty tree), so it runs with PReLU's weight first
        LayerChecks.assertLayerContract(new Sequential(new PReLU(3), new Linear(3, 2)),
                () -> new Sequential(new PReLU(3), new Linear(3, 2)), m -> m.forward(x));
        p.freeze();
        assertTrue(p.trainableParameters().isEmpty());
        p.unfreeze();
        // the module computes the function with its weight
        assertArrayEquals(Activations.prelu(x, p.weight()).toDoubleArray(), p.forward(x).toDoubleArray(), 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> p.forward(MX.zeros(2, 4)));
        assertTrue(e.getMessage().startsWith("[PReLU]") && e.getMessage().contains("(2, 4)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PReLU(0));
        // one shared slope applies to any shape
        assertEquals(org.mlx4j.core.Shape.of(2, 4), new PReLU().forward(MX.zeros(2, 4)).shape());
    }

    // ------------------------------------------------------------------ gradients against central differences

    @Test void gradientsMatchCentralDifferences() {
        // away from kinks so finite differences are valid
        double[] pts = {-4.2, -2.1, -0.7, -0.2, 0.3, 0.9, 1.8, 3.6};
        Map<String, Function<Array, Array>> fs = new LinkedHashMap<>();
        fs.put("gelu", Activations::gelu);
        fs.put("geluApprox", Activations::geluApprox);
        fs.put("geluFastApprox", Activations::geluFastApprox);
        fs.put("softplus", Activations::softplus);
        fs.put("logSigmoid", Activations::logSigmoid);
        fs.put("mish", Activations::mish);
        fs.put("silu", Activations::silu);
        fs.put("elu", a -> Activations.elu(a, 0.7));
        fs.put("celu", a -> Activations.celu(a, 1.3));
        fs.put("selu", Activations::selu);
        fs.put("softsign", Activations::softsign);
        fs.put("hardswish", Activations::hardswish);
        fs.put("softshrink", Activations::softshrink);
        fs.put("logSoftmax", a -> Activations.logSoftmax(MX.reshape(a, 2, 4), 1));
        fs.put("softmin", a -> Activations.softmin(MX.reshape(a, 2, 4), 0));
        fs.put("glu", a -> Activations.glu(MX.reshape(a, 2, 4)));
        for (var e : fs.entrySet()) {
            Function<Array, Array> f = e.getValue();
            Array w = MX.normal(f.apply(MX.array(pts, DType.FLOAT64, pts.length)).shape().toArray(), DType.FLOAT64, MX.key(11));
            Function<Array, Array> loss = a -> MX.sum(MX.multiply(f.apply(a), w));
            double[] g = MX.grad(loss).apply(MX.array(pts, DType.FLOAT64, pts.length)).toDoubleArray();
            double h = 1e-6;
            for (int i = 0; i < pts.length; i++) {
                double[] plus = pts.clone(), minus = pts.clone();
                plus[i] += h;
                minus[i] -= h;
                double num = (loss.apply(MX.array(plus, DType.FLOAT64, pts.length)).item()
                        - loss.apply(MX.array(minus, DType.FLOAT64, pts.length)).item()) / (2 * h);
                assertClose(num, g[i], 1e-6, 1e-7, "d " + e.getKey() + " / dx at " + pts[i]);
            }
        }
    }

    @Test void preluGradientReachesTheSlope() {
        double[] v = {-2, 3, -0.5, 1};
        Array x = MX.array(v, DType.FLOAT64, 4);
        var g = MX.grad((java.util.List<Array> in) -> MX.sum(Activations.prelu(in.get(0), in.get(1))), 0, 1)
                .apply(java.util.List.of(x, MX.array(new double[] {0.25}, DType.FLOAT64, 1)));
        assertArrayEquals(new double[] {0.25, 1, 0.25, 1}, g.get(0).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-2.5}, g.get(1).toDoubleArray(), 1e-15);
    }
}
