package org.mlx4j.tests.spec;

import java.util.function.DoubleBinaryOperator;
import org.mlx4j.core.Shape;

/** Plain double loops the op-spec table uses as references. */
final class Refs {
    private Refs() {}

    /** Index into a row-major array of shape {@code s} for output multi-index {@code idx} under broadcasting. */
    static int bindex(int[] idx, Shape s) {
        int[] d = s.dims();
        int lead = idx.length - d.length;
        int off = 0;
        for (int i = 0; i < d.length; i++) off = off * d[i] + (d[i] == 1 ? 0 : idx[lead + i]);
        return off;
    }

    static int[] unravel(long flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int i = dims.length - 1; i >= 0; i--) {
            idx[i] = (int) (flat % dims[i]);
            flat /= dims[i];
        }
        return idx;
    }

    static double[] broadcast2(double[] a, Shape sa, double[] b, Shape sb, Shape out, DoubleBinaryOperator f) {
        double[] r = new double[(int) out.size()];
        for (int i = 0; i < r.length; i++) {
            int[] idx = unravel(i, out.dims());
            r[i] = f.applyAsDouble(a[bindex(idx, sa)], b[bindex(idx, sb)]);
        }
        return r;
    }

    /** Reduction reference: {@code combine} folded over {@code axes} from {@code init}; keepDims layout. */
    static double[] reduce(double[] x, Shape s, int[] axes, double init, DoubleBinaryOperator combine) {
        int[] d = s.dims();
        boolean[] red = new boolean[d.length];
        for (int a : axes) red[a < 0 ? a + d.length : a] = true;
        int[] od = d.clone();
        for (int i = 0; i < d.length; i++) if (red[i]) od[i] = 1;
        Shape os = new Shape(od);
        double[] r = new double[(int) os.size()];
        java.util.Arrays.fill(r, init);
        for (int i = 0; i < x.length; i++) {
            int[] idx = unravel(i, d);
            for (int k = 0; k < d.length; k++) if (red[k]) idx[k] = 0;
            int o = 0;
            for (int k = 0; k < d.length; k++) o = o * od[k] + idx[k];
            r[o] = combine.applyAsDouble(r[o], x[i]);
        }
        return r;
    }

    /** NumPy matmul: 1-D operands promoted and the added axis dropped, batch axes broadcast. */
    static double[] matmul(double[] a, Shape sa, double[] b, Shape sb) {
        int[] da = sa.ndim() == 1 ? new int[] {1, sa.dim(0)} : sa.dims();
        int[] db = sb.ndim() == 1 ? new int[] {sb.dim(0), 1} : sb.dims();
        int m = da[da.length - 2], k = da[da.length - 1], n = db[db.length - 1];
        Shape ba = new Shape(java.util.Arrays.copyOf(da, da.length - 2)), bb = new Shape(java.util.Arrays.copyOf(db, db.length - 2));
        Shape batch = Shape.broadcast("ref", ba, bb);
        int nb = (int) batch.size();
        double[] r = new double[nb * m * n];
        for (int t = 0; t < nb; t++) {
            int[] idx = unravel(t, batch.dims());
            int oa = bindex(idx, ba) * m * k, ob = bindex(idx, bb) * k * n;
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[oa + i * k + p] * b[ob + p * n + j];
                r[t * m * n + i * n + j] = s;
            }
        }
        return r;
    }
}
