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
    // <<SHAPE-MORE-END>>


    // =================================================================== softmax, logsumexp, scans, sort, clip, isclose, ...
    // <<REDUCTIONS-MORE-BEGIN>>
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
    // <<CONV-END>>


    // =================================================================== random: keys and distributions
    // <<RANDOM-BEGIN>>
    // <<RANDOM-END>>


    // =================================================================== save and load: npy, npz, safetensors
    // <<IO-BEGIN>>
    // <<IO-END>>


    // =================================================================== customVjp, checkpoint
    // <<TRANSFORMS-MORE-BEGIN>>
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
