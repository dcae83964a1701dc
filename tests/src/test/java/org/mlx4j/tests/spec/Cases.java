package org.mlx4j.tests.spec;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;

/**
 * Shape cases for each {@link OpSpec.ShapeFamily}: scalars, size 0, broadcasting pairs and
 * non-contiguous views (transposes and broadcasts), each a function from (row, dtype) to inputs.
 */
final class Cases {
    private Cases() {}

    /** A named way of making a row's inputs. */
    record Case(String name, Function<Maker, Array[]> inputs, boolean empty) {
        @Override public String toString() { return name; }
    }

    /** Makes arrays of one dtype with values from the row's domain. */
    static final class Maker {
        final OpSpec spec;
        final DType dtype;
        final SplittableRandom rnd;

        Maker(OpSpec spec, DType dtype, long seed) {
            this.spec = spec;
            this.dtype = dtype;
            this.rnd = new SplittableRandom(seed);
        }

        Array make(int... shape) {
            long n = 1;
            for (int d : shape) n *= d;
            double[] v = new double[(int) n];
            for (int i = 0; i < v.length; i++) {
                double x = spec.lo() + rnd.nextDouble() * (spec.hi() - spec.lo());
                v[i] = dtype.isIntegral() ? Math.rint(x) : x;
            }
            // array(double[]) without a shape is a vector; reshape gives scalars their () shape
            return astype(reshape(array(v, new int[] {v.length}), shape), dtype);
        }

        /** A (rows, cols) array that is a transposed view. */
        Array transposed(int rows, int cols) { return transpose(make(cols, rows)); }

        /** A vector of n that is a reversed view (a negative stride). */
        Array reversed(int n) { return slice(make(n), new int[] {n - 1}, new int[] {-1}, new int[] {-1}); }

        /** A (rows, cols) view with an offset and a column step: rows 1.. and every other column of (rows + 2, 2 cols). */
        Array strided(int rows, int cols) {
            return slice(make(rows + 2, 2 * cols), new int[] {1, 0}, new int[] {rows + 1, 2 * cols}, new int[] {1, 2});
        }

        /** An (a, b, c) array that is a permuted view of a dense (c, a, b) one. */
        Array permuted(int a, int b, int c) { return transpose(make(c, a, b), 1, 2, 0); }
    }

    private static Case one(String name, Function<Maker, Array> f) { return new Case(name, m -> new Array[] {f.apply(m)}, false); }

    private static Case two(String name, Function<Maker, Array> f, Function<Maker, Array> g) {
        return new Case(name, m -> new Array[] {f.apply(m), g.apply(m)}, false);
    }

    /** Rank-2 and rank-3 single-array cases, shared by the shape families; every last axis has at least 3. */
    private static void matrices(List<Case> c) {
        c.add(new Case("empty(0,3)", m -> new Array[] {m.make(0, 3)}, true));
        c.add(one("matrix(3,4)", m -> m.make(3, 4)));
        c.add(one("transposed(3,4)", m -> m.transposed(3, 4)));
        c.add(one("strided(3,3)", m -> m.strided(3, 3)));
        c.add(one("broadcast(1,4)->(3,4)", m -> broadcastTo(m.make(1, 4), 3, 4)));
        c.add(one("3d(2,3,4)", m -> m.make(2, 3, 4)));
        c.add(one("permuted(2,3,4)", m -> m.permuted(2, 3, 4)));
        c.add(one("unitAxis(2,1,4)", m -> transpose(m.make(4, 1, 2))));
        // above the kernels' parallel grain (2^14 elements), so their split ranges run too
        c.add(one("largeTransposed(67,300)", m -> m.transposed(67, 300)));
    }

