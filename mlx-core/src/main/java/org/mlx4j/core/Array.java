package org.mlx4j.core;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.primitive.Primitive;
import org.mlx4j.core.transforms.Evaluator;

/**
 * An immutable, lazily evaluated n-dimensional array: a handle on a node of the compute graph.
 *
 * <p>An array knows its {@link Shape}, {@link DType} and {@link Device} at once; its values are
 * computed only at a sync point: {@link MX#eval}, {@link #item()} or one of the {@code to*Array()}
 * methods. Ops check their arguments eagerly and throw {@link IllegalArgumentException} with an
 * {@code [op]} prefix on bad input.
 *
 * <p>This class carries a curated fluent subset of the ops; {@link MX} has them all.
 * <pre>{@code
 * Array x = MX.array(new float[] {1, 2, 3, 4}, 2, 2);
 * Array y = x.matmul(x.T()).add(1).sum();
 * float v = y.itemFloat();   // evaluates the graph
 * }</pre>
 *
 * <p>Memory: an evaluated array holds an off-heap buffer. It is released when the array is
 * unreachable (found without waiting for the JVM's own schedule, see {@link Allocator}), when an
 * enclosing {@link Scope} closes, or at once by {@link #close()}.
 */
public final class Array implements AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Shape shape;
    private final DType dtype;
    private final Device device;
    private Primitive primitive;
    private Array[] inputs;
    private final DataHolder holder = new DataHolder();
    private Runnable untrack;

    /** Holds the data apart from the array, so the release action never refers to the array. */
    private static final class DataHolder implements Runnable {
        volatile ArrayData data;

        @Override public synchronized void run() {
            ArrayData d = data;
            data = null;
            if (d != null) d.buffer().release();
        }
    }

    private Array(Shape shape, DType dtype, Device device, Primitive primitive, Array[] inputs) {
        this.shape = Objects.requireNonNull(shape);
        this.dtype = Objects.requireNonNull(dtype);
        this.device = Objects.requireNonNull(device);
        this.primitive = primitive;
        this.inputs = inputs;
        Scope.register(this);
    }

    /**
     * A graph node (for primitives and backends; users call the ops in {@link MX}).
     *
     * @param shape     output shape
     * @param dtype     output dtype
     * @param primitive what computes it
     * @param inputs    its inputs; the node lives on the first input's device (or the default)
     */
    public static Array node(Shape shape, DType dtype, Primitive primitive, Array... inputs) {
        Device d = inputs.length > 0 ? inputs[0].device : Device.defaultDevice();
        return new Array(shape, dtype, d, primitive, inputs.clone());
    }

    /** A node on an explicit device (for creation ops and copies). */
    public static Array node(Shape shape, DType dtype, Device device, Primitive primitive, Array... inputs) {
        return new Array(shape, dtype, device, primitive, inputs.clone());
    }

    /** An evaluated array that takes over one reference to {@code data} (for creation and I/O). */
    public static Array fromData(Shape shape, DType dtype, Device device, ArrayData data) {
        Array a = new Array(shape, dtype, device, null, null);
        a.setData(data);
        a.track();
        return a;
    }

    /** A unique id (for graph walks and debugging). */
    public long id() { return id; }

    /** The shape. */
    public Shape shape() { return shape; }

    /** Size of axis {@code axis} (negative counts from the end). */
    public int dim(int axis) { return shape.dim(axis); }

    /** Number of axes. */
    public int ndim() { return shape.ndim(); }

    /** Number of elements. */
    public long size() { return shape.size(); }

    /** Bytes of the elements (size times the dtype's size). */
    public long nbytes() { return shape.size() * dtype.size(); }

    /** The element type. */
    public DType dtype() { return dtype; }

    /** The device this array is computed on. */
    public Device device() { return device; }

    // ---------------------------------------------------------------- graph internals (SPI)

    /** The primitive that computes this array, or {@code null} for a leaf. For backends and transforms. */
    public Primitive primitive() { return primitive; }

    /** The inputs of {@link #primitive()}; empty for a leaf. For backends and transforms. */
    public List<Array> inputs() { return inputs == null ? List.of() : List.of(inputs); }

    /** Input {@code i} without a list copy (for kernels). */
    public Array input(int i) { return inputs[i]; }

    /** Number of inputs. */
    public int inputCount() { return inputs == null ? 0 : inputs.length; }

    /** True when the array holds computed values. */
    public boolean isEvaluated() { return holder.data != null; }

    /** The computed memory, or {@code null}. For backends. */
    public ArrayData data() { return holder.data; }

    /**
     * Stores computed memory; takes over one reference of {@code data.buffer()}. For backends.
     *
     * @throws IllegalStateException if the array already holds data
     */
    public void setData(ArrayData data) {
        synchronized (holder) {
            if (holder.data != null) throw new IllegalStateException("[setData] array " + id + " is already evaluated");
            holder.data = data;
        }
    }

    /**
     * Registers this array so its memory is released once the program drops it. The evaluator calls
     * it for arrays that keep their values after an evaluation (intermediates released during the
     * evaluation never need it), and {@link #fromData} for arrays born with values.
     */
    public void track() {
        if (untrack == null && holder.data != null) untrack = Allocator.global().track(this, holder);
    }

    /** Drops the recipe (primitive and inputs) once the values are known, so graphs do not pin memory. */
    public void detach() {
        if (holder.data == null) throw new IllegalStateException("[detach] array " + id + " is not evaluated");
        primitive = null;
        inputs = null;
    }

    /** Frees the values but keeps the recipe, so the array can be computed again. For the evaluator. */
    public void releaseData() {
        if (primitive == null) throw new IllegalStateException("[releaseData] leaf array " + id + " has no recipe");
        holder.run();
    }

    /**
     * Releases this array's memory now. The array must not be used afterwards (a later use throws
     * {@link IllegalStateException}); arrays computed from it earlier keep their own memory.
     */
    @Override public void close() {
        primitive = null;
        inputs = null;
        if (untrack != null) untrack.run(); // releases now and forgets the phantom reference
        else holder.run();
    }

    /** True once {@link #close()} ran (or the memory was released by a closing scope). */
    public boolean isClosed() { return primitive == null && holder.data == null; }

    // ---------------------------------------------------------------- sync points

    /** Evaluates this array (a sync point) and returns it. */
    public Array eval() {
        Evaluator.eval(this);
        return this;
    }

    /** The single element as double. A sync point. @throws IllegalArgumentException if size != 1 */
    public double item() {
        if (size() != 1) throw new IllegalArgumentException("[item] can only be called on arrays of size 1, got shape " + shape + ".");
        return toDoubleArray()[0];
    }

    /** The single element as float. A sync point. */
    public float itemFloat() { return (float) item(); }

    /** The single element as long. A sync point. */
    public long itemLong() {
        if (size() != 1) throw new IllegalArgumentException("[item] can only be called on arrays of size 1, got shape " + shape + ".");
        return toLongArray()[0];
    }

    /** The single element as int. A sync point. */
    public int itemInt() { return (int) itemLong(); }

    /** The single element as boolean (nonzero is true). A sync point. */
    public boolean itemBoolean() { return item() != 0; }

    /** All elements in row-major order as float. A sync point. */
    public float[] toFloatArray() { return HostCopy.toFloat(this); }

    /** All elements in row-major order as double. A sync point. */
    public double[] toDoubleArray() { return HostCopy.toDouble(this); }

    /** All elements in row-major order as int (floats truncate). A sync point. */
    public int[] toIntArray() { return HostCopy.toInt(this); }

    /** All elements in row-major order as long (floats truncate). A sync point. */
    public long[] toLongArray() { return HostCopy.toLong(this); }

    /** All elements in row-major order as boolean (nonzero is true). A sync point. */
    public boolean[] toBooleanArray() { return HostCopy.toBoolean(this); }

    /** NumPy-style text with shape and dtype; large arrays are summarised. A sync point. */
    @Override public String toString() { return ArrayFormat.format(this); }

    // ---------------------------------------------------------------- fluent subset (see MX)

    /** {@link MX#add(Array, Array)}. */
    public Array add(Array other) { return MX.add(this, other); }
    /** {@link MX#add(Array, Array)} with a scalar of this array's kind. */
    public Array add(double other) { return MX.add(this, MX.scalarLike(other, this)); }
    /** {@link MX#subtract(Array, Array)}. */
    public Array subtract(Array other) { return MX.subtract(this, other); }
    /** {@link MX#subtract(Array, Array)} with a scalar. */
    public Array subtract(double other) { return MX.subtract(this, MX.scalarLike(other, this)); }
    /** {@link MX#multiply(Array, Array)}. */
    public Array multiply(Array other) { return MX.multiply(this, other); }
    /** {@link MX#multiply(Array, Array)} with a scalar. */
    public Array multiply(double other) { return MX.multiply(this, MX.scalarLike(other, this)); }
    /** {@link MX#divide(Array, Array)}. */
    public Array divide(Array other) { return MX.divide(this, other); }
    /** {@link MX#divide(Array, Array)} with a scalar. */
    public Array divide(double other) { return MX.divide(this, MX.scalarLike(other, this)); }
    /** {@link MX#power(Array, Array)}. */
    public Array power(Array other) { return MX.power(this, other); }
    /** {@link MX#power(Array, Array)} with a scalar exponent. */
    public Array power(double other) { return MX.power(this, MX.scalarLike(other, this)); }
    /** {@link MX#negative(Array)}. */
    public Array negative() { return MX.negative(this); }
    /** {@link MX#exp(Array)}. */
    public Array exp() { return MX.exp(this); }
    /** {@link MX#log(Array)}. */
    public Array log() { return MX.log(this); }
    /** {@link MX#sqrt(Array)}. */
    public Array sqrt() { return MX.sqrt(this); }
    /** {@link MX#square(Array)}. */
    public Array square() { return MX.square(this); }
    /** {@link MX#abs(Array)}. */
    public Array abs() { return MX.abs(this); }
    /** {@link MX#maximum(Array, Array)}. */
    public Array maximum(Array other) { return MX.maximum(this, other); }
    /** {@link MX#minimum(Array, Array)}. */
    public Array minimum(Array other) { return MX.minimum(this, other); }
    /** {@link MX#matmul(Array, Array)}. */
    public Array matmul(Array other) { return MX.matmul(this, other); }
    /** {@link MX#reshape(Array, int...)}. */
    public Array reshape(int... newShape) { return MX.reshape(this, newShape); }
    /** {@link MX#flatten(Array)}. */
    public Array flatten() { return MX.flatten(this); }
    /** {@link MX#transpose(Array, int...)}. */
    public Array transpose(int... axes) { return MX.transpose(this, axes); }
    /** The transpose with all axes reversed. */
    public Array T() { return MX.transpose(this); }
    /** {@link MX#swapaxes(Array, int, int)}. */
    public Array swapaxes(int a, int b) { return MX.swapaxes(this, a, b); }
    /** {@link MX#expandDims(Array, int...)}. */
    public Array expandDims(int... axes) { return MX.expandDims(this, axes); }
    /** {@link MX#squeeze(Array, int...)}. */
    public Array squeeze(int... axes) { return MX.squeeze(this, axes); }
    /** {@link MX#broadcastTo(Array, int...)}. */
    public Array broadcastTo(int... newShape) { return MX.broadcastTo(this, newShape); }
    /** {@link MX#astype(Array, DType)}. */
    public Array astype(DType t) { return MX.astype(this, t); }
    /** {@link MX#sum(Array, int...)} over all axes. */
    public Array sum() { return MX.sum(this); }
    /** {@link MX#sum(Array, int[], boolean)}. */
    public Array sum(int axis, boolean keepDims) { return MX.sum(this, new int[] {axis}, keepDims); }
    /** {@link MX#mean(Array, int...)} over all axes. */
    public Array mean() { return MX.mean(this); }
    /** {@link MX#mean(Array, int[], boolean)}. */
    public Array mean(int axis, boolean keepDims) { return MX.mean(this, new int[] {axis}, keepDims); }
    /** {@link MX#max(Array, int...)} over all axes. */
    public Array max() { return MX.max(this); }
    /** {@link MX#max(Array, int[], boolean)}. */
    public Array max(int axis, boolean keepDims) { return MX.max(this, new int[] {axis}, keepDims); }
    /** {@link MX#min(Array, int...)} over all axes. */
    public Array min() { return MX.min(this); }
    /** {@link MX#argmax(Array, int, boolean)}. */
    public Array argmax(int axis) { return MX.argmax(this, axis, false); }
    /** {@link MX#greater(Array, Array)}. */
    public Array greater(Array other) { return MX.greater(this, other); }
    /** {@link MX#less(Array, Array)}. */
    public Array less(Array other) { return MX.less(this, other); }
    /** {@link MX#equal(Array, Array)}. */
    public Array equal(Array other) { return MX.equal(this, other); }
    /** {@link MX#get(Array, String)}: NumPy-style indexing, e.g. {@code x.get("1:3, ::2, None, ...")}. */
    public Array get(String index) { return MX.get(this, index); }
    /** {@link MX#get(Array, Index...)}: NumPy-style indexing by items, e.g. {@code x.get(Index.at(1), Index.all())}. */
    public Array get(Index... index) { return MX.get(this, index); }
}
