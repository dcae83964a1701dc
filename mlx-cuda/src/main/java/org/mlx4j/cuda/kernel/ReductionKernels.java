package org.mlx4j.cuda.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlx4j.core.DType;
import org.mlx4j.core.primitive.ReduceOp;
import org.mlx4j.core.primitive.ScanOp;
import org.mlx4j.cuda.CudaTypes;

/**
 * Kernel specs of the reduction family: reductions ({@code reduce.cu}), arg-reductions
 * ({@code argreduce.cu}), softmax, logsumexp and layer/RMS norm ({@code softmax.cu}), scans ({@code scan.cu}) and
 * sorting ({@code sort.cu}). Each function is pure: it validates the dtypes the CPU backend accepts
 * for the primitive and returns the variant's defines; the launchers live in
 * {@code org.mlx4j.cuda.CudaReduce}, {@code CudaScan} and {@code CudaSort}.
 *
 * <p>Accumulation follows the CPU where it matters for tolerances: float16, bfloat16 and float32
 * accumulate in float, float64 in double, integers and bool in {@code long long} (wrapping on store).
 *
 * <p>Example: {@code ReductionKernels.reduce(ReduceOp.SUM, DType.INT32, DType.INT32)} gives
 * {@code reduce.cu} with {@code IN_T=int, OUT_T=int, ACC_T=long long, REDUCE=mlxr_op_sum, IDENT=0LL}.
 */
public final class ReductionKernels {
    private ReductionKernels() {}

    /** Most threads per block of the row kernels (reduce, argreduce, softmax); {@code RED_BLOCK} in the sources. */
    public static final int BLOCK = 256;
    /** Longest line {@code sort.cu} sorts in shared memory. */
    public static final int SORT_MAX = 2048;

    private static final String NEG_INF_F = "(-__int_as_float(0x7f800000))";
    private static final String POS_INF_F = "__int_as_float(0x7f800000)";
    private static final String NEG_INF_D = "(-__longlong_as_double(0x7ff0000000000000LL))";
    private static final String POS_INF_D = "__longlong_as_double(0x7ff0000000000000LL)";

    // ---------------------------------------------------------------- reduce

    /**
     * The {@code reduce.cu} variant of {@code op} from {@code in} to {@code out} (entries
     * {@code reduce_rows} and {@code reduce_rows_thread}). Output dtypes as the op chooses them:
     * max/min keep the dtype; sum/prod keep it, or take int32 (uint32 for uint8) from bool and
     * 8/16-bit integers; all/any give bool.
     *
     * @throws IllegalArgumentException naming the primitive and dtypes when {@code out} is not what {@code op} gives for {@code in}
     */
    public static KernelSpec reduce(ReduceOp op, DType in, DType out) {
        String name = "Reduce." + op;
        boolean ok = switch (op) {
            case ALL, ANY -> out == DType.BOOL;
            case MAX, MIN -> out == in;
            case SUM, PROD -> out == in || out == widenedInteger(in);
        };
        if (!ok) {
            throw new IllegalArgumentException("[" + name + "] no reduction from " + in.mlxName() + " to " + out.mlxName()
                    + " (expected " + (op == ReduceOp.ALL || op == ReduceOp.ANY ? "bool" : in.mlxName()) + ")");
        }
        String acc = CudaTypes.computeType(in);
        return KernelSpec.of(List.of("common.cuh", "arith.cuh", "reduce.cu"), Map.of(
                "IN_T", CudaTypes.cType(in),
                "OUT_T", CudaTypes.cType(out),
                "ACC_T", acc,
                "WIDE_T", acc.equals("float") ? "double" : acc,
                "REDUCE", "mlxr_op_" + op.name().toLowerCase(java.util.Locale.ROOT),
                "IDENT", reduceIdentity(op, acc),
                "OUT_BOOL", out == DType.BOOL ? "1" : "0"));
    }

    /** The dtype sum/prod of small integral {@code t} accumulate in (int32; uint32 for uint8), or null. */
    static DType widenedInteger(DType t) {
        if (!t.isIntegral() || t.size() >= 4) return null;
        return t == DType.UINT8 ? DType.UINT32 : DType.INT32;
    }

    /** The identity of {@code op} as a C expression of type {@code acc} (float, double or long long). */
    static String reduceIdentity(ReduceOp op, String acc) {
        return switch (op) {
            case SUM, ANY -> literal(0, acc);
            case PROD, ALL -> literal(1, acc);
            case MAX -> switch (acc) {
                case "float" -> NEG_INF_F;
                case "double" -> NEG_INF_D;
                default -> "(-9223372036854775807LL - 1)";
            };
            case MIN -> switch (acc) {
                case "float" -> POS_INF_F;
                case "double" -> POS_INF_D;
                default -> "9223372036854775807LL";
            };
        };
    }

    private static String literal(int v, String acc) {
        return switch (acc) {
            case "float" -> v + ".0f";
            case "double" -> v + ".0";
            default -> v + "LL";
        };
    }

