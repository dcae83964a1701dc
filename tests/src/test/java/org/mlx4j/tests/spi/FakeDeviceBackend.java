package org.mlx4j.tests.spi;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;
import org.mlx4j.core.backend.spi.Capabilities;
import org.mlx4j.core.backend.spi.DeviceBuffer;
import org.mlx4j.core.backend.spi.Stream;
import org.mlx4j.core.primitive.Binary;
import org.mlx4j.core.primitive.Primitive;
import org.mlx4j.core.primitive.Reduce;
import org.mlx4j.core.primitive.ReduceOp;
import org.mlx4j.core.primitive.ToDevice;
import org.mlx4j.core.primitive.Unary;

/**
 * A second backend, found through ServiceLoader, for a pretend GPU whose memory the host cannot
 * see (its buffers have no host segment). It computes a handful of float32 primitives, declares the
 * rest unsupported, and counts launches and copies, so tests can check that the SPI assumes nothing
 * about the CPU and that evaluation launches exactly what it should. Disabled unless a test enables it.
 */
public final class FakeDeviceBackend implements Backend {
    /** Tests switch the backend on and off. */
    public static volatile boolean enabled;
    /** Kernel launches since the last {@link #reset()}. */
    public static final AtomicInteger LAUNCHES = new AtomicInteger();
    /** Host-to-device copies. */
    public static final AtomicInteger UPLOADS = new AtomicInteger();
    /** Device-to-host copies. */
    public static final AtomicInteger DOWNLOADS = new AtomicInteger();
    /** Buffers currently alive on the fake device. */
    public static final AtomicInteger LIVE_BUFFERS = new AtomicInteger();

    /** Zeroes the counters. */
    public static void reset() {
        LAUNCHES.set(0);
        UPLOADS.set(0);
        DOWNLOADS.set(0);
    }

    /** Device memory: a heap array, invisible to the host as a segment. */
    static final class FakeBuffer implements DeviceBuffer {
        final byte[] bytes;
        private final AtomicInteger refs = new AtomicInteger(1);

        FakeBuffer(int n) {
            bytes = new byte[n];
            LIVE_BUFFERS.incrementAndGet();
        }

        @Override public Device device() { return Device.gpu(); }
        @Override public MemorySegment hostSegment() { return null; }
        @Override public DeviceBuffer retain() { refs.incrementAndGet(); return this; }
        @Override public void release() { if (refs.decrementAndGet() == 0) LIVE_BUFFERS.decrementAndGet(); }

