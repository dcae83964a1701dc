package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/**
 * Makes a new array shaped like a given one, as MLX's {@code nn.init} initializers do: the given
 * array only supplies the shape (and, unless the initializer fixes one, the dtype); its values are
 * not read. Build them with the factories in {@link Init}.
 *
 * <pre>{@code
 * Initializer init = Init.glorotUniform();
 * Array w = init.apply(new int[] {64, 3, 3, 16}, DType.FLOAT32);
 * }</pre>
 */
@FunctionalInterface
public interface Initializer {
    /**
     * A new array with {@code like}'s shape, filled by this initializer.
     *
     * @throws IllegalArgumentException ({@code [init]}) if the initializer does not support {@code like}'s shape
     */
    Array apply(Array like);

    /** A new array of {@code shape} and {@code dtype}, filled by this initializer (same as applying it to zeros of that shape). */
    default Array apply(int[] shape, DType dtype) { return apply(MX.zeros(shape, dtype)); }
}
