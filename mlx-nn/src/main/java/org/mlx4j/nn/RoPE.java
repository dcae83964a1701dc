package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Rotary positional encoding (RoFormer), like MLX's {@code nn.RoPE} ({@code mx.fast.rope}): the
 * first {@code dims} features of each position are rotated in pairs by angles proportional to the
 * position; the remaining features pass through unchanged.
 *
 * <p>For position {@code p = (offset + t) * scale} (t indexing axis -2) and pair {@code i < dims/2},
 * the angle is {@code theta = p * base^(-2i/dims)} and the pair {@code (a, b)} becomes
 * {@code (a cos theta - b sin theta, a sin theta + b cos theta)}. The default pairing takes
 * {@code a = x[i], b = x[i + dims/2]} (MLX's faster layout); the traditional one takes
 * {@code a = x[2i], b = x[2i + 1]}.
 *
 * <p>Input (..., L, D) with {@code D >= dims}, floating; output of the same shape and dtype. The
 * angles are computed in float64 and rounded to the input's dtype. No parameters.
 */
public final class RoPE extends UnaryModule {
    private final int dims;
    private final boolean traditional;
    private final double base;
    private final double scale;

    /** RoPE over the first {@code dims} features with MLX's defaults: non-traditional, base 10000, scale 1. */
    public RoPE(int dims) { this(dims, false, 10000, 1); }

    /**
     * RoPE with every MLX option.
     *
     * @param dims        the number of features to rotate; positive and even
     * @param traditional pair consecutive features instead of features dims/2 apart (MLX: false)
     * @param base        the base of the angular frequencies (MLX: 10000)
     * @param scale       the scale applied to positions (MLX: 1)
     * @throws IllegalArgumentException for a non-positive or odd dims, or a non-positive or non-finite base
     */
    public RoPE(int dims, boolean traditional, double base, double scale) {
        if (dims <= 0 || dims % 2 != 0) throw new IllegalArgumentException("[RoPE] dims must be positive and even, got " + dims + ".");
        if (!(base > 0) || Double.isInfinite(base)) throw new IllegalArgumentException("[RoPE] base must be positive and finite, got " + base + ".");
        if (!Double.isFinite(scale)) throw new IllegalArgumentException("[RoPE] scale must be finite, got " + scale + ".");
        this.dims = dims;
        this.traditional = traditional;
        this.base = base;
        this.scale = scale;
    }

    /** Encodes positions 0 .. L-1. */
    @Override public Array forward(Array x) { return forward(x, 0); }

    /**
     * Encodes positions {@code offset .. offset + L - 1} (a key/value cache continues at its length).
     *
     * @param x (..., L, D) with D &gt;= dims, floating
     * @throws IllegalArgumentException if x has fewer than 2 axes, fewer than dims features or an integral dtype
     */
    public Array forward(Array x, int offset) {
        if (x.ndim() < 2 || x.dim(-1) < dims) {
            throw new IllegalArgumentException("[RoPE] expected input (..., L, D) with D >= " + dims + ", got shape " + x.shape() + ".");
        }
        if (!x.dtype().isFloating()) throw new IllegalArgumentException("[RoPE] expected a floating input, got " + x.dtype().mlxName() + ".");
        int len = x.dim(-2), d = x.dim(-1), half = dims / 2;
        double[] cos = new double[len * half], sin = new double[len * half];
        for (int t = 0; t < len; t++) {
            double p = ((double) offset + t) * scale;
            for (int i = 0; i < half; i++) {
                double theta = p * Math.exp(-i * (Math.log(base) / half));
                cos[t * half + i] = Math.cos(theta);
                sin[t * half + i] = Math.sin(theta);
            }
        }
        Array c = MX.array(cos, x.dtype(), len, half);    // (L, half): broadcasts over the leading axes
        Array s = MX.array(sin, x.dtype(), len, half);
        Array a = traditional ? slice(x, 0, dims, 2) : slice(x, 0, half, 1);
        Array b = traditional ? slice(x, 1, dims, 2) : slice(x, half, dims, 1);
        Array ra = MX.subtract(MX.multiply(a, c), MX.multiply(b, s));
        Array rb = MX.add(MX.multiply(a, s), MX.multiply(b, c));
        Array rotated;
        if (traditional) {
            // interleave back: (..., half, 2) -> (..., dims)
            int[] shape = x.shape().toArray();
            shape[shape.length - 1] = dims;
            rotated = MX.reshape(MX.stack(new Array[] {ra, rb}, -1), shape);
        } else {
            rotated = MX.concatenate(new Array[] {ra, rb}, -1);
        }
        return dims == d ? rotated : MX.concatenate(new Array[] {rotated, slice(x, dims, d, 1)}, -1);
    }

    private static Array slice(Array x, int start, int stop, int step) {
        return MX.get(x, "..., " + start + ":" + stop + ":" + step);
    }

    /** The number of rotated features. */
    public int dims() { return dims; }

    /** True for the consecutive-pair layout. */
    public boolean traditional() { return traditional; }

    /** The frequency base. */
    public double base() { return base; }

    /** The position scale. */
    public double scale() { return scale; }

    @Override protected String describe() { return dims + ", traditional=" + traditional; }
}
