package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.mlx4j.core.DType;

/**
 * Reads and writes single elements of any dtype as double or long. The generic (slow) kernel paths
 * and host transfers use it; the float32 and float64 fast paths read the segment directly.
 */
public final class Elem {
    private Elem() {}

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** bfloat16 bits to float (exact). */
    public static float bf16ToFloat(short bits) { return Float.intBitsToFloat((bits & 0xffff) << 16); }

    /** float to bfloat16 bits, rounding to nearest even (NaN stays NaN). */
    public static short floatToBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7fffffff) > 0x7f800000) return (short) ((x >>> 16) | 0x40);
        int rounding = 0x7fff + ((x >>> 16) & 1);
        return (short) ((x + rounding) >>> 16);
    }

    /** Element {@code i} (in elements) of {@code s} read as double. */
    public static double getDouble(DType t, MemorySegment s, long i) {
        return switch (t) {
            case BOOL, UINT8 -> s.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            case INT8 -> s.get(ValueLayout.JAVA_BYTE, i);
            case INT16 -> s.get(I16, i * 2);
            case UINT32 -> s.get(I32, i * 4) & 0xffffffffL;
            case INT32 -> s.get(I32, i * 4);
            case INT64 -> (double) s.get(I64, i * 8);
            case FLOAT16 -> Float.float16ToFloat(s.get(I16, i * 2));
            case BFLOAT16 -> bf16ToFloat(s.get(I16, i * 2));
            case FLOAT32 -> s.get(F32, i * 4);
            case FLOAT64 -> s.get(F64, i * 8);
        };
    }

    /** Element {@code i} of {@code s} read as long (floats truncate toward zero). */
    public static long getLong(DType t, MemorySegment s, long i) {
        return switch (t) {
            case BOOL, UINT8 -> s.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            case INT8 -> s.get(ValueLayout.JAVA_BYTE, i);
            case INT16 -> s.get(I16, i * 2);
            case UINT32 -> s.get(I32, i * 4) & 0xffffffffL;
            case INT32 -> s.get(I32, i * 4);
            case INT64 -> s.get(I64, i * 8);
            default -> (long) getDouble(t, s, i);
        };
    }

    /** Writes {@code v} converted to {@code t} (bool: nonzero is true; integers truncate, wrapping like C). */
    public static void setDouble(DType t, MemorySegment s, long i, double v) {
        switch (t) {
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (v != 0 ? 1 : 0));
            case FLOAT16 -> s.set(I16, i * 2, Float.floatToFloat16((float) v));
            case BFLOAT16 -> s.set(I16, i * 2, floatToBf16((float) v));
            case FLOAT32 -> s.set(F32, i * 4, (float) v);
            case FLOAT64 -> s.set(F64, i * 8, v);
            case UINT32 -> s.set(I32, i * 4, (int) (long) v);
            default -> setLong(t, s, i, (long) v);
        }
    }

    /** Writes {@code v} converted to {@code t}, wrapping integers like C casts. */
    public static void setLong(DType t, MemorySegment s, long i, long v) {
        switch (t) {
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (v != 0 ? 1 : 0));
            case UINT8, INT8 -> s.set(ValueLayout.JAVA_BYTE, i, (byte) v);
            case INT16 -> s.set(I16, i * 2, (short) v);
            case UINT32, INT32 -> s.set(I32, i * 4, (int) v);
            case INT64 -> s.set(I64, i * 8, v);
            default -> setDouble(t, s, i, (double) v);
        }
    }
}
