package org.mlx4j.cuda.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.mlx4j.core.DType;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.UnaryOp;
import org.mlx4j.cuda.CudaTypes;

/**
 * Kernel specs of the element-wise family: unary and binary ops, where, and copies with conversion
 * (AsType, Copy, layout changes). Each spec pastes {@code common.cuh}, {@code ops.cuh} and the family's
 * file, specialized by defines: {@code IN_T}/{@code OUT_T} (element C types), {@code COMPUTE_T} (the
 * input's compute type, so integer ops run in {@code long long} and predicates on floats in the float
 * type, as the CPU computes them), {@code OP} ({@code op_} and the enum name in lower case) and
 * {@code OUT_BOOL} (bool and uint8 are one C type, so the kernel is told which conversion applies).
 *
 * <p>Example: {@code unary(UnaryOp.EXP, FLOAT16, FLOAT16)} defines {@code IN_T=mlx_half,
 * COMPUTE_T=float, OP=op_exp}; its kernels are {@code unary_contig} and {@code unary_strided}.
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    /** The parts of a unary spec. */
    public static final List<String> UNARY_PARTS = List.of("common.cuh", "ops.cuh", "unary.cu");
    /** The parts of a binary spec. */
    public static final List<String> BINARY_PARTS = List.of("common.cuh", "ops.cuh", "binary.cu");
    /** The parts of a where spec. */
    public static final List<String> WHERE_PARTS = List.of("common.cuh", "where.cu");
    /** The parts of a copy spec. */
    public static final List<String> COPY_PARTS = List.of("common.cuh", "ops.cuh", "copy.cu");

    /** The device function of a unary op, e.g. {@code op_logical_not}. */
    public static String opName(UnaryOp op) { return "op_" + op.name().toLowerCase(Locale.ROOT); }

    /** The device function of a binary op, e.g. {@code op_floor_divide}. */
    public static String opName(BinaryOp op) { return "op_" + op.name().toLowerCase(Locale.ROOT); }

    /**
     * The unary kernel for {@code op} from {@code in} to {@code out} (predicates output bool, every
     * other op keeps the input dtype; math ops on integers never reach the kernel, the ops layer
     * converts to float32 first).
     *
     * @throws IllegalArgumentException when {@code out} is not the op's output dtype for {@code in},
     *                                  for bitwiseInvert on a floating dtype, or negative on bool
     */
    public static KernelSpec unary(UnaryOp op, DType in, DType out) {
        String name = op.opName();
        DType expect = op.isPredicate() ? DType.BOOL : in;
        if (out != expect) {
            throw new IllegalArgumentException("[" + name + "] output dtype " + out.mlxName() + " for input " + in.mlxName()
                    + "; the op gives " + expect.mlxName() + ".");
        }
        if (op == UnaryOp.BITWISE_INVERT && in.isFloating()) {
            throw new IllegalArgumentException("[" + name + "] requires an integral dtype, got " + in.mlxName() + ".");
        }
        if (op == UnaryOp.NEGATIVE && in == DType.BOOL) {
            throw new IllegalArgumentException("[" + name + "] not defined for bool; use logicalNot.");
        }
        Map<String, String> d = types(in, out);
        d.put("OP", opName(op));
        return KernelSpec.of(UNARY_PARTS, d);
    }

    /**
     * The binary kernel for {@code op} on two inputs of dtype {@code in} (promoted by the op) giving
     * {@code out}: bool for comparisons and logical ops, else {@code in}.
     *
     * @throws IllegalArgumentException when {@code out} is not the op's output dtype, for bitwise ops
     *                                  and shifts on a floating dtype, or subtract on bool
     */
    public static KernelSpec binary(BinaryOp op, DType in, DType out) {
        String name = op.opName();
        DType expect = op.isComparison() ? DType.BOOL : in;
        if (out != expect) {
            throw new IllegalArgumentException("[" + name + "] output dtype " + out.mlxName() + " for inputs " + in.mlxName()
                    + "; the op gives " + expect.mlxName() + ".");
        }
        if (op.isBitwise() && in.isFloating()) {
            throw new IllegalArgumentException("[" + name + "] requires integral dtypes, got " + in.mlxName() + ".");
        }
        if (op == BinaryOp.SUBTRACT && in == DType.BOOL) {
            throw new IllegalArgumentException("[" + name + "] not defined for bool inputs.");
        }
        Map<String, String> d = types(in, out);
        d.put("OP", opName(op));
        return KernelSpec.of(BINARY_PARTS, d);
    }

    /** The where kernel for elements of dtype {@code t} (the condition is bool). */
    public static KernelSpec where(DType t) {
        return KernelSpec.of(WHERE_PARTS, Map.of("ELEM_T", CudaTypes.cType(t)));
    }

    /**
     * The copy kernel from {@code in} to {@code out}: any pair converts (AsType); equal dtypes copy the
     * bits unchanged ({@code SAME_TYPE=1}).
     */
    public static KernelSpec copy(DType in, DType out) {
        Map<String, String> d = types(in, out);
        d.put("SAME_TYPE", in == out ? "1" : "0");
        return KernelSpec.of(COPY_PARTS, d);
    }

    /** The spec that instantiates every op of ops.cuh for float, double and long long (compile check only). */
    public static KernelSpec opsCheck() {
        return KernelSpec.of(List.of("common.cuh", "ops.cuh"), Map.of("MLX_OPS_CHECK", "1"));
    }

    private static Map<String, String> types(DType in, DType out) {
        Map<String, String> d = new TreeMap<>();
        d.put("IN_T", CudaTypes.cType(in));
        d.put("OUT_T", CudaTypes.cType(out));
        d.put("COMPUTE_T", CudaTypes.computeType(in));
        d.put("OUT_BOOL", out == DType.BOOL ? "1" : "0");
        return d;
    }

    // every dtype but float32, for spreading the ops of the catalog over dtypes
    private static final DType[] SPREAD = {DType.FLOAT16, DType.BFLOAT16, DType.FLOAT64};
    private static final DType[] INTEGRAL = {DType.INT32, DType.INT64, DType.UINT8, DType.UINT32, DType.INT8, DType.INT16};

    /**
     * Representative variants for the nvcc compile test: every op of ops.cuh for all three compute
     * types (one translation unit), every UnaryOp and BinaryOp once (float32 mostly, some on the other
     * floating types; integral-only ops on the integer types), AsType across kind pairs, where and copy.
     */
    public static List<KernelSpec> catalog() {
        List<KernelSpec> c = new ArrayList<>();
        c.add(opsCheck());
        int k = 0;
        for (UnaryOp op : UnaryOp.values()) {
            DType t = op == UnaryOp.BITWISE_INVERT ? DType.UINT32
                    : op == UnaryOp.LOGICAL_NOT ? DType.BOOL
                    : op.ordinal() % 6 == 5 ? SPREAD[k++ % SPREAD.length] : DType.FLOAT32;
            c.add(unary(op, t, op.isPredicate() ? DType.BOOL : t));
        }
        int j = 0;
        for (BinaryOp op : BinaryOp.values()) {
            DType t = op.isBitwise() ? INTEGRAL[j++ % INTEGRAL.length]
                    : op == BinaryOp.LOGICAL_AND || op == BinaryOp.LOGICAL_OR ? DType.BOOL
                    : op.ordinal() % 5 == 4 ? SPREAD[k++ % SPREAD.length] : DType.FLOAT32;
            c.add(binary(op, t, op.isComparison() ? DType.BOOL : t));
        }
        // AsType across kinds
        DType[][] casts = {
            {DType.FLOAT32, DType.BFLOAT16}, {DType.FLOAT16, DType.FLOAT32}, {DType.INT32, DType.FLOAT32},
            {DType.FLOAT32, DType.INT32}, {DType.BOOL, DType.FLOAT32}, {DType.FLOAT64, DType.FLOAT32},
            {DType.INT64, DType.FLOAT16}, {DType.BFLOAT16, DType.UINT8}, {DType.INT16, DType.BOOL},
        };
        for (DType[] p : casts) c.add(copy(p[0], p[1]));
        c.add(copy(DType.FLOAT32, DType.FLOAT32));
        c.add(where(DType.FLOAT32));
        c.add(where(DType.BFLOAT16));
        return c;
    }
}
