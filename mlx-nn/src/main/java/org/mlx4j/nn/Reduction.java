package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/** How a loss combines its per-element values: MLX's {@code reduction} argument ({@code 'none'} is the default there and here). */
public enum Reduction {
    /** Per-element losses, unreduced. */
    NONE,
    /** The mean over all elements. */
    MEAN,
    /** The sum over all elements. */
    SUM;

    /** Applies this reduction to {@code loss}. */
    public Array apply(Array loss) {
        return switch (this) {
            case NONE -> loss;
            case MEAN -> MX.mean(loss);
            case SUM -> MX.sum(loss);
        };
    }
}
