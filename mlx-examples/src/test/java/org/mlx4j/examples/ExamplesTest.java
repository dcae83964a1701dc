package org.mlx4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlx4j.examples.cli.Mlx4j;
import org.mlx4j.examples.data.FashionMnist;

/**
 * The example programs run as single source files ({@code java -cp JARS Example.java}), the way
 * their Javadoc tells users to run them, in a child JVM.
 */
class ExamplesTest {
    static final Path SOURCES = Path.of("src/main/java/org/mlx4j/examples").toAbsolutePath();

    record Run(int exitCode, String output) {}

    static Run runSource(Path workDir, String file, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), SOURCES.resolve(file).toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the example did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("$ java " + file + " " + String.join(" ", args) + "\n" + text);
        return new Run(p.exitValue(), text);
    }

    static void assumeData() {
        assumeTrue(FashionMnist.isPresent(Path.of(FashionMnist.DEBIAN_DIR)), "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    }

    @Test void mlpExampleRunsAsASourceFile(@TempDir Path dir) throws Exception {
        assumeData();
        Run r = runSource(dir, "MlpExample.java", "1");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("epoch 1: train loss"), r.output());
        double acc = Double.parseDouble(r.output().replaceAll("(?s).*test accuracy ([0-9.]+).*", "$1"));
        assertTrue(acc > 0.8, "one epoch of the MLP should pass 80%: " + acc);
        assertTrue(Files.size(dir.resolve("mlp.safetensors")) > 2_000_000);
    }

    @Test void importLayerExampleClassifiesWithWeightsFromTheCommandLine(@TempDir Path dir) throws Exception {
        assumeData();
        Path run = dir.resolve("cnn");
        int code = Mlx4j.execute("train", "cnn", "--epochs", "1", "--steps-per-epoch", "20", "--train-limit", "2560", "--no-progress",
                "--device", "cpu", "--out", run.toString());
        assertEquals(0, code);
        Run r = runSource(dir, "ImportLayerExample.java", run.resolve("model.safetensors").toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(FashionMnist.CLASSES.stream().anyMatch(c -> r.output().contains(c + " (")), r.output());

        Run bad = runSource(dir, "ImportLayerExample.java", dir.resolve("missing.safetensors").toString());
        assertTrue(bad.exitCode() != 0 && bad.output().contains("missing.safetensors"), bad.output());
    }

    @Test void everyExampleCompilesAsASingleFile(@TempDir Path dir) throws IOException {
        // the examples not run above at least compile on their own against the jars alone
        var compiler = javax.tools.ToolProvider.getSystemJavaCompiler();
        for (String f : List.of("CnnExample.java", "CharLmExample.java", "LoraFinetuneExample.java", "HeadRetrainExample.java")) {
            int rc = compiler.run(null, null, null, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                    "--add-modules", "jdk.incubator.vector", SOURCES.resolve(f).toString());
            assertEquals(0, rc, f + " does not compile on its own");
        }
    }
}
