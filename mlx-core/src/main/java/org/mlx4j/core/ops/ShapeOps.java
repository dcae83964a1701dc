package org.mlx4j.core.ops;

import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.Device;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.BroadcastTo;
import org.mlx4j.core.primitive.Copy;
import org.mlx4j.core.primitive.Identity;
import org.mlx4j.core.primitive.Reshape;
import org.mlx4j.core.primitive.Slice;
import org.mlx4j.core.primitive.SliceUpdate;
import org.mlx4j.core.primitive.ToDevice;
import org.mlx4j.core.primitive.Transpose;

/** Shape ops: reshape, transpose, broadcast, squeeze, slice and friends. See {@link org.mlx4j.core.MX}. */
public final class ShapeOps {
    private ShapeOps() {}

    /** Reshape with one optional -1 axis inferred. */
    public static Array reshape(Array x, int... shape) {
        int[] s = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("[reshape] only one dimension can be -1, got " + Arrays.toString(shape) + ".");
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("[reshape] negative dimension in " + Arrays.toString(shape) + ".");
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new IllegalArgumentException("[reshape] cannot reshape array of shape " + x.shape() + " into " + Arrays.toString(shape) + ".");
            }
            s[infer] = (int) (x.size() / known);
        }
        Shape ns = new Shape(s);
        if (ns.size() != x.size()) {
            throw new IllegalArgumentException("[reshape] cannot reshape array of size " + x.size() + " and shape " + x.shape() + " into shape " + ns + ".");
        }
        if (ns.equals(x.shape())) return x;
        return Array.node(ns, x.dtype(), new Reshape(ns), x);
    }

    /** All axes into one. */
    public static Array flatten(Array x) { return reshape(x, (int) x.size()); }

    /** Axes {@code startAxis..endAxis} (inclusive) into one. */
    public static Array flatten(Array x, int startAxis, int endAxis) {
        if (x.ndim() == 0) return reshape(x, 1);
        int a = Shape.normalizeAxis(startAxis, x.ndim(), "flatten");
        int b = Shape.normalizeAxis(endAxis, x.ndim(), "flatten");
        if (a > b) throw new IllegalArgumentException("[flatten] startAxis " + startAxis + " is after endAxis " + endAxis + ".");
        int[] d = x.shape().dims();
        int[] out = new int[d.length - (b - a)];
        int k = 0;
        for (int i = 0; i < a; i++) out[k++] = d[i];
        long m = 1;
        for (int i = a; i <= b; i++) m *= d[i];
        out[k++] = (int) m;
        for (int i = b + 1; i < d.length; i++) out[k++] = d[i];
        return reshape(x, out);
    }

    /** Permutes axes; with no axes, reverses them. */
    public static Array transpose(Array x, int... axes) {
        int n = x.ndim();
        int[] perm = new int[n];
        if (axes.length == 0) {
            for (int i = 0; i < n; i++) perm[i] = n - 1 - i;
        } else {
            if (axes.length != n) {
                throw new IllegalArgumentException("[transpose] axes " + Arrays.toString(axes) + " do not match an array with " + n + " dimensions.");
            }
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                perm[i] = Shape.normalizeAxis(axes[i], n, "transpose");
                if (seen[perm[i]]) throw new IllegalArgumentException("[transpose] repeated axis in " + Arrays.toString(axes) + ".");
                seen[perm[i]] = true;
            }
        }
        boolean identity = true;
        for (int i = 0; i < n; i++) identity &= perm[i] == i;
        if (identity) return x;
        int[] d = x.shape().dims();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = d[perm[i]];
        return Array.node(new Shape(out), x.dtype(), new Transpose(perm), x);
    }

    /** Swaps two axes. */
    public static Array swapaxes(Array x, int a, int b) {
        int n = x.ndim();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        int aa = Shape.normalizeAxis(a, n, "swapaxes"), bb = Shape.normalizeAxis(b, n, "swapaxes");
        perm[aa] = bb;
        perm[bb] = aa;
        return transpose(x, perm);
    }

    /** Moves axis {@code source} to position {@code destination}. */
    public static Array moveaxis(Array x, int source, int destination) {
        int n = x.ndim();
        int s = Shape.normalizeAxis(source, n, "moveaxis"), d = Shape.normalizeAxis(destination, n, "moveaxis");
        int[] rest = new int[n - 1];
        int k = 0;
        for (int i = 0; i < n; i++) if (i != s) rest[k++] = i;
        int[] perm = new int[n];
        k = 0;
        for (int i = 0; i < n; i++) perm[i] = i == d ? s : rest[k++];
        return transpose(x, perm);
    }

    /** Broadcasts to {@code shape} (a view). */
    public static Array broadcastTo(Array x, int... shape) {
        Shape target = Creation.checkShapeOnly("broadcastTo", shape);
        if (x.shape().equals(target)) return x;
        Shape b;
        try {
            b = Shape.broadcast("broadcastTo", x.shape(), target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[broadcastTo] cannot broadcast shape " + x.shape() + " to " + target + ".");
        }
        if (!b.equals(target)) throw new IllegalArgumentException("[broadcastTo] cannot broadcast shape " + x.shape() + " to " + target + ".");
        return Array.node(target, x.dtype(), new BroadcastTo(target), x);
    }

    /** Broadcasts all inputs to their common shape. */
    public static Array[] broadcastArrays(Array... xs) {
        Shape s = xs.length == 0 ? Shape.SCALAR : xs[0].shape();
        for (Array x : xs) s = Shape.broadcast("broadcastArrays", s, x.shape());
        Array[] out = new Array[xs.length];
        for (int i = 0; i < xs.length; i++) out[i] = broadcastTo(xs[i], s.dims());
        return out;
    }

    /** Inserts size-one axes at {@code axes} (positions in the output). */
    public static Array expandDims(Array x, int... axes) {
        int n = x.ndim() + axes.length;
        boolean[] ins = new boolean[n];
        for (int a : axes) {
            int aa = Shape.normalizeAxis(a, n, "expandDims");
            if (ins[aa]) throw new IllegalArgumentException("[expandDims] repeated axis in " + Arrays.toString(axes) + ".");
            ins[aa] = true;
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) out[i] = ins[i] ? 1 : x.shape().dims()[k++];
        return reshape(x, out);
    }

    /** Removes size-one axes: the given ones, or all with none given. */
    public static Array squeeze(Array x, int... axes) {
        int[] d = x.shape().dims();
        boolean[] drop = new boolean[d.length];
        if (axes.length == 0) {
            for (int i = 0; i < d.length; i++) drop[i] = d[i] == 1;
        } else {
            for (int a : axes) {
                int aa = Shape.normalizeAxis(a, d.length, "squeeze");
                if (d[aa] != 1) throw new IllegalArgumentException("[squeeze] cannot squeeze axis " + a + " of size " + d[aa] + " in shape " + x.shape() + ".");
                drop[aa] = true;
            }
        }
        int[] out = new int[d.length];
        int k = 0;
        for (int i = 0; i < d.length; i++) if (!drop[i]) out[k++] = d[i];
        return reshape(x, Arrays.copyOf(out, k));
    }

    /** Number of elements of a normalized slice {@code start:stop:step}. */
    static int sliceLength(int start, int stop, int step) {
        if (step > 0) return Math.max(0, (stop - start + step - 1) / step);
        return Math.max(0, (start - stop - step - 1) / -step);
    }

    /** A strided view; starts/stops are already normalized into range (see {@link org.mlx4j.core.primitive.Slice}). */
    public static Array slice(Array x, int[] start, int[] stop, int[] step) {
        int n = x.ndim();
        if (start.length != n || stop.length != n || step.length != n) {
            throw new IllegalArgumentException("[slice] start, stop and step need " + n + " entries for shape " + x.shape() + ".");
        }
        int[] out = new int[n];
        boolean whole = true;
        for (int i = 0; i < n; i++) {
            if (step[i] == 0) throw new IllegalArgumentException("[slice] step cannot be zero (axis " + i + ").");
            out[i] = sliceLength(start[i], stop[i], step[i]);
            int dim = x.shape().dims()[i];
            if (out[i] > 0 && (start[i] < 0 || start[i] >= dim)) {
                throw new IllegalArgumentException("[slice] start " + start[i] + " out of range for axis " + i + " of size " + dim + ".");
            }
            whole &= start[i] == 0 && step[i] == 1 && out[i] == dim;
        }
        if (whole) return x;
        return Array.node(new Shape(out), x.dtype(), new Slice(start.clone(), stop.clone(), step.clone()), x);
    }

    /** A copy of {@code x} with the slice region replaced by {@code update} (broadcast to the region). */
    public static Array sliceUpdate(Array x, Array update, int[] start, int[] stop, int[] step) {
        int n = x.ndim();
        if (start.length != n || stop.length != n || step.length != n) {
            throw new IllegalArgumentException("[sliceUpdate] start, stop and step need " + n + " entries for shape " + x.shape() + ".");
        }
        int[] region = new int[n];
        for (int i = 0; i < n; i++) {
            if (step[i] == 0) throw new IllegalArgumentException("[sliceUpdate] step cannot be zero (axis " + i + ").");
            region[i] = sliceLength(start[i], stop[i], step[i]);
        }
        Array u = broadcastTo(Elementwise.astype(update, x.dtype()), region);
        return Array.node(x.shape(), x.dtype(), new SliceUpdate(start.clone(), stop.clone(), step.clone()), x, u);
    }

    /** A dense row-major copy (returns {@code x} when it is already evaluated and dense). */
    public static Array contiguous(Array x) {
        if (x.isEvaluated() && x.data().rowContiguous()) return x;
        return Array.node(x.shape(), x.dtype(), new Copy(), x);
    }

    /** A differentiable alias of {@code x} (used by transforms to mark primals). */
    public static Array identity(Array x) { return Array.node(x.shape(), x.dtype(), new Identity(), x); }

    /** {@code x} on {@code device}: an explicit copy node, or {@code x} when it is already there. */
    public static Array toDevice(Array x, Device device) {
        if (x.device().equals(device)) return x;
        // the copy reads dense memory; the CPU densifies here, other backends hand over dense results
        Array src = x.device().type() == Device.Type.CPU ? contiguous(x) : x;
        return Array.node(x.shape(), x.dtype(), device, new ToDevice(device), src);
    }

    /**
     * {@code x} with the order of elements reversed along {@code axes} (all axes when none given), as
     * NumPy's {@code flip}. A view (a slice with step -1).
     *
     * @throws IllegalArgumentException for a bad or repeated axis
     */
    public static Array flip(Array x, int... axes) {
        int n = x.ndim();
        boolean[] rev = new boolean[n];
        if (axes.length == 0) Arrays.fill(rev, true);
        for (int a : axes) {
            int aa = Shape.normalizeAxis(a, n, "flip");
            if (rev[aa]) throw new IllegalArgumentException("[flip] repeated axis in " + Arrays.toString(axes) + ".");
            rev[aa] = true;
        }
        int[] d = x.shape().dims();
        int[] start = new int[n], stop = d.clone(), step = new int[n];
        for (int i = 0; i < n; i++) {
            step[i] = rev[i] ? -1 : 1;
            if (rev[i]) {
                start[i] = d[i] - 1;
                stop[i] = -1;
            }
        }
        return slice(x, start, stop, step);
    }

    /**
     * {@code x} with its elements shifted by {@code shift} positions along each of {@code axes}, those
     * pushed past the end coming back at the start, as NumPy's {@code roll}. With no axes the
     * flattened array is rolled and the shape restored.
     *
     * @throws IllegalArgumentException for a bad axis
     */
    public static Array roll(Array x, int shift, int... axes) {
        if (axes.length == 0) return reshape(roll(flatten(x), shift, 0), x.shape().dims());
        Array y = x;
        for (int a : axes) {
            int ax = Shape.normalizeAxis(a, x.ndim(), "roll");
            int d = x.dim(ax);
            if (d == 0) continue;
            int s = Math.floorMod(shift, d);
            if (s == 0) continue;
            Array[] parts = Joining.split(y, new int[] {d - s}, ax);
            y = Joining.concatenate(java.util.List.of(parts[1], parts[0]), ax);
        }
        return y;
    }
}