    // ---------------------------------------------------------------- argreduce

    /**
     * The {@code argreduce.cu} variant (entries {@code argreduce_rows}, {@code argreduce_rows_thread}):
     * uint32 indices of the first largest ({@code max}) or smallest element, the first NaN winning.
     * Every dtype is accepted; comparisons run in the compute type.
     */
    public static KernelSpec argReduce(boolean max, DType in) {
        return KernelSpec.of(List.of("common.cuh", "argreduce.cu"), Map.of(
                "IN_T", CudaTypes.cType(in),
                "ACC_T", CudaTypes.computeType(in),
                "OUT_T", CudaTypes.cType(DType.UINT32),
                "ARG_MAX", max ? "1" : "0"));
    }

    // ---------------------------------------------------------------- softmax / logsumexp

    /**
     * The {@code softmax.cu} variant for floating {@code t}: one module with {@code softmax_rows},
     * {@code logsumexp_rows}, {@code norm_rows} (layer and RMS norm) and {@code softmax_gather}.
     *
     * @throws IllegalArgumentException naming Softmax and the dtype when {@code t} is not floating
     */
    public static KernelSpec softmax(DType t) { return rowwise("Softmax", t); }

    /**
     * The same module as {@link #softmax} (its {@code logsumexp_rows} entry).
     *
     * @throws IllegalArgumentException naming LogSumExp and the dtype when {@code t} is not floating
     */
    public static KernelSpec logSumExp(DType t) { return rowwise("LogSumExp", t); }

    private static KernelSpec rowwise(String name, DType t) {
        if (!t.isFloating()) {
            throw new IllegalArgumentException("[" + name + "] needs a floating dtype, got " + t.mlxName() + " (the op converts integral inputs to float32)");
        }
        return KernelSpec.of(List.of("common.cuh", "softmax.cu"), Map.of(
                "IN_T", CudaTypes.cType(t),
                "ACC_T", CudaTypes.computeType(t)));
    }

    // ---------------------------------------------------------------- scan

    /**
     * The {@code scan.cu} variant (entry {@code scan_rows}). Dtypes as the op chooses them: sum/prod
     * keep the dtype or widen bool and 8/16-bit integers to int32 (uint8 to uint32); max/min keep it;
     * logaddexp needs a floating dtype and keeps it.
     *
     * @throws IllegalArgumentException naming the primitive and dtypes for any other pair
     */
    public static KernelSpec scan(ScanOp op, boolean reverse, boolean inclusive, DType in, DType out) {
        String name = "Scan." + op;
        boolean ok = switch (op) {
            case SUM, PROD -> out == in || out == widenedInteger(in);
            case MAX, MIN -> out == in;
            case LOGADDEXP -> in.isFloating() && out == in;
        };
        if (!ok) {
            throw new IllegalArgumentException("[" + name + "] no scan from " + in.mlxName() + " to " + out.mlxName()
                    + (op == ScanOp.LOGADDEXP ? " (logcumsumexp needs a floating dtype and keeps it)" : ""));
        }
        String acc = CudaTypes.computeType(in);
        return KernelSpec.of(List.of("common.cuh", "arith.cuh", "scan.cu"), Map.of(
                "IN_T", CudaTypes.cType(in),
                "OUT_T", CudaTypes.cType(out),
                "ACC_T", acc,
                "SCAN_OP", "mlxc_" + op.name().toLowerCase(java.util.Locale.ROOT),
                "INIT", scanIdentity(op, acc, out),
                "REVERSE", reverse ? "1" : "0",
                "INCLUSIVE", inclusive ? "1" : "0",
                "OUT_BOOL", out == DType.BOOL ? "1" : "0"));
    }

    /**
     * The first output of an exclusive scan, as the CPU writes it: 0, 1, -inf/+inf for floats, and
     * the output dtype's lowest (max) or highest (min) value for integers and bool.
     */
    static String scanIdentity(ScanOp op, String acc, DType out) {
        return switch (op) {
            case SUM -> literal(0, acc);
            case PROD -> literal(1, acc);
            case LOGADDEXP -> acc.equals("double") ? NEG_INF_D : NEG_INF_F;
            case MAX -> switch (acc) {
                case "float" -> NEG_INF_F;
                case "double" -> NEG_INF_D;
                default -> switch (out) {
                    case BOOL, UINT8, UINT32 -> "0LL";
                    case INT8 -> "(-128LL)";
                    case INT16 -> "(-32768LL)";
                    case INT32 -> "(-2147483648LL)";
                    default -> "(-9223372036854775807LL - 1)";
                };
            };
            case MIN -> switch (acc) {
                case "float" -> POS_INF_F;
                case "double" -> POS_INF_D;
                default -> switch (out) {
                    case BOOL -> "1LL";
                    case UINT8 -> "255LL";
                    case UINT32 -> "4294967295LL";
                    case INT8 -> "127LL";
                    case INT16 -> "32767LL";
                    case INT32 -> "2147483647LL";
                    default -> "9223372036854775807LL";
                };
            };
        };
    }

