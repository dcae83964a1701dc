package org.mlx4j.optim;

import org.mlx4j.core.Array;

/**
 * A learning-rate schedule: the value to use for the update made at a given step, as MLX's
 * schedules are callables of the step array.
 *
 * <p>The step is the optimizer's step array (an int32 scalar counting the updates made so far:
 * 0 for the first update). A schedule computes its value with array ops, so the value is lazy and
 * changing steps never rebuild anything on the Java side. It must return a scalar (any shape of
 * size 1); the factories in {@link Schedules} return float32 scalars.
 * <pre>{@code
 * Schedule warmup = step -> MX.minimum(step.astype(DType.FLOAT32).multiply(1e-4), MX.array(1e-2));
 * Optimizer opt = new Adam(warmup);
 * }</pre>
 */
@FunctionalInterface
public interface Schedule {
    /**
     * The value at {@code step}.
     *
     * @param step the optimizer's step, an int32 scalar array
     * @return a scalar array (float32 for the built-in schedules)
     */
    Array apply(Array step);
}
