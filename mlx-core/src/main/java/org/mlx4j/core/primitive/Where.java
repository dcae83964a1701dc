package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;

/** {@code where(condition, x, y)}: inputs broadcast to one shape; x and y share the output dtype. */
public record Where() implements Primitive {
    @Override public String name() { return "Where"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        Array c = primals.get(0);
        List<Array> out = new ArrayList<>();
        for (int a : argnums) {
            out.add(switch (a) {
                case 1 -> where(c, cotangent, zerosLike(cotangent));
                case 2 -> where(c, zerosLike(cotangent), cotangent);
                default -> null;
            });
        }
        return out;
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array tx = tangents.get(1) == null ? zerosLike(output) : tangents.get(1);
        Array ty = tangents.get(2) == null ? zerosLike(output) : tangents.get(2);
        return where(primals.get(0), tx, ty);
    }
}