        FloatBufferView floats() { return new FloatBufferView(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder())); }
    }

    record FloatBufferView(ByteBuffer b) {
        float get(int i) { return b.getFloat(i * 4); }
        void set(int i, float v) { b.putFloat(i * 4, v); }
    }

    @Override public String name() { return "fake"; }
    @Override public Device.Type deviceType() { return Device.Type.GPU; }
    @Override public boolean isAvailable() { return enabled; }
    @Override public String unavailableReason() { return "the fake test backend is disabled"; }
    @Override public Capabilities capabilities() { return new Capabilities(false, false, false); }
    @Override public Set<String> unsupported() { return Set.of(); }

    @Override public boolean supports(Primitive p) {
        return switch (p) {
            case ToDevice t -> true;
            case org.mlx4j.core.primitive.Identity i -> true;
            case org.mlx4j.core.primitive.StopGradient g -> true;
            case org.mlx4j.core.primitive.Reshape r -> true;
            case org.mlx4j.core.primitive.BroadcastTo b -> true;
            case org.mlx4j.core.primitive.Transpose t -> true;
            case Binary b -> switch (b.op()) {
                case ADD, SUBTRACT, MULTIPLY -> true;
                default -> false;
            };
            case Unary u -> switch (u.op()) {
                case EXP, NEGATIVE -> true;
                default -> false;
            };
            case Reduce r -> r.op() == ReduceOp.SUM;
            default -> false;
        };
    }

    @Override public void eval(Array node, Stream stream) {
        Primitive p = node.primitive();
        if (!supports(p)) throw new UnsupportedOperationException("[fake] no kernel for primitive " + p.name() + ".");
        LAUNCHES.incrementAndGet();
        if (p instanceof ToDevice) {
            Array src = node.input(0);
            Backend from = Backends.forDevice(src.device());
            FakeBuffer b = new FakeBuffer((int) node.nbytes());
            from.download(src.data().buffer(), src.data().offset() * src.dtype().size(), MemorySegment.ofArray(b.bytes));
            UPLOADS.incrementAndGet();
            node.setData(ArrayData.contiguous(b, node.shape()));
            return;
        }
        if (p instanceof org.mlx4j.core.primitive.Identity || p instanceof org.mlx4j.core.primitive.StopGradient
                || p instanceof org.mlx4j.core.primitive.Reshape) {
            ArrayData d = node.input(0).data();
            node.setData(new ArrayData(d.buffer().retain(), d.offset(), node.shape().strides(), true));
            return;
        }
        if (p instanceof org.mlx4j.core.primitive.Transpose t) {
            // a view: permuted strides over the same buffer (not dense)
            ArrayData d = node.input(0).data();
            long[] st = new long[t.perm().length];
            for (int i = 0; i < st.length; i++) st[i] = d.strides()[t.perm()[i]];
            node.setData(ArrayData.view(d.buffer().retain(), d.offset(), st, node.shape()));
            return;
        }
        if (p instanceof org.mlx4j.core.primitive.BroadcastTo) {
            // materialized: this pretend device has no strided kernels
            Array src = node.input(0);
            if (src.size() != 1) throw new UnsupportedOperationException("[fake] only scalar broadcasts");
            FakeBuffer b = new FakeBuffer((int) node.nbytes());
            float v = ((FakeBuffer) src.data().buffer()).floats().get((int) src.data().offset());
            for (int i = 0; i < node.size(); i++) b.floats().set(i, v);
            node.setData(ArrayData.contiguous(b, node.shape()));
            return;
        }
        for (Array in : node.inputs()) {
            if (in.dtype() != DType.FLOAT32 || !in.data().rowContiguous()) {
                throw new UnsupportedOperationException("[fake] " + p.name() + " needs dense float32 inputs");
            }
        }
        int n = (int) node.size();
        FakeBuffer out = new FakeBuffer((int) node.nbytes());
        FloatBufferView o = out.floats();
        FloatBufferView a = ((FakeBuffer) node.input(0).data().buffer()).floats();
        int ao = (int) node.input(0).data().offset();
        switch (p) {
            case Binary b -> {
                FloatBufferView c = ((FakeBuffer) node.input(1).data().buffer()).floats();
                int co = (int) node.input(1).data().offset();
                for (int i = 0; i < n; i++) {
                    float x = a.get(ao + i), y = c.get(co + i);
                    o.set(i, switch (b.op()) {
                        case ADD -> x + y;
                        case SUBTRACT -> x - y;
                        default -> x * y;
                    });
                }
            }
            case Unary u -> {
                for (int i = 0; i < n; i++) o.set(i, u.op() == org.mlx4j.core.primitive.UnaryOp.EXP ? (float) Math.exp(a.get(ao + i)) : -a.get(ao + i));
            }
            case Reduce r -> {
                if (n != 1) throw new UnsupportedOperationException("[fake] only full sums");
                double s = 0;
                for (int i = 0; i < node.input(0).size(); i++) s += a.get(ao + i);
                o.set(0, (float) s);
            }
            default -> throw new IllegalStateException();
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    @Override public DeviceBuffer upload(MemorySegment host, long bytes, Device device) {
        UPLOADS.incrementAndGet();
        FakeBuffer b = new FakeBuffer((int) bytes);
        MemorySegment.copy(host, 0, MemorySegment.ofArray(b.bytes), 0, bytes);
        return b;
    }

    @Override public void download(DeviceBuffer src, long byteOffset, MemorySegment dst) {
        DOWNLOADS.incrementAndGet();
        MemorySegment.copy(MemorySegment.ofArray(((FakeBuffer) src).bytes), byteOffset, dst, 0, dst.byteSize());
    }
}
