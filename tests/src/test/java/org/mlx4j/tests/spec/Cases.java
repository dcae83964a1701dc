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
        }
        return c;
    }
}
