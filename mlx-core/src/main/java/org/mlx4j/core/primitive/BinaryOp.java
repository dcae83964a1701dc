package org.mlx4j.core.primitive;

/**
 * The elementwise binary family. Inputs reach the kernel with equal shapes (broadcast views) and
 * equal dtypes (promoted by the op). Backends switch over it exhaustively.
 */
public enum BinaryOp {
    ADD, SUBTRACT, MULTIPLY, DIVIDE, FLOOR_DIVIDE, REMAINDER, POWER, MAXIMUM, MINIMUM, LOGADDEXP, ARCTAN2,
    EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL,
    LOGICAL_AND, LOGICAL_OR,
    BITWISE_AND, BITWISE_OR, BITWISE_XOR, LEFT_SHIFT, RIGHT_SHIFT;

    /** True when the output is bool. */
    public boolean isComparison() {
        return switch (this) {
            case EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, LOGICAL_AND, LOGICAL_OR -> true;
            default -> false;
        };
    }

    /** True for the ops defined on integral types only. */
    public boolean isBitwise() {
        return switch (this) {
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, LEFT_SHIFT, RIGHT_SHIFT -> true;
            default -> false;
        };
    }

    /** The MLX name in camelCase, e.g. {@code floorDivide}. */
    public String opName() { return UnaryOp.camel(name()); }
}
