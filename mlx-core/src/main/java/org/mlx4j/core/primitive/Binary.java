package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * An elementwise binary op of the {@link BinaryOp} family. Both inputs have the output's shape
 * (the op inserted broadcast views) and the same dtype (the op promoted them).
 *
 * @param op which op
 */
public record Binary(BinaryOp op) implements Primitive {
    @Override public String name() { return "Binary." + op; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        Array[] both = partials(primals.get(0), primals.get(1), output, cotangent, cotangent);
        List<Array> out = new ArrayList<>(argnums.length);
        for (int a : argnums) out.add(both[a]);
        return out;
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array ta = tangents.get(0), tb = tangents.get(1);
        Array[] p = partials(primals.get(0), primals.get(1), output, ta, tb);
        Array r = p[0] == null ? p[1] : p[1] == null ? p[0] : add(p[0], p[1]);
        return r == null ? zerosLike(output) : r;
    }

    /** {d/da * ga, d/db * gb}; an entry is null when its g is null or the derivative is zero. */
    private Array[] partials(Array a, Array b, Array z, Array ga, Array gb) {
        Array da = null, db = null;
        switch (op) {
            case ADD -> { da = ga; db = gb; }
            case SUBTRACT -> { da = ga; db = gb == null ? null : negative(gb); }
            case MULTIPLY -> { da = ga == null ? null : multiply(ga, b); db = gb == null ? null : multiply(gb, a); }
            case DIVIDE -> {
                da = ga == null ? null : divide(ga, b);
                db = gb == null ? null : negative(multiply(gb, divide(z, b)));
            }
            case POWER -> {
                da = ga == null ? null : multiply(ga, multiply(b, power(a, subtract(b, scalarLike(1, b)))));
                db = gb == null ? null : multiply(gb, multiply(z, log(a)));
            }
            case MAXIMUM, MINIMUM -> {
                Array mask = op == BinaryOp.MAXIMUM ? greaterEqual(a, b) : lessEqual(a, b);
                da = ga == null ? null : where(mask, ga, zerosLike(ga));
                db = gb == null ? null : where(mask, zerosLike(gb), gb);
            }
            case LOGADDEXP -> {
                da = ga == null ? null : multiply(ga, exp(subtract(a, z)));
                db = gb == null ? null : multiply(gb, exp(subtract(b, z)));
            }
            case ARCTAN2 -> {
                Array den = add(square(a), square(b));
                da = ga == null ? null : multiply(ga, divide(b, den));
                db = gb == null ? null : negative(multiply(gb, divide(a, den)));
            }
            case REMAINDER -> {
                da = ga;
                db = gb == null ? null : negative(multiply(gb, floor(divide(a, b))));
            }
            case FLOOR_DIVIDE, EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL,
                 LOGICAL_AND, LOGICAL_OR, BITWISE_AND, BITWISE_OR, BITWISE_XOR, LEFT_SHIFT, RIGHT_SHIFT -> { }
        }
        return new Array[] {da, db};
    }
}
