package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;

/**
 * Conversion to {@code dtype} (C-style: floats truncate toward zero into integers, integers wrap).
 *
 * @param dtype the output type
 */
public record AsType(DType dtype) implements Primitive {
    @Override public String name() { return "AsType"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        DType in = primals.get(0).dtype();
        return Collections.singletonList(in.isFloating() && dtype.isFloating() ? astype(cotangent, in) : null);
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        return dtype.isFloating() && primals.get(0).dtype().isFloating() ? astype(tangents.get(0), dtype) : zerosLike(output);
    }
}
