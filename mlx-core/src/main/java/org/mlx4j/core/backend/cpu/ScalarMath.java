package org.mlx4j.core.backend.cpu;

import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.UnaryOp;

/**
 * The double-precision definition of every elementwise op: the scalar path of the CPU backend and
 * the reference for the fast paths. Integral ops use {@link #binaryLong}.
 */
public final class ScalarMath {
    private ScalarMath() {}

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    /** The unary op on a double (predicates return 1 or 0). */
    public static double unary(UnaryOp op, double x) {
        return switch (op) {
            case ABS -> Math.abs(x);
            case NEGATIVE -> -x;
            case SIGN -> Double.isNaN(x) ? x : Math.signum(x);
            case EXP -> Math.exp(x);
            case EXPM1 -> Math.expm1(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case LOG2 -> Math.log(x) / Math.log(2);
            case LOG10 -> Math.log10(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TAN -> Math.tan(x);
            case ARCSIN -> Math.asin(x);
            case ARCCOS -> Math.acos(x);
            case ARCTAN -> Math.atan(x);
            case SINH -> Math.sinh(x);
            case COSH -> Math.cosh(x);
            case TANH -> Math.tanh(x);
            case ARCSINH -> Double.isInfinite(x) ? x : Math.copySign(Math.log(Math.abs(x) + Math.sqrt(x * x + 1)), x);
            case ARCCOSH -> Math.log(x + Math.sqrt(x * x - 1));
            case ARCTANH -> 0.5 * Math.log1p(2 * x / (1 - x));
            case ERF -> erf(x);
            case ERFINV -> erfinv(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case ISNAN -> Double.isNaN(x) ? 1 : 0;
            case ISINF -> Double.isInfinite(x) ? 1 : 0;
            case ISFINITE -> Double.isFinite(x) ? 1 : 0;
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case BITWISE_INVERT -> ~(long) x;
        };
    }

    /**
     * The unary op for outputs of at most float32 precision: erf and erfinv take faster
     * approximations accurate to float32 (about 1e-7), everything else is {@link #unary}.
     */
    public static double unaryF32(UnaryOp op, double x) {
        return switch (op) {
            case ERF -> erfF32(x);
            case ERFINV -> erfinvF32(x);
            default -> unary(op, x);
        };
    }

    /** erf to float32 accuracy: a short Maclaurin series near 0, a Chebyshev fit of erfc elsewhere. */
    static double erfF32(double x) {
        double ax = Math.abs(x);
        if (Double.isNaN(x)) return x;
        if (ax < 0.5) {
            double x2 = x * x;
            // 2/sqrt(pi) * (x - x^3/3 + x^5/10 - x^7/42 + x^9/216 - x^11/1320)
            return TWO_OVER_SQRT_PI * x * (1 + x2 * (-1.0 / 3 + x2 * (1.0 / 10 + x2 * (-1.0 / 42 + x2 * (1.0 / 216 - x2 / 1320)))));
        }
        if (ax > 6) return Math.copySign(1, x);
        double t = 1 / (1 + 0.5 * ax);
        double erfc = t * Math.exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return Math.copySign(1 - erfc, x);
    }

    /** erfinv to float32 accuracy (Giles' single-precision polynomials). */
    static double erfinvF32(double x) {
        if (Double.isNaN(x) || x < -1 || x > 1) return Double.NaN;
        if (x == 1 || x == -1) return Math.copySign(Double.POSITIVE_INFINITY, x);
        double w = -Math.log((1 - x) * (1 + x));
        double p;
        if (w < 5) {
            w -= 2.5;
            p = 2.81022636e-08;
            p = 3.43273939e-07 + p * w;
            p = -3.5233877e-06 + p * w;
            p = -4.39150654e-06 + p * w;
            p = 0.00021858087 + p * w;
            p = -0.00125372503 + p * w;
            p = -0.00417768164 + p * w;
            p = 0.246640727 + p * w;
            p = 1.50140941 + p * w;
        } else {
            w = Math.sqrt(w) - 3;
            p = -0.000200214257;
            p = 0.000100950558 + p * w;
            p = 0.00134934322 + p * w;
            p = -0.00367342844 + p * w;
            p = 0.00573950773 + p * w;
            p = -0.0076224613 + p * w;
            p = 0.00943887047 + p * w;
            p = 1.00167406 + p * w;
            p = 2.83297682 + p * w;
        }
        return p * x;
    }

    /** The binary op on doubles (comparisons return 1 or 0). */
    public static double binary(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUBTRACT -> a - b;
            case MULTIPLY -> a * b;
            case DIVIDE -> a / b;
            case FLOOR_DIVIDE -> Math.floor(a / b);
            case REMAINDER -> {
                double r = a % b;
                yield r != 0 && (r < 0) != (b < 0) ? r + b : r;
            }
            case POWER -> Math.pow(a, b);
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case LOGADDEXP -> {
                if (a == Double.NEGATIVE_INFINITY) yield b;
                if (b == Double.NEGATIVE_INFINITY) yield a;
                double m = Math.max(a, b);
                yield m + Math.log1p(Math.exp(-Math.abs(a - b)));
            }
            case ARCTAN2 -> Math.atan2(a, b);
            case EQUAL -> a == b ? 1 : 0;
            case NOT_EQUAL -> a != b ? 1 : 0;
            case LESS -> a < b ? 1 : 0;
            case LESS_EQUAL -> a <= b ? 1 : 0;
            case GREATER -> a > b ? 1 : 0;
            case GREATER_EQUAL -> a >= b ? 1 : 0;
            case LOGICAL_AND -> a != 0 && b != 0 ? 1 : 0;
            case LOGICAL_OR -> a != 0 || b != 0 ? 1 : 0;
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, LEFT_SHIFT, RIGHT_SHIFT -> binaryLong(op, (long) a, (long) b);
        };
    }

    /** The binary op on integers (division by zero gives 0 rather than an exception, as on GPUs). */
    public static long binaryLong(BinaryOp op, long a, long b) {
        return switch (op) {
            case ADD -> a + b;
            case SUBTRACT -> a - b;
            case MULTIPLY -> a * b;
            case DIVIDE -> b == 0 ? 0 : a / b;
            case FLOOR_DIVIDE -> b == 0 ? 0 : Math.floorDiv(a, b);
            case REMAINDER -> b == 0 ? 0 : Math.floorMod(a, b);
            case POWER -> {
                if (b < 0) yield a == 1 ? 1 : a == -1 ? ((b & 1) == 0 ? 1 : -1) : 0;
                long r = 1, base = a;
                long e = b;
                while (e > 0) {
                    if ((e & 1) != 0) r *= base;
                    base *= base;
                    e >>= 1;
                }
                yield r;
            }
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case LOGADDEXP, ARCTAN2 -> (long) binary(op, a, b);
            case EQUAL -> a == b ? 1 : 0;
            case NOT_EQUAL -> a != b ? 1 : 0;
            case LESS -> a < b ? 1 : 0;
            case LESS_EQUAL -> a <= b ? 1 : 0;
            case GREATER -> a > b ? 1 : 0;
            case GREATER_EQUAL -> a >= b ? 1 : 0;
            case LOGICAL_AND -> a != 0 && b != 0 ? 1 : 0;
            case LOGICAL_OR -> a != 0 || b != 0 ? 1 : 0;
            case BITWISE_AND -> a & b;
            case BITWISE_OR -> a | b;
            case BITWISE_XOR -> a ^ b;
            case LEFT_SHIFT -> b >= 64 || b < 0 ? 0 : a << b;
            case RIGHT_SHIFT -> b >= 64 || b < 0 ? (a < 0 ? -1 : 0) : a >> b;
        };
    }

    /** The error function, accurate to about 1e-15 (series below 2.5, continued fraction above). */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax > 6) return Math.copySign(1, x);
        if (ax < 2.5) {
            // erf(x) = 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1*3*...*(2n+1)): positive terms only
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 200; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
                if (term < sum * 1e-17) break;
            }
            return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-x2) * sum, x);
        }
        return Math.copySign(1 - erfcLarge(ax), x);
    }

    /** erfc for x >= 2.5 by the continued fraction (modified Lentz). */
    private static double erfcLarge(double x) {
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 300; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** The inverse error function on (-1, 1); +-inf at +-1 and NaN outside. */
    public static double erfinv(double y) {
        if (Double.isNaN(y) || y < -1 || y > 1) return Double.NaN;
        if (y == 1) return Double.POSITIVE_INFINITY;
        if (y == -1) return Double.NEGATIVE_INFINITY;
        if (y == 0) return y;
        double a = 0.147;
        double ln = Math.log((1 - y) * (1 + y));
        double t = 2 / (Math.PI * a) + ln / 2;
        double x = Math.copySign(Math.sqrt(Math.sqrt(t * t - ln / a) - t), y);
        for (int i = 0; i < 4; i++) {
            double err = erf(x) - y;
            double d = TWO_OVER_SQRT_PI * Math.exp(-x * x);
            if (d == 0) break;
            double step = err / d;
            x -= step / (1 + x * step); // Halley's correction
        }
        return x;
    }
}
