package org.mlx4j.core.ops;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.Matmul;

/** Matrix products. See {@link org.mlx4j.core.MX}. */
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

    static int[] concat(int[] head, int p, int q) {
        int[] r = java.util.Arrays.copyOf(head, head.length + 2);
        r[head.length] = p;
        r[head.length + 1] = q;
        return r;
    }
}
