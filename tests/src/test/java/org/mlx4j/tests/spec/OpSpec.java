package org.mlx4j.tests.spec;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;

/**
 * One row of the op-spec table: how to call the op, a float64 reference, the input domain, the
 * dtypes it is checked in, the shape family to expand over, and how many orders of derivative the
 * gradient checks verify.
 *
 * @param name      row name (the op, plus a variant such as the axes)
 * @param arity     number of array inputs
 * @param op        the op under test
 * @param reference the float64 reference over dense row-major inputs
 * @param lo        lower end of the input domain
 * @param hi        upper end of the input domain
 * @param dtypes    dtypes the value test runs in (float64 always runs the gradient checks)
 * @param shapes    which shape cases to expand
 * @param gradOrder 0 (not differentiable), 1 (jvp/vjp checks) or 2 (also second order)
 */
public record OpSpec(String name, int arity, Function<Array[], Array> op, Reference reference, double lo, double hi,
                     List<DType> dtypes, ShapeFamily shapes, int gradOrder) {

    /** A float64 reference: inputs as dense row-major doubles with their shapes, and the output shape. */
    @FunctionalInterface
    public interface Reference {
        double[] apply(double[][] inputs, Shape[] shapes, Shape out);
    }

    /**
     * The families of shape cases a row expands over. The SHAPE_ families serve the shape and indexing
     * rows: each holds only the cases where its rows' ops are valid (see {@link Cases}).
     */
    public enum ShapeFamily {
        UNARY, BINARY, REDUCE, MATMUL,
        /** One array of any rank: scalar, size 0, vectors, matrices, 3-d, and views (transposed, strided, reversed, broadcast). */
        SHAPE_ANY,
        /** {@link #SHAPE_ANY} without the scalar: rank 1 or more, last axis of at least 3. */
        SHAPE_ND,
        /** {@link #SHAPE_ND} without the vectors: rank 2 or more. */
        SHAPE_MATRIX,
        /** Matrices only (rank 2). */
        SHAPE_2D,
        /** Vectors only (rank 1). */
        SHAPE_VECTOR,
        /** Two arrays of one shape (rank 1 or more). */
        SHAPE_PAIR,
        /** An array x (rank 1 or more, last axis at least 3) and u of x's shape with a last axis of 2. */
        SHAPE_UPDATE,
        /** Rank-3 arrays (see {@link ReductionRows#cases}): views, a size-one axis, a broadcast along axis 0, size 0, a large view. */
        REDUCE_3D,
        /** {@link #REDUCE_3D} without the size-0 case (max, min, argmax, argmin reject it). */
        REDUCE_3D_NONEMPTY,
        /** Single arrays holding NaN and infinities among finite values (nanToNum). */
        NONFINITE,
        /** Pairs (a, b) with b near a: some elements within isclose's default tolerance, some not, some specials. */
        CLOSE_PAIRS,
        /** (input, weight) pairs for 1-d convolutions (see {@link ConvRows#cases}); groups = input channels / weight's last axis. */
        CONV_1D,
        /** (input, weight) pairs for 2-d convolutions. */
        CONV_2D,
        /** One (input, weight) pair for 3-d convolutions. */
        CONV_3D
    }

    static final List<DType> FLOATS = List.of(DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16);
    static final List<DType> F32_F64 = List.of(DType.FLOAT32, DType.FLOAT64);
    static final List<DType> INTS = List.of(DType.INT32, DType.INT64, DType.INT16, DType.UINT8);

    /** An elementwise unary row. */
    static OpSpec unary(String name, Function<Array, Array> op, DoubleUnaryOperator ref, double lo, double hi, int gradOrder) {
        return new OpSpec(name, 1, a -> op.apply(a[0]), (in, s, out) -> {
            double[] r = new double[in[0].length];
            for (int i = 0; i < r.length; i++) r[i] = ref.applyAsDouble(in[0][i]);
            return r;
        }, lo, hi, FLOATS, ShapeFamily.UNARY, gradOrder);
    }

    /** An elementwise binary row with NumPy broadcasting in the reference. */
    static OpSpec binary(String name, java.util.function.BinaryOperator<Array> op, DoubleBinaryOperator ref, double lo, double hi,
                         int gradOrder) {
        return new OpSpec(name, 2, a -> op.apply(a[0], a[1]), (in, s, out) -> Refs.broadcast2(in[0], s[0], in[1], s[1], out, ref),
                lo, hi, FLOATS, ShapeFamily.BINARY, gradOrder);
    }

    /** The same row with other dtypes. */
    OpSpec withDtypes(List<DType> d) { return new OpSpec(name, arity, op, reference, lo, hi, d, shapes, gradOrder); }

    @Override public String toString() { return name; }
}
