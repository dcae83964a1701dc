package org.mlx4j.core.ops;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.core.Shape;
import org.mlx4j.core.backend.cpu.Elem;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;

/** Array creation: from Java arrays, scalars, constants and ranges. See {@link org.mlx4j.core.MX}. */
public final class Creation {
    private Creation() {}

    /** Writes element i of a new host array. */
    @FunctionalInterface
    public interface Filler { void fill(MemorySegment seg, long i); }

    /** A new evaluated array of {@code shape} filled by {@code f}, placed on the default device. */
    public static Array fromHost(Shape shape, DType dtype, Filler f) {
        long n = shape.size();
        Buffer b = Allocator.global().allocate(n * dtype.size());
        MemorySegment s = b.segment();
        for (long i = 0; i < n; i++) f.fill(s, i);
        Array a = Array.fromData(shape, dtype, Device.cpu(), ArrayData.contiguous(b, shape));
        Device d = Device.defaultDevice();
        return d.type() == Device.Type.CPU ? a : ShapeOps.toDevice(a, d);
    }

    static Shape checkShape(String op, long length, int[] shape) {
        Shape s;
        try {
            s = new Shape(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + op + "] negative dimension in shape " + java.util.Arrays.toString(shape) + ".");
        }
        if (s.size() != length) {
            throw new IllegalArgumentException("[" + op + "] " + length + " values do not fill shape " + s + " (" + s.size() + " elements).");
        }
        return s;
    }

    private static int[] orVector(long n, int[] shape) { return shape.length == 0 && n != 1 ? new int[] {(int) n} : shape; }

