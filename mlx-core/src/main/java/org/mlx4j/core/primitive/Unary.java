package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Arrays;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * An elementwise unary op of the {@link UnaryOp} family.
 *
 * @param op which op
 */
public record Unary(UnaryOp op) implements Primitive {
    @Override public String name() { return "Unary." + op; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Arrays.asList(times(primals.get(0), output, cotangent));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array t = tangents.get(0);
        Array r = times(primals.get(0), output, t);
        return r == null ? zerosLike(output) : r;
    }

    /** The derivative at {@code x} (output {@code y}) times {@code g}; null where it is zero. */
    private Array times(Array x, Array y, Array g) {
        return switch (op) {
            case ABS -> multiply(g, sign(x));
            case NEGATIVE -> negative(g);
            case SIGN, FLOOR, CEIL, ROUND, ISNAN, ISINF, ISFINITE, LOGICAL_NOT, BITWISE_INVERT -> null;
            case EXP -> multiply(g, y);
            case EXPM1 -> multiply(g, add(y, c(1, y)));
            case LOG -> divide(g, x);
            case LOG1P -> divide(g, add(x, c(1, x)));
            case LOG2 -> divide(g, multiply(x, c(Math.log(2), x)));
            case LOG10 -> divide(g, multiply(x, c(Math.log(10), x)));
            case SQRT -> divide(g, multiply(y, c(2, y)));
            case RSQRT -> multiply(g, multiply(c(-0.5, y), divide(y, x)));
            case SQUARE -> multiply(g, multiply(x, c(2, x)));
            case RECIPROCAL -> negative(multiply(g, square(y)));
            case SIN -> multiply(g, cos(x));
            case COS -> negative(multiply(g, sin(x)));
            case TAN -> multiply(g, add(c(1, y), square(y)));
            case ARCSIN -> multiply(g, rsqrt(subtract(c(1, x), square(x))));
            case ARCCOS -> negative(multiply(g, rsqrt(subtract(c(1, x), square(x)))));
            case ARCTAN -> divide(g, add(c(1, x), square(x)));
            case SINH -> multiply(g, cosh(x));
            case COSH -> multiply(g, sinh(x));
            case TANH -> multiply(g, subtract(c(1, y), square(y)));
            case ARCSINH -> multiply(g, rsqrt(add(square(x), c(1, x))));
            case ARCCOSH -> multiply(g, rsqrt(subtract(square(x), c(1, x))));
            case ARCTANH -> divide(g, subtract(c(1, x), square(x)));
            case ERF -> multiply(g, multiply(c(2 / Math.sqrt(Math.PI), x), exp(negative(square(x)))));
            case ERFINV -> multiply(g, multiply(c(Math.sqrt(Math.PI) / 2, y), exp(square(y))));
            case SIGMOID -> multiply(g, multiply(y, subtract(c(1, y), y)));
        };
    }

    private static Array c(double v, Array like) { return scalarLike(v, like); }
}
