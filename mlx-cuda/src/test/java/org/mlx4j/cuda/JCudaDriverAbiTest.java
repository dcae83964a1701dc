package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JCuda 12.6's native driver library against the installed CUDA toolkit's {@code cuda.h} (13.0 on
 * our build machines): every driver function the backend calls is bound by JCuda to an exported
 * name the header still declares, and JCuda resolves no driver symbol eagerly at load time (only
 * lazy PLT slots), so functions dropped from newer drivers cannot stop it loading. This is the check
 * that JCuda, built for CUDA 12, serves a CUDA 13 driver. Skips where the toolkit header or binutils
 * is absent.
 */
class JCudaDriverAbiTest {
    @TempDir Path tmp;

    static final Path HEADER = Path.of(System.getenv().getOrDefault("CUDA_HOME", "/usr/local/cuda"), "include", "cuda.h");

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), cmd + ":\n" + out);
        return out;
    }

    static boolean available(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The driver functions the backend's main code calls through JCuda ({@code cuXxx(} in its sources). */
    static Set<String> calledFunctions() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern call = Pattern.compile("\\b(cu[A-Z][A-Za-z0-9]*)\\(");
        try (Stream<Path> files = Files.list(Path.of("src/main/java/org/mlx4j/cuda"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(Files.readString(f));
                while (m.find()) names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * Whether cuda.h still exports {@code bound} for {@code fn}: declared under that name, or declared
     * as {@code fn} with {@code #define fn bound} (how the header versions functions, e.g. cuMemFree_v2).
     */
    static boolean declares(String header, String fn, String bound) {
        boolean declared = Pattern.compile("CUDAAPI\\s+" + Pattern.quote(bound) + "\\s*\\(").matcher(header).find();
        boolean mapped = Pattern.compile("#define\\s+" + Pattern.quote(fn) + "\\s+" + Pattern.quote(bound) + "\\b").matcher(header).find()
                && Pattern.compile("CUDAAPI\\s+" + Pattern.quote(fn) + "\\s*\\(").matcher(header).find();
        return declared || mapped;
    }

    @Test
    void jcudaBindsEveryCalledDriverFunctionToANameCudaHeaderDeclaresAndNothingEagerly() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(HEADER), "no CUDA toolkit header at " + HEADER + " (set CUDA_HOME)");
        Assumptions.assumeTrue(available("nm") && available("readelf"), "binutils (nm, readelf) not found");
        Path lib = tmp.resolve("libJCudaDriver.so");
        try (InputStream in = jcuda.driver.JCudaDriver.class.getResourceAsStream("/lib/libJCudaDriver-12.6.0-linux-x86_64.so")) {
            assertNotNull(in, "JCuda's linux-x86_64 natives are not on the test class path");
            Files.copy(in, lib);
        }
        Set<String> undefined = new TreeSet<>();
        for (String line : run(List.of("nm", "-D", "--undefined-only", lib.toString())).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[1].matches("cu[A-Z].*")) undefined.add(f[1]);
        }
        assertTrue(undefined.size() > 100, "JCuda's driver library imports the driver API: " + undefined.size());
        String header = Files.readString(HEADER);
        Set<String> called = calledFunctions();
        assertTrue(called.containsAll(Set.of("cuLaunchKernel", "cuModuleLoadData", "cuMemAllocAsync", "cuStreamSynchronize")), called.toString());
        List<String> problems = new ArrayList<>();
        for (String fn : called) {
            // JCuda binds the name cuda.h gave the function when JCuda was built: fn, fn_v2, fn_v3...
            String bound = undefined.stream().filter(s -> s.equals(fn) || s.matches(Pattern.quote(fn) + "_v[0-9]+")).findFirst().orElse(null);
            if (bound == null) problems.add(fn + ": JCuda imports no such symbol");
            else if (!declares(header, fn, bound)) problems.add(fn + " -> " + bound + ": not declared in " + HEADER);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        // only lazily bound slots for driver functions: a symbol a newer driver dropped fails at its call, not at load
        for (String line : run(List.of("readelf", "-rW", lib.toString())).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[4].matches("cu[A-Z].*")) assertEquals("R_X86_64_JUMP_SLOT", f[2], "eager relocation of " + f[4]);
        }
    }
}
