package org.mlx4j.nn;

import java.util.function.ToDoubleFunction;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.core.Shape;

/**
 * Weight initializers with MLX's names, formulas and defaults ({@code mlx.nn.init}). Each factory
 * returns an {@link Initializer}: a function from an array to a new array of its shape.
 *
 * <p>Dtype: a factory given a {@code DType} always produces it (MLX's {@code dtype} argument).
 * Without one, the result takes the given array's dtype, except that the random initializers
 * produce float32 for a non-floating array. Random draws use the global random state, so
 * {@link MX#seed} makes them reproducible.
 *
 * <p>Fans, for the Glorot and He initializers, follow MLX: for a weight of shape
 * {@code (out, k1, ..., kn, in)} (Linear's (out, in); channels-last convolutions' (C_out, kH, kW, C_in)),
 * {@code fanIn = in * k1 * ... * kn} and {@code fanOut = out * k1 * ... * kn}; see {@link #fans}.
 *
 * <p>Errors for bad arguments or unsupported shapes are {@code IllegalArgumentException}s prefixed
 * {@code [init]}.
 */
public final class Init {
    private Init() {}

    /** Which fan the He initializers scale by: MLX's {@code mode='fan_in'} (the default) or {@code 'fan_out'}. */
    public enum FanMode {
        /** Scale by the number of inputs: preserves the forward pass's variance. */
        FAN_IN,
        /** Scale by the number of outputs: preserves the backward pass's variance. */
        FAN_OUT
    }

    /**
     * The fan-in and fan-out of a weight shape.
     *
     * @param fanIn  inputs per output unit
     * @param fanOut outputs per input unit
     */
    public record Fans(long fanIn, long fanOut) {}

