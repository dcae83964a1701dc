package org.mlx4j.cuda.lib;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds stand-ins for the CUDA libraries with gcc (C sources in the test resources), so the
 * {@code java.lang.foreign} bindings run on a machine without CUDA. Tests skip, saying why, where gcc is absent.
 */
public final class FakeLibs {
    private FakeLibs() {}

    public static boolean gccAvailable() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public static void assumeGcc() {
        Assumptions.assumeTrue(gccAvailable(), "gcc is needed to build the fake CUDA libraries these binding tests load");
    }

    /** Compiles resource {@code source} into {@code dir/fileName} as a shared library. */
    public static Path build(String source, Path dir, String fileName) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path c = dir.resolve(source);
        try (InputStream in = FakeLibs.class.getResourceAsStream(source)) {
            if (in == null) throw new IOException("no test resource " + source);
            Files.write(c, in.readAllBytes());
        }
        Path out = dir.resolve(fileName);
        Process p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O1", "-Wl,-z,noexecstack", "-o", out.toString(), c.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("gcc failed on " + source + ":\n" + log);
        return out;
    }

    /** A function of a fake library, for the tests' own probes (fake_live, ...). */
    public static java.lang.invoke.MethodHandle probe(Path lib, String name, FunctionDescriptor fd) {
        SymbolLookup l = SymbolLookup.libraryLookup(lib, Arena.global());
        return Linker.nativeLinker().downcallHandle(l.find(name).orElseThrow(), fd);
    }
}
