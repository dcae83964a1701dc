package org.mlx4j.nn;

import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Spatial upsampling, like MLX's {@code nn.Upsample}: on an input (N, spatial..., C) with one or more
 * spatial axes, each spatial size S becomes {@code (int) (scale * S)}. No parameters.
 *
 * <ul>
 *   <li>{@link Mode#NEAREST}: each output position copies the nearest input element. An integral
 *       scale repeats every element {@code scale} times; otherwise output i reads input
 *       {@code round((i + 0.5) * S / M - 0.5)} when upsampling to M &gt; S and {@code floor(i * S / M)}
 *       when not, in float32 as MLX computes it. The dtype is kept.</li>
 *   <li>{@link Mode#LINEAR}: linear interpolation between the two neighbours on each axis (bilinear,
 *       trilinear, ... over several axes), axis by axis. Without {@code alignCorners} output i sits at
 *       {@code i / scale - ((M - 1) / scale - S + 1) / 2}, clipped to [0, S - 1]; with it, the first and
 *       last outputs sit on the first and last inputs ({@code i * (S - 1) / (M - 1)}). The weights are
 *       float32, as in MLX, so integral and half inputs give float32 and float64 stays float64.</li>
 * </ul>
 *
 * <pre>{@code
 * Array y = new Upsample(2, Upsample.Mode.LINEAR, false).forward(x);   // (1, 2, 2, 1) -> (1, 4, 4, 1)
 * }</pre>
 */
public final class Upsample extends UnaryModule {
    /** The interpolation. */
    public enum Mode {
        /** Copy the nearest input element. */
        NEAREST,
        /** Interpolate linearly between the two neighbours on each spatial axis. */
        LINEAR
    }

    private final double[] scaleFactor;
    private final boolean onePerAxis;
    private final Mode mode;
    private final boolean alignCorners;

    /** Nearest-neighbour upsampling by {@code scaleFactor} on every spatial axis. */
    public Upsample(double scaleFactor) { this(scaleFactor, Mode.NEAREST, false); }

    /**
     * Upsampling by {@code scaleFactor} on every spatial axis.
     *
     * @param alignCorners for {@link Mode#LINEAR}: put the corner outputs on the corner inputs
     * @throws IllegalArgumentException if the scale is not positive and finite, or mode is null
     */
    public Upsample(double scaleFactor, Mode mode, boolean alignCorners) {
        this(new double[] {scaleFactor}, false, mode, alignCorners);
    }

    /**
     * Upsampling by one scale per spatial axis (the input must then have {@code scaleFactor.length} spatial axes).
     *
     * @throws IllegalArgumentException if there is no scale, a scale is not positive and finite, or mode is null
     */
    public Upsample(double[] scaleFactor, Mode mode, boolean alignCorners) { this(scaleFactor, true, mode, alignCorners); }

    private Upsample(double[] scaleFactor, boolean onePerAxis, Mode mode, boolean alignCorners) {
        if (scaleFactor == null || scaleFactor.length == 0) {
            throw new IllegalArgumentException("[Upsample] scaleFactor needs at least one entry, got " + Arrays.toString(scaleFactor) + ".");
        }
        for (double s : scaleFactor) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("[Upsample] scaleFactor must be positive and finite, got " + Arrays.toString(scaleFactor) + ".");
            }
        }
        if (mode == null) throw new IllegalArgumentException("[Upsample] mode is null; use NEAREST or LINEAR.");
        this.scaleFactor = scaleFactor.clone();
        this.onePerAxis = onePerAxis;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    /** The scale factors: one for all spatial axes, or one per axis (a copy). */
    public double[] scaleFactor() { return scaleFactor.clone(); }

    /** The interpolation mode. */
    public Mode mode() { return mode; }

    /** Whether linear interpolation aligns the corners. */
    public boolean alignCorners() { return alignCorners; }

    /**
     * Upsamples {@code x} (N, spatial..., C).
     *
     * @throws IllegalArgumentException for fewer than 3 axes, a number of scales that is not the number of
     *                                  spatial axes, or a scale that leaves an axis empty
     */
    @Override public Array forward(Array x) {
        int d = x.ndim() - 2;
        if (d < 1) {
            throw new IllegalArgumentException("[Upsample] expected input (N, spatial..., C) with at least one spatial axis, got shape "
                    + x.shape() + ".");
        }
        if (onePerAxis && scaleFactor.length != d) {
            throw new IllegalArgumentException("[Upsample] one scale per spatial axis is needed: scaleFactor " + Arrays.toString(scaleFactor)
                    + " for input of shape " + x.shape() + " with " + d + " spatial axes.");
        }
        Array y = x;
        for (int i = 0; i < d; i++) {
            double scale = onePerAxis ? scaleFactor[i] : scaleFactor[0];
            int n = x.dim(i + 1);
            long m = (long) (scale * n);
            if (m < 1 || m > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("[Upsample] scale " + scale + " turns size " + n + " of spatial axis " + i + " into " + m
                        + ": input of shape " + x.shape() + ".");
            }
            y = mode == Mode.NEAREST ? nearest(y, i + 1, n, (int) m, scale) : linear(y, i + 1, n, (int) m, scale);
        }
        return y;
    }

    private static Array nearest(Array y, int axis, int n, int m, double scale) {
        if (scale == Math.rint(scale)) {
            // every element repeated: broadcast a new axis of the scale's length, then merge it
            int s = (int) scale;
            int[] wide = insert(y.shape().toArray(), axis + 1, s);
            int[] merged = y.shape().toArray();
            merged[axis] = n * s;
            return MX.reshape(MX.broadcastTo(MX.expandDims(y, axis + 1), wide), merged);
        }
        float ratio = (float) ((double) n / m);
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = m > n ? (int) Math.rint(((float) i + 0.5f) * ratio - 0.5f) : (int) ((float) i * ratio);
            idx[i] = Math.min(idx[i], n - 1);
        }
        return MX.take(y, MX.array(idx, m), axis);
    }

    private Array linear(Array y, int axis, int n, int m, double scale) {
        int[] lo = new int[m], hi = new int[m];
        float[] wLo = new float[m], wHi = new float[m];
        float alignStep = m > 1 ? (float) ((double) (n - 1) / (m - 1)) : 0f;
        double step = 1 / scale;
        float start = (float) (((m - 1) * step - n + 1) / 2);
        for (int i = 0; i < m; i++) {
            float pos = alignCorners ? (float) i * alignStep : (float) i * (float) step - start;
            pos = Math.min(Math.max(pos, 0f), n - 1);
            float l = (float) Math.floor(pos);
            lo[i] = (int) l;
            hi[i] = (int) Math.ceil(pos);
            wHi[i] = pos - l;
            wLo[i] = 1f - wHi[i];
        }
        int[] wShape = ConvBase.fill(y.ndim(), 1);
        wShape[axis] = m;
        Array left = MX.take(y, MX.array(lo, m), axis);
        Array right = MX.take(y, MX.array(hi, m), axis);
        return MX.add(MX.multiply(left, MX.array(wLo, wShape)), MX.multiply(right, MX.array(wHi, wShape)));
    }

    private static int[] insert(int[] shape, int at, int v) {
        int[] r = new int[shape.length + 1];
        System.arraycopy(shape, 0, r, 0, at);
        r[at] = v;
        System.arraycopy(shape, at, r, at + 1, shape.length - at);
        return r;
    }

    @Override protected String describe() {
        return "scaleFactor=" + (onePerAxis ? Arrays.toString(scaleFactor) : Double.toString(scaleFactor[0])) + ", mode=" + mode
                + ", alignCorners=" + alignCorners;
    }
}