    static List<Case> of(OpSpec.ShapeFamily f) {
        List<Case> c = new ArrayList<>();
        switch (f) {
            case UNARY -> {
                c.add(new Case("scalar", m -> new Array[] {m.make()}, false));
                c.add(new Case("empty(0,3)", m -> new Array[] {m.make(0, 3)}, true));
                c.add(new Case("vector(7)", m -> new Array[] {m.make(7)}, false));
                c.add(new Case("matrix(3,4)", m -> new Array[] {m.make(3, 4)}, false));
                c.add(new Case("transposed(3,4)", m -> new Array[] {m.transposed(3, 4)}, false));
                c.add(new Case("broadcast(1,4)->(3,4)", m -> new Array[] {broadcastTo(m.make(1, 4), 3, 4)}, false));
            }
            case BINARY -> {
                c.add(new Case("same(3,4)", m -> new Array[] {m.make(3, 4), m.make(3, 4)}, false));
                c.add(new Case("scalar,(3,4)", m -> new Array[] {m.make(), m.make(3, 4)}, false));
                c.add(new Case("(3,1),(1,4)", m -> new Array[] {m.make(3, 1), m.make(1, 4)}, false));
                c.add(new Case("(4,),(3,4)", m -> new Array[] {m.make(4), m.make(3, 4)}, false));
                c.add(new Case("empty(0,3),(3,)", m -> new Array[] {m.make(0, 3), m.make(3)}, true));
                c.add(new Case("(3,4),transposed(3,4)", m -> new Array[] {m.make(3, 4), m.transposed(3, 4)}, false));
                c.add(new Case("scalar,scalar", m -> new Array[] {m.make(), m.make()}, false));
            }
            case REDUCE -> {
                c.add(new Case("matrix(3,4)", m -> new Array[] {m.make(3, 4)}, false));
                c.add(new Case("3d(2,3,4)", m -> new Array[] {m.make(2, 3, 4)}, false));
                c.add(new Case("transposed(3,5)", m -> new Array[] {m.transposed(3, 5)}, false));
                c.add(new Case("broadcast(1,4)->(3,4)", m -> new Array[] {broadcastTo(m.make(1, 4), 3, 4)}, false));
            }
            case MATMUL -> {
                c.add(new Case("(3,4)@(4,5)", m -> new Array[] {m.make(3, 4), m.make(4, 5)}, false));
                c.add(new Case("(2,3,4)@(4,5)", m -> new Array[] {m.make(2, 3, 4), m.make(4, 5)}, false));
                c.add(new Case("T(3,4)@T(4,5)", m -> new Array[] {m.transposed(3, 4), m.transposed(4, 5)}, false));
                c.add(new Case("(4,)@(4,5)", m -> new Array[] {m.make(4), m.make(4, 5)}, false));
                c.add(new Case("(3,0)@(0,5)", m -> new Array[] {m.make(3, 0), m.make(0, 5)}, true));
                c.add(new Case("(1,3,4)@(2,4,2)", m -> new Array[] {m.make(1, 3, 4), m.make(2, 4, 2)}, false));
            }
            case SHAPE_ANY -> {
                c.add(one("scalar", m -> m.make()));
                c.addAll(of(OpSpec.ShapeFamily.SHAPE_ND));
            }
            case SHAPE_ND -> {
                c.add(one("vector(7)", m -> m.make(7)));
                c.add(one("reversed(5)", m -> m.reversed(5)));
                matrices(c);
            }
            case SHAPE_MATRIX -> matrices(c);
            case SHAPE_2D -> {
                c.add(new Case("empty(0,3)", m -> new Array[] {m.make(0, 3)}, true));
                c.add(one("matrix(3,4)", m -> m.make(3, 4)));
                c.add(one("transposed(3,4)", m -> m.transposed(3, 4)));
                c.add(one("strided(3,3)", m -> m.strided(3, 3)));
                c.add(one("broadcast(1,4)->(3,4)", m -> broadcastTo(m.make(1, 4), 3, 4)));
                c.add(one("tall(5,2)", m -> m.make(5, 2)));
            }
            case SHAPE_VECTOR -> {
                c.add(new Case("empty(0)", m -> new Array[] {m.make(0)}, true));
                c.add(one("single(1)", m -> m.make(1)));
                c.add(one("vector(7)", m -> m.make(7)));
                c.add(one("reversed(5)", m -> m.reversed(5)));
                c.add(one("broadcast(1)->(4)", m -> broadcastTo(m.make(1), 4)));
            }
            case SHAPE_PAIR -> {
                c.add(new Case("empty(0,3),(0,3)", m -> new Array[] {m.make(0, 3), m.make(0, 3)}, true));
                c.add(two("vector(7),reversed(7)", m -> m.make(7), m -> m.reversed(7)));
                c.add(two("(3,4),(3,4)", m -> m.make(3, 4), m -> m.make(3, 4)));
                c.add(two("transposed(3,4),broadcast(1,4)->(3,4)", m -> m.transposed(3, 4), m -> broadcastTo(m.make(1, 4), 3, 4)));
                c.add(two("strided(3,3),transposed(3,3)", m -> m.strided(3, 3), m -> m.transposed(3, 3)));
                c.add(two("3d(2,3,4),permuted(2,3,4)", m -> m.make(2, 3, 4), m -> m.permuted(2, 3, 4)));
                c.add(two("unitAxis(2,1,4),(2,1,4)", m -> transpose(m.make(4, 1, 2)), m -> m.make(2, 1, 4)));
                c.add(two("large(67,300),transposed(67,300)", m -> m.make(67, 300), m -> m.transposed(67, 300)));
            }
            case SHAPE_UPDATE -> {
                c.add(new Case("empty(0,3),(0,2)", m -> new Array[] {m.make(0, 3), m.make(0, 2)}, true));
                c.add(two("vector(7),(2,)", m -> m.make(7), m -> m.make(2)));
                c.add(two("reversed(5),reversed(2)", m -> m.reversed(5), m -> m.reversed(2)));
                c.add(two("(3,4),(3,2)", m -> m.make(3, 4), m -> m.make(3, 2)));
                c.add(two("transposed(3,4),transposed(3,2)", m -> m.transposed(3, 4), m -> m.transposed(3, 2)));
                c.add(two("strided(3,3),broadcast(1,2)->(3,2)", m -> m.strided(3, 3), m -> broadcastTo(m.make(1, 2), 3, 2)));
                c.add(two("broadcast(1,4)->(3,4),strided(3,2)", m -> broadcastTo(m.make(1, 4), 3, 4), m -> m.strided(3, 2)));
                c.add(two("3d(2,3,4),permuted(2,3,2)", m -> m.make(2, 3, 4), m -> m.permuted(2, 3, 2)));
                c.add(two("unitAxis(2,1,4),(2,1,2)", m -> transpose(m.make(4, 1, 2)), m -> m.make(2, 1, 2)));
                c.add(two("large(41,500),transposed(41,2)", m -> m.make(41, 500), m -> m.transposed(41, 2)));
            }
            case REDUCE_3D, REDUCE_3D_NONEMPTY, NONFINITE, CLOSE_PAIRS -> c.addAll(ReductionRows.cases(f));
            case CONV_1D, CONV_2D, CONV_3D -> c.addAll(ConvRows.cases(f));
        }
        return c;
    }
}
