package org.mlx4j.core;

import java.util.Arrays;

/**
 * An immutable array shape: the size of each axis, outermost first.
 *
 * <p>Shapes are values: two shapes with the same dimensions are equal. Axis arguments may be
 * negative and count from the end, as in NumPy.
 *
 * @param dims the axis sizes (copied; never modified afterwards)
 */
public record Shape(int[] dims) {
    /** The shape of a scalar: no axes, one element. */
    public static final Shape SCALAR = new Shape(new int[0]);

    /** Validates and copies the dimensions. */
    public Shape {
        dims = dims.clone();
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("[shape] negative dimension in " + Arrays.toString(dims) + ".");
        }
    }

    /** A shape from its axis sizes, e.g. {@code Shape.of(2, 3)}. */
    public static Shape of(int... dims) { return new Shape(dims); }

    /** Number of axes. */
    public int ndim() { return dims.length; }

    /** Size of axis {@code axis} (negative counts from the end). */
    public int dim(int axis) { return dims[normalizeAxis(axis, dims.length, "shape")]; }

    /** A copy of the dimensions. */
    public int[] toArray() { return dims.clone(); }

    /** Number of elements (1 for a scalar). */
    public long size() {
        long n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** Row-major strides in elements. */
    public long[] strides() {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /**
     * The NumPy broadcast of two shapes.
     *
     * @throws IllegalArgumentException naming {@code op} when the shapes do not broadcast
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) return a;
        int n = Math.max(a.ndim(), b.ndim());
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.ndim() ? 1 : a.dims[i - (n - a.ndim())];
            int db = i < n - b.ndim() ? 1 : b.dims[i - (n - b.ndim())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("[" + op + "] shapes " + a + " and " + b + " cannot be broadcast together.");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /** Normalizes a possibly negative axis, throwing an {@code [op]} error when out of range. */
    public static int normalizeAxis(int axis, int ndim, String op) {
        int a = axis < 0 ? axis + ndim : axis;
        if (a < 0 || a >= ndim) {
            throw new IllegalArgumentException("[" + op + "] axis " + axis + " is out of range for an array with " + ndim + " dimensions.");
        }
        return a;
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }

    /** NumPy style: {@code (2, 3)}, {@code (5,)} and {@code ()}. */
    @Override public String toString() {
        if (dims.length == 1) return "(" + dims[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims[i]);
        }
        return sb.append(')').toString();
    }
}
