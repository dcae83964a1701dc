package org.mlx4j.core.primitive;

/**
 * Index of the largest or smallest element along {@code axis} (first on ties); output uint32 with
 * the axis kept at size one.
 *
 * @param max  true for argmax, false for argmin
 * @param axis the reduced axis, non-negative
 */
public record ArgReduce(boolean max, int axis) implements Primitive {
    @Override public String name() { return max ? "ArgMax" : "ArgMin"; }
}
