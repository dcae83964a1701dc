package org.mlx4j.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.ops.Creation;
import org.mlx4j.core.ops.Elementwise;
import org.mlx4j.core.ops.LinAlg;
import org.mlx4j.core.ops.Reductions;
import org.mlx4j.core.ops.ShapeOps;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.ReduceOp;
import org.mlx4j.core.primitive.UnaryOp;
import org.mlx4j.core.transforms.Autodiff;
import org.mlx4j.core.transforms.Evaluator;

/**
 * The static facade of mlx4j, the Java face of {@code mlx.core}: every op under its MLX name in
 * camelCase. Each method delegates to its family class in {@code org.mlx4j.core.ops}.
 *
 * <p>Ops are lazy: they check their arguments at once (throwing {@link IllegalArgumentException}
 * with an {@code [op]} prefix), promote dtypes like NumPy, broadcast, and build graph nodes.
 * Nothing is computed until a sync point: {@link #eval}, {@link Array#item()} or a
 * {@code to*Array()} call.
 * <pre>{@code
 * import static org.mlx4j.core.MX.*;
 * Array x = array(new float[] {1, 2, 3});
 * Array g = grad(v -> sum(square(v))).apply(x);   // [2, 4, 6]
 * }</pre>
 */
public final class MX {
    private MX() {}

    // =================================================================== creation

    /** float32 array from {@code data} with {@code shape} (a vector when no shape is given). */
    public static Array array(float[] data, int... shape) { return Creation.array(data, shape); }

    /** float64 array. */
    public static Array array(double[] data, int... shape) { return Creation.array(data, shape); }

    /** int32 array. */
    public static Array array(int[] data, int... shape) { return Creation.array(data, shape); }

    /** int64 array. */
    public static Array array(long[] data, int... shape) { return Creation.array(data, shape); }

    /** bool array. */
    public static Array array(boolean[] data, int... shape) { return Creation.array(data, shape); }

    /** An array of {@code dtype} from double values. */
    public static Array array(double[] data, DType dtype, int... shape) { return Creation.array(data, dtype, shape); }

    /** A float32 scalar. */
    public static Array array(double value) { return Creation.scalar(value, DType.FLOAT32); }

    /** A scalar of {@code dtype}. */
    public static Array scalar(double value, DType dtype) { return Creation.scalar(value, dtype); }

    /** A scalar typed to combine with {@code like} as a Python scalar would (see {@link Creation#scalarLike}). */
    public static Array scalarLike(double value, Array like) { return Creation.scalarLike(value, like); }

    /** float32 zeros. */
    public static Array zeros(int... shape) { return Creation.zeros(shape, DType.FLOAT32); }

    /** Zeros of {@code dtype}. */
    public static Array zeros(int[] shape, DType dtype) { return Creation.zeros(shape, dtype); }

    /** float32 ones. */
    public static Array ones(int... shape) { return Creation.ones(shape, DType.FLOAT32); }

    /** Ones of {@code dtype}. */
    public static Array ones(int[] shape, DType dtype) { return Creation.ones(shape, dtype); }

    /** {@code shape} filled with {@code value} (float32). */
    public static Array full(int[] shape, double value) { return Creation.full(shape, value, DType.FLOAT32); }

    /** {@code shape} filled with {@code value} of {@code dtype}. */
    public static Array full(int[] shape, double value, DType dtype) { return Creation.full(shape, value, dtype); }

    /** {@code shape} filled with the scalar array {@code value} (broadcast). */
    public static Array full(int[] shape, Array value) { return Creation.full(shape, value); }

    /** Zeros like {@code a}. */
    public static Array zerosLike(Array a) { return Creation.zerosLike(a); }

    /** Ones like {@code a}. */
    public static Array onesLike(Array a) { return Creation.onesLike(a); }

    /** int32 {@code 0, 1, ..., stop-1}. */
    public static Array arange(int stop) { return Creation.arange(0, stop, 1, DType.INT32); }

    /** int32 {@code start, start+step, ...} below stop. */
    public static Array arange(int start, int stop, int step) { return Creation.arange(start, stop, step, DType.INT32); }

    /** {@code start, start+step, ...} below stop, of {@code dtype}. */
    public static Array arange(double start, double stop, double step, DType dtype) { return Creation.arange(start, stop, step, dtype); }

    /** {@code num} float32 values evenly spaced from start to stop inclusive. */
    public static Array linspace(double start, double stop, int num) { return Creation.linspace(start, stop, num, DType.FLOAT32); }

    /** {@code num} values of {@code dtype} evenly spaced from start to stop inclusive. */
    public static Array linspace(double start, double stop, int num, DType dtype) { return Creation.linspace(start, stop, num, dtype); }

    /** The n x n float32 identity. */
    public static Array eye(int n) { return Creation.eye(n, n, 0, DType.FLOAT32); }

    /** n x m with ones on diagonal k. */
    public static Array eye(int n, int m, int k, DType dtype) { return Creation.eye(n, m, k, dtype); }

    /** The n x n identity of {@code dtype}. */
    public static Array identity(int n, DType dtype) { return Creation.eye(n, n, 0, dtype); }

    /** n x m float32 with ones at and below diagonal k. */
    public static Array tri(int n, int m, int k) { return Creation.tri(n, m, k, DType.FLOAT32); }

    /** n x m with ones at and below diagonal k, of {@code dtype}. */
    public static Array tri(int n, int m, int k, DType dtype) { return Creation.tri(n, m, k, dtype); }

    // =================================================================== unary elementwise

    /** |x|. */
    public static Array abs(Array x) { return Elementwise.unary(UnaryOp.ABS, x); }
    /** -x. */
    public static Array negative(Array x) { return Elementwise.unary(UnaryOp.NEGATIVE, x); }
    /** Sign: -1, 0 or 1. */
    public static Array sign(Array x) { return Elementwise.unary(UnaryOp.SIGN, x); }
    /** e^x. */
    public static Array exp(Array x) { return Elementwise.unary(UnaryOp.EXP, x); }
    /** e^x - 1, accurate near 0. */
    public static Array expm1(Array x) { return Elementwise.unary(UnaryOp.EXPM1, x); }
    /** Natural log. */
    public static Array log(Array x) { return Elementwise.unary(UnaryOp.LOG, x); }
    /** log(1 + x), accurate near 0. */
    public static Array log1p(Array x) { return Elementwise.unary(UnaryOp.LOG1P, x); }
    /** Base-2 log. */
    public static Array log2(Array x) { return Elementwise.unary(UnaryOp.LOG2, x); }
    /** Base-10 log. */
    public static Array log10(Array x) { return Elementwise.unary(UnaryOp.LOG10, x); }
    /** Square root. */
    public static Array sqrt(Array x) { return Elementwise.unary(UnaryOp.SQRT, x); }
    /** 1 / sqrt(x). */
    public static Array rsqrt(Array x) { return Elementwise.unary(UnaryOp.RSQRT, x); }
    /** x². */
    public static Array square(Array x) { return Elementwise.unary(UnaryOp.SQUARE, x); }
    /** 1 / x. */
    public static Array reciprocal(Array x) { return Elementwise.unary(UnaryOp.RECIPROCAL, x); }
    /** Sine. */
    public static Array sin(Array x) { return Elementwise.unary(UnaryOp.SIN, x); }
    /** Cosine. */
    public static Array cos(Array x) { return Elementwise.unary(UnaryOp.COS, x); }
    /** Tangent. */
    public static Array tan(Array x) { return Elementwise.unary(UnaryOp.TAN, x); }
    /** Inverse sine. */
    public static Array arcsin(Array x) { return Elementwise.unary(UnaryOp.ARCSIN, x); }
    /** Inverse cosine. */
    public static Array arccos(Array x) { return Elementwise.unary(UnaryOp.ARCCOS, x); }
    /** Inverse tangent. */
    public static Array arctan(Array x) { return Elementwise.unary(UnaryOp.ARCTAN, x); }
    /** Hyperbolic sine. */
    public static Array sinh(Array x) { return Elementwise.unary(UnaryOp.SINH, x); }
    /** Hyperbolic cosine. */
    public static Array cosh(Array x) { return Elementwise.unary(UnaryOp.COSH, x); }
    /** Hyperbolic tangent. */
    public static Array tanh(Array x) { return Elementwise.unary(UnaryOp.TANH, x); }
    /** Inverse hyperbolic sine. */
    public static Array arcsinh(Array x) { return Elementwise.unary(UnaryOp.ARCSINH, x); }
    /** Inverse hyperbolic cosine. */
    public static Array arccosh(Array x) { return Elementwise.unary(UnaryOp.ARCCOSH, x); }
    /** Inverse hyperbolic tangent. */
    public static Array arctanh(Array x) { return Elementwise.unary(UnaryOp.ARCTANH, x); }
    /** The error function. */
    public static Array erf(Array x) { return Elementwise.unary(UnaryOp.ERF, x); }
    /** The inverse error function. */
    public static Array erfinv(Array x) { return Elementwise.unary(UnaryOp.ERFINV, x); }
    /** 1 / (1 + e^-x). */
    public static Array sigmoid(Array x) { return Elementwise.unary(UnaryOp.SIGMOID, x); }
    /** Floor. */
    public static Array floor(Array x) { return Elementwise.unary(UnaryOp.FLOOR, x); }
    /** Ceiling. */
    public static Array ceil(Array x) { return Elementwise.unary(UnaryOp.CEIL, x); }
    /** Round half to even. */
    public static Array round(Array x) { return Elementwise.unary(UnaryOp.ROUND, x); }
    /** NaN test (bool). */
    public static Array isnan(Array x) { return Elementwise.unary(UnaryOp.ISNAN, x); }
    /** Infinity test (bool). */
    public static Array isinf(Array x) { return Elementwise.unary(UnaryOp.ISINF, x); }
    /** Finiteness test (bool). */
    public static Array isfinite(Array x) { return Elementwise.unary(UnaryOp.ISFINITE, x); }
    /** Logical not (bool). */
    public static Array logicalNot(Array x) { return Elementwise.unary(UnaryOp.LOGICAL_NOT, x); }
    /** Bitwise not of an integral array. */
    public static Array bitwiseInvert(Array x) { return Elementwise.unary(UnaryOp.BITWISE_INVERT, x); }

