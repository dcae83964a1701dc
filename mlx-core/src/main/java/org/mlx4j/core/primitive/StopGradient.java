package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.zerosLike;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/** Its input's values, with a zero derivative. */
public record StopGradient() implements Primitive {
    @Override public String name() { return "StopGradient"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Collections.singletonList(null);
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) { return zerosLike(output); }
}
