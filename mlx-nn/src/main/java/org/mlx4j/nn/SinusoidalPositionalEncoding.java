package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/**
 * Sinusoidal positional encoding ("Attention Is All You Need"), like MLX's
 * {@code nn.SinusoidalPositionalEncoding}: each position value {@code x} becomes
 * {@code scale * [sin(x * sigma_0 .. x * sigma_{h-1}), cos(x * sigma_0 .. x * sigma_{h-1})]}
 * ({@code [cos; sin]} with {@code cosFirst}), where {@code h = dims/2} and the frequencies fall
 * geometrically from maxFreq to minFreq: {@code sigma_i = exp(log(maxFreq) + (i / (h - 1)) *
 * (log(minFreq) - log(maxFreq)))}, times {@code 2 pi} with {@code fullTurns}.
 *
 * <p>Input: positions of any shape (integral or floating); output: the input's shape plus a last
 * axis of size dims, float32 (float64 for a float64 input). No parameters: the frequencies are
 * constants, as MLX keeps them out of the parameters.
 *
 * <pre>{@code
 * var pe = new SinusoidalPositionalEncoding(64);
 * Array enc = pe.forward(MX.arange(10));   // (10, 64)
 * }</pre>
 */
public final class SinusoidalPositionalEncoding extends UnaryModule {
    private final int dims;
    private final double minFreq, maxFreq, scale;
    private final boolean cosFirst, fullTurns;
    private final double[] sigmas;

    /** An encoding with MLX's defaults: minFreq 1e-4, maxFreq 1, scale sqrt(2/dims), sin first, no full turns. */
    public SinusoidalPositionalEncoding(int dims) { this(dims, 1e-4, 1, null, false, false); }

    /**
     * An encoding with every MLX option.
     *
     * @param dims      the size of the encoding; even and at least 4 (two frequencies)
     * @param minFreq   the lowest frequency (MLX: 1e-4)
     * @param maxFreq   the highest frequency (MLX: 1)
     * @param scale     the output scale, or null (or 0, as MLX's {@code scale or ...}) for {@code sqrt(2/dims)}
     * @param cosFirst  put the cosines first (MLX: false)
     * @param fullTurns multiply the frequencies by {@code 2 pi} (MLX: false)
     * @throws IllegalArgumentException for an odd dims or one below 4, non-positive or non-finite
     *                                  frequencies, or a non-finite scale
     */
    public SinusoidalPositionalEncoding(int dims, double minFreq, double maxFreq, Double scale, boolean cosFirst, boolean fullTurns) {
        // MLX divides by dims/2 - 1 (NaN below 4) and silently drops the last feature of an odd dims
        if (dims < 4 || dims % 2 != 0) throw new IllegalArgumentException("[SinusoidalPositionalEncoding] dims must be even and at least 4, got " + dims + ".");
        if (!(minFreq > 0) || !(maxFreq > 0) || Double.isInfinite(minFreq) || Double.isInfinite(maxFreq)) {
            throw new IllegalArgumentException("[SinusoidalPositionalEncoding] frequencies must be positive and finite, got minFreq=" + minFreq + " and maxFreq=" + maxFreq + ".");
        }
        if (scale != null && !Double.isFinite(scale)) throw new IllegalArgumentException("[SinusoidalPositionalEncoding] scale must be finite, got " + scale + ".");
        this.dims = dims;
        this.minFreq = minFreq;
        this.maxFreq = maxFreq;
        // MLX writes `scale or sqrt(2/dims)`: 0 also means the default there
        this.scale = scale == null || scale == 0 ? Math.sqrt(2.0 / dims) : scale;
        this.cosFirst = cosFirst;
        this.fullTurns = fullTurns;
        int h = dims / 2;
        sigmas = new double[h];
        double lo = Math.log(minFreq), hi = Math.log(maxFreq);
        for (int i = 0; i < h; i++) {
            double oneZero = 1 - (double) i / (h - 1);
            sigmas[i] = Math.exp(oneZero * (hi - lo) + lo) * (fullTurns ? 2 * Math.PI : 1);
        }
    }

    /**
     * The encodings of the positions {@code x} (any shape); returns x's shape plus (dims).
     *
     * @throws IllegalArgumentException for a bool input
     */
    @Override public Array forward(Array x) {
        if (x.dtype() == DType.BOOL) throw new IllegalArgumentException("[SinusoidalPositionalEncoding] expected numeric positions, got bool.");
        DType dt = x.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
        Array y = MX.multiply(MX.expandDims(x, -1), MX.array(sigmas, dt, sigmas.length));
        Array c = MX.cos(y), s = MX.sin(y);
        y = MX.concatenate(cosFirst ? new Array[] {c, s} : new Array[] {s, c}, -1);
        return scale == 1 ? y : MX.multiply(y, MX.scalarLike(scale, y));
    }

    /** The size of the encoding. */
    public int dims() { return dims; }

    /** The lowest frequency. */
    public double minFreq() { return minFreq; }

    /** The highest frequency. */
    public double maxFreq() { return maxFreq; }

    /** The output scale. */
    public double scale() { return scale; }

    /** True if the cosines come first. */
    public boolean cosFirst() { return cosFirst; }

    /** True if the frequencies are in full turns. */
    public boolean fullTurns() { return fullTurns; }

    @Override protected String describe() { return "dims=" + dims + ", scale=" + scale + ", cosFirst=" + cosFirst; }
}