    // =================================================================== binary elementwise

    /** a + b. */
    public static Array add(Array a, Array b) { return Elementwise.binary(BinaryOp.ADD, a, b); }
    /** a - b. */
    public static Array subtract(Array a, Array b) { return Elementwise.binary(BinaryOp.SUBTRACT, a, b); }
    /** a * b. */
    public static Array multiply(Array a, Array b) { return Elementwise.binary(BinaryOp.MULTIPLY, a, b); }
    /** a / b (true division: integers give float32). */
    public static Array divide(Array a, Array b) { return Elementwise.binary(BinaryOp.DIVIDE, a, b); }
    /** floor(a / b). */
    public static Array floorDivide(Array a, Array b) { return Elementwise.binary(BinaryOp.FLOOR_DIVIDE, a, b); }
    /** Remainder with the sign of b, like NumPy. */
    public static Array remainder(Array a, Array b) { return Elementwise.binary(BinaryOp.REMAINDER, a, b); }
    /** a ** b. */
    public static Array power(Array a, Array b) { return Elementwise.binary(BinaryOp.POWER, a, b); }
    /** Elementwise max (NaN propagates). */
    public static Array maximum(Array a, Array b) { return Elementwise.binary(BinaryOp.MAXIMUM, a, b); }
    /** Elementwise min (NaN propagates). */
    public static Array minimum(Array a, Array b) { return Elementwise.binary(BinaryOp.MINIMUM, a, b); }
    /** log(e^a + e^b), stable. */
    public static Array logaddexp(Array a, Array b) { return Elementwise.binary(BinaryOp.LOGADDEXP, a, b); }
    /** atan2(a, b). */
    public static Array arctan2(Array a, Array b) { return Elementwise.binary(BinaryOp.ARCTAN2, a, b); }
    /** a == b (bool). */
    public static Array equal(Array a, Array b) { return Elementwise.binary(BinaryOp.EQUAL, a, b); }
    /** a != b (bool). */
    public static Array notEqual(Array a, Array b) { return Elementwise.binary(BinaryOp.NOT_EQUAL, a, b); }
    /** a &lt; b (bool). */
    public static Array less(Array a, Array b) { return Elementwise.binary(BinaryOp.LESS, a, b); }
    /** a &lt;= b (bool). */
    public static Array lessEqual(Array a, Array b) { return Elementwise.binary(BinaryOp.LESS_EQUAL, a, b); }
    /** a &gt; b (bool). */
    public static Array greater(Array a, Array b) { return Elementwise.binary(BinaryOp.GREATER, a, b); }
    /** a &gt;= b (bool). */
    public static Array greaterEqual(Array a, Array b) { return Elementwise.binary(BinaryOp.GREATER_EQUAL, a, b); }
    /** Logical and (bool). */
    public static Array logicalAnd(Array a, Array b) { return Elementwise.binary(BinaryOp.LOGICAL_AND, a, b); }
    /** Logical or (bool). */
    public static Array logicalOr(Array a, Array b) { return Elementwise.binary(BinaryOp.LOGICAL_OR, a, b); }
    /** Bitwise and. */
    public static Array bitwiseAnd(Array a, Array b) { return Elementwise.binary(BinaryOp.BITWISE_AND, a, b); }
    /** Bitwise or. */
    public static Array bitwiseOr(Array a, Array b) { return Elementwise.binary(BinaryOp.BITWISE_OR, a, b); }
    /** Bitwise xor. */
    public static Array bitwiseXor(Array a, Array b) { return Elementwise.binary(BinaryOp.BITWISE_XOR, a, b); }
    /** a &lt;&lt; b. */
    public static Array leftShift(Array a, Array b) { return Elementwise.binary(BinaryOp.LEFT_SHIFT, a, b); }
    /** a &gt;&gt; b (arithmetic). */
    public static Array rightShift(Array a, Array b) { return Elementwise.binary(BinaryOp.RIGHT_SHIFT, a, b); }

    /** Elements of x where condition, else of y (broadcast). */
    public static Array where(Array condition, Array x, Array y) { return Elementwise.where(condition, x, y); }
    /** Conversion to {@code dtype}. */
    public static Array astype(Array x, DType dtype) { return Elementwise.astype(x, dtype); }
    /** x with a zero derivative. */
    public static Array stopGradient(Array x) { return Elementwise.stopGradient(x); }

    // =================================================================== shape

    /** New shape, same elements (one axis may be -1). */
    public static Array reshape(Array x, int... shape) { return ShapeOps.reshape(x, shape); }
    /** A vector of all elements. */
    public static Array flatten(Array x) { return ShapeOps.flatten(x); }
    /** Axes startAxis..endAxis merged. */
    public static Array flatten(Array x, int startAxis, int endAxis) { return ShapeOps.flatten(x, startAxis, endAxis); }
    /** Permuted axes (reversed when none given). */
    public static Array transpose(Array x, int... axes) { return ShapeOps.transpose(x, axes); }
    /** Two axes swapped. */
    public static Array swapaxes(Array x, int a, int b) { return ShapeOps.swapaxes(x, a, b); }
    /** One axis moved. */
    public static Array moveaxis(Array x, int source, int destination) { return ShapeOps.moveaxis(x, source, destination); }
    /** Broadcast to {@code shape}. */
    public static Array broadcastTo(Array x, int... shape) { return ShapeOps.broadcastTo(x, shape); }
    /** All broadcast to their common shape. */
    public static Array[] broadcastArrays(Array... xs) { return ShapeOps.broadcastArrays(xs); }
    /** Size-one axes inserted. */
    public static Array expandDims(Array x, int... axes) { return ShapeOps.expandDims(x, axes); }
    /** Size-one axes removed (all when none given). */
    public static Array squeeze(Array x, int... axes) { return ShapeOps.squeeze(x, axes); }
    /** A strided view with normalized start/stop/step per axis. */
    public static Array slice(Array x, int[] start, int[] stop, int[] step) { return ShapeOps.slice(x, start, stop, step); }
    /** x with the slice region replaced by update. */
    public static Array sliceUpdate(Array x, Array update, int[] start, int[] stop, int[] step) { return ShapeOps.sliceUpdate(x, update, start, stop, step); }
    /** A dense row-major copy. */
    public static Array contiguous(Array x) { return ShapeOps.contiguous(x); }
    /** x on {@code device} (an explicit copy node). */
    public static Array toDevice(Array x, Device device) { return ShapeOps.toDevice(x, device); }

    // =================================================================== reductions

    /** Sum over axes (all when none given). */
    public static Array sum(Array x, int... axes) { return Reductions.reduce(ReduceOp.SUM, x, axes, false); }
    /** Sum over axes, keeping them as size one when keepDims. */
    public static Array sum(Array x, int[] axes, boolean keepDims) { return Reductions.reduce(ReduceOp.SUM, x, axes, keepDims); }
    /** Product over axes. */
    public static Array prod(Array x, int... axes) { return Reductions.reduce(ReduceOp.PROD, x, axes, false); }
    /** Product over axes with keepDims. */
    public static Array prod(Array x, int[] axes, boolean keepDims) { return Reductions.reduce(ReduceOp.PROD, x, axes, keepDims); }
    /** Max over axes. */
    public static Array max(Array x, int... axes) { return Reductions.reduce(ReduceOp.MAX, x, axes, false); }
    /** Max over axes with keepDims. */
    public static Array max(Array x, int[] axes, boolean keepDims) { return Reductions.reduce(ReduceOp.MAX, x, axes, keepDims); }
    /** Min over axes. */
    public static Array min(Array x, int... axes) { return Reductions.reduce(ReduceOp.MIN, x, axes, false); }
    /** Min over axes with keepDims. */
    public static Array min(Array x, int[] axes, boolean keepDims) { return Reductions.reduce(ReduceOp.MIN, x, axes, keepDims); }
    /** True where all are nonzero. */
    public static Array all(Array x, int... axes) { return Reductions.reduce(ReduceOp.ALL, x, axes, false); }
    /** All with keepDims. */
    public static Array all(Array x, int[] axes, boolean keepDims) { return Reductions.reduce(ReduceOp.ALL, x, axes, keepDims); }
    /** True where any is nonzero. */
    public static Array any(Array x, int... axes) { return Reductions.reduce(ReduceOp.ANY, x, axes, false); }
    /** Any with keepDims. */
    public static Array any(Array x, int[] axes, boolean keepDims) { return Reductions.reduce(ReduceOp.ANY, x, axes, keepDims); }
    /** Mean over axes. */
    public static Array mean(Array x, int... axes) { return Reductions.mean(x, axes, false); }
    /** Mean with keepDims. */
    public static Array mean(Array x, int[] axes, boolean keepDims) { return Reductions.mean(x, axes, keepDims); }
    /** Variance over axes (ddof 0). */
    public static Array var(Array x, int... axes) { return Reductions.var(x, axes, false, 0); }
    /** Variance with keepDims and ddof. */
    public static Array var(Array x, int[] axes, boolean keepDims, int ddof) { return Reductions.var(x, axes, keepDims, ddof); }
    /** Standard deviation over axes (ddof 0). */
    public static Array std(Array x, int... axes) { return sqrt(Reductions.var(x, axes, false, 0)); }
    /** Standard deviation with keepDims and ddof. */
    public static Array std(Array x, int[] axes, boolean keepDims, int ddof) { return sqrt(Reductions.var(x, axes, keepDims, ddof)); }
    /** Index of the max along {@code axis} (uint32). */
    public static Array argmax(Array x, int axis, boolean keepDims) { return Reductions.argReduce(true, x, axis, keepDims); }
    /** Index of the max of the flattened array. */
    public static Array argmax(Array x) { return Reductions.argReduce(true, x, null, false); }
    /** Index of the min along {@code axis} (uint32). */
    public static Array argmin(Array x, int axis, boolean keepDims) { return Reductions.argReduce(false, x, axis, keepDims); }
    /** Index of the min of the flattened array. */
    public static Array argmin(Array x) { return Reductions.argReduce(false, x, null, false); }

