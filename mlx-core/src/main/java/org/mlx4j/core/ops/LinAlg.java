package org.mlx4j.core.ops;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.Matmul;
import org.mlx4j.core.primitive.ReduceOp;

/**
 * Matrix and tensor products: matmul, addmm, inner, outer, tensordot (einsum lives in
 * {@link Einsum}). Everything but matmul is composed of public ops (transposes, reshapes, matmul,
 * multiply, sum), so all of it is differentiable. See {@link org.mlx4j.core.MX}.
 */
public final class LinAlg {
    private LinAlg() {}

    /**
     * NumPy matmul: 1-D operands are promoted to matrices and the added axis removed afterwards;
     * batch axes broadcast. Integral inputs compute in float32.
     */
    public static Array matmul(Array a, Array b) {
        Elementwise.sameDevice("matmul", a, b);
        if (a.ndim() == 0 || b.ndim() == 0) {
            throw new IllegalArgumentException("[matmul] got a scalar operand (shapes " + a.shape() + " and " + b.shape() + "); use multiply.");
        }
        DType t = DType.promote(a.dtype(), b.dtype()).toFloating();
        boolean va = a.ndim() == 1, vb = b.ndim() == 1;
        Array x = va ? ShapeOps.expandDims(a, 0) : a;
        Array y = vb ? ShapeOps.expandDims(b, 1) : b;
        int kx = x.shape().dim(-1), ky = y.shape().dim(-2);
        if (kx != ky) {
            throw new IllegalArgumentException("[matmul] last axis of the first operand (" + kx + ") must match the second-to-last of the second ("
                    + ky + "). Got shapes " + a.shape() + " and " + b.shape() + ".");
        }
        int[] bx = java.util.Arrays.copyOf(x.shape().dims(), x.ndim() - 2);
        int[] by = java.util.Arrays.copyOf(y.shape().dims(), y.ndim() - 2);
        Shape batch = Shape.broadcast("matmul", new Shape(bx), new Shape(by));
        int m = x.shape().dim(-2), n = y.shape().dim(-1);
        int[] xs = concat(batch.dims(), m, kx), ys = concat(batch.dims(), ky, n), os = concat(batch.dims(), m, n);
        x = ShapeOps.broadcastTo(Elementwise.astype(x, t), xs);
        y = ShapeOps.broadcastTo(Elementwise.astype(y, t), ys);
        Array out = Array.node(new Shape(os), t, new Matmul(), x, y);
        if (va) out = ShapeOps.squeeze(out, -2);
        if (vb) out = ShapeOps.squeeze(out, -1);
        return out;
    }

    /**
     * {@code beta * c + alpha * (a @ b)}; {@code c} broadcasts to the shape of {@code a @ b}. The dtype
     * is that of {@code a @ b} promoted with {@code c}. With {@code beta == 0} the values of {@code c}
     * are not read (NaNs in it do not propagate), as in BLAS.
     */
    public static Array addmm(Array c, Array a, Array b, double alpha, double beta) {
        Elementwise.sameDevice("addmm", c, a);
        Array p = matmul(a, b);
        Shape joint;
        try {
            joint = Shape.broadcast("addmm", c.shape(), p.shape());
        } catch (IllegalArgumentException e) {
            joint = null;
        }
        if (!p.shape().equals(joint)) {
            throw new IllegalArgumentException("[addmm] c of shape " + c.shape() + " does not broadcast to the shape " + p.shape()
                    + " of a @ b (a " + a.shape() + ", b " + b.shape() + ").");
        }
        DType t = DType.promote(p.dtype(), c.dtype()).toFloating();
        p = Elementwise.astype(p, t);
        if (alpha != 1) p = Elementwise.binary(BinaryOp.MULTIPLY, p, Creation.scalar(alpha, t));
        if (beta == 0) return p;
        Array cc = Elementwise.astype(c, t);
        if (beta != 1) cc = Elementwise.binary(BinaryOp.MULTIPLY, cc, Creation.scalar(beta, t));
        return Elementwise.binary(BinaryOp.ADD, p, cc);
    }

    /**
     * NumPy inner: the sum of products over the last axes; shape {@code a.shape[:-1] + b.shape[:-1]}.
     * A scalar operand multiplies. Computes like {@link #matmul} (integral inputs give float32).
     */
    public static Array inner(Array a, Array b) {
        Elementwise.sameDevice("inner", a, b);
        if (a.ndim() == 0 || b.ndim() == 0) return Elementwise.binary(BinaryOp.MULTIPLY, a, b);
        int ka = a.shape().dim(-1), kb = b.shape().dim(-1);
        if (ka != kb) {
            throw new IllegalArgumentException("[inner] last axes must have the same size, got " + ka + " and " + kb
                    + " (shapes " + a.shape() + " and " + b.shape() + ").");
        }
        return tensordot("inner", a, b, new int[] {a.ndim() - 1}, new int[] {b.ndim() - 1});
    }