    // ---------------------------------------------------------------- sort

    /** The {@code sort.cu} variant writing sorted values of {@code t} (entry {@code sort_rows}); every dtype. */
    public static KernelSpec sort(DType t) { return sorting(t, false); }

    /** The {@code sort.cu} variant writing uint32 indices of a stable sort of {@code t}; every dtype. */
    public static KernelSpec argSort(DType t) { return sorting(t, true); }

    /**
     * ArgPartition's variant: the stable argsort ({@link #argSort}), which satisfies the partition
     * contract (position kth holds the same index as the CPU's; the order on each side may differ).
     */
    public static KernelSpec argPartition(DType t) { return argSort(t); }

    private static KernelSpec sorting(DType t, boolean indices) {
        return KernelSpec.of(List.of("common.cuh", "sort.cu"), Map.of(
                "IN_T", CudaTypes.cType(t),
                "KEY_T", sortKeyBytes(t) == 8 ? "unsigned long long" : "unsigned int",
                "OUT_T", CudaTypes.cType(indices ? DType.UINT32 : t),
                "ARGSORT", indices ? "1" : "0"));
    }

    /** Bytes of a sort key of {@code t}: 8 for float64 and int64, else 4. */
    public static int sortKeyBytes(DType t) { return t.size() == 8 ? 8 : 4; }

    // ---------------------------------------------------------------- launch shapes

    /** Threads for a row kernel over rows of {@code n} elements: a multiple of 32 in [32, {@value #BLOCK}]. */
    public static int blockFor(long n) {
        long b = (n + 31) / 32 * 32;
        return (int) Math.max(32, Math.min(BLOCK, b));
    }

    /** The power of two a line of {@code n <= SORT_MAX} elements is padded to (at least 1). */
    public static int sortPadded(long n) {
        int p = 1;
        while (p < n) p <<= 1;
        return p;
    }

    /** Threads sorting a padded line: one per compared pair, in [32, 1024]. */
    public static int sortBlock(int padded) { return Math.max(32, Math.min(1024, padded / 2)); }

    // ---------------------------------------------------------------- catalog

    /**
     * Representative variants for the nvcc compile test: every op once, every dtype at least once
     * (40 variants).
     */
    public static List<KernelSpec> catalog() {
        List<KernelSpec> c = new ArrayList<>();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16, DType.FLOAT64, DType.INT32, DType.UINT32, DType.INT64}) {
            c.add(reduce(ReduceOp.SUM, t, t));
        }
        c.add(reduce(ReduceOp.SUM, DType.BOOL, DType.INT32));
        c.add(reduce(ReduceOp.PROD, DType.FLOAT32, DType.FLOAT32));
        c.add(reduce(ReduceOp.PROD, DType.UINT8, DType.UINT32));
        c.add(reduce(ReduceOp.MAX, DType.FLOAT32, DType.FLOAT32));
        c.add(reduce(ReduceOp.MAX, DType.INT8, DType.INT8));
        c.add(reduce(ReduceOp.MAX, DType.BOOL, DType.BOOL));
        c.add(reduce(ReduceOp.MIN, DType.FLOAT64, DType.FLOAT64));
        c.add(reduce(ReduceOp.MIN, DType.INT16, DType.INT16));
        c.add(reduce(ReduceOp.ALL, DType.BOOL, DType.BOOL));
        c.add(reduce(ReduceOp.ANY, DType.BOOL, DType.BOOL));
        c.add(argReduce(true, DType.FLOAT32));
        c.add(argReduce(false, DType.FLOAT16));
        c.add(argReduce(true, DType.BFLOAT16));
        c.add(argReduce(false, DType.INT64));
        c.add(argReduce(true, DType.UINT8));
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16, DType.FLOAT64}) c.add(softmax(t));
        c.add(scan(ScanOp.SUM, false, true, DType.FLOAT32, DType.FLOAT32));
        c.add(scan(ScanOp.SUM, true, false, DType.INT64, DType.INT64));
        c.add(scan(ScanOp.PROD, true, false, DType.INT32, DType.INT32));
        c.add(scan(ScanOp.MAX, true, true, DType.FLOAT16, DType.FLOAT16));
        c.add(scan(ScanOp.MAX, false, false, DType.BOOL, DType.BOOL));
        c.add(scan(ScanOp.MIN, false, false, DType.UINT32, DType.UINT32));
        c.add(scan(ScanOp.LOGADDEXP, false, true, DType.FLOAT64, DType.FLOAT64));
        c.add(scan(ScanOp.LOGADDEXP, true, false, DType.BFLOAT16, DType.BFLOAT16));
        c.add(sort(DType.FLOAT32));
        c.add(sort(DType.INT64));
        c.add(argSort(DType.FLOAT64));
        c.add(argSort(DType.BFLOAT16));
        c.add(argSort(DType.UINT32));
        c.add(argSort(DType.BOOL));
        return List.copyOf(c);
    }
}