    // =================================================================== linear algebra

    /** Matrix product with NumPy semantics (batched, broadcasting). */
    public static Array matmul(Array a, Array b) { return LinAlg.matmul(a, b); }

    // =================================================================== indexing

    /** NumPy-style basic indexing from a string, e.g. {@code "1:3, ::2, None, ..."}. */
    public static Array get(Array x, String index) { return org.mlx4j.core.ops.Indexing.get(x, index); }

    // =================================================================== shape and indexing family (concatenate, stack, split, pad, take, scatter, ...)
    // <<SHAPE-MORE-BEGIN>>

    /**
     * The arrays joined along an existing {@code axis}: dtypes promote; shapes must agree except
     * along {@code axis}. E.g. (2, 3) and (1, 3) along 0 give (3, 3).
     *
     * @throws IllegalArgumentException for no arrays, scalars, mismatched shapes or a bad axis
     */
    public static Array concatenate(Array[] arrays, int axis) { return org.mlx4j.core.ops.Joining.concatenate(List.of(arrays), axis); }

    /** {@link #concatenate(Array[], int)} of a list. */
    public static Array concatenate(List<Array> arrays, int axis) { return org.mlx4j.core.ops.Joining.concatenate(arrays, axis); }

    /** {@link #concatenate(Array[], int)} along axis 0. */
    public static Array concatenate(Array... arrays) { return org.mlx4j.core.ops.Joining.concatenate(List.of(arrays), 0); }

    /**
     * Arrays of one shape stacked along a new axis {@code axis}: n arrays of shape (2, 3) give
     * (n, 2, 3) for axis 0 and (2, 3, n) for axis -1.
     *
     * @throws IllegalArgumentException for no arrays, different shapes or a bad axis
     */
    public static Array stack(Array[] arrays, int axis) { return org.mlx4j.core.ops.Joining.stack(List.of(arrays), axis); }

    /** {@link #stack(Array[], int)} of a list. */
    public static Array stack(List<Array> arrays, int axis) { return org.mlx4j.core.ops.Joining.stack(arrays, axis); }

    /** {@link #stack(Array[], int)} along a new first axis. */
    public static Array stack(Array... arrays) { return org.mlx4j.core.ops.Joining.stack(List.of(arrays), 0); }

    /**
     * {@code x} split into {@code sections} equal views along {@code axis}.
     *
     * @throws IllegalArgumentException when sections does not divide the axis
     */
    public static Array[] split(Array x, int sections, int axis) { return org.mlx4j.core.ops.Joining.split(x, sections, axis); }

    /** {@code x} split along {@code axis} before each of {@code indices} (NumPy's split with indices): views. */
    public static Array[] split(Array x, int[] indices, int axis) { return org.mlx4j.core.ops.Joining.split(x, indices, axis); }

    /** Each element repeated {@code repeats} times along {@code axis}: [1, 2] with 2 gives [1, 1, 2, 2]. */
    public static Array repeat(Array x, int repeats, int axis) { return org.mlx4j.core.ops.Joining.repeat(x, repeats, axis); }

    /** Each element of the flattened {@code x} repeated {@code repeats} times. */
    public static Array repeat(Array x, int repeats) { return org.mlx4j.core.ops.Joining.repeat(x, repeats); }

    /** {@code x} repeated {@code reps[i]} times along each axis (NumPy's tile). */
    public static Array tile(Array x, int... reps) { return org.mlx4j.core.ops.Joining.tile(x, reps); }

    /**
     * {@code x} padded by {@code padWidths[i] = {before, after}} per axis (or one row for all axes) in
     * mode {@code "constant"} (with {@code constantValue}), {@code "edge"} or {@code "reflect"}.
     *
     * @throws IllegalArgumentException for bad widths or mode (see {@link org.mlx4j.core.ops.Joining#pad})
     */
    public static Array pad(Array x, int[][] padWidths, String mode, double constantValue) { return org.mlx4j.core.ops.Joining.pad(x, padWidths, mode, constantValue); }

    /** {@code x} padded in {@code mode} ("constant" pads with zeros). */
    public static Array pad(Array x, int[][] padWidths, String mode) { return org.mlx4j.core.ops.Joining.pad(x, padWidths, mode, 0); }

    /** {@code x} zero-padded by {@code padWidths[i] = {before, after}} per axis. */
    public static Array pad(Array x, int[][] padWidths) { return org.mlx4j.core.ops.Joining.pad(x, padWidths, "constant", 0); }

    /** {@code x} zero-padded by {@code padAll} on both sides of every axis. */
    public static Array pad(Array x, int padAll) { return org.mlx4j.core.ops.Joining.pad(x, new int[][] {{padAll, padAll}}, "constant", 0); }

    /** {@code x} reversed along {@code axes} (all when none given); a view. */
    public static Array flip(Array x, int... axes) { return ShapeOps.flip(x, axes); }

    /** {@code x} rolled by {@code shift} along each of {@code axes} (the flattened array when none given). */
    public static Array roll(Array x, int shift, int... axes) { return ShapeOps.roll(x, shift, axes); }

    /** {@code x} with elements above diagonal {@code k} of the last two axes zeroed. */
    public static Array tril(Array x, int k) { return org.mlx4j.core.ops.Diagonals.tril(x, k); }

    /** The lower triangle including the main diagonal. */
    public static Array tril(Array x) { return org.mlx4j.core.ops.Diagonals.tril(x, 0); }

    /** {@code x} with elements below diagonal {@code k} of the last two axes zeroed. */
    public static Array triu(Array x, int k) { return org.mlx4j.core.ops.Diagonals.triu(x, k); }

    /** The upper triangle including the main diagonal. */
    public static Array triu(Array x) { return org.mlx4j.core.ops.Diagonals.triu(x, 0); }

    /**
     * Diagonal {@code offset} of the matrices over {@code axis1} and {@code axis2}, as a last axis (a
     * view; NumPy's diagonal).
     *
     * @throws IllegalArgumentException for fewer than 2 dimensions or bad/equal axes
     */
    public static Array diagonal(Array x, int offset, int axis1, int axis2) { return org.mlx4j.core.ops.Diagonals.diagonal(x, offset, axis1, axis2); }

    /** The main diagonal over the first two axes. */
    public static Array diagonal(Array x) { return org.mlx4j.core.ops.Diagonals.diagonal(x, 0, 0, 1); }

    /** 1-D: the square matrix with {@code x} on diagonal {@code k}; 2-D: diagonal {@code k}. */
    public static Array diag(Array x, int k) { return org.mlx4j.core.ops.Diagonals.diag(x, k); }

    /** {@link #diag(Array, int)} with k = 0. */
    public static Array diag(Array x) { return org.mlx4j.core.ops.Diagonals.diag(x, 0); }

    /**
     * NumPy basic indexing by {@link Index} items, e.g. {@code get(x, at(1), slice(null, null, 2), newAxis())}
     * is {@code x[1, ::2, None]}. A view.
     *
     * @throws IllegalArgumentException with a {@code [get]} prefix on a bad index
     */
    public static Array get(Array x, Index... index) { return org.mlx4j.core.ops.Indexing.get(x, index); }

    /**
     * Elements of {@code x} at integer {@code indices} (any shape) along {@code axis}: shape
     * {@code x.shape[:axis] + indices.shape + x.shape[axis+1:]}. Negative indices count from the end.
     * Out-of-range indices throw when the indices are already evaluated; otherwise they are clamped.
     *
     * @throws IllegalArgumentException for a bad axis, non-integer or (known) out-of-range indices
     */
    public static Array take(Array x, Array indices, int axis) { return org.mlx4j.core.ops.Gathering.take(x, indices, axis); }

    /** Elements of the flattened {@code x} at {@code indices}; the result has the indices' shape. */
    public static Array take(Array x, Array indices) { return org.mlx4j.core.ops.Gathering.take(x, indices); }

    /** {@code out[..., j, ...] = x[..., indices[..., j, ...], ...]} along {@code axis} (NumPy's take_along_axis). */
    public static Array takeAlongAxis(Array x, Array indices, int axis) { return org.mlx4j.core.ops.Gathering.takeAlongAxis(x, indices, axis); }

    /** A copy of {@code x} with {@code values} put at {@code indices} along {@code axis} (NumPy's put_along_axis). */
    public static Array putAlongAxis(Array x, Array indices, Array values, int axis) { return org.mlx4j.core.ops.Gathering.putAlongAxis(x, indices, values, axis); }

    /**
     * A copy of {@code x} with {@code out[..., indices[k], ...] = updates[..., k, ...]} along
     * {@code axis}; updates has x's shape with {@code axis} replaced by the indices' shape. For
     * repeated indices the last update wins.
     */
    public static Array scatter(Array x, Array indices, Array updates, int axis) { return org.mlx4j.core.ops.Gathering.scatter(x, indices, updates, axis); }

    /** {@link #scatter} that adds; repeated indices accumulate (PyTorch's index_add, MLX's x.at[idx].add(v)). */
    public static Array scatterAdd(Array x, Array indices, Array updates, int axis) { return org.mlx4j.core.ops.Gathering.scatterAdd(x, indices, updates, axis); }

    // <<SHAPE-MORE-END>>


