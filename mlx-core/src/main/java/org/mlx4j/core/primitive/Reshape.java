package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.reshape;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.Shape;

/**
 * Same elements in row-major order, new shape (a view when the input is contiguous).
 *
 * @param shape the output shape
 */
public record Reshape(Shape shape) implements Primitive {
    @Override public String name() { return "Reshape"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Collections.singletonList(reshape(cotangent, primals.get(0).shape().dims()));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        return reshape(tangents.get(0), shape.dims());
    }
}