    /** The outer product of the flattened operands: shape {@code (a.size, b.size)}, dtype promoted. */
    public static Array outer(Array a, Array b) {
        Elementwise.sameDevice("outer", a, b);
        return Elementwise.binary(BinaryOp.MULTIPLY, ShapeOps.reshape(a, -1, 1), ShapeOps.reshape(b, 1, -1));
    }

    /** Tensor product contracting the last {@code axes} axes of {@code a} with the first {@code axes} of {@code b}. */
    public static Array tensordot(Array a, Array b, int axes) {
        if (axes < 0 || axes > a.ndim() || axes > b.ndim()) {
            throw new IllegalArgumentException("[tensordot] axes must be between 0 and the smaller number of dimensions, got " + axes
                    + " for shapes " + a.shape() + " and " + b.shape() + ".");
        }
        int[] xa = new int[axes], xb = new int[axes];
        for (int i = 0; i < axes; i++) {
            xa[i] = a.ndim() - axes + i;
            xb[i] = i;
        }
        return tensordot("tensordot", a, b, xa, xb);
    }

    /**
     * Tensor product summing over the axis pairs {@code (axesA[i], axesB[i])}. The result has the
     * remaining axes of {@code a} followed by those of {@code b}. Computes like {@link #matmul}.
     */
    public static Array tensordot(Array a, Array b, int[] axesA, int[] axesB) {
        return tensordot("tensordot", a, b, axesA, axesB);
    }

    static Array tensordot(String op, Array a, Array b, int[] axesA, int[] axesB) {
        Elementwise.sameDevice(op, a, b);
        if (axesA.length != axesB.length) {
            throw new IllegalArgumentException("[" + op + "] axesA and axesB must have the same length, got " + java.util.Arrays.toString(axesA)
                    + " and " + java.util.Arrays.toString(axesB) + ".");
        }
        int[] ca = uniqueAxes(op, axesA, a), cb = uniqueAxes(op, axesB, b);
        for (int i = 0; i < ca.length; i++) {
            if (a.shape().dims()[ca[i]] != b.shape().dims()[cb[i]]) {
                throw new IllegalArgumentException("[" + op + "] contracted axes must have equal sizes: axis " + ca[i] + " of " + a.shape()
                        + " has " + a.shape().dims()[ca[i]] + ", axis " + cb[i] + " of " + b.shape() + " has " + b.shape().dims()[cb[i]] + ".");
            }
        }
        int[] fa = complement(ca, a.ndim()), fb = complement(cb, b.ndim());
        long k = 1, m = 1, n = 1;
        for (int ax : ca) k *= a.shape().dims()[ax];
        for (int ax : fa) m *= a.shape().dims()[ax];
        for (int ax : fb) n *= b.shape().dims()[ax];
        Array x = ShapeOps.reshape(ShapeOps.transpose(a, concat(fa, ca)), (int) m, (int) k);
        Array y = ShapeOps.reshape(ShapeOps.transpose(b, concat(cb, fb)), (int) k, (int) n);
        int[] out = new int[fa.length + fb.length];
        for (int i = 0; i < fa.length; i++) out[i] = a.shape().dims()[fa[i]];
        for (int i = 0; i < fb.length; i++) out[fa.length + i] = b.shape().dims()[fb[i]];
        return ShapeOps.reshape(matmul(x, y), out);
    }

    /** Normalized axes of {@code x}, rejecting repeats. */
    static int[] uniqueAxes(String op, int[] axes, Array x) {
        int[] r = new int[axes.length];
        boolean[] seen = new boolean[x.ndim()];
        for (int i = 0; i < axes.length; i++) {
            r[i] = Shape.normalizeAxis(axes[i], x.ndim(), op);
            if (seen[r[i]]) {
                throw new IllegalArgumentException("[" + op + "] repeated axis " + axes[i] + " in " + java.util.Arrays.toString(axes) + " for shape " + x.shape() + ".");
            }
            seen[r[i]] = true;
        }
        return r;
    }

    /** The axes of {@code 0..ndim} not in {@code used}, in order. */
    static int[] complement(int[] used, int ndim) {
        boolean[] u = new boolean[ndim];
        for (int a : used) u[a] = true;
        int[] r = new int[ndim - used.length];
        int j = 0;
        for (int i = 0; i < ndim; i++) if (!u[i]) r[j++] = i;
        return r;
    }

    static int[] concat(int[] x, int[] y) {
        int[] r = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }

    /** Sum over the given axes (none: unchanged). */
    static Array sum(Array x, int... axes) {
        return axes.length == 0 ? x : Reductions.reduce(ReduceOp.SUM, x, axes, false);
    }

    /** Einstein summation; see {@link Einsum}. */
    public static Array einsum(String subscripts, Array... operands) { return Einsum.einsum(subscripts, operands); }

    static int[] concat(int[] head, int p, int q) {
        int[] r = java.util.Arrays.copyOf(head, head.length + 2);
        r[head.length] = p;
        r[head.length + 1] = q;
        return r;
    }
}
