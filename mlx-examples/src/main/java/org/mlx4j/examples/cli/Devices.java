package org.mlx4j.examples.cli;

import java.util.Locale;
import org.mlx4j.core.Device;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;

/** Picks the device a command runs on, from the --device flag. */
final class Devices {
    private Devices() {}

    /**
     * {@code auto}: the first GPU whose backend is available, else the CPU; {@code cpu};
     * {@code gpu} or {@code gpu:N}: that GPU, or an error saying why it is not available.
     */
    static Device choose(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) return gpuAvailable() ? Device.gpu() : Device.cpu();
        if (s.equals("cpu")) return Device.cpu();
        if (s.equals("gpu") || s.startsWith("gpu:")) {
            int index;
            try {
                index = s.equals("gpu") ? 0 : Integer.parseInt(s.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("[--device] expected gpu:N with a number N, got '" + spec + "'.");
            }
            Device d = Device.gpu(index);
            try {
                Backends.forDevice(d);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("[--device] " + e.getMessage() + " Run ./mlx4j doctor for details, or use --device cpu.");
            }
            return d;
        }
        throw new IllegalArgumentException("[--device] expected auto, cpu, gpu or gpu:N, got '" + spec + "'.");
    }

    /** Makes {@code spec}'s device the default for new arrays and returns it. */
    static Device use(String spec) {
        Device d = choose(spec);
        Device.setDefaultDevice(d);
        return d;
    }

    static boolean gpuAvailable() {
        for (Backend b : Backends.all()) if (b.deviceType() == Device.Type.GPU && b.isAvailable()) return true;
        return false;
    }
}
