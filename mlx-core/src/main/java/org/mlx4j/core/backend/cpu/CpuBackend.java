package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.mlx4j.core.Array;
import org.mlx4j.core.Device;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Capabilities;
import org.mlx4j.core.backend.spi.DeviceBuffer;
import org.mlx4j.core.backend.spi.Stream;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.Primitive;

/**
 * The built-in CPU backend: every primitive has a kernel here. Kernels are registered family by
 * family (one class per family) and run synchronously on the calling thread, going parallel through
 * {@link Parallel}.
 */
public final class CpuBackend implements Backend {
    /** A CPU kernel: computes {@code node} from its evaluated inputs and calls {@link Array#setData}. */
    @FunctionalInterface
    public interface Kernel { void eval(Array node); }

    /** Where families register their kernels. */
    public static final class Registry {
        private final Map<Class<? extends Primitive>, Kernel> kernels = new HashMap<>();

        /** Registers the kernel of primitive class {@code c}. */
        public void put(Class<? extends Primitive> c, Kernel k) {
            if (kernels.put(c, k) != null) throw new IllegalStateException("two CPU kernels for " + c.getSimpleName());
        }

        Kernel get(Class<? extends Primitive> c) { return kernels.get(c); }

        /** The registered primitive classes. */
        public Set<Class<? extends Primitive>> primitives() { return kernels.keySet(); }
    }

    private final Registry registry = new Registry();

    /** Creates the backend and registers every kernel family. */
    public CpuBackend() {
        CpuElementwise.register(registry);
        CpuViews.register(registry);
        CpuReduce.register(registry);
        CpuMatmul.register(registry);
        CpuIndexing.register(registry);
        CpuRandom.register(registry);
        CpuConv.register(registry);
        // further families register here, one line each
    }

    /** The kernel table (for the conformance suite). */
    public Registry registry() { return registry; }

    @Override public String name() { return "cpu"; }

    @Override public Device.Type deviceType() { return Device.Type.CPU; }

    @Override public boolean isAvailable() { return true; }

    @Override public Capabilities capabilities() { return new Capabilities(true, true, true); }

    @Override public void eval(Array node, Stream stream) {
        Primitive p = node.primitive();
        Kernel k = registry.get(p.getClass());
        if (k == null) throw new UnsupportedOperationException("[cpu] no kernel for primitive " + p.name() + ".");
        for (int i = 0, n = node.inputCount(); i < n; i++) {
            Array in = node.input(i);
            if (!in.isEvaluated()) throw new IllegalStateException("[cpu] input " + i + " of " + p.name() + " is not evaluated");
            if (in.device().type() != Device.Type.CPU && !(p instanceof org.mlx4j.core.primitive.ToDevice)) {
                throw new IllegalArgumentException("[" + p.name() + "] input " + i + " is on " + in.device() + ", not the CPU; use MX.toDevice.");
            }
        }
        k.eval(node);
    }

    @Override public Set<String> unsupported() { return Set.of(); }

    @Override public DeviceBuffer upload(MemorySegment host, long bytes, Device device) {
        Buffer b = Allocator.global().allocate(bytes);
        MemorySegment.copy(host, 0, b.segment(), 0, bytes);
        return b;
    }

    @Override public void download(DeviceBuffer src, long byteOffset, MemorySegment dst) {
        MemorySegment.copy(src.hostSegment(), byteOffset, dst, 0, dst.byteSize());
    }
}
