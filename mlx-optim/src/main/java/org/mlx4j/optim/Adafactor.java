package org.mlx4j.optim;

import java.util.Arrays;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.core.Shape;

/**
 * Adafactor, as MLX's {@code mlx.optimizers.Adafactor} (Shazeer and Stern, 2018): second moments
 * factored into row and column averages for parameters of two or more axes.
 *
 * <p>At step t (1 for the first update), with {@code rms(x) = sqrt(mean(x^2))}:
 * <pre>
 *   rel    = relativeStep ? min(warmupInit ? 1e-6 * t : 1e-2, 1 / sqrt(t)) : learningRate
 *   lr_t   = (scaleParameter ? max(eps2, rms(w)) : 1) * rel
 *   beta2  = 1 - t^decayRate
 *   u      = g^2 + eps1
 *   ndim &gt;= 2:  row = beta2 * row + (1 - beta2) * mean(u, -1)       (state "exp_avg_sq_row", shape[:-1])
 *              col = beta2 * col + (1 - beta2) * mean(u, -2)       (state "exp_avg_sq_col", shape[:-2] + shape[-1:])
 *              u   = rsqrt(row / mean(row, -1))[..., :, None] * rsqrt(col)[..., None, :] * g
 *   otherwise: s   = beta2 * s + (1 - beta2) * u                   (state "exp_avg_sq")
 *              u   = rsqrt(s) * g
 *   u      = lr_t * u / max(1, rms(u) / clipThreshold)
 *   beta1 set: u = m = beta1 * m + (1 - beta1) * u                 (state "exp_avg")
 *   w      = w - weightDecay * lr_t * w                            (when weightDecay != 0)
 *   w      = w - u
 * </pre>
 * The step-dependent factors are computed in float32 and cast, as in MLX. For parameters of more
 * than two axes the column factor is broadcast over the leading axes (MLX's code works for two).
 *
 * <p>MLX's defaults: no learning rate (relative step sizes), eps (1e-30, 1e-3), clipThreshold 1,
 * decayRate -0.8, beta1 none, weightDecay 0, scaleParameter true, relativeStep true,
 * warmupInit false. As in MLX, a learning rate is used only with {@code relativeStep(false)}.
 * <pre>{@code
 * Optimizer ada = new Adafactor();
 * Optimizer fixed = Adafactor.builder().learningRate(1e-3).relativeStep(false).build();
 * }</pre>
 */
public final class Adafactor extends Optimizer {
    private final double eps1;
    private final double eps2;
    private final double clipThreshold;
    private final double decayRate;
    private final Double beta1;
    private final double weightDecay;
    private final boolean scaleParameter;
    private final boolean relativeStep;
    private final boolean warmupInit;

    /** Adafactor with MLX's defaults: relative step sizes, no learning rate. */
    public Adafactor() { this(builder()); }

    private Adafactor(Builder b) {
        super(b);
        if (!b.relativeStep && !b.hasLearningRate()) {
            throw new IllegalArgumentException("[Adafactor] relativeStep(false) needs a learning rate.");
        }
        if (!(b.clipThreshold > 0)) throw new IllegalArgumentException("[Adafactor] clipThreshold must be > 0, got " + b.clipThreshold + ".");
        this.eps1 = b.eps1;
        this.eps2 = b.eps2;
        this.clipThreshold = b.clipThreshold;
        this.decayRate = b.decayRate;
        this.beta1 = b.beta1;
        this.weightDecay = b.weightDecay;
        this.scaleParameter = b.scaleParameter;
        this.relativeStep = b.relativeStep;
        this.warmupInit = b.warmupInit;
    }

    /** A builder with MLX's defaults (set a learning rate with {@code learningRate(...)}). */
    public static Builder builder() { return new Builder(); }

    @Override protected void initSingle(Array parameter, Map<String, Array> state) {
        if (parameter.ndim() >= 2) {
            state.put("exp_avg_sq_row", MX.zeros(rowShape(parameter.shape()), parameter.dtype()));
            state.put("exp_avg_sq_col", MX.zeros(colShape(parameter.shape()), parameter.dtype()));
        } else {
            state.put("exp_avg_sq", MX.zerosLike(parameter));
        }
        if (beta1 != null) state.put("exp_avg", MX.zerosLike(parameter));
    }

