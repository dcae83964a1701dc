package org.mlx4j.core;

/**
 * The element types of an {@link Array}, with MLX's names and NumPy's promotion rules.
 *
 * <p>float16 and bfloat16 are stored as 16-bit values and computed in float32 by the CPU backend.
 * Promotion follows MLX (which follows NumPy for arrays): {@code promote(int32, float32) == float32},
 * {@code promote(uint8, int8) == int16}, {@code promote(float16, bfloat16) == float32}.
 */
public enum DType {
    /** Boolean, one byte per element (0 or 1). */
    BOOL(1, Kind.BOOL),
    /** Unsigned 8-bit integer. */
    UINT8(1, Kind.UNSIGNED),
    /** Unsigned 32-bit integer. */
    UINT32(4, Kind.UNSIGNED),
    /** Signed 8-bit integer. */
    INT8(1, Kind.SIGNED),
    /** Signed 16-bit integer. */
    INT16(2, Kind.SIGNED),
    /** Signed 32-bit integer. */
    INT32(4, Kind.SIGNED),
    /** Signed 64-bit integer. */
    INT64(8, Kind.SIGNED),
    /** IEEE half precision. */
    FLOAT16(2, Kind.FLOAT),
    /** Brain floating point: float32's exponent with a 7-bit mantissa. */
    BFLOAT16(2, Kind.FLOAT),
    /** IEEE single precision, the default floating type. */
    FLOAT32(4, Kind.FLOAT),
    /** IEEE double precision (CPU only on most GPUs; used by the gradient checks). */
    FLOAT64(8, Kind.FLOAT);

    /** Broad category used by promotion. */
    public enum Kind { BOOL, UNSIGNED, SIGNED, FLOAT }

    private final int size;
    private final Kind kind;

    DType(int size, Kind kind) {
        this.size = size;
        this.kind = kind;
    }

    /** Bytes per element. */
    public int size() { return size; }

    /** The category of this type. */
    public Kind kind() { return kind; }

    /** True for float16, bfloat16, float32 and float64. */
    public boolean isFloating() { return kind == Kind.FLOAT; }

    /** True for the signed and unsigned integer types (not bool). */
    public boolean isInteger() { return kind == Kind.SIGNED || kind == Kind.UNSIGNED; }

    /** True for bool and the integer types. */
    public boolean isIntegral() { return kind != Kind.FLOAT; }

    /** The lower-case MLX/NumPy name, e.g. {@code "float32"}. */
    public String mlxName() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** Parses an MLX/NumPy name such as {@code "float32"} or {@code "bool"}. */
    public static DType fromName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.equals("bool_")) n = "bool";
        for (DType d : values()) if (d.mlxName().equals(n)) return d;
        throw new IllegalArgumentException("[dtype] unknown dtype '" + name + "'.");
    }

    /**
     * The type both operands are converted to by a binary op, NumPy style.
     *
     * @param a one type
     * @param b the other
     * @return the smallest type that holds the values of both
     */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a.kind == Kind.FLOAT || b.kind == Kind.FLOAT) {
            if (a.kind != Kind.FLOAT) return b;
            if (b.kind != Kind.FLOAT) return a;
            if ((a == FLOAT16 && b == BFLOAT16) || (a == BFLOAT16 && b == FLOAT16)) return FLOAT32;
            return a.size >= b.size ? a : b;
        }
        if (a == BOOL) return b;
        if (b == BOOL) return a;
        if (a.kind == b.kind) return a.size >= b.size ? a : b;
        DType u = a.kind == Kind.UNSIGNED ? a : b;
        DType s = a.kind == Kind.UNSIGNED ? b : a;
        if (s.size > u.size) return s;
        return switch (u.size) {
            case 1 -> INT16;
            case 2 -> INT32;
            case 4 -> INT64;
            default -> FLOAT32; // uint64 with a signed type: MLX gives float32
        };
    }

    /** The floating type an integral operand becomes for ops like {@code sqrt} or {@code divide}. */
    public DType toFloating() {
        return isFloating() ? this : FLOAT32;
    }
}
