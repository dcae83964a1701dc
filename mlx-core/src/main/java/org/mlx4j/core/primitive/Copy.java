package org.mlx4j.core.primitive;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/** A dense row-major copy of its input (used where kernels need contiguous memory). */
public record Copy() implements Primitive {
    @Override public String name() { return "Copy"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Collections.singletonList(cotangent);
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) { return tangents.get(0); }
}
