package org.mlx4j.examples.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mlx4j.core.Device;
import org.mlx4j.core.MX;
import org.mlx4j.core.backend.cpu.Blas;
import org.mlx4j.core.backend.cpu.Gemm;
import org.mlx4j.core.backend.cpu.Parallel;
import org.mlx4j.core.backend.cpu.Simd;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;
import org.mlx4j.examples.data.FashionMnist;
import org.mlx4j.examples.lm.ByteCorpus;
import picocli.CommandLine.Command;

/** {@code mlx4j doctor}: what this machine gives mlx4j, and why not more. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Print what mlx4j finds on this machine: Java, the CPU path (Vector API or scalar), the BLAS,",
                "the GPU backends and why one is unavailable, the CUDA libraries, memory, and the example data."})
final class DoctorCommand implements Callable<Integer> {
    @Override public Integer call() {
        System.out.println("mlx4j doctor");
        System.out.println("java       " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home"));
        System.out.println("cpu path   " + Simd.describe() + (Simd.ENABLED ? "" : " (start the JVM with --add-modules jdk.incubator.vector for the fast path; ./mlx4j does)"));
        System.out.println("threads    " + Parallel.THREADS + " (of " + Runtime.getRuntime().availableProcessors() + " processors; set -Dmlx4j.threads=N)");
        System.out.println("gemm       " + Gemm.describe());
        System.out.println("blas       " + Blas.describe() + (Blas.available() ? "" : " (apt-get install libopenblas0-openmp to use it where faster)"));
        long heap = Runtime.getRuntime().maxMemory();
        String physical = "";
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            physical = String.format(Locale.ROOT, ", machine %.1f GiB (%.1f GiB free)", os.getTotalMemorySize() / 1073741824.0, os.getFreeMemorySize() / 1073741824.0);
        }
        System.out.printf(Locale.ROOT, "memory     Java heap max %.1f GiB%s; arrays live off-heap (active %.1f MB, cached %.1f MB)%n",
                heap / 1073741824.0, physical, MX.activeMemory() / 1e6, MX.cacheMemory() / 1e6);
        List<Backend> gpus = Backends.all().stream().filter(b -> b.deviceType() == Device.Type.GPU).toList();
        if (gpus.isEmpty()) {
            System.out.println("gpu        none: no GPU backend module (mlx-cuda, mlx-metal-bridge) on the class path; everything runs on the CPU");
        }
        for (Backend b : gpus) {
            System.out.println("gpu        " + b.name() + ": " + (b.isAvailable() ? "available" : "unavailable (" + b.unavailableReason() + ")"));
            for (String line : b.diagnostics()) System.out.println("           " + line);
        }
        System.out.println("device     --device auto picks " + Devices.choose("auto"));
        System.out.println("data       Fashion-MNIST: " + (FashionMnist.isPresent(Path.of(FashionMnist.DEBIAN_DIR)) ? FashionMnist.DEBIAN_DIR
                : "not in " + FashionMnist.DEBIAN_DIR + " (apt-get install dataset-fashion-mnist, pass --data DIR, or let train download it)"));
        System.out.println("data       Vim help (LM): " + present(ByteCorpus.VIM_HELP_GLOB, Path.of("/usr/share/vim/vim90/doc"), "vim-runtime"));
        System.out.println("data       fortunes (LoRA): " + present(ByteCorpus.FORTUNES_DIR, Path.of(ByteCorpus.FORTUNES_DIR), "fortunes"));
        return 0;
    }

    private static String present(String what, Path dir, String pkg) {
        return Files.isDirectory(dir) ? what : "missing (apt-get install " + pkg + ", or pass --text PATH)";
    }
}
