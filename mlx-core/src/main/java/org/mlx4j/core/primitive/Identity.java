package org.mlx4j.core.primitive;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/** A view of its input with the same layout. Transforms wrap their primals in it to mark them. */
public record Identity() implements Primitive {
    @Override public String name() { return "Identity"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Collections.singletonList(cotangent);
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) { return tangents.get(0); }
}
