package org.mlx4j.core.primitive;

import java.util.List;
import org.mlx4j.core.Array;

/**
 * One node kind of the lazy graph: a small value that names a computation and knows its derivatives.
 *
 * <p>A primitive's vjp and jvp rules are written with the public ops, so gradients are ordinary lazy
 * graphs and higher-order derivatives come for free. Backends supply the kernels; a backend that has
 * none for a primitive throws {@link UnsupportedOperationException} naming both.
 */
public interface Primitive {
    /** The name shown in errors and graph dumps, e.g. {@code "Add"}. */
    String name();

    /**
     * Cotangents of the inputs at positions {@code argnums}.
     *
     * @param primals   the node's inputs
     * @param cotangent the cotangent of the node's output (same shape and dtype)
     * @param output    the node itself
     * @param argnums   positions of the inputs whose cotangents are wanted, ascending
     * @return one cotangent per argnum, each shaped like its input; {@code null} means zero
     * @throws UnsupportedOperationException when the primitive is not differentiable
     */
    default List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        throw new UnsupportedOperationException("[vjp] " + name() + " has no vjp rule.");
    }

    /**
     * The output tangent given input tangents.
     *
     * @param primals  the node's inputs
     * @param tangents one per input, {@code null} where the tangent is zero
     * @param output   the node itself
     * @return the output tangent
     * @throws UnsupportedOperationException when the primitive has no jvp rule
     */
    default Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        throw new UnsupportedOperationException("[jvp] " + name() + " has no jvp rule.");
    }
}
