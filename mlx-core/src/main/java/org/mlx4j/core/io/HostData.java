package org.mlx4j.core.io;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.core.MX;
import org.mlx4j.core.Shape;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;

/** Moves array data between the graph and host memory for the file formats. */
final class HostData {
    private HostData() {}

    /**
     * Checks the arguments of a multi-array save.
     *
     * @throws IllegalArgumentException naming {@code op} on a null map, key or value
     */
    static void checkArrays(String op, Map<String, Array> arrays) {
        if (arrays == null) throw new IllegalArgumentException("[" + op + "] the map of arrays is null.");
        for (Map.Entry<String, Array> e : arrays.entrySet()) {
            if (e.getKey() == null) throw new IllegalArgumentException("[" + op + "] array names must not be null.");
            if (e.getValue() == null) throw new IllegalArgumentException("[" + op + "] array '" + e.getKey() + "' is null.");
        }
    }

    /** Evaluates all arrays together, one sync point, before any file is touched. */
    static void evalAll(Collection<Array> arrays) {
        List<Array> pending = new ArrayList<>();
        for (Array a : arrays) if (!a.isEvaluated()) pending.add(a);
        if (!pending.isEmpty()) MX.eval(pending);
    }

    /**
     * The elements of an array in row-major order as a host segment. Holds a temporary copy when
     * the array is a strided view or lives on a GPU; {@link #close()} frees that copy at once.
     */
    static final class Dense implements AutoCloseable {
        private final MemorySegment segment;
        private final List<Array> temps;

        private Dense(MemorySegment segment, List<Array> temps) {
            this.segment = segment;
            this.temps = temps;
        }

        /** The row-major bytes, exactly {@code size * dtype.size()} long. */
        MemorySegment segment() { return segment; }

        @Override public void close() {
            for (Array t : temps) t.close();
        }
    }

    /** A dense row-major host view of {@code a} (evaluating it when needed). */
    static Dense dense(Array a) {
        long bytes = a.nbytes();
        if (bytes == 0) return new Dense(MemorySegment.ofArray(new byte[0]), List.of());
        List<Array> temps = new ArrayList<>(2);
        Array c = a;
        if (c.device().type() != Device.Type.CPU) {
            c = MX.toDevice(c, Device.cpu());
            temps.add(c);
        }
        try {
            c.eval();
            if (!c.data().rowContiguous()) {
                // views (transposes, broadcasts, strided slices) are written in row-major order
                c = MX.contiguous(c);
                temps.add(c);
                c.eval();
            }
            ArrayData d = c.data();
            MemorySegment seg = d.buffer().hostSegment().asSlice(d.offset() * a.dtype().size(), bytes);
            return new Dense(seg, temps);
        } catch (RuntimeException | Error e) {
            for (Array t : temps) t.close();
            throw e;
        }
    }

    /** A fresh host buffer of {@code bytes} bytes (for loaders; the caller releases it on failure). */
    static Buffer allocate(long bytes) {
        return Allocator.global().allocate(bytes);
    }

    /** An evaluated CPU array over a row-major buffer; takes over the buffer's reference. */
    static Array rowMajor(Buffer buffer, Shape shape, DType dtype) {
        return Array.fromData(shape, dtype, Device.cpu(), ArrayData.contiguous(buffer, shape));
    }

    /**
     * An evaluated CPU array over a column-major (Fortran-order) buffer: a transposed view with
     * column-major strides, as NumPy returns such files; no data is copied.
     */
    static Array columnMajor(Buffer buffer, Shape shape, DType dtype) {
        int[] dims = shape.dims();
        long[] strides = new long[dims.length];
        long acc = 1;
        for (int i = 0; i < dims.length; i++) {
            strides[i] = acc;
            acc *= dims[i];
        }
        return Array.fromData(shape, dtype, Device.cpu(), ArrayData.view(buffer, 0, strides, shape));
    }
}
