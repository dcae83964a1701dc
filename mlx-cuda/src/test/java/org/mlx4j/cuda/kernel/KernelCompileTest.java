package org.mlx4j.cuda.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Compiles every variant of {@link KernelCatalog#all()} with nvcc for sm_80 and sm_90, so a kernel that
 * does not compile fails the build on machines without a GPU. Skips (assumption) where nvcc is absent.
 * {@code -Dmlx4j.kernelFilter=substring} compiles only the variants whose label contains it.
 */
class KernelCompileTest {
    private static final int PARALLEL = 2;
    private static final int ERROR_LINES = 6;
    /** An #include directive (comments may mention the word). */
    static final java.util.regex.Pattern INCLUDE = java.util.regex.Pattern.compile("(?m)^\\s*#\\s*include\\b");

    /** nvcc on PATH, in $CUDA_HOME/bin or /usr/local/cuda/bin; null when none. */
    static Path findNvcc() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) if (!dir.isEmpty()) candidates.add(Path.of(dir, "nvcc"));
        }
        String home = System.getenv("CUDA_HOME");
        if (home != null) candidates.add(Path.of(home, "bin", "nvcc"));
        candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
        for (Path p : candidates) if (Files.isExecutable(p)) return p;
        return null;
    }

    @Test
    void everyCatalogVariantCompiles() throws Exception {
        Path nvcc = findNvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc not found: searched PATH, $CUDA_HOME/bin and /usr/local/cuda/bin");
        String filter = System.getProperty("mlx4j.kernelFilter", "");
        List<KernelSpec> specs = new ArrayList<>();
        for (KernelSpec s : KernelCatalog.all()) if (s.label().contains(filter)) specs.add(s);
        Assumptions.assumeTrue(!specs.isEmpty(), "no catalog variant matches -Dmlx4j.kernelFilter=" + filter);

        Path dir = Files.createTempDirectory("mlx4j-nvcc");
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        List<String> failures = new ArrayList<>();
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                KernelSpec spec = specs.get(i);
                int id = i;
                results.add(pool.submit(() -> compile(nvcc, dir, id, spec)));
            }
            for (int i = 0; i < specs.size(); i++) {
                String error = results.get(i).get(10, TimeUnit.MINUTES);
                if (error != null) failures.add(specs.get(i).label() + ":\n" + error);
            }
        } finally {
            pool.shutdownNow();
            deleteTree(dir);
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + specs.size() + " kernel variants do not compile:\n\n" + String.join("\n\n", failures));
        }
    }

    /** Compiles one variant; returns null on success, else the first lines of nvcc's errors. */
    private static String compile(Path nvcc, Path dir, int id, KernelSpec spec) throws IOException, InterruptedException {
        String text = KernelSource.text(spec);
        if (INCLUDE.matcher(text).find()) return "the source contains #include (kernels must paste, NVRTC has no system headers)";
        Path src = dir.resolve("k" + id + ".cu");
        Path out = dir.resolve("k" + id + ".fatbin");
        Files.writeString(src, text, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(nvcc.toString(), "-fatbin",
                "-gencode", "arch=compute_80,code=sm_80", "-gencode", "arch=compute_90,code=sm_90",
                "-std=c++17", "-o", out.toString(), src.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc == 0 && Files.size(out) > 0) return null;
        List<String> lines = new ArrayList<>();
        for (String l : log.split("\n")) {
            if (l.contains("error") || lines.size() > 0 && lines.size() < ERROR_LINES) lines.add(l);
            if (lines.size() >= ERROR_LINES) break;
        }
        if (lines.isEmpty()) lines = List.of(log.lines().limit(ERROR_LINES).toArray(String[]::new));
        return "nvcc exit " + rc + "\n  " + String.join("\n  ", lines);
    }

    @Test
    void sourcesHaveNoInclude() {
        for (KernelSpec s : KernelCatalog.all()) {
            assertFalse(INCLUDE.matcher(KernelSource.text(s)).find(), s.label() + " contains an #include directive");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
