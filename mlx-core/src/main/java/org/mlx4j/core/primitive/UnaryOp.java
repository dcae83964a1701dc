package org.mlx4j.core.primitive;

/**
 * The elementwise unary family. Backends switch over it exhaustively, so adding a member fails the
 * build until every backend handles it.
 */
public enum UnaryOp {
    ABS, NEGATIVE, SIGN, EXP, EXPM1, LOG, LOG1P, LOG2, LOG10, SQRT, RSQRT, SQUARE, RECIPROCAL,
    SIN, COS, TAN, ARCSIN, ARCCOS, ARCTAN, SINH, COSH, TANH, ARCSINH, ARCCOSH, ARCTANH,
    ERF, ERFINV, SIGMOID, FLOOR, CEIL, ROUND,
    /** Output bool. */
    ISNAN,
    /** Output bool. */
    ISINF,
    /** Output bool. */
    ISFINITE,
    /** Output bool; input bool. */
    LOGICAL_NOT,
    /** Integral inputs only. */
    BITWISE_INVERT;

    /** True when the output dtype is bool whatever the input's. */
    public boolean isPredicate() { return this == ISNAN || this == ISINF || this == ISFINITE || this == LOGICAL_NOT; }

    /** The MLX name in camelCase, e.g. {@code logicalNot}. */
    public String opName() { return camel(name()); }

    static String camel(String upper) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : upper.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (c == '_') { up = true; continue; }
            sb.append(up ? Character.toUpperCase(c) : c);
            up = false;
        }
        return sb.toString();
    }
}
