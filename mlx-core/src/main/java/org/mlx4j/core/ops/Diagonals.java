package org.mlx4j.core.ops;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.Diagonal;

/** Triangles and diagonals: tril, triu, diagonal, diag. See {@link org.mlx4j.core.MX}. */
public final class Diagonals {
    private Diagonals() {}

    /**
     * {@code x} with the elements above diagonal {@code k} of its last two axes set to zero.
     *
     * @throws IllegalArgumentException when x has fewer than two dimensions
     */
    public static Array tril(Array x, int k) { return triangle("tril", x, k, true); }

    /**
     * {@code x} with the elements below diagonal {@code k} of its last two axes set to zero.
     *
     * @throws IllegalArgumentException when x has fewer than two dimensions
     */
    public static Array triu(Array x, int k) { return triangle("triu", x, k, false); }

    private static Array triangle(String op, Array x, int k, boolean lower) {
        if (x.ndim() < 2) throw new IllegalArgumentException("[" + op + "] needs at least 2 dimensions, got shape " + x.shape() + ".");
        int n = x.dim(-2), m = x.dim(-1);
        // keep mask: j - i <= k for tril; for triu, not (j - i <= k - 1)
        Array mask = Creation.tri(n, m, lower ? k : k - 1, DType.BOOL);
        if (!lower) mask = Elementwise.unary(org.mlx4j.core.primitive.UnaryOp.LOGICAL_NOT, mask);
        if (!mask.device().equals(x.device())) mask = ShapeOps.toDevice(mask, x.device());
        Array zero = Elementwise.astype(Creation.scalarLike(0, x), x.dtype());
        return Elementwise.where(mask, x, zero);
    }

    /**
     * The diagonal {@code offset} of the matrices spanned by {@code axis1} and {@code axis2}, as
     * NumPy's {@code diagonal}: those axes are removed and the diagonal becomes the last axis, of
     * length {@code max(0, min(d1, d2 - offset))} for offset &gt;= 0 ({@code min(d1 + offset, d2)}
     * below). A view: no elements are copied.
     *
     * @throws IllegalArgumentException when x has fewer than two dimensions or the axes are bad or equal
     */
    public static Array diagonal(Array x, int offset, int axis1, int axis2) {
        if (x.ndim() < 2) throw new IllegalArgumentException("[diagonal] needs at least 2 dimensions, got shape " + x.shape() + ".");
        int a1 = Shape.normalizeAxis(axis1, x.ndim(), "diagonal"), a2 = Shape.normalizeAxis(axis2, x.ndim(), "diagonal");
        if (a1 == a2) throw new IllegalArgumentException("[diagonal] axis1 and axis2 must differ, got " + axis1 + " and " + axis2 + ".");
        int d1 = x.dim(a1), d2 = x.dim(a2);
        long len = offset >= 0 ? Math.min((long) d1, (long) d2 - offset) : Math.min((long) d1 + offset, d2);
        int[] out = new int[x.ndim() - 1];
        int k = 0;
        for (int i = 0; i < x.ndim(); i++) if (i != a1 && i != a2) out[k++] = x.dim(i);
        out[k] = (int) Math.max(0, len);
        return Array.node(new Shape(out), x.dtype(), new Diagonal(offset, a1, a2), x);
    }

    /**
     * For a vector, the square matrix with it on diagonal {@code k} (size n + |k|); for a matrix, its
     * diagonal {@code k} (as {@link #diagonal}).
     *
     * @throws IllegalArgumentException when x is not 1-D or 2-D
     */
    public static Array diag(Array x, int k) {
        if (x.ndim() == 2) return diagonal(x, k, 0, 1);
        if (x.ndim() != 1) throw new IllegalArgumentException("[diag] needs a 1-D or 2-D array, got shape " + x.shape() + ".");
        int len = x.dim(0);
        int size = Math.addExact(len, Math.abs(k));
        int flat = Math.multiplyExact(size, size);
        Array z = Creation.zeros(new int[] {flat}, x.dtype());
        if (!z.device().equals(x.device())) z = ShapeOps.toDevice(z, x.device());
        if (len > 0) {
            // diagonal k of a size x size matrix is the flat range start, start + size + 1, ...
            int start = k >= 0 ? k : -k * size;
            z = ShapeOps.sliceUpdate(z, x, new int[] {start}, new int[] {start + (len - 1) * (size + 1) + 1}, new int[] {size + 1});
        }
        return ShapeOps.reshape(z, size, size);
    }
}