    /**
     * MLX's fans of a weight of shape {@code (out, k..., in)}: {@code fanIn = in * prod(k)},
     * {@code fanOut = out * prod(k)}.
     *
     * @throws IllegalArgumentException ({@code [init]}) for fewer than two dimensions
     */
    public static Fans fans(int... shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("[init] Glorot / He initialization needs at least 2 dimensions, got shape "
                    + Shape.of(shape) + ".");
        }
        long receptive = 1;
        for (int i = 1; i < shape.length - 1; i++) receptive *= shape[i];
        return new Fans((long) shape[shape.length - 1] * receptive, (long) shape[0] * receptive);
    }

    /** {@link #fans(int...)} of {@code shape}. */
    public static Fans fans(Shape shape) { return fans(shape.dims()); }

    // ------------------------------------------------------------------ helpers

    /** The dtype of the result: the fixed one, else like's (float32 for random draws from a non-floating like). */
    private static DType dtypeFor(DType fixed, Array like, boolean random) {
        if (fixed != null) return fixed;
        if (random && !like.dtype().isFloating()) return DType.FLOAT32;
        return like.dtype();
    }

    private static void checkRandomDtype(DType dtype) {
        if (dtype != null && !dtype.isFloating()) {
            throw new IllegalArgumentException("[init] random initializers need a floating dtype, got " + dtype.mlxName() + ".");
        }
    }

    private static void checkFinite(String what, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("[init] " + what + " must be finite, got " + v + ".");
    }

    private static void checkGain(double gain) {
        if (!(gain > 0) || !Double.isFinite(gain)) {
            throw new IllegalArgumentException("[init] gain must be positive and finite, got " + gain + ".");
        }
    }

    private static void checkMode(FanMode mode) {
        if (mode == null) throw new IllegalArgumentException("[init] mode is null.");
    }

    private static long fan(Fans f, FanMode mode) {
        return mode == FanMode.FAN_IN ? f.fanIn() : f.fanOut();
    }

    /**
     * The Glorot / He shape: zero-mean normal samples with std {@code scale(fans)}, or uniform
     * samples in {@code [-scale(fans), scale(fans))}, the fans those of the array it is applied to.
     */
    private static Initializer fanScaled(boolean normal, DType dtype, ToDoubleFunction<Fans> scale) {
        checkRandomDtype(dtype);
        return like -> {
            double s = scale.applyAsDouble(fans(like.shape()));
            DType dt = dtypeFor(dtype, like, true);
            return normal ? normalLike(like, dt, 0.0, s) : uniformLike(like, dt, -s, s);
        };
    }

    private static Array normalLike(Array like, DType dtype, double mean, double std) {
        return MX.normal(like.shape().toArray(), dtype, mean, std, null);
    }

    private static Array uniformLike(Array like, DType dtype, double low, double high) {
        return MX.uniform(low, high, like.shape().toArray(), dtype, null);
    }

    // ------------------------------------------------------------------ simple fills

    /** Fills with {@code value}, in the given array's dtype. */
    public static Initializer constant(double value) { return constant(value, null); }

    /**
     * Fills with {@code value} (MLX's {@code init.constant}).
     *
     * @param dtype the result's dtype, or {@code null} for the given array's
     */
    public static Initializer constant(double value, DType dtype) {
        return like -> MX.full(like.shape().toArray(), value, dtypeFor(dtype, like, false));
    }

    /** Standard normal samples (MLX's defaults {@code mean = 0}, {@code std = 1}). */
    public static Initializer normal() { return normal(0.0, 1.0, null); }

    /** Normal samples with the given mean and standard deviation. */
    public static Initializer normal(double mean, double std) { return normal(mean, std, null); }

    /**
     * Normal samples (MLX's {@code init.normal}; defaults {@code mean = 0}, {@code std = 1}).
     *
     * @param dtype a floating dtype for the result, or {@code null} (see the class notes)
     * @throws IllegalArgumentException ({@code [init]}) for a negative or non-finite std, or a non-floating dtype
     */
    public static Initializer normal(double mean, double std, DType dtype) {
        checkFinite("mean", mean);
        if (!(std >= 0) || !Double.isFinite(std)) throw new IllegalArgumentException("[init] std must be non-negative and finite, got " + std + ".");
        checkRandomDtype(dtype);
        return like -> normalLike(like, dtypeFor(dtype, like, true), mean, std);
    }

    /** Uniform samples in [0, 1) (MLX's defaults). */
    public static Initializer uniform() { return uniform(0.0, 1.0, null); }

    /** Uniform samples in [low, high). */
    public static Initializer uniform(double low, double high) { return uniform(low, high, null); }

    /**
     * Uniform samples in [low, high) (MLX's {@code init.uniform}; defaults {@code low = 0}, {@code high = 1}).
     *
     * @throws IllegalArgumentException ({@code [init]}) unless {@code low < high} (both finite), or for a non-floating dtype
     */
    public static Initializer uniform(double low, double high, DType dtype) {
        checkFinite("low", low);
        checkFinite("high", high);
        if (!(low < high)) throw new IllegalArgumentException("[init] uniform needs low < high, got low=" + low + " and high=" + high + ".");
        checkRandomDtype(dtype);
        return like -> uniformLike(like, dtypeFor(dtype, like, true), low, high);
    }

    /** The identity matrix, in the given array's dtype. */
    public static Initializer identity() { return identity(null); }

    /**
     * The identity matrix (MLX's {@code init.identity}).
     *
     * @throws IllegalArgumentException ({@code [init]}) when applied to an array that is not a square matrix
     */
    public static Initializer identity(DType dtype) {
        return like -> {
            if (like.ndim() != 2 || like.dim(0) != like.dim(1)) {
                throw new IllegalArgumentException("[init] identity needs a square matrix, got shape " + like.shape() + ".");
            }
            return MX.identity(like.dim(0), dtypeFor(dtype, like, false));
        };
    }

    // ------------------------------------------------------------------ Glorot and He

    /** Glorot normal with {@code gain = 1}; see {@link #glorotNormal(double, DType)}. */
    public static Initializer glorotNormal() { return glorotNormal(1.0, null); }

    /** Glorot normal with a gain; see {@link #glorotNormal(double, DType)}. */
    public static Initializer glorotNormal(double gain) { return glorotNormal(gain, null); }

    /**
     * Glorot (Xavier) normal (MLX's {@code init.glorot_normal}): normal samples with
     * {@code std = gain * sqrt(2 / (fanIn + fanOut))}. MLX's default {@code gain = 1}.
     *
     * @throws IllegalArgumentException ({@code [init]}) for a non-positive gain, a non-floating dtype,
     *                                  or (when applied) an array of fewer than 2 dimensions
     */
    public static Initializer glorotNormal(double gain, DType dtype) {
        checkGain(gain);
        return fanScaled(true, dtype, f -> gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut())));
    }

    /** Glorot uniform with {@code gain = 1}; see {@link #glorotUniform(double, DType)}. */
    public static Initializer glorotUniform() { return glorotUniform(1.0, null); }

    /** Glorot uniform with a gain; see {@link #glorotUniform(double, DType)}. */
    public static Initializer glorotUniform(double gain) { return glorotUniform(gain, null); }

    /**
     * Glorot (Xavier) uniform (MLX's {@code init.glorot_uniform}): uniform in {@code [-limit, limit)}
     * with {@code limit = gain * sqrt(6 / (fanIn + fanOut))}. MLX's default {@code gain = 1}.
     *
     * @throws IllegalArgumentException ({@code [init]}) for a non-positive gain, a non-floating dtype,
     *                                  or (when applied) an array of fewer than 2 dimensions
     */
    public static Initializer glorotUniform(double gain, DType dtype) {
        checkGain(gain);
        return fanScaled(false, dtype, f -> gain * Math.sqrt(6.0 / (f.fanIn() + f.fanOut())));
    }

    /** He normal by fan-in with {@code gain = 1}; see {@link #heNormal(FanMode, double, DType)}. */
    public static Initializer heNormal() { return heNormal(FanMode.FAN_IN, 1.0, null); }

    /** He normal with a fan mode and gain; see {@link #heNormal(FanMode, double, DType)}. */
    public static Initializer heNormal(FanMode mode, double gain) { return heNormal(mode, gain, null); }

    /**
     * He (Kaiming) normal (MLX's {@code init.he_normal}): normal samples with
     * {@code std = gain / sqrt(fan)}, the fan chosen by {@code mode}. MLX's defaults:
     * {@code mode = FAN_IN}, {@code gain = 1} (use {@code gain = sqrt(2)} for PyTorch's ReLU gain).
     *
     * @throws IllegalArgumentException ({@code [init]}) for a null mode, a non-positive gain, a non-floating
     *                                  dtype, or (when applied) an array of fewer than 2 dimensions
     */
    public static Initializer heNormal(FanMode mode, double gain, DType dtype) {
        checkMode(mode);
        checkGain(gain);
        return fanScaled(true, dtype, f -> gain / Math.sqrt(fan(f, mode)));
    }

    /** He uniform by fan-in with {@code gain = 1}; see {@link #heUniform(FanMode, double, DType)}. */
    public static Initializer heUniform() { return heUniform(FanMode.FAN_IN, 1.0, null); }

    /** He uniform with a fan mode and gain; see {@link #heUniform(FanMode, double, DType)}. */
    public static Initializer heUniform(FanMode mode, double gain) { return heUniform(mode, gain, null); }

    /**
     * He (Kaiming) uniform (MLX's {@code init.he_uniform}): uniform in {@code [-limit, limit)} with
     * {@code limit = gain * sqrt(3 / fan)}, the fan chosen by {@code mode}. MLX's defaults:
     * {@code mode = FAN_IN}, {@code gain = 1}.
     *
     * @throws IllegalArgumentException ({@code [init]}) for a null mode, a non-positive gain, a non-floating
     *                                  dtype, or (when applied) an array of fewer than 2 dimensions
     */
    public static Initializer heUniform(FanMode mode, double gain, DType dtype) {
        checkMode(mode);
        checkGain(gain);
        return fanScaled(false, dtype, f -> gain * Math.sqrt(3.0 / fan(f, mode)));
    }

    // ------------------------------------------------------------------ structured

    /** An orthogonal matrix with {@code gain = 1}; see {@link #orthogonal(double, DType)}. */
    public static Initializer orthogonal() { return orthogonal(1.0, null); }

    /** An orthogonal matrix scaled by {@code gain}; see {@link #orthogonal(double, DType)}. */
    public static Initializer orthogonal(double gain) { return orthogonal(gain, null); }

    /**
     * A (semi-)orthogonal matrix times {@code gain} (MLX's {@code init.orthogonal}): the Q of the QR
     * decomposition of an {@code n x n} standard normal matrix ({@code n = max(rows, cols)}), with
     * each column's sign fixed by R's diagonal so the result is uniformly distributed, cut to
     * {@code (rows, cols)}. Rows are orthonormal when {@code rows <= cols}, columns when
     * {@code rows >= cols}. The QR runs on the host in double precision (Householder reflections):
     * initializers run once, and it keeps this off the array graph. MLX's default {@code gain = 1}.
     *
     * @throws IllegalArgumentException ({@code [init]}) for a non-finite gain, a non-floating dtype,
     *                                  or (when applied) an array that is not 2-D
     */
    public static Initializer orthogonal(double gain, DType dtype) {
        checkFinite("gain", gain);
        checkRandomDtype(dtype);
        return like -> {
            if (like.ndim() != 2) {
                throw new IllegalArgumentException("[init] orthogonal needs a 2-D array, got shape " + like.shape() + ".");
            }
            int rows = like.dim(0), cols = like.dim(1), n = Math.max(rows, cols);
            double[] a = MX.normal(new int[] {n, n}, DType.FLOAT64, null).toDoubleArray();
            double[] q = orthogonalFactor(a, n);
            double[] out = new double[rows * cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) out[i * cols + j] = gain * q[i * n + j];
            }
            return MX.array(out, dtypeFor(dtype, like, true), rows, cols);
        };
    }

    /**
     * Q of {@code a = QR} (row-major n x n), with column k multiplied by sign(R[k][k]) as MLX does,
     * by Householder reflections in double precision.
     */
    static double[] orthogonalFactor(double[] a, int n) {
        double[] r = a.clone();
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) q[i * n + i] = 1;
        double[] v = new double[n];
        for (int k = 0; k < n - 1; k++) {
            double norm = 0;
            for (int i = k; i < n; i++) norm += r[i * n + k] * r[i * n + k];
            norm = Math.sqrt(norm);
            if (norm == 0) continue;
            // reflect x onto -sign(x0) * |x| e0: the sign choice avoids cancellation in v0
            double alpha = r[k * n + k] >= 0 ? -norm : norm;
            double vv = 0;
            for (int i = k; i < n; i++) {
                v[i] = r[i * n + k] - (i == k ? alpha : 0);
                vv += v[i] * v[i];
            }
            if (vv == 0) continue;
            for (int j = k; j < n; j++) { // R <- H R
                double s = 0;
                for (int i = k; i < n; i++) s += v[i] * r[i * n + j];
                double f = 2 * s / vv;
                for (int i = k; i < n; i++) r[i * n + j] -= f * v[i];
            }
            for (int row = 0; row < n; row++) { // Q <- Q H
                double s = 0;
                for (int i = k; i < n; i++) s += q[row * n + i] * v[i];
                double f = 2 * s / vv;
                for (int i = k; i < n; i++) q[row * n + i] -= f * v[i];
            }
        }
        for (int k = 0; k < n; k++) {
            if (r[k * n + k] < 0) {
                for (int row = 0; row < n; row++) q[row * n + k] = -q[row * n + k];
            }
        }
        return q;
    }

    /** A sparse matrix with standard normal nonzeros (MLX's defaults); see {@link #sparse(double, double, double, DType)}. */
    public static Initializer sparse(double sparsity) { return sparse(sparsity, 0.0, 1.0, null); }

    /** A sparse matrix with normal nonzeros of the given mean and std; see {@link #sparse(double, double, double, DType)}. */
    public static Initializer sparse(double sparsity, double mean, double std) { return sparse(sparsity, mean, std, null); }

    /**
     * A sparse matrix (MLX's {@code init.sparse}, after Martens 2010): normal samples with
     * {@code ceil(sparsity * cols)} entries of every row set to zero at random positions, so each
     * output unit of a weight {@code (out, in)} sees at most a {@code 1 - sparsity} fraction of the
     * inputs. MLX's defaults: {@code mean = 0}, {@code std = 1} (PyTorch's {@code sparse_} uses
     * std 0.01 and zeros per column instead).
     *
     * @param sparsity the fraction of each row set to zero, in [0, 1]
     * @throws IllegalArgumentException ({@code [init]}) for a sparsity outside [0, 1], a negative std,
     *                                  a non-floating dtype, or (when applied) an array that is not 2-D
     */
    public static Initializer sparse(double sparsity, double mean, double std, DType dtype) {
        if (!(sparsity >= 0 && sparsity <= 1)) throw new IllegalArgumentException("[init] sparsity must be in [0, 1], got " + sparsity + ".");
        Initializer normal = normal(mean, std, dtype);
        return like -> {
            if (like.ndim() != 2) {
                throw new IllegalArgumentException("[init] sparse needs a 2-D array, got shape " + like.shape() + ".");
            }
            int rows = like.dim(0), cols = like.dim(1);
            int numZeros = (int) Math.ceil(sparsity * cols);
            Array a = normal.apply(like);
            if (numZeros == 0 || rows == 0) return a;
            // a random permutation of each row's columns; its first numZeros entries are zeroed
            Array order = MX.argsort(MX.uniform(new int[] {rows, cols}, null), 1);
            Array zeroAt = MX.slice(order, new int[] {0, 0}, new int[] {rows, numZeros}, new int[] {1, 1});
            return MX.putAlongAxis(a, zeroAt, MX.zeros(new int[] {rows, numZeros}, a.dtype()), 1);
        };
    }
}
