package org.mlx4j.tests.spec;

import static org.mlx4j.core.MX.*;
import static org.mlx4j.tests.spec.OpSpec.binary;
import static org.mlx4j.tests.spec.OpSpec.unary;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.special.Erf;
import org.mlx4j.core.DType;

/**
 * The op-spec table: one row per op (or op variant). References are plain double math; erf and
 * erfinv come from Apache Commons Math, an implementation independent of ours.
 */
public final class OpSpecTable {
    private OpSpecTable() {}

    static double b(boolean v) { return v ? 1 : 0; }

    /** Every row. */
    public static List<OpSpec> rows() {
        List<OpSpec> r = new ArrayList<>();
        // ---- unary
        r.add(unary("abs", x -> abs(x), Math::abs, -3, 3, 2));
        r.add(unary("negative", x -> negative(x), v -> -v, -3, 3, 2));
        r.add(unary("sign", x -> sign(x), Math::signum, -3, 3, 0));
        r.add(unary("exp", x -> exp(x), Math::exp, -3, 3, 2));
        r.add(unary("expm1", x -> expm1(x), Math::expm1, -2, 2, 2));
        r.add(unary("log", x -> log(x), Math::log, 0.1, 5, 2));
        r.add(unary("log1p", x -> log1p(x), Math::log1p, -0.5, 5, 2));
        r.add(unary("log2", x -> log2(x), v -> Math.log(v) / Math.log(2), 0.1, 5, 2));
        r.add(unary("log10", x -> log10(x), Math::log10, 0.1, 5, 2));
        r.add(unary("sqrt", x -> sqrt(x), Math::sqrt, 0.1, 5, 2));
        r.add(unary("rsqrt", x -> rsqrt(x), v -> 1 / Math.sqrt(v), 0.1, 5, 2));
        r.add(unary("square", x -> square(x), v -> v * v, -3, 3, 2));
        r.add(unary("reciprocal", x -> reciprocal(x), v -> 1 / v, 0.2, 3, 2));
        r.add(unary("sin", x -> sin(x), Math::sin, -3, 3, 2));
        r.add(unary("cos", x -> cos(x), Math::cos, -3, 3, 2));
        r.add(unary("tan", x -> tan(x), Math::tan, -1.2, 1.2, 2));
        r.add(unary("arcsin", x -> arcsin(x), Math::asin, -0.9, 0.9, 2));
        r.add(unary("arccos", x -> arccos(x), Math::acos, -0.9, 0.9, 2));
        r.add(unary("arctan", x -> arctan(x), Math::atan, -3, 3, 2));
        r.add(unary("sinh", x -> sinh(x), Math::sinh, -3, 3, 2));
        r.add(unary("cosh", x -> cosh(x), Math::cosh, -3, 3, 2));
        r.add(unary("tanh", x -> tanh(x), Math::tanh, -3, 3, 2));
        r.add(unary("arcsinh", x -> arcsinh(x), v -> Math.log(v + Math.sqrt(v * v + 1)), -3, 3, 2));
        r.add(unary("arccosh", x -> arccosh(x), v -> Math.log(v + Math.sqrt(v * v - 1)), 1.1, 5, 2));
        r.add(unary("arctanh", x -> arctanh(x), v -> 0.5 * Math.log((1 + v) / (1 - v)), -0.9, 0.9, 2));
        r.add(unary("erf", x -> erf(x), Erf::erf, -2.5, 2.5, 2));
        r.add(unary("erfinv", x -> erfinv(x), Erf::erfInv, -0.9, 0.9, 2));
        r.add(unary("sigmoid", x -> sigmoid(x), v -> 1 / (1 + Math.exp(-v)), -5, 5, 2));
        r.add(unary("floor", x -> floor(x), Math::floor, -3, 3, 0));
        r.add(unary("ceil", x -> ceil(x), Math::ceil, -3, 3, 0));
        r.add(unary("round", x -> round(x), Math::rint, -3, 3, 0));
        r.add(unary("isnan", x -> isnan(x), v -> b(Double.isNaN(v)), -3, 3, 0));
        r.add(unary("isinf", x -> isinf(x), v -> b(Double.isInfinite(v)), -3, 3, 0));
        r.add(unary("isfinite", x -> isfinite(x), v -> b(Double.isFinite(v)), -3, 3, 0));
        r.add(unary("logicalNot", x -> logicalNot(x), v -> b(v == 0), -1, 1, 0).withDtypes(List.of(DType.BOOL, DType.INT32, DType.FLOAT32)));
        r.add(unary("abs.int", x -> abs(x), Math::abs, -50, 50, 0).withDtypes(List.of(DType.INT32, DType.INT64, DType.INT8)));
        r.add(unary("negative.int", x -> negative(x), v -> -v, -50, 50, 0).withDtypes(List.of(DType.INT32, DType.INT64, DType.INT16)));
        r.add(unary("bitwiseInvert", x -> bitwiseInvert(x), v -> ~(long) v, -50, 50, 0).withDtypes(List.of(DType.INT32, DType.INT64)));
        // ---- binary
        r.add(binary("add", (a, c) -> add(a, c), Double::sum, -3, 3, 2));
        r.add(binary("subtract", (a, c) -> subtract(a, c), (a, c) -> a - c, -3, 3, 2));
        r.add(binary("multiply", (a, c) -> multiply(a, c), (a, c) -> a * c, -3, 3, 2));
        r.add(binary("divide", (a, c) -> divide(a, c), (a, c) -> a / c, 0.5, 3, 2));
        r.add(binary("power", (a, c) -> power(a, c), Math::pow, 0.5, 2, 2));
        r.add(binary("maximum", (a, c) -> maximum(a, c), Math::max, -3, 3, 1));
        r.add(binary("minimum", (a, c) -> minimum(a, c), Math::min, -3, 3, 1));
        r.add(binary("logaddexp", (a, c) -> logaddexp(a, c), (a, c) -> Math.log(Math.exp(a) + Math.exp(c)), -3, 3, 2));
        r.add(binary("arctan2", (a, c) -> arctan2(a, c), Math::atan2, 0.5, 3, 2));
        r.add(binary("remainder", (a, c) -> remainder(a, c), (a, c) -> a - Math.floor(a / c) * c, 0.3, 3, 1));
        r.add(binary("floorDivide", (a, c) -> floorDivide(a, c), (a, c) -> Math.floor(a / c), 0.3, 3, 0));
        r.add(binary("equal", (a, c) -> equal(a, c), (a, c) -> b(a == c), -1, 1, 0));
        r.add(binary("notEqual", (a, c) -> notEqual(a, c), (a, c) -> b(a != c), -1, 1, 0));
        r.add(binary("less", (a, c) -> less(a, c), (a, c) -> b(a < c), -3, 3, 0));
        r.add(binary("lessEqual", (a, c) -> lessEqual(a, c), (a, c) -> b(a <= c), -3, 3, 0));
        r.add(binary("greater", (a, c) -> greater(a, c), (a, c) -> b(a > c), -3, 3, 0));
        r.add(binary("greaterEqual", (a, c) -> greaterEqual(a, c), (a, c) -> b(a >= c), -3, 3, 0));
        r.add(binary("logicalAnd", (a, c) -> logicalAnd(a, c), (a, c) -> b(a != 0 && c != 0), -1, 1, 0)
                .withDtypes(List.of(DType.BOOL, DType.INT32, DType.FLOAT32)));
        r.add(binary("logicalOr", (a, c) -> logicalOr(a, c), (a, c) -> b(a != 0 || c != 0), -1, 1, 0)
                .withDtypes(List.of(DType.BOOL, DType.INT32, DType.FLOAT32)));
        r.add(binary("add.int", (a, c) -> add(a, c), Double::sum, -100, 100, 0).withDtypes(OpSpec.INTS));
        r.add(binary("multiply.int", (a, c) -> multiply(a, c), (a, c) -> a * c, -10, 10, 0).withDtypes(List.of(DType.INT32, DType.INT64)));
        r.add(binary("floorDivide.int", (a, c) -> floorDivide(a, c), (a, c) -> Math.floor(a / c), 1, 20, 0).withDtypes(OpSpec.INTS));
        r.add(binary("remainder.int", (a, c) -> remainder(a, c), (a, c) -> a - Math.floor(a / c) * c, 1, 20, 0).withDtypes(OpSpec.INTS));
        r.add(binary("maximum.int", (a, c) -> maximum(a, c), Math::max, -100, 100, 0).withDtypes(OpSpec.INTS));
        r.add(binary("bitwiseAnd", (a, c) -> bitwiseAnd(a, c), (a, c) -> (long) a & (long) c, 0, 200, 0).withDtypes(OpSpec.INTS));
        r.add(binary("bitwiseOr", (a, c) -> bitwiseOr(a, c), (a, c) -> (long) a | (long) c, 0, 200, 0).withDtypes(OpSpec.INTS));
        r.add(binary("bitwiseXor", (a, c) -> bitwiseXor(a, c), (a, c) -> (long) a ^ (long) c, 0, 200, 0).withDtypes(OpSpec.INTS));
        r.add(binary("leftShift", (a, c) -> leftShift(a, c), (a, c) -> (long) a << (long) c, 0, 5, 0).withDtypes(List.of(DType.INT32, DType.INT64)));
        r.add(binary("rightShift", (a, c) -> rightShift(a, c), (a, c) -> (long) a >> (long) c, 0, 5, 0).withDtypes(List.of(DType.INT32, DType.INT64)));
        // ---- where (condition derived from the first input)
        r.add(new OpSpec("where", 2, a -> where(greater(a[0], a[1]), a[0], a[1]),
                (in, s, out) -> Refs.broadcast2(in[0], s[0], in[1], s[1], out, Math::max), -3, 3, OpSpec.FLOATS, OpSpec.ShapeFamily.BINARY, 1));
        // ---- reductions (keepDims layout in the reference, squeezed by reshape)
        r.add(reduce("sum.all", x -> sum(x), null, 0, Double::sum, 2));
        r.add(reduce("sum.axis-1", x -> sum(x, -1), new int[] {-1}, 0, Double::sum, 2));
        r.add(reduce("sum.axis0.keepDims", x -> sum(x, new int[] {0}, true), new int[] {0}, 0, Double::sum, 2));
        r.add(reduce("prod.axis-1", x -> prod(x, -1), new int[] {-1}, 1, (a, c) -> a * c, 2));
        r.add(reduce("max.axis-1", x -> max(x, -1), new int[] {-1}, Double.NEGATIVE_INFINITY, Math::max, 1));
        r.add(reduce("min.all", x -> min(x), null, Double.POSITIVE_INFINITY, Math::min, 1));
        r.add(new OpSpec("mean.axis0", 1, a -> mean(a[0], 0), (in, s, out) -> {
            double[] t = Refs.reduce(in[0], s[0], new int[] {0}, 0, Double::sum);
            for (int i = 0; i < t.length; i++) t[i] /= s[0].dim(0);
            return t;
        }, -3, 3, OpSpec.FLOATS, OpSpec.ShapeFamily.REDUCE, 2));
        // ---- matmul
        r.add(new OpSpec("matmul", 2, a -> matmul(a[0], a[1]), (in, s, out) -> Refs.matmul(in[0], s[0], in[1], s[1]),
                -2, 2, OpSpec.FLOATS, OpSpec.ShapeFamily.MATMUL, 2));
        // ---- shape and indexing
        r.addAll(ShapeRows.rows());
        r.addAll(ReductionRows.rows());
        r.addAll(ConvRows.rows());
        return r;
    }

    static OpSpec reduce(String name, java.util.function.Function<org.mlx4j.core.Array, org.mlx4j.core.Array> op, int[] axes, double init,
                         java.util.function.DoubleBinaryOperator f, int gradOrder) {
        return new OpSpec(name, 1, a -> op.apply(a[0]), (in, s, out) -> {
            int[] ax = axes;
            if (ax == null) {
                ax = new int[s[0].ndim()];
                for (int i = 0; i < ax.length; i++) ax[i] = i;
            }
            return Refs.reduce(in[0], s[0], ax, init, f);
        }, -3, 3, OpSpec.FLOATS, OpSpec.ShapeFamily.REDUCE, gradOrder);
    }

}