    @Override protected void checkState(String key, Array parameter, Map<String, Array> state) {
        for (var e : state.entrySet()) {
            int[] want = switch (e.getKey()) {
                case "exp_avg_sq_row" -> rowShape(parameter.shape());
                case "exp_avg_sq_col" -> colShape(parameter.shape());
                default -> parameter.shape().dims();
            };
            if (!Arrays.equals(want, e.getValue().shape().dims())) throw stateMismatch(key, e.getKey(), e.getValue(), parameter);
        }
        boolean factored = parameter.ndim() >= 2;
        String need = factored ? "exp_avg_sq_row" : "exp_avg_sq";
        if (!state.containsKey(need) || (factored && !state.containsKey("exp_avg_sq_col")) || (beta1 != null && !state.containsKey("exp_avg"))) {
            throw new IllegalArgumentException("[Adafactor] the state of '" + key + "' has entries " + state.keySet()
                    + ", which do not fit a parameter of shape " + parameter.shape() + " with beta1=" + beta1 + ".");
        }
    }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        Array t = step();
        Array parameterRms = rms(parameter);
        Array lr = learningRate(t, parameterRms);
        Array beta2 = rsub(1.0, MX.power(t, Schedules.weakFloat(decayRate, t)).astype(parameterRms.dtype()));
        Array oneMinusBeta2 = rsub(1, beta2);
        Array update = MX.square(gradient).add(eps1);
        if (gradient.ndim() >= 2) {
            Array row = MX.multiply(beta2, state.get("exp_avg_sq_row")).add(MX.multiply(oneMinusBeta2, MX.mean(update, new int[] {-1}, false)));
            Array col = MX.multiply(beta2, state.get("exp_avg_sq_col")).add(MX.multiply(oneMinusBeta2, MX.mean(update, new int[] {-2}, false)));
            state.put("exp_avg_sq_row", row);
            state.put("exp_avg_sq_col", col);
            Array rFactor = MX.rsqrt(row.divide(MX.mean(row, new int[] {-1}, true)));
            Array cFactor = MX.rsqrt(col);
            update = MX.matmul(rFactor.expandDims(-1), cFactor.expandDims(-2)).multiply(gradient);
        } else {
            Array s = MX.multiply(beta2, state.get("exp_avg_sq")).add(MX.multiply(oneMinusBeta2, update));
            state.put("exp_avg_sq", s);
            update = MX.rsqrt(s).multiply(gradient);
        }
        Array clip = rms(update).divide(clipThreshold);
        update = update.divide(MX.maximum(MX.scalarLike(1.0, clip), clip));
        update = MX.multiply(lr, update);
        if (beta1 != null) {
            Array avg = state.get("exp_avg").multiply(beta1).add(update.multiply(1 - beta1));
            state.put("exp_avg", avg);
            update = avg;
        }
        Array w = parameter;
        if (weightDecay != 0) w = w.add(w.multiply(lr.multiply(-weightDecay)));
        return w.subtract(update);
    }

    private Array learningRate(Array t, Array parameterRms) {
        Array rel;
        if (relativeStep) {
            Array r = MX.rsqrt(t);
            Array minStep = warmupInit ? MX.multiply(Schedules.weakFloat(1e-6, t), t) : MX.scalarLike(1e-2, r);
            rel = MX.minimum(minStep, r);
        } else {
            rel = learningRate();
        }
        rel = rel.astype(parameterRms.dtype());
        return scaleParameter ? MX.multiply(MX.maximum(MX.scalarLike(eps2, parameterRms), parameterRms), rel) : rel;
    }

    private static Array rms(Array x) { return MX.sqrt(MX.mean(MX.square(x))); }

    private static int[] rowShape(Shape s) {
        int[] d = s.dims();
        return Arrays.copyOf(d, d.length - 1);
    }

    private static int[] colShape(Shape s) {
        int[] d = s.dims();
        int[] out = Arrays.copyOf(d, d.length - 1);
        out[d.length - 2] = d[d.length - 1];
        return out;
    }

    @Override protected void addHyperparameters(Map<String, String> out) {
        out.put("eps", format(eps1, eps2));
        out.put("clipThreshold", format(clipThreshold));
        out.put("decayRate", format(decayRate));
        out.put("beta1", beta1 == null ? "none" : format(beta1));
        out.put("weightDecay", format(weightDecay));
        out.put("scaleParameter", Boolean.toString(scaleParameter));
        out.put("relativeStep", Boolean.toString(relativeStep));
        out.put("warmupInit", Boolean.toString(warmupInit));
    }

    /** Builds an {@link Adafactor}; unset values keep MLX's defaults. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double eps1 = 1e-30;
        private double eps2 = 1e-3;
        private double clipThreshold = 1.0;
        private double decayRate = -0.8;
        private Double beta1 = null;
        private double weightDecay = 0;
        private boolean scaleParameter = true;
        private boolean relativeStep = true;
        private boolean warmupInit = false;

        private Builder() {}

        /** eps1 (added to g^2) and eps2 (floor of the parameter scale); default 1e-30, 1e-3. */
        public Builder eps(double eps1, double eps2) { this.eps1 = eps1; this.eps2 = eps2; return this; }

        /** The clipping threshold of the unscaled update's RMS (default 1). */
        public Builder clipThreshold(double clipThreshold) { this.clipThreshold = clipThreshold; return this; }

        /** The exponent of beta2 = 1 - t^decayRate (default -0.8). */
        public Builder decayRate(double decayRate) { this.decayRate = decayRate; return this; }

        /** Enables a first moment with this decay (default: none). */
        public Builder beta1(double beta1) { this.beta1 = beta1; return this; }

        /** The weight decay (default 0). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }

        /** Scales the step by max(eps2, rms(w)) (default true). */
        public Builder scaleParameter(boolean scaleParameter) { this.scaleParameter = scaleParameter; return this; }

        /** Relative step sizes min(1e-2, 1/sqrt(t)) instead of the learning rate (default true). */
        public Builder relativeStep(boolean relativeStep) { this.relativeStep = relativeStep; return this; }

        /** Relative step sizes min(1e-6 * t, 1/sqrt(t)) (default false). */
        public Builder warmupInit(boolean warmupInit) { this.warmupInit = warmupInit; return this; }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException when relativeStep is false without a learning rate, or
         *                                  clipThreshold is not positive
         */
        public Adafactor build() { return new Adafactor(this); }
    }
}
