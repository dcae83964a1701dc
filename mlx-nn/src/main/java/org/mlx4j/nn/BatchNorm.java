package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Batch normalization over the last (feature) axis, like MLX's {@code nn.BatchNorm}: input (N, C),
 * (N, L, C) or (N, H, W, C), output the same shape; the statistics of each feature are taken over
 * every other axis.
 *
 * <p>In training mode the layer normalizes with the batch mean and biased variance and, when it
 * tracks running statistics, updates them as MLX does:
 * {@code running_mean = (1 - momentum) * running_mean + momentum * mean} and likewise
 * {@code running_var} with the batch's <em>biased</em> variance (MLX's formula; PyTorch uses the
 * unbiased one here). In evaluation mode it normalizes with the running statistics; without them
 * it always uses the batch's.
 *
 * <p>Parameters: {@code weight} (C, ones) and {@code bias} (C, zeros) when affine; state
 * {@code running_mean} (C, zeros) and {@code running_var} (C, ones) when tracking. The state is
 * saved and loaded with the weights but never trained, even after {@link #unfreeze()}. The updated
 * running statistics are lazy like every array: evaluate them with the parameters after a step
 * ({@code MX.eval(model.parameters())}), as MLX's training loops do, so their graphs do not chain
 * from step to step.
 */
public final class BatchNorm extends UnaryModule {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final boolean trackRunningStats;

    /** A batch norm with eps 1e-5, momentum 0.1, an affine transform and running statistics. */
    public BatchNorm(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    /**
     * A batch norm.
     *
     * @param numFeatures       the number of features C (last axis)
     * @param eps               added to the variance (default 1e-5)
     * @param momentum          weight of the batch statistics in the running update (default 0.1)
     * @param affine            learn a per-feature {@code weight} and {@code bias} (default true)
     * @param trackRunningStats keep running statistics for evaluation (default true)
     * @throws IllegalArgumentException if numFeatures is not positive, eps is negative or not finite,
     *                                  or momentum is outside [0, 1]
     */
    public BatchNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) throw new IllegalArgumentException("[BatchNorm] numFeatures must be positive, got " + numFeatures + ".");
        Norms.checkEps("BatchNorm", eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("[BatchNorm] momentum must be in [0, 1], got " + momentum + ".");
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.trackRunningStats = trackRunningStats;
        if (affine) {
            registerParameter("weight", MX.ones(numFeatures));
            registerParameter("bias", MX.zeros(numFeatures));
        }
        if (trackRunningStats) {
            registerState("running_mean", MX.zeros(numFeatures));
            registerState("running_var", MX.ones(numFeatures));
        }
    }

    /** The number of features. */
    public int numFeatures() { return numFeatures; }

    /** The variance offset. */
    public double eps() { return eps; }

    /** The running-statistics momentum. */
    public double momentum() { return momentum; }

    /** True if the layer keeps running statistics. */
    public boolean trackRunningStats() { return trackRunningStats; }

    /** The running mean (C), or {@code null} when not tracking. */
    public Array runningMean() { return trackRunningStats ? param("running_mean") : null; }

    /** The running (biased) variance (C), or {@code null} when not tracking. */
    public Array runningVar() { return trackRunningStats ? param("running_var") : null; }

    /**
     * Normalizes {@code x}; in training mode with running statistics, also updates them.
     *
     * @throws IllegalArgumentException if {@code x} is not a floating (N, C), (N, L, C) or (N, H, W, C) array
     */
    @Override public Array forward(Array x) {
        if (x.ndim() < 2 || x.ndim() > 4 || x.dim(-1) != numFeatures || !x.dtype().isFloating()) {
            throw new IllegalArgumentException("[BatchNorm] expected a floating input (N, " + numFeatures + "), (N, L, " + numFeatures + ") or (N, H, W, "
                    + numFeatures + "), got shape " + x.shape() + " of " + x.dtype().mlxName() + ".");
        }
        Array mean;
        Array var;
        if (isTraining() || !trackRunningStats) {
            int[] axes = new int[x.ndim() - 1];
            for (int i = 0; i < axes.length; i++) axes[i] = i;
            mean = MX.mean(x, axes);
            var = MX.var(x, axes);
            if (isTraining() && trackRunningStats) {
                // the running statistics are state, not part of the loss: no gradient flows into them
                Array m = MX.stopGradient(mean);
                Array v = MX.stopGradient(var);
                Array rm = param("running_mean");
                Array rv = param("running_var");
                setParam("running_mean", MX.add(rm.multiply(1 - momentum), MX.astype(m, rm.dtype()).multiply(momentum)));
                setParam("running_var", MX.add(rv.multiply(1 - momentum), MX.astype(v, rv.dtype()).multiply(momentum)));
            }
        } else {
            mean = param("running_mean");
            var = param("running_var");
        }
        Array y = MX.multiply(MX.subtract(x, mean), MX.rsqrt(var.add(eps)));
        return hasParam("weight") ? MX.add(MX.multiply(y, param("weight")), param("bias")) : y;
    }

    @Override protected String describe() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + hasParam("weight") + ", trackRunningStats=" + trackRunningStats;
    }
}
