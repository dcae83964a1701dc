package org.mlx4j.core.backend.spi;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.Diagonal;
import org.mlx4j.core.primitive.Slice;

/**
 * The arithmetic of views, shared by every backend: a view is the input's buffer (retained once
 * more) with another element offset and strides, whatever memory the buffer is. Also the host walk
 * that gathers a strided view into dense row-major order.
 */
public final class Views {
    private Views() {}

    /** {@code src}'s buffer, retained, seen with {@code offset} and {@code strides} as {@code shape}. */
    public static ArrayData view(ArrayData src, long offset, long[] strides, Shape shape) {
        return ArrayData.view(src.buffer().retain(), offset, strides, shape);
    }

    /** The same elements under another node (identity, stop-gradient). */
    public static ArrayData same(ArrayData src, Shape shape) {
        return view(src, src.offset(), src.strides(), shape);
    }

    /** {@code src} of shape {@code in} broadcast to {@code out}: stride 0 on the new and stretched axes. */
    public static ArrayData broadcast(ArrayData src, Shape in, Shape out) {
        int[] o = out.dims(), i = in.dims();
        int lead = o.length - i.length;
        long[] st = new long[o.length];
        for (int k = lead; k < o.length; k++) st[k] = i[k - lead] == 1 && o[k] != 1 ? 0 : src.strides()[k - lead];
        return view(src, src.offset(), st, out);
    }

    /** Axes permuted: output axis k is input axis {@code perm[k]}. */
    public static ArrayData transpose(ArrayData src, int[] perm, Shape out) {
        long[] st = new long[perm.length];
        for (int k = 0; k < perm.length; k++) st[k] = src.strides()[perm[k]];
        return view(src, src.offset(), st, out);
    }

    /** A basic slice: start offset, strides times steps (an empty result keeps the input's offset). */
    public static ArrayData slice(ArrayData src, Slice s, Shape out) {
        long off = src.offset();
        long[] st = new long[s.start().length];
        for (int k = 0; k < st.length; k++) {
            if (out.dims()[k] > 0) off += (long) s.start()[k] * src.strides()[k];
            st[k] = src.strides()[k] * s.step()[k];
        }
        if (out.size() == 0) off = src.offset();
        return view(src, off, st, out);
    }

    /** The diagonal {@code p.offset()} of axes {@code axis1, axis2} as a last axis. */
    public static ArrayData diagonal(ArrayData src, Diagonal p, int inputRank, Shape out) {
        long[] s = src.strides();
        long off = src.offset();
        if (out.size() > 0) off += p.offset() >= 0 ? p.offset() * s[p.axis2()] : -(long) p.offset() * s[p.axis1()];
        long[] st = new long[out.dims().length];
        int k = 0;
        for (int i = 0; i < inputRank; i++) if (i != p.axis1() && i != p.axis2()) st[k++] = s[i];
        st[k] = s[p.axis1()] + s[p.axis2()];
        return view(src, off, st, out);
    }

    /**
     * Copies the {@code dims}-shaped view of host memory {@code src} (element {@code offset},
     * {@code strides}, elements of {@code elementSize} bytes) into {@code dst} densely, row-major.
     */
    public static void gather(MemorySegment src, long offset, long[] strides, int[] dims, int elementSize, MemorySegment dst) {
        long n = 1;
        for (int d : dims) n *= d;
        int[] idx = new int[dims.length];
        long off = offset;
        for (long i = 0; i < n; i++) {
            MemorySegment.copy(src, off * elementSize, dst, i * elementSize, elementSize);
            for (int k = dims.length - 1; k >= 0; k--) {
                if (++idx[k] < dims[k]) {
                    off += strides[k];
                    break;
                }
                off -= strides[k] * (dims[k] - 1);
                idx[k] = 0;
            }
        }
    }
}
