package org.mlx4j.nn;

import java.util.Locale;
import org.mlx4j.core.Array;

/**
 * The Gaussian error linear unit {@code x * Phi(x)}, like MLX's {@code nn.GELU(approx=...)}: exact
 * by default, or one of MLX's approximations (see {@link Approximation}).
 */
public final class GELU extends UnaryModule {
    /** Which GELU to compute: MLX's {@code approx} argument. */
    public enum Approximation {
        /** The exact {@link Activations#gelu} ({@code approx='none'}, the default). */
        NONE,
        /** The tanh approximation {@link Activations#geluApprox} ({@code approx='precise'}). */
        PRECISE,
        /** Same as {@link #PRECISE} ({@code approx='tanh'}, PyTorch's name for it). */
        TANH,
        /** The sigmoid approximation {@link Activations#geluFastApprox} ({@code approx='fast'}). */
        FAST;

        /**
         * The constant for MLX's string: {@code "none"}, {@code "precise"}, {@code "tanh"} or {@code "fast"}.
         *
         * @throws IllegalArgumentException ({@code [GELU]}) for any other string
         */
        public static Approximation fromMlxName(String name) {
            if (name != null) {
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "none": return NONE;
                    case "precise": return PRECISE;
                    case "tanh": return TANH;
                    case "fast": return FAST;
                    default: break;
                }
            }
            throw new IllegalArgumentException("[GELU] the approximation should be one of 'none', 'precise', 'tanh', 'fast', got '" + name + "'.");
        }
    }

    private final Approximation approx;

    /** An exact GELU layer. */
    public GELU() { this(Approximation.NONE); }

    /**
     * A GELU layer with the given approximation.
     *
     * @throws IllegalArgumentException if {@code approx} is null
     */
    public GELU(Approximation approx) {
        if (approx == null) throw new IllegalArgumentException("[GELU] approx is null.");
        this.approx = approx;
    }

    /** A GELU layer from MLX's string ({@code "none"}, {@code "precise"}, {@code "tanh"}, {@code "fast"}). */
    public GELU(String approx) { this(Approximation.fromMlxName(approx)); }

    /** The approximation used. */
    public Approximation approximation() { return approx; }

    @Override public Array forward(Array x) {
        return switch (approx) {
            case NONE -> Activations.gelu(x);
            case PRECISE, TANH -> Activations.geluApprox(x);
            case FAST -> Activations.geluFastApprox(x);
        };
    }

    @Override protected String describe() { return "approx=" + approx.name().toLowerCase(Locale.ROOT); }
}
