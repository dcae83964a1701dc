package org.mlx4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Device;
import org.mlx4j.examples.bench.GpuBench;

/**
 * The GPU benchmark's smoke run on the CPU ({@code --device cpu --small}): every workload of the
 * PyTorch peer prints its RESULT line with the peer's name and a positive, finite value, so the
 * program is known to work before it first meets a GPU.
 */
class GpuBenchTest {
    @Test
    void smokeRunPrintsEveryPeerResult() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            GpuBench.main(new String[] {"--device", "cpu", "--small"});
        } finally {
            System.setOut(old);
            Device.setDefaultDevice(Device.cpu());
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        for (String name : new String[] {"gemm.fp32.n256", "gemm.tf32.n256", "elem.affine_unfused.GBps_min", "elem.sum.GBps",
                "elem.softmax4096.ms", "mlp.step_ms", "mlp.epoch_s_est", "cnn.step_ms", "lm.step_ms", "lm.tokens_per_s"}) {
            Matcher m = Pattern.compile("RESULT " + Pattern.quote(name) + "=([^ ]+) ").matcher(out);
            assertTrue(m.find(), name + " missing in:\n" + out);
            double v = Double.parseDouble(m.group(1));
            assertTrue(v > 0 && Double.isFinite(v), name + " = " + v);
        }
    }
}
