package org.mlx4j.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.mlx4j.core.backend.cpu.Elem;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;
import org.mlx4j.core.ops.ShapeOps;
import org.mlx4j.core.transforms.Evaluator;

/** Reads evaluated arrays into Java arrays (the sync points of {@link Array}). */
final class HostCopy {
    private HostCopy() {}

    /** A dense host segment with the array's elements in row-major order. */
    static MemorySegment dense(Array a) {
        Evaluator.eval(a);
        // device memory is read with one dense download; a strided device result is densified there first
        Array c = a.device().type() == Device.Type.CPU || a.data().rowContiguous() ? a : ShapeOps.contiguous(a);
        Evaluator.eval(c);
        ArrayData d = c.data();
        long n = a.size();
        if (a.device().type() != Device.Type.CPU) {
            Backend b = Backends.forDevice(a.device());
            b.synchronize(b.defaultStream(a.device().index()));
            MemorySegment host = MemorySegment.ofArray(new byte[Math.toIntExact(n * a.dtype().size())]);
            b.download(d.buffer(), d.offset() * a.dtype().size(), host);
            return host;
        }
        MemorySegment s = d.buffer().hostSegment();
        int es = a.dtype().size();
        if (d.rowContiguous()) return s.asSlice(d.offset() * es, n * es);
        MemorySegment out = MemorySegment.ofArray(new byte[Math.toIntExact(n * es)]);
        org.mlx4j.core.backend.spi.Views.gather(s, d.offset(), d.strides(), a.shape().dims(), es, out);
        return out;
    }

    static float[] toFloat(Array a) {
        MemorySegment s = dense(a);
        int n = Math.toIntExact(a.size());
        if (a.dtype() == DType.FLOAT32) return s.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.nativeOrder()));
        float[] r = new float[n];
        for (int i = 0; i < n; i++) r[i] = (float) Elem.getDouble(a.dtype(), s, i);
        return r;
    }

    static double[] toDouble(Array a) {
        MemorySegment s = dense(a);
        int n = Math.toIntExact(a.size());
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = Elem.getDouble(a.dtype(), s, i);
        return r;
    }

    static long[] toLong(Array a) {
        MemorySegment s = dense(a);
        int n = Math.toIntExact(a.size());
        long[] r = new long[n];
        for (int i = 0; i < n; i++) r[i] = Elem.getLong(a.dtype(), s, i);
        return r;
    }

    static int[] toInt(Array a) {
        long[] l = toLong(a);
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) r[i] = (int) l[i];
        return r;
    }

    static boolean[] toBoolean(Array a) {
        double[] d = toDouble(a);
        boolean[] r = new boolean[d.length];
        for (int i = 0; i < d.length; i++) r[i] = d[i] != 0;
        return r;
    }
}