    /** float32 array from {@code data}; with no shape given, a vector (or a scalar for one value... use {@link #scalar}). */
    public static Array array(float[] data, int... shape) {
        Shape s = checkShape("array", data.length, shape.length == 0 ? new int[] {data.length} : shape);
        return fromHost(s, DType.FLOAT32, (seg, i) -> seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, data[(int) i]));
    }

    /** float64 array. */
    public static Array array(double[] data, int... shape) {
        Shape s = checkShape("array", data.length, shape.length == 0 ? new int[] {data.length} : shape);
        return fromHost(s, DType.FLOAT64, (seg, i) -> seg.setAtIndex(ValueLayout.JAVA_DOUBLE, i, data[(int) i]));
    }

    /** int32 array. */
    public static Array array(int[] data, int... shape) {
        Shape s = checkShape("array", data.length, shape.length == 0 ? new int[] {data.length} : shape);
        return fromHost(s, DType.INT32, (seg, i) -> seg.setAtIndex(ValueLayout.JAVA_INT, i, data[(int) i]));
    }

    /** int64 array. */
    public static Array array(long[] data, int... shape) {
        Shape s = checkShape("array", data.length, shape.length == 0 ? new int[] {data.length} : shape);
        return fromHost(s, DType.INT64, (seg, i) -> seg.setAtIndex(ValueLayout.JAVA_LONG, i, data[(int) i]));
    }

    /** bool array. */
    public static Array array(boolean[] data, int... shape) {
        Shape s = checkShape("array", data.length, shape.length == 0 ? new int[] {data.length} : shape);
        return fromHost(s, DType.BOOL, (seg, i) -> seg.set(ValueLayout.JAVA_BYTE, i, (byte) (data[(int) i] ? 1 : 0)));
    }

    /** An array of {@code dtype} from double values (converted like {@link org.mlx4j.core.MX#astype}). */
    public static Array array(double[] data, DType dtype, int... shape) {
        Shape s = checkShape("array", data.length, orVector(data.length, shape));
        return fromHost(s, dtype, (seg, i) -> Elem.setDouble(dtype, seg, i, data[(int) i]));
    }

    /** A scalar of {@code dtype}. */
    public static Array scalar(double v, DType dtype) {
        if (dtype.isIntegral()) {
            long l = (long) v;
            return fromHost(Shape.SCALAR, dtype, (seg, i) -> Elem.setLong(dtype, seg, 0, l));
        }
        return fromHost(Shape.SCALAR, dtype, (seg, i) -> Elem.setDouble(dtype, seg, 0, v));
    }

    /**
     * A scalar that combines with {@code like} the way a Python scalar combines with an MLX array:
     * it takes {@code like}'s dtype, unless {@code like} is integral and {@code v} is not a whole
     * number (then float32), or {@code like} is bool (then int32 or float32).
     */
    public static Array scalarLike(double v, Array like) {
        DType t = like.dtype();
        boolean whole = v == Math.rint(v) && !Double.isInfinite(v);
        if (t == DType.BOOL) t = whole ? DType.INT32 : DType.FLOAT32;
        else if (t.isIntegral() && !whole) t = DType.FLOAT32;
        Array s = scalar(v, t);
        return like.device().equals(s.device()) ? s : ShapeOps.toDevice(s, like.device());
    }

    /** {@code shape} filled with {@code v} (a broadcast view of one scalar: no memory per element). */
    public static Array full(int[] shape, double v, DType dtype) {
        Shape s = checkShapeOnly("full", shape);
        return ShapeOps.broadcastTo(scalar(v, dtype), s.dims());
    }

    /** {@code shape} filled with {@code v}, dtype of {@code v}. */
    public static Array full(int[] shape, Array v) {
        Shape s = checkShapeOnly("full", shape);
        return ShapeOps.broadcastTo(v, s.dims());
    }

    static Shape checkShapeOnly(String op, int[] shape) {
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("[" + op + "] negative dimension in shape " + java.util.Arrays.toString(shape) + ".");
        }
        return new Shape(shape);
    }

    /** Zeros. */
    public static Array zeros(int[] shape, DType dtype) { return full(shape, 0, dtype); }

    /** Ones. */
    public static Array ones(int[] shape, DType dtype) { return full(shape, 1, dtype); }

    /** Zeros shaped and typed like {@code a}, on its device. */
    public static Array zerosLike(Array a) { return ShapeOps.broadcastTo(scalarOn(0, a), a.shape().dims()); }

    /** Ones shaped and typed like {@code a}, on its device. */
    public static Array onesLike(Array a) { return ShapeOps.broadcastTo(scalarOn(1, a), a.shape().dims()); }

    private static Array scalarOn(double v, Array like) {
        Array s = scalar(v, like.dtype());
        return like.device().equals(s.device()) ? s : ShapeOps.toDevice(s, like.device());
    }

    /** {@code start, start+step, ...} below {@code stop}. */
    public static Array arange(double start, double stop, double step, DType dtype) {
        if (step == 0 || Double.isNaN(step)) throw new IllegalArgumentException("[arange] step must be nonzero, got " + step + ".");
        double len = Math.ceil((stop - start) / step);
        if (len > Integer.MAX_VALUE) throw new IllegalArgumentException("[arange] " + len + " elements is too many.");
        int n = (int) Math.max(0, len);
        return fromHost(Shape.of(n), dtype, (seg, i) -> Elem.setDouble(dtype, seg, i, start + i * step));
    }

    /** {@code num} evenly spaced values from {@code start} to {@code stop} inclusive. */
    public static Array linspace(double start, double stop, int num, DType dtype) {
        if (num < 0) throw new IllegalArgumentException("[linspace] num must be non-negative, got " + num + ".");
        double step = num > 1 ? (stop - start) / (num - 1) : 0;
        return fromHost(Shape.of(num), dtype, (seg, i) -> Elem.setDouble(dtype, seg, i, i == num - 1 ? stop : start + i * step));
    }

    /** An n x m matrix with ones on diagonal {@code k}. */
    public static Array eye(int n, int m, int k, DType dtype) {
        if (n < 0 || m < 0) throw new IllegalArgumentException("[eye] sizes must be non-negative, got " + n + " and " + m + ".");
        return fromHost(Shape.of(n, m), dtype, (seg, i) -> Elem.setDouble(dtype, seg, i, (i % Math.max(m, 1)) - (i / Math.max(m, 1)) == k ? 1 : 0));
    }

    /** An n x m matrix with ones at and below diagonal {@code k}. */
    public static Array tri(int n, int m, int k, DType dtype) {
        if (n < 0 || m < 0) throw new IllegalArgumentException("[tri] sizes must be non-negative, got " + n + " and " + m + ".");
        return fromHost(Shape.of(n, m), dtype, (seg, i) -> Elem.setDouble(dtype, seg, i, (i % Math.max(m, 1)) - (i / Math.max(m, 1)) <= k ? 1 : 0));
    }
}