    // =================================================================== softmax, logsumexp, scans, sort, clip, isclose, ...
    // <<REDUCTIONS-MORE-BEGIN>>

    /**
     * {@code log(sum(exp(x)))} over axes (all when none given), computed stably around the maximum.
     * Integral inputs give float32; an empty reduction gives {@code -inf}.
     * <pre>{@code logsumexp(array(new float[] {0, 0}))   // log 2}</pre>
     *
     * @throws IllegalArgumentException when an axis is out of range or repeated
     */
    public static Array logsumexp(Array x, int... axes) { return Reductions.logsumexp(x, axes, false); }

    /** {@link #logsumexp(Array, int...)}, keeping the reduced axes with size one when keepDims. */
    public static Array logsumexp(Array x, int[] axes, boolean keepDims) { return Reductions.logsumexp(x, axes, keepDims); }

    /**
     * Layer normalization over the last axis, MLX's {@code fast.layer_norm}:
     * {@code (x - mean) / sqrt(var + eps) * weight + bias}, mean and biased variance over the last
     * axis, normalized in one fused kernel (float32 arithmetic for float16/bfloat16). Integral inputs
     * give float32.
     * <pre>{@code layerNorm(x, gamma, beta, 1e-5)   // gamma, beta of shape (x.dim(-1),)}</pre>
     *
     * @param weight scale of shape {@code (x.dim(-1),)}, or null for none
     * @param bias   shift of shape {@code (x.dim(-1),)}, or null for none
     * @param eps    added to the variance, finite and non-negative
     * @throws IllegalArgumentException for a scalar input, a bad eps, or a weight or bias of another shape
     */
    public static Array layerNorm(Array x, Array weight, Array bias, double eps) { return Reductions.layerNorm(x, weight, bias, eps); }

    /**
     * RMS normalization over the last axis, MLX's {@code fast.rms_norm}:
     * {@code x / sqrt(mean(x^2) + eps) * weight}, normalized in one fused kernel. Integral inputs give float32.
     *
     * @param weight scale of shape {@code (x.dim(-1),)}, or null for none
     * @param eps    added to the mean square, finite and non-negative
     * @throws IllegalArgumentException for a scalar input, a bad eps, or a weight of another shape
     */
    public static Array rmsNorm(Array x, Array weight, double eps) { return Reductions.rmsNorm(x, weight, eps); }

    /**
     * Softmax over axes (all when none given): {@code exp(x - max) / sum(exp(x - max))}, one fused
     * kernel. Same shape; integral inputs give float32.
     *
     * @throws IllegalArgumentException when an axis is out of range or repeated
     */
    public static Array softmax(Array x, int... axes) { return Reductions.softmax(x, axes); }

    /** Softmax along one axis (e.g. {@code -1}). */
    public static Array softmax(Array x, int axis) { return Reductions.softmax(x, new int[] {axis}); }

    /** {@code x - logsumexp(x, axes, true)} over axes (all when none given); integral inputs give float32. */
    public static Array logSoftmax(Array x, int... axes) { return Reductions.logSoftmax(x, axes); }

    /** Log-softmax along one axis (e.g. {@code -1}). */
    public static Array logSoftmax(Array x, int axis) { return Reductions.logSoftmax(x, new int[] {axis}); }

