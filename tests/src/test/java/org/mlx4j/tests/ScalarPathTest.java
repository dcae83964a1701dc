package org.mlx4j.tests;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.backend.cpu.Simd;

/**
 * The library runs with and without {@code --add-modules jdk.incubator.vector}: this JVM has the
 * module (the build adds it); a child JVM without it must take the scalar path, log so, and compute
 * the same numbers.
 */
class ScalarPathTest {
    /** A workload touching the vectorized kernels: elementwise, reductions, matmul. */
    static List<String> workload() {
        Array x = divide(arange(0, 300, 1, org.mlx4j.core.DType.FLOAT32), array(100f));
        Array m = reshape(x, 20, 15);
        List<String> out = new ArrayList<>();
        out.add(Float.toString(sum(exp(x)).itemFloat()));
        out.add(Float.toString(sum(multiply(sigmoid(x), sqrt(x))).itemFloat()));
        out.add(Float.toString(max(x).itemFloat()));
        out.add(Float.toString(sum(matmul(m, m.T())).itemFloat()));
        return out;
    }

    @Test
    void thisJvmUsesTheVectorApi() {
        assertTrue(Simd.ENABLED, "the build adds jdk.incubator.vector, so the Vector API path must be active");
    }

    @Test
    void withoutTheVectorModuleTheScalarPathComputesTheSameValues() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ScalarPathMain.class.getName());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), text);
        assertTrue(text.contains("mlx4j CPU path: scalar"), "one log line names the scalar path:\n" + text);
        assertTrue(text.contains("path=scalar"), text);
        String line = text.lines().filter(l -> l.startsWith("values=")).findFirst().orElseThrow();
        String[] child = line.substring(7).split(",");
        List<String> here = workload();
        for (int i = 0; i < child.length; i++) {
            float a = Float.parseFloat(child[i]), b = Float.parseFloat(here.get(i));
            assertEquals(b, a, 1e-4f * Math.max(1, Math.abs(b)), "value " + i);
        }
    }
}
