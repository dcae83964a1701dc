package org.mlx4j.core.backend.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.mlx4j.core.Device;
import org.mlx4j.core.backend.cpu.CpuBackend;

/** Finds the backend for a device: the built-in CPU backend, or one found through ServiceLoader. */
public final class Backends {
    private static final Logger LOG = LogManager.getLogger(Backends.class);
    private static final CpuBackend CPU = new CpuBackend();
    private static volatile List<Backend> loaded;

    private Backends() {}

    /** The built-in CPU backend. */
    public static CpuBackend cpu() { return CPU; }

    /** Every backend found through ServiceLoader (available or not), plus the CPU backend first. */
    public static List<Backend> all() {
        List<Backend> l = loaded;
        if (l == null) {
            synchronized (Backends.class) {
                if (loaded == null) {
                    List<Backend> found = new ArrayList<>();
                    found.add(CPU);
                    for (Backend b : ServiceLoader.load(Backend.class)) {
                        found.add(b);
                        LOG.debug("found backend {} for {} (available: {})", b.name(), b.deviceType(), b.isAvailable());
                    }
                    loaded = List.copyOf(found);
                }
                l = loaded;
            }
        }
        return l;
    }

    /**
     * The backend that computes on {@code device}: the first available one of its type in
     * ServiceLoader order, or the one named by the system property {@code mlx4j.backend.gpu} where
     * several serve GPUs (a test backend beside CUDA, say).
     *
     * @throws IllegalStateException when no available backend serves the device, with the reasons
     */
    public static Backend forDevice(Device device) {
        if (device.type() == Device.Type.CPU) return CPU;
        String chosen = System.getProperty("mlx4j.backend." + device.type().name().toLowerCase(java.util.Locale.ROOT));
        StringBuilder why = new StringBuilder();
        for (Backend b : all()) {
            if (b.deviceType() != device.type()) continue;
            if (chosen != null && !chosen.equals(b.name())) {
                why.append(' ').append(b.name()).append(": not the backend mlx4j.backend.")
                        .append(device.type().name().toLowerCase(java.util.Locale.ROOT)).append(" names (").append(chosen).append(");");
                continue;
            }
            if (b.isAvailable()) return b;
            why.append(' ').append(b.name()).append(": ").append(b.unavailableReason()).append(';');
        }
        throw new IllegalStateException("[device] no available backend for " + device
                + (why.isEmpty() ? " (no GPU backend module on the class path, e.g. mlx-cuda)." : ":" + why));
    }
}