    /**
     * Cumulative sum of the flattened array. bool, int8 and int16 accumulate in int32, uint8 in
     * uint32 (as {@link #sum}).
     */
    public static Array cumsum(Array x) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.SUM, x, null, false, true); }

    /** Cumulative sum along {@code axis}. */
    public static Array cumsum(Array x, int axis) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.SUM, x, axis, false, true); }

    /**
     * Cumulative sum along {@code axis}, from the end when {@code reverse}, and excluding the current
     * element when not {@code inclusive} (the first output is then 0), as in MLX.
     * <pre>{@code cumsum(array(new int[] {1, 2, 3}), 0, true, false)   // [5, 3, 0]}</pre>
     *
     * @throws IllegalArgumentException when the axis is out of range
     */
    public static Array cumsum(Array x, int axis, boolean reverse, boolean inclusive) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.SUM, x, axis, reverse, inclusive); }

    /** Cumulative product of the flattened array (dtypes as {@link #cumsum(Array)}). */
    public static Array cumprod(Array x) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.PROD, x, null, false, true); }

    /** Cumulative product along {@code axis}. */
    public static Array cumprod(Array x, int axis) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.PROD, x, axis, false, true); }

    /** Cumulative product along {@code axis} with MLX's reverse and inclusive flags (exclusive starts at 1). */
    public static Array cumprod(Array x, int axis, boolean reverse, boolean inclusive) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.PROD, x, axis, reverse, inclusive); }

    /** Running maximum of the flattened array (NaN propagates; dtype kept). */
    public static Array cummax(Array x) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.MAX, x, null, false, true); }

    /** Running maximum along {@code axis}. */
    public static Array cummax(Array x, int axis) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.MAX, x, axis, false, true); }

    /**
     * Running maximum along {@code axis} with MLX's reverse and inclusive flags (exclusive starts at
     * the dtype's lowest value, -inf for floats). The gradient flows to the element each running
     * maximum came from (the first one, in scan order, on ties).
     */
    public static Array cummax(Array x, int axis, boolean reverse, boolean inclusive) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.MAX, x, axis, reverse, inclusive); }

    /** Running minimum of the flattened array (NaN propagates; dtype kept). */
    public static Array cummin(Array x) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.MIN, x, null, false, true); }

    /** Running minimum along {@code axis}. */
    public static Array cummin(Array x, int axis) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.MIN, x, axis, false, true); }

    /** Running minimum along {@code axis} with MLX's reverse and inclusive flags (exclusive starts at the dtype's highest value). */
    public static Array cummin(Array x, int axis, boolean reverse, boolean inclusive) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.MIN, x, axis, reverse, inclusive); }

    /** Running {@code log(sum(exp))} of the flattened array; integral inputs give float32. */
    public static Array logcumsumexp(Array x) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.LOGADDEXP, x, null, false, true); }

    /** Running {@code log(sum(exp))} along {@code axis}. */
    public static Array logcumsumexp(Array x, int axis) { return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.LOGADDEXP, x, axis, false, true); }

    /** Running {@code log(sum(exp))} along {@code axis} with MLX's reverse and inclusive flags (exclusive starts at -inf). */
    public static Array logcumsumexp(Array x, int axis, boolean reverse, boolean inclusive) {
        return org.mlx4j.core.ops.Scans.scan(org.mlx4j.core.primitive.ScanOp.LOGADDEXP, x, axis, reverse, inclusive);
    }

    /**
     * Sorted ascending along the last axis, NaN last; same shape and dtype.
     *
     * @throws IllegalArgumentException for a scalar
     */
    public static Array sort(Array x) { return org.mlx4j.core.ops.Sorting.sort(x, -1); }

    /** Sorted ascending along {@code axis}, NaN last. */
    public static Array sort(Array x, int axis) { return org.mlx4j.core.ops.Sorting.sort(x, axis); }

    /** Indices (uint32) that sort the last axis: stable, NaN last. */
    public static Array argsort(Array x) { return org.mlx4j.core.ops.Sorting.argsort(x, -1); }

    /** Indices (uint32) that sort {@code axis}: stable, NaN last. */
    public static Array argsort(Array x, int axis) { return org.mlx4j.core.ops.Sorting.argsort(x, axis); }

    /**
     * The {@code k} largest elements along the last axis, in ascending order (equal to the last k
     * entries of {@link #sort}; MLX leaves the order unspecified).
     * <pre>{@code topk(array(new float[] {3, 1, 4, 1, 5}), 2)   // [4, 5]}</pre>
     *
     * @throws IllegalArgumentException when k is not in [0, size of the axis]
     */
    public static Array topk(Array x, int k) { return org.mlx4j.core.ops.Sorting.topk(x, k, -1); }

    /** The {@code k} largest elements along {@code axis}, ascending. */
    public static Array topk(Array x, int k, int axis) { return org.mlx4j.core.ops.Sorting.topk(x, k, axis); }

    /**
     * {@code x} partitioned along the last axis around its {@code kth} smallest element (negative kth
     * counts from the end): that element lands where a sort would put it, nothing larger before it,
     * nothing smaller after it; the order within each side is unspecified.
     *
     * @throws IllegalArgumentException when kth is out of range
     */
    public static Array partition(Array x, int kth) { return org.mlx4j.core.ops.Sorting.partition(x, kth, -1); }

    /** {@code x} partitioned along {@code axis} around its {@code kth} smallest element. */
    public static Array partition(Array x, int kth, int axis) { return org.mlx4j.core.ops.Sorting.partition(x, kth, axis); }

    /** Indices (uint32) that partition the last axis around the {@code kth} smallest element. */
    public static Array argpartition(Array x, int kth) { return org.mlx4j.core.ops.Sorting.argpartition(x, kth, -1); }

    /** Indices (uint32) that partition {@code axis} around the {@code kth} smallest element. */
    public static Array argpartition(Array x, int kth, int axis) { return org.mlx4j.core.ops.Sorting.argpartition(x, kth, axis); }

    /**
     * {@code x} limited to [min, max] elementwise ({@code minimum(maximum(x, min), max)}, broadcast,
     * NumPy promotion); one bound may be null.
     *
     * @throws IllegalArgumentException when both bounds are null or a bound does not broadcast
     */
    public static Array clip(Array x, Array min, Array max) { return org.mlx4j.core.ops.Numerics.clip(x, min, max); }

    /**
     * {@link #clip(Array, Array, Array)} with scalar bounds typed like x; one may be null
     * (write {@code clip(x, 0.0, null)}: a Java int literal does not box to Double).
     */
    public static Array clip(Array x, Double min, Double max) { return org.mlx4j.core.ops.Numerics.clip(x, min, max); }

    /** {@link #clip(Array, Array, Array)} with both scalar bounds, e.g. {@code clip(x, 0, 6)}. */
    public static Array clip(Array x, double min, double max) { return org.mlx4j.core.ops.Numerics.clip(x, (Double) min, (Double) max); }

    /** NaN to 0 and ±inf to the dtype's largest and lowest finite values; integral arrays unchanged. */
    public static Array nanToNum(Array x) { return org.mlx4j.core.ops.Numerics.nanToNum(x, 0, null, null); }

    /** NaN to {@code nan}, +inf to {@code posinf}, -inf to {@code neginf} (null: the dtype's finite extremes). */
    public static Array nanToNum(Array x, double nan, Double posinf, Double neginf) { return org.mlx4j.core.ops.Numerics.nanToNum(x, nan, posinf, neginf); }

    /** {@code |a - b| <= 1e-8 + 1e-5 * |b|} elementwise (bool, broadcast); NaN is never close. */
    public static Array isclose(Array a, Array b) { return org.mlx4j.core.ops.Numerics.isclose(a, b, 1e-5, 1e-8, false); }

    /**
     * {@code |a - b| <= atol + rtol * |b|} elementwise (bool, broadcast), as NumPy; infinities are
     * close only to the same infinity, NaNs to each other only when {@code equalNan}.
     *
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public static Array isclose(Array a, Array b, double rtol, double atol, boolean equalNan) { return org.mlx4j.core.ops.Numerics.isclose(a, b, rtol, atol, equalNan); }

    /** A bool scalar: {@link #isclose(Array, Array)} holds everywhere. */
    public static Array allclose(Array a, Array b) { return org.mlx4j.core.ops.Numerics.allclose(a, b, 1e-5, 1e-8, false); }

    /** A bool scalar: {@link #isclose(Array, Array, double, double, boolean)} holds everywhere. */
    public static Array allclose(Array a, Array b, double rtol, double atol, boolean equalNan) { return org.mlx4j.core.ops.Numerics.allclose(a, b, rtol, atol, equalNan); }

    /** A bool scalar: same shape and equal values; false (no error) when the shapes differ; NaN unequal. */
    public static Array arrayEqual(Array a, Array b) { return org.mlx4j.core.ops.Numerics.arrayEqual(a, b, false); }

    /** A bool scalar: same shape and equal values, NaNs equal to each other when {@code equalNan}. */
    public static Array arrayEqual(Array a, Array b, boolean equalNan) { return org.mlx4j.core.ops.Numerics.arrayEqual(a, b, equalNan); }

    // <<REDUCTIONS-MORE-END>>


    // =================================================================== addmm, inner, outer, tensordot, einsum
    // <<LINALG-MORE-BEGIN>>

    /**
     * {@code beta * c + alpha * (a @ b)} (MLX addmm). {@code a @ b} follows {@link #matmul}; {@code c}
     * must broadcast to its shape. dtype: the product's, promoted with {@code c}'s. With {@code beta == 0},
     * {@code c} is not read. Example: {@code addmm(bias, x, w, 1, 1)} is {@code x @ w + bias}.
     *
     * @throws IllegalArgumentException ({@code [addmm]} / {@code [matmul]}) when the shapes do not fit
     */
    public static Array addmm(Array c, Array a, Array b, double alpha, double beta) { return LinAlg.addmm(c, a, b, alpha, beta); }

    /** {@code c + a @ b}; see {@link #addmm(Array, Array, Array, double, double)}. */
    public static Array addmm(Array c, Array a, Array b) { return LinAlg.addmm(c, a, b, 1, 1); }

    /**
     * Inner product over the last axes (NumPy inner): shape {@code a.shape[:-1] + b.shape[:-1]}; a scalar
     * operand multiplies. Integral inputs compute in float32, like {@link #matmul}.
     *
     * @throws IllegalArgumentException ({@code [inner]}) when the last axes differ in size
     */
    public static Array inner(Array a, Array b) { return LinAlg.inner(a, b); }

    /** Outer product of the flattened operands: shape {@code (a.size, b.size)}, dtype promoted. */
    public static Array outer(Array a, Array b) { return LinAlg.outer(a, b); }

    /**
     * Tensor product over the last {@code axes} axes of {@code a} and the first {@code axes} of
     * {@code b}; shape: the other axes of a, then those of b. {@code tensordot(a, b, 1)} of matrices is
     * {@code a @ b}.
     *
     * @throws IllegalArgumentException ({@code [tensordot]}) for a bad count or unequal contracted sizes
     */
    public static Array tensordot(Array a, Array b, int axes) { return LinAlg.tensordot(a, b, axes); }

    /**
     * Tensor product summing over the axis pairs {@code (axesA[i], axesB[i])} (negative axes count from
     * the end); shape: the remaining axes of a, then those of b.
     *
     * @throws IllegalArgumentException ({@code [tensordot]}) for mismatched lists, repeated or out-of-range axes, or unequal sizes
     */
    public static Array tensordot(Array a, Array b, int[] axesA, int[] axesB) { return LinAlg.tensordot(a, b, axesA, axesB); }

    /**
     * Einstein summation, e.g. {@code einsum("ij,jk->ik", a, b)} (matmul), {@code "bij,bjk->bik"}
     * (batched), {@code "ii->"} (trace), {@code "ii->i"} (diagonal), {@code "ij->ji"}, {@code "i,i->"}
     * (dot), {@code "...ij->...ji"}. Without {@code ->} the output is the indices that occur once, in
     * alphabetical order. Indices missing from the output are summed. Contractions run as matmuls
     * (integral inputs then compute in float32); differentiable.
     *
     * @throws IllegalArgumentException ({@code [einsum]}) for malformed subscripts, a wrong operand count or mismatched sizes
     */
    public static Array einsum(String subscripts, Array... operands) { return LinAlg.einsum(subscripts, operands); }
    // <<LINALG-MORE-END>>


    // =================================================================== convolutions
    // <<CONV-BEGIN>>

    /**
     * 1-d convolution, channels last (MLX {@code conv1d}): input (N, L, C_in), weight
     * (C_out, K, C_in/groups) -&gt; (N, L_out, C_out) with
     * {@code L_out = (L + 2*padding - dilation*(K-1) - 1) / stride + 1}. The input must be floating;
     * the weight is promoted with it.
     *
     * @throws IllegalArgumentException on wrong ranks, mismatched channels or groups, non-positive
     *                                  stride/dilation, negative padding, or a kernel larger than the padded input
     */
    public static Array conv1d(Array input, Array weight, int stride, int padding, int dilation, int groups) {
        return org.mlx4j.core.ops.Conv.conv("conv1d", 1, input, weight, new int[] {stride}, new int[] {padding}, new int[] {dilation},
                groups);
    }

    /** {@link #conv1d(Array, Array, int, int, int, int)} with dilation 1 and one group. */
    public static Array conv1d(Array input, Array weight, int stride, int padding) { return conv1d(input, weight, stride, padding, 1, 1); }

    /** {@link #conv1d(Array, Array, int, int, int, int)} with stride 1, no padding, dilation 1, one group. */
    public static Array conv1d(Array input, Array weight) { return conv1d(input, weight, 1, 0, 1, 1); }

    /**
     * 2-d convolution, channels last (MLX {@code conv2d}): input (N, H, W, C_in), weight
     * (C_out, kH, kW, C_in/groups) -&gt; (N, H_out, W_out, C_out); stride, padding (both sides) and
     * dilation per spatial axis. The input must be floating; the weight is promoted with it.
     * <pre>{@code
     * Array y = conv2d(x, w, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 1);
     * }</pre>
     *
     * @throws IllegalArgumentException on wrong ranks, mismatched channels or groups, parameters of
     *                                  the wrong length or sign, or a kernel larger than the padded input
     */
    public static Array conv2d(Array input, Array weight, int[] stride, int[] padding, int[] dilation, int groups) {
        return org.mlx4j.core.ops.Conv.conv("conv2d", 2, input, weight, stride, padding, dilation, groups);
    }

    /** {@link #conv2d(Array, Array, int[], int[], int[], int)} with each int applied to both spatial axes. */
    public static Array conv2d(Array input, Array weight, int stride, int padding, int dilation, int groups) {
        return conv2d(input, weight, perAxis(2, stride), perAxis(2, padding), perAxis(2, dilation), groups);
    }

    /** {@link #conv2d(Array, Array, int[], int[], int[], int)} with dilation 1 and one group. */
    public static Array conv2d(Array input, Array weight, int stride, int padding) { return conv2d(input, weight, stride, padding, 1, 1); }

    /** {@link #conv2d(Array, Array, int[], int[], int[], int)} with stride 1, no padding, dilation 1, one group. */
    public static Array conv2d(Array input, Array weight) { return conv2d(input, weight, 1, 0, 1, 1); }

    /**
     * 3-d convolution, channels last (MLX {@code conv3d}): input (N, D, H, W, C_in), weight
     * (C_out, kD, kH, kW, C_in/groups) -&gt; (N, D_out, H_out, W_out, C_out).
     *
     * @throws IllegalArgumentException as {@link #conv2d(Array, Array, int[], int[], int[], int)}
     */
    public static Array conv3d(Array input, Array weight, int[] stride, int[] padding, int[] dilation, int groups) {
        return org.mlx4j.core.ops.Conv.conv("conv3d", 3, input, weight, stride, padding, dilation, groups);
    }

    /** {@link #conv3d(Array, Array, int[], int[], int[], int)} with each int applied to all spatial axes. */
    public static Array conv3d(Array input, Array weight, int stride, int padding, int dilation, int groups) {
        return conv3d(input, weight, perAxis(3, stride), perAxis(3, padding), perAxis(3, dilation), groups);
    }

    /** {@link #conv3d(Array, Array, int[], int[], int[], int)} with dilation 1 and one group. */
    public static Array conv3d(Array input, Array weight, int stride, int padding) { return conv3d(input, weight, stride, padding, 1, 1); }

    /** {@link #conv3d(Array, Array, int[], int[], int[], int)} with stride 1, no padding, dilation 1, one group. */
    public static Array conv3d(Array input, Array weight) { return conv3d(input, weight, 1, 0, 1, 1); }

    /**
     * The general convolution (MLX {@code conv_general}), any number of spatial axes: input
     * (N, S..., C_in), weight (C_out, k..., C_in/groups). Along each spatial axis the input is
     * dilated by {@code inputDilation} (zeros between elements), padded by {@code paddingLo} and
     * {@code paddingHi} zeros, and correlated with the kernel dilated by {@code kernelDilation} at
     * step {@code stride}; {@code flip} flips the kernel (a true convolution). Output size per axis:
     * {@code ((S-1)*inputDilation + 1 + lo + hi - (k-1)*kernelDilation - 1) / stride + 1}.
     *
     * @throws IllegalArgumentException on mismatched ranks, channels or groups, parameters of the
     *                                  wrong length or sign, an integral input, or a kernel larger than the padded input
     */
    public static Array convGeneral(Array input, Array weight, int[] stride, int[] paddingLo, int[] paddingHi,
                                    int[] kernelDilation, int[] inputDilation, int groups, boolean flip) {
        return org.mlx4j.core.ops.Conv.convGeneral("convGeneral", input, weight, stride, paddingLo, paddingHi, kernelDilation,
                inputDilation, groups, flip);
    }

    /**
     * {@link #convGeneral(Array, Array, int[], int[], int[], int[], int[], int, boolean)} with symmetric
     * padding, no dilation, one group.
     */
    public static Array convGeneral(Array input, Array weight, int[] stride, int[] padding) {
        int d = Math.max(1, input.ndim() - 2);
        return convGeneral(input, weight, stride, padding, padding, perAxis(d, 1), perAxis(d, 1), 1, false);
    }

    /**
     * {@link #convGeneral(Array, Array, int[], int[], int[], int[], int[], int, boolean)} with stride 1
     * and no padding or dilation.
     */
    public static Array convGeneral(Array input, Array weight) {
        int d = Math.max(1, input.ndim() - 2);
        return convGeneral(input, weight, perAxis(d, 1), perAxis(d, 0));
    }

    /**
     * 1-d transposed convolution (MLX {@code conv_transpose1d}), the adjoint of {@link #conv1d} in its
     * input: input (N, L, C_in), weight (C_out, K, C_in/groups) -&gt; (N, L_out, C_out) with
     * {@code L_out = (L-1)*stride - 2*padding + dilation*(K-1) + 1 + outputPadding}.
     *
     * @throws IllegalArgumentException as {@link #conv1d}, or when outputPadding is not smaller than
     *                                  the stride or the dilation, or the padding leaves no output
     */
    public static Array convTranspose1d(Array input, Array weight, int stride, int padding, int dilation, int outputPadding, int groups) {
        return org.mlx4j.core.ops.Conv.convTranspose("convTranspose1d", 1, input, weight, new int[] {stride}, new int[] {padding},
                new int[] {dilation}, new int[] {outputPadding}, groups);
    }

    /** {@link #convTranspose1d(Array, Array, int, int, int, int, int)} with dilation 1, no output padding, one group. */
    public static Array convTranspose1d(Array input, Array weight, int stride, int padding) {
        return convTranspose1d(input, weight, stride, padding, 1, 0, 1);
    }

    /** {@link #convTranspose1d(Array, Array, int, int, int, int, int)} with stride 1 and no padding. */
    public static Array convTranspose1d(Array input, Array weight) { return convTranspose1d(input, weight, 1, 0, 1, 0, 1); }

    /**
     * 2-d transposed convolution (MLX {@code conv_transpose2d}): input (N, H, W, C_in), weight
     * (C_out, kH, kW, C_in/groups) -&gt; (N, H_out, W_out, C_out), per axis
     * {@code (S-1)*stride - 2*padding + dilation*(k-1) + 1 + outputPadding}.
     *
     * @throws IllegalArgumentException as {@link #convTranspose1d(Array, Array, int, int, int, int, int)}
     */
    public static Array convTranspose2d(Array input, Array weight, int[] stride, int[] padding, int[] dilation, int[] outputPadding,
                                         int groups) {
        return org.mlx4j.core.ops.Conv.convTranspose("convTranspose2d", 2, input, weight, stride, padding, dilation, outputPadding, groups);
    }

    /** {@link #convTranspose2d(Array, Array, int[], int[], int[], int[], int)} with each int applied to both spatial axes. */
    public static Array convTranspose2d(Array input, Array weight, int stride, int padding, int dilation, int outputPadding, int groups) {
        return convTranspose2d(input, weight, perAxis(2, stride), perAxis(2, padding), perAxis(2, dilation),
                perAxis(2, outputPadding), groups);
    }

    /** {@link #convTranspose2d(Array, Array, int[], int[], int[], int[], int)} with dilation 1, no output padding, one group. */
    public static Array convTranspose2d(Array input, Array weight, int stride, int padding) {
        return convTranspose2d(input, weight, stride, padding, 1, 0, 1);
    }

    /** {@link #convTranspose2d(Array, Array, int[], int[], int[], int[], int)} with stride 1 and no padding. */
    public static Array convTranspose2d(Array input, Array weight) { return convTranspose2d(input, weight, 1, 0, 1, 0, 1); }

    /**
     * 3-d transposed convolution (MLX {@code conv_transpose3d}): input (N, D, H, W, C_in), weight
     * (C_out, kD, kH, kW, C_in/groups) -&gt; (N, D_out, H_out, W_out, C_out).
     *
     * @throws IllegalArgumentException as {@link #convTranspose1d(Array, Array, int, int, int, int, int)}
     */
    public static Array convTranspose3d(Array input, Array weight, int[] stride, int[] padding, int[] dilation, int[] outputPadding,
                                         int groups) {
        return org.mlx4j.core.ops.Conv.convTranspose("convTranspose3d", 3, input, weight, stride, padding, dilation, outputPadding, groups);
    }

    /** {@link #convTranspose3d(Array, Array, int[], int[], int[], int[], int)} with each int applied to all spatial axes. */
    public static Array convTranspose3d(Array input, Array weight, int stride, int padding, int dilation, int outputPadding, int groups) {
        return convTranspose3d(input, weight, perAxis(3, stride), perAxis(3, padding), perAxis(3, dilation),
                perAxis(3, outputPadding), groups);
    }

    /** {@link #convTranspose3d(Array, Array, int[], int[], int[], int[], int)} with dilation 1, no output padding, one group. */
    public static Array convTranspose3d(Array input, Array weight, int stride, int padding) {
        return convTranspose3d(input, weight, stride, padding, 1, 0, 1);
    }

    /** {@link #convTranspose3d(Array, Array, int[], int[], int[], int[], int)} with stride 1 and no padding. */
    public static Array convTranspose3d(Array input, Array weight) { return convTranspose3d(input, weight, 1, 0, 1, 0, 1); }

    /** {@code d} copies of {@code v}: an int parameter applied to every spatial axis. */
    private static int[] perAxis(int d, int v) {
        int[] r = new int[d];
        java.util.Arrays.fill(r, v);
        return r;
    }

    // <<CONV-END>>


    // =================================================================== random: keys and distributions
    // <<RANDOM-BEGIN>>
    // Keys are uint32 arrays of shape (2,); a null key means the global key sequence (see Random).

    /** The key of {@code seed}, uint32 {@code [seed >>> 32, seed & 0xffffffff]} (MLX {@code random.key}). */
    public static Array key(long seed) { return org.mlx4j.core.ops.Random.key(seed); }
    /** Resets the global key sequence to {@code key(seed)}, for reproducible runs (MLX {@code random.seed}). */
    public static void seed(long seed) { org.mlx4j.core.ops.Random.seed(seed); }
    /**
     * Two new keys as the rows of a (2, 2) uint32 array (MLX {@code random.split}; named splitKey
     * because {@code split} is the array op). @throws IllegalArgumentException for a bad key
     */
    public static Array splitKey(Array key) { return org.mlx4j.core.ops.Random.split(key); }
    /** {@code num} new keys, uint32 of shape (num, 2). @throws IllegalArgumentException for num &lt; 0 or a bad key */
    public static Array splitKey(Array key, int num) { return org.mlx4j.core.ops.Random.split(key, num); }

    /** uint32 random bits of {@code shape} from the global key. */
    public static Array bits(int... shape) { return org.mlx4j.core.ops.Random.bits(shape, 4, null); }
    /** uint32 random bits of {@code shape} from {@code key} (MLX's and JAX's bit stream). */
    public static Array bits(int[] shape, Array key) { return org.mlx4j.core.ops.Random.bits(shape, 4, key); }
    /** Random bits of width 4 (uint32), 1 (uint8) or 2 (uint16 values as int32). @throws IllegalArgumentException for another width */
    public static Array bits(int[] shape, int width, Array key) { return org.mlx4j.core.ops.Random.bits(shape, width, key); }

    /** float32 uniform samples in [0, 1). */
    public static Array uniform(int... shape) { return org.mlx4j.core.ops.Random.uniform(shape, DType.FLOAT32, null); }
    /** float32 uniform samples in [0, 1) from {@code key}. */
    public static Array uniform(int[] shape, Array key) { return org.mlx4j.core.ops.Random.uniform(shape, DType.FLOAT32, key); }
    /** Uniform samples in [0, 1) of a floating {@code dtype}. @throws IllegalArgumentException for a non-floating dtype */
    public static Array uniform(int[] shape, DType dtype, Array key) { return org.mlx4j.core.ops.Random.uniform(shape, dtype, key); }
    /** float32 uniform samples in [low, high). @throws IllegalArgumentException unless low &lt; high */
    public static Array uniform(double low, double high, int[] shape) { return org.mlx4j.core.ops.Random.uniform(low, high, shape, DType.FLOAT32, null); }
    /** Uniform samples in [low, high) of {@code dtype}. @throws IllegalArgumentException unless low &lt; high */
    public static Array uniform(double low, double high, int[] shape, DType dtype, Array key) { return org.mlx4j.core.ops.Random.uniform(low, high, shape, dtype, key); }
    /** Uniform samples between array bounds broadcast to {@code shape}; differentiable in the bounds. */
    public static Array uniform(Array low, Array high, int[] shape, DType dtype, Array key) { return org.mlx4j.core.ops.Random.uniform(low, high, shape, dtype, key); }

    /** float32 standard normal samples. */
    public static Array normal(int... shape) { return org.mlx4j.core.ops.Random.normal(shape, DType.FLOAT32, 0, 1, null); }
    /** float32 standard normal samples from {@code key}. */
    public static Array normal(int[] shape, Array key) { return org.mlx4j.core.ops.Random.normal(shape, DType.FLOAT32, 0, 1, key); }
    /** Standard normal samples of a floating {@code dtype}. */
    public static Array normal(int[] shape, DType dtype, Array key) { return org.mlx4j.core.ops.Random.normal(shape, dtype, 0, 1, key); }
    /** Normal samples with mean {@code loc} and standard deviation {@code scale}. */
    public static Array normal(int[] shape, DType dtype, double loc, double scale, Array key) { return org.mlx4j.core.ops.Random.normal(shape, dtype, loc, scale, key); }
    /** Normal samples with array {@code loc} and {@code scale} broadcast to {@code shape}; differentiable in both. */
    public static Array normal(int[] shape, DType dtype, Array loc, Array scale, Array key) { return org.mlx4j.core.ops.Random.normal(shape, dtype, loc, scale, key); }

    /** float32 normal samples truncated to [lower, upper]. @throws IllegalArgumentException if lower &gt; upper */
    public static Array truncatedNormal(double lower, double upper, int... shape) { return org.mlx4j.core.ops.Random.truncatedNormal(lower, upper, shape, DType.FLOAT32, null); }
    /** Normal samples of {@code dtype} truncated to [lower, upper]. @throws IllegalArgumentException if lower &gt; upper */
    public static Array truncatedNormal(double lower, double upper, int[] shape, DType dtype, Array key) { return org.mlx4j.core.ops.Random.truncatedNormal(lower, upper, shape, dtype, key); }
    /** Normal samples truncated to array bounds broadcast to {@code shape} (all {@code lower} where upper &lt;= lower). */
    public static Array truncatedNormal(Array lower, Array upper, int[] shape, DType dtype, Array key) { return org.mlx4j.core.ops.Random.truncatedNormal(lower, upper, shape, dtype, key); }
    /** Truncated normal samples of the bounds' broadcast shape. */
    public static Array truncatedNormal(Array lower, Array upper, DType dtype, Array key) { return org.mlx4j.core.ops.Random.truncatedNormal(lower, upper, dtype, key); }

    /** Bernoulli samples (bool) with probability {@code p}. */
    public static Array bernoulli(double p, int... shape) { return org.mlx4j.core.ops.Random.bernoulli(p, shape, null); }
    /** Bernoulli samples (bool) with probability {@code p} from {@code key}. */
    public static Array bernoulli(double p, int[] shape, Array key) { return org.mlx4j.core.ops.Random.bernoulli(p, shape, key); }
    /** Bernoulli samples of a floating array {@code p}'s shape. @throws IllegalArgumentException if p is not floating */
    public static Array bernoulli(Array p, Array key) { return org.mlx4j.core.ops.Random.bernoulli(p, key); }
    /** Bernoulli samples with {@code p} broadcast to {@code shape}. @throws IllegalArgumentException if p does not broadcast */
    public static Array bernoulli(Array p, int[] shape, Array key) { return org.mlx4j.core.ops.Random.bernoulli(p, shape, key); }

    /** int32 random integers in [low, high) (all {@code low} when high &lt;= low). */
    public static Array randint(long low, long high, int... shape) { return org.mlx4j.core.ops.Random.randint(low, high, shape, DType.INT32, null); }
    /** Random integers in [low, high) of an integer {@code dtype} (or bool). */
    public static Array randint(long low, long high, int[] shape, DType dtype, Array key) { return org.mlx4j.core.ops.Random.randint(low, high, shape, dtype, key); }
    /** Random integers between array bounds broadcast to {@code shape}. */
    public static Array randint(Array low, Array high, int[] shape, DType dtype, Array key) { return org.mlx4j.core.ops.Random.randint(low, high, shape, dtype, key); }

    /** One categorical sample (uint32 index) per row of {@code logits} along the last axis. */
    public static Array categorical(Array logits) { return org.mlx4j.core.ops.Random.categorical(logits, -1, null); }
    /** One categorical sample per distribution along {@code axis} of the logits (unnormalized log-probabilities). */
    public static Array categorical(Array logits, int axis, Array key) { return org.mlx4j.core.ops.Random.categorical(logits, axis, key); }
    /** {@code numSamples} samples per distribution, appended as the last axis. */
    public static Array categorical(Array logits, int axis, int numSamples, Array key) { return org.mlx4j.core.ops.Random.categorical(logits, axis, numSamples, key); }
    /** Categorical samples of {@code shape} (a broadcast of the logits' shape without {@code axis}). */
    public static Array categorical(Array logits, int axis, int[] shape, Array key) { return org.mlx4j.core.ops.Random.categorical(logits, axis, shape, key); }

    /** float32 standard Gumbel samples. */
    public static Array gumbel(int... shape) { return org.mlx4j.core.ops.Random.gumbel(shape, DType.FLOAT32, null); }
    /** Standard Gumbel samples of a floating {@code dtype}. */
    public static Array gumbel(int[] shape, DType dtype, Array key) { return org.mlx4j.core.ops.Random.gumbel(shape, dtype, key); }

    /** A random permutation of 0..n-1 (uint32). */
    public static Array permutation(int n) { return org.mlx4j.core.ops.Random.permutation(n, null); }
    /** A random permutation of 0..n-1 (uint32) from {@code key}. */
    public static Array permutation(int n, Array key) { return org.mlx4j.core.ops.Random.permutation(n, key); }
    /** {@code x} shuffled along axis 0. */
    public static Array permutation(Array x) { return org.mlx4j.core.ops.Random.permutation(x, 0, null); }
    /** {@code x} shuffled along {@code axis}; differentiable in x. */
    public static Array permutation(Array x, int axis, Array key) { return org.mlx4j.core.ops.Random.permutation(x, axis, key); }
    // <<RANDOM-END>>


    // =================================================================== save and load: npy, npz, safetensors
    // <<IO-BEGIN>>
    // All I/O writes atomically (temporary file, fsync, rename) and throws the checked
    // java.io.IOException, naming the file, for file-system failures and corrupt files; caller
    // mistakes (null arguments, wrong extensions) are IllegalArgumentExceptions. Loaded arrays
    // are evaluated CPU arrays. See org.mlx4j.core.io for the formats' details.

    /**
     * Saves {@code a} as a NumPy {@code .npy} file, byte for byte what {@code numpy.save} writes
     * (bfloat16 as {@code '<V2'}). Evaluates {@code a} (a sync point).
     * <pre>{@code save(Path.of("w.npy"), w); Array back = loadNpy(Path.of("w.npy")); }</pre>
     *
     * @throws IllegalArgumentException when {@code file} ends in {@code .npz} or {@code .safetensors}
     * @throws java.io.IOException     naming the file when it cannot be written (no partial file is left)
     */
    public static void save(java.nio.file.Path file, Array a) throws java.io.IOException { org.mlx4j.core.io.ArrayFiles.save(file, a); }

    /**
     * Saves several arrays by the extension of {@code file}: {@code .npz} (as {@link #savez}) or
     * {@code .safetensors} (as {@link #saveSafetensors(java.nio.file.Path, Map)}).
     *
     * @throws IllegalArgumentException for any other extension
     * @throws java.io.IOException     naming the file when it cannot be written
     */
    public static void save(java.nio.file.Path file, Map<String, Array> arrays) throws java.io.IOException { org.mlx4j.core.io.ArrayFiles.save(file, arrays); }

    /**
     * Loads a NumPy {@code .npy} file (versions 1.0-3.0, either byte order, C or Fortran order;
     * {@code '<V2'} reads as bfloat16).
     *
     * @throws java.io.IOException naming the file when it is unreadable, corrupt or of an unsupported dtype
     */
    public static Array loadNpy(java.nio.file.Path file) throws java.io.IOException { return org.mlx4j.core.io.Npy.load(file); }

    /**
     * Loads every array of a {@code .npy}, {@code .npz} or {@code .safetensors} file, chosen by
     * extension, in file order ({@code .npy}: one entry named after the file, {@code "w.npy"} gives {@code "w"}).
     * <pre>{@code Map<String, Array> weights = load(Path.of("model.safetensors")); }</pre>
     *
     * @throws IllegalArgumentException for any other extension
     * @throws java.io.IOException     naming the file when it is unreadable or corrupt
     */
    public static Map<String, Array> load(java.nio.file.Path file) throws java.io.IOException { return org.mlx4j.core.io.ArrayFiles.load(file); }

    /**
     * Saves {@code arrays} as an uncompressed NumPy {@code .npz} archive (entries {@code "name.npy"}, in
     * iteration order), like {@code numpy.savez}. Evaluates the arrays together (a sync point).
     *
     * @throws java.io.IOException naming the file when it cannot be written
     */
    public static void savez(java.nio.file.Path file, Map<String, Array> arrays) throws java.io.IOException { org.mlx4j.core.io.Npz.save(file, arrays, false); }

    /**
     * Saves {@code arrays} as a deflate-compressed {@code .npz} archive, like {@code numpy.savez_compressed}.
     *
     * @throws java.io.IOException naming the file when it cannot be written
     */
    public static void savezCompressed(java.nio.file.Path file, Map<String, Array> arrays) throws java.io.IOException { org.mlx4j.core.io.Npz.save(file, arrays, true); }

    /**
     * Loads a NumPy {@code .npz} archive: name (without {@code .npy}) to array, in archive order.
     *
     * @throws java.io.IOException naming the file and entry when it is unreadable or corrupt
     */
    public static Map<String, Array> loadNpz(java.nio.file.Path file) throws java.io.IOException { return org.mlx4j.core.io.Npz.load(file); }

    /**
     * Saves {@code arrays} as {@code .safetensors} (header in iteration order). Evaluates the arrays
     * together (a sync point).
     *
     * @throws IllegalArgumentException for an array named {@code "__metadata__"} or null entries
     * @throws java.io.IOException     naming the file when it cannot be written
     */
    public static void saveSafetensors(java.nio.file.Path file, Map<String, Array> arrays) throws java.io.IOException {
        org.mlx4j.core.io.Safetensors.save(file, arrays, Map.of());
    }

    /**
     * Saves {@code arrays} as {@code .safetensors} with string {@code metadata} (stored under
     * {@code "__metadata__"}).
     * <pre>{@code saveSafetensors(Path.of("m.safetensors"), params, Map.of("format", "mlx")); }</pre>
     *
     * @throws IllegalArgumentException for an array named {@code "__metadata__"} or null entries
     * @throws java.io.IOException     naming the file when it cannot be written
     */
    public static void saveSafetensors(java.nio.file.Path file, Map<String, Array> arrays, Map<String, String> metadata) throws java.io.IOException {
        org.mlx4j.core.io.Safetensors.save(file, arrays, metadata);
    }

    /**
     * Loads the arrays of a {@code .safetensors} file in header order (metadata is dropped; see
     * {@link #loadSafetensorsWithMetadata}).
     *
     * @throws java.io.IOException naming the file and the problem when it is unreadable or corrupt
     */
    public static Map<String, Array> loadSafetensors(java.nio.file.Path file) throws java.io.IOException {
        return new LinkedHashMap<>(org.mlx4j.core.io.Safetensors.load(file).arrays());
    }

    /**
     * Loads the arrays and the {@code "__metadata__"} strings of a {@code .safetensors} file.
     *
     * @throws java.io.IOException naming the file and the problem when it is unreadable or corrupt
     */
    public static org.mlx4j.core.io.SafetensorsFile loadSafetensorsWithMetadata(java.nio.file.Path file) throws java.io.IOException {
        return org.mlx4j.core.io.Safetensors.load(file);
    }
    // <<IO-END>>


    // =================================================================== customVjp, checkpoint
    // <<TRANSFORMS-MORE-BEGIN>>
    /**
     * {@code f} with a custom vjp: {@code vjp} receives (inputs, output cotangents, outputs) and
     * returns one cotangent per input (null for zero).
     * <pre>{@code
     * var clippedGrad = customVjp(xs -> List.of(sin(xs.get(0))),
     *         (xs, cots, outs) -> List.of(clip(cots.get(0), -1, 1)));
     * }</pre>
     */
    public static Function<List<Array>, List<Array>> customVjp(Function<List<Array>, List<Array>> f,
                                                               org.mlx4j.core.primitive.CustomGradient.Rule vjp) {
        return org.mlx4j.core.transforms.CustomTransforms.customVjp(f, vjp);
    }

    /** {@code f} recomputed in the backward pass instead of keeping its intermediates (gradient checkpointing). */
    public static Function<List<Array>, List<Array>> checkpoint(Function<List<Array>, List<Array>> f) {
        return org.mlx4j.core.transforms.CustomTransforms.checkpoint(f);
    }
    // <<TRANSFORMS-MORE-END>>


    // =================================================================== transforms

    /** Evaluates the arrays together (a sync point). */
    public static void eval(Array... arrays) { Evaluator.eval(arrays); }

    /** Evaluates the arrays together (a sync point). */
    public static void eval(Collection<Array> arrays) { Evaluator.eval(arrays); }

    /** Evaluates every array of a parameter tree (a sync point). */
    public static void eval(Map<String, Array> tree) { Evaluator.eval(tree.values()); }

    /**
     * Vector-Jacobian product of {@code f} at {@code primals} with output cotangents.
     *
     * @return the outputs and one cotangent per primal
     */
    public static Autodiff.VjpResult vjp(Function<List<Array>, List<Array>> f, List<Array> primals, List<Array> cotangents) {
        return Autodiff.vjp(f, primals, cotangents);
    }

    /**
     * Jacobian-vector product of {@code f} at {@code primals} with primal tangents.
     *
     * @return the outputs and one tangent per output
     */
    public static Autodiff.JvpResult jvp(Function<List<Array>, List<Array>> f, List<Array> primals, List<Array> tangents) {
        return Autodiff.jvp(f, primals, tangents);
    }

    /** A value and its gradient(s). */
    public record ValueAndGrad<G>(Array value, G grad) {}

    private static Array scalarOut(Array y, String op) {
        if (y.size() != 1) throw new IllegalArgumentException("[" + op + "] the function must return a scalar, got shape " + y.shape() + ".");
        return y;
    }

    /** The gradient of a scalar function of one array. */
    public static Function<Array, Array> grad(Function<Array, Array> f) {
        return x -> valueAndGrad(f).apply(x).grad();
    }

    /** Value and gradient of a scalar function of one array. */
    public static Function<Array, ValueAndGrad<Array>> valueAndGrad(Function<Array, Array> f) {
        return x -> {
            ValueAndGrad<List<Array>> r = valueAndGrad((List<Array> a) -> f.apply(a.get(0)), 0).apply(List.of(x));
            return new ValueAndGrad<>(r.value(), r.grad().get(0));
        };
    }

    /** Gradients of a scalar function of several arrays with respect to {@code argnums} (default 0). */
    public static Function<List<Array>, List<Array>> grad(Function<List<Array>, Array> f, int... argnums) {
        return args -> valueAndGrad(f, argnums).apply(args).grad();
    }

    /** Value and gradients with respect to {@code argnums} (default 0) of a scalar function of several arrays. */
    public static Function<List<Array>, ValueAndGrad<List<Array>>> valueAndGrad(Function<List<Array>, Array> f, int... argnums) {
        int[] an = argnums.length == 0 ? new int[] {0} : argnums.clone();
        return args -> {
            for (int a : an) {
                if (a < 0 || a >= args.size()) {
                    throw new IllegalArgumentException("[grad] argnum " + a + " is out of range for " + args.size() + " arguments.");
                }
            }
            List<Array> primals = new ArrayList<>(an.length);
            for (int a : an) primals.add(args.get(a));
            Function<List<Array>, List<Array>> g = ps -> {
                List<Array> full = new ArrayList<>(args);
                for (int i = 0; i < an.length; i++) full.set(an[i], ps.get(i));
                return List.of(scalarOut(f.apply(full), "grad"));
            };
            Autodiff.VjpResult r = Autodiff.vjp(g, primals, outs -> List.of(onesLike(outs.get(0))));
            return new ValueAndGrad<>(r.outputs().get(0), r.cotangents());
        };
    }

    /** The gradient of a scalar function of a parameter tree, shaped like the tree. */
    public static Function<Map<String, Array>, Map<String, Array>> gradTree(Function<Map<String, Array>, Array> f) {
        return t -> valueAndGradTree(f).apply(t).grad();
    }

    /** Value and gradient of a scalar function of a parameter tree (keys kept in order). */
    public static Function<Map<String, Array>, ValueAndGrad<Map<String, Array>>> valueAndGradTree(Function<Map<String, Array>, Array> f) {
        return tree -> {
            // an empty tree (a fully frozen model) has a value and no gradients, not "argnum 0"
            if (tree.isEmpty()) return new ValueAndGrad<>(scalarOut(f.apply(new LinkedHashMap<>()), "grad"), new LinkedHashMap<>());
            List<String> keys = new ArrayList<>(tree.keySet());
            List<Array> vals = new ArrayList<>(tree.values());
            ValueAndGrad<List<Array>> r = valueAndGrad((List<Array> ps) -> {
                Map<String, Array> m = new LinkedHashMap<>();
                for (int i = 0; i < keys.size(); i++) m.put(keys.get(i), ps.get(i));
                return f.apply(m);
            }, range(keys.size())).apply(vals);
            Map<String, Array> g = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) g.put(keys.get(i), r.grad().get(i));
            return new ValueAndGrad<>(r.value(), g);
        };
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    // =================================================================== memory

    /** Opens a {@link Scope}: arrays created on this thread until it closes are released then, except kept ones. */
    public static Scope scope() { return new Scope(); }

    /** Bytes held by live arrays. */
    public static long activeMemory() { return Allocator.global().activeMemory(); }

    /** Highest active memory since start or {@link #resetPeakMemory()}. */
    public static long peakMemory() { return Allocator.global().peakMemory(); }

    /** Resets the peak to the current active memory. */
    public static void resetPeakMemory() { Allocator.global().resetPeakMemory(); }

    /** Bytes cached for reuse. */
    public static long cacheMemory() { return Allocator.global().cacheMemory(); }

    /** Sets the soft limit on active memory; returns the previous one. */
    public static long setMemoryLimit(long bytes) { return Allocator.global().setMemoryLimit(bytes); }

    /** Sets the cache size limit; returns the previous one. */
    public static long setCacheLimit(long bytes) { return Allocator.global().setCacheLimit(bytes); }

    /** Frees the cache. */
    public static void clearCache() { Allocator.global().clearCache(); }
}
