package org.mlx4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlx4j.examples.data.FashionMnist;
import org.mlx4j.examples.fashion.FashionModels;
import org.mlx4j.examples.lm.CharTransformer;
import org.mlx4j.examples.train.Checkpoint;

/**
 * The command line end to end on small settings: exit codes, the files a run writes, checkpoints
 * that load, resume that reproduces the same losses bit for bit, and clear errors for bad input
 * with nothing half-written left behind.
 */
class CliTest {
    static final Path DATA = Path.of(System.getProperty("mlx4j.fashionMnist", FashionMnist.DEBIAN_DIR));

    @TempDir static Path shared;
    static Path text;

    @BeforeAll static void corpus() throws IOException {
        // a small, repetitive text: enough for a tiny LM to learn something in a few steps
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) sb.append("the quick brown fox jumps over the lazy dog ").append(i % 7).append('\n');
        text = shared.resolve("corpus.txt");
        Files.writeString(text, sb, StandardCharsets.UTF_8);
    }

    static void assumeData() {
        assumeTrue(FashionMnist.isPresent(DATA), "Fashion-MNIST is not at " + DATA + " (apt-get install dataset-fashion-mnist)");
    }

    static String[] mlp(Path out, String... more) { return mlp(2, out, more); }

    static String[] mlp(int epochs, Path out, String... more) {
        return Stream.concat(Stream.of("train", "mlp", "--epochs", Integer.toString(epochs), "--steps-per-epoch", "4", "--train-limit", "1024", "--batch-size", "64",
                "--data", DATA.toString(), "--no-download", "--no-progress", "--device", "cpu", "--out", out.toString()), Stream.of(more)).toArray(String[]::new);
    }

    @Test void trainWritesEverythingAndResumesBitForBit(@TempDir Path tmp) throws Exception {
        assumeData();
        Path out = tmp.resolve("run");
        CliRun r = CliRun.of(mlp(out));
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("test_accuracy"), r.all());
        for (String f : List.of("metrics.csv", "steps.csv", "plot.png", "model.safetensors", "checkpoints/epoch-001.safetensors", "checkpoints/epoch-002.safetensors")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f + " missing or empty");
        }
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(3, metrics.size(), "header and two epochs: " + metrics);
        assertTrue(metrics.getFirst().startsWith("epoch,step,train_loss,test_accuracy"), metrics.getFirst());
        List<String> steps = Files.readAllLines(out.resolve("steps.csv"));
        assertEquals(1 + 8, steps.size(), "header and 8 steps: " + steps);

        BufferedImage png = ImageIO.read(out.resolve("plot.png").toFile());
        assertTrue(png != null && png.getWidth() > 100 && png.getHeight() > 100, "plot.png is not a readable PNG");

        // the final weights load into a fresh model with nothing but Module.loadWeights
        var fresh = FashionModels.mlp();
        fresh.loadWeights(out.resolve("model.safetensors"));
        Checkpoint c = Checkpoint.read(out);
        assertEquals(2, c.epoch());
        assertEquals(8, c.step());
        assertTrue(c.hasOptimizerState());

        // resume from epoch 1 elsewhere: epoch 2 must repeat exactly
        Path again = tmp.resolve("again");
        CliRun r2 = CliRun.of(mlp(again, "--resume", out.resolve("checkpoints/epoch-001.safetensors").toString()));
        assertEquals(0, r2.exitCode(), r2.all());
        List<String> steps2 = Files.readAllLines(again.resolve("steps.csv"));
        assertEquals(steps.subList(5, 9), steps2.subList(1, steps2.size()), "the resumed epoch's losses differ from the original's");
        List<String> metrics2 = Files.readAllLines(again.resolve("metrics.csv"));
        assertEquals(metrics.get(1), metrics2.get(1), "the restored epoch-1 row");
        assertEquals(metrics.get(2).split(",")[2], metrics2.get(2).split(",")[2], "epoch-2 train loss after resume");
        assertArrayEquals(Checkpoint.read(out).model().get("body.layers.0.weight").toFloatArray(),
                Checkpoint.read(again).model().get("body.layers.0.weight").toFloatArray(), "weights after the resumed epoch");

        // evaluating the run prints its accuracy
        CliRun e = CliRun.of("eval", out.toString(), "--data", DATA.toString(), "--no-download", "--device", "cpu");
        assertEquals(0, e.exitCode(), e.all());
        assertTrue(e.out().contains("test_accuracy"), e.all());
    }

    @Test void languageModelTrainsGeneratesAndFineTunesWithLoRA(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("lm");
        String[] tiny = {"--layers", "1", "--dims", "32", "--heads", "2", "--context", "16"};
        CliRun r = CliRun.of(Stream.concat(Stream.of("train", "lm", "--epochs", "2", "--steps-per-epoch", "15", "--batch-size", "8", "--lr", "3e-3",
                "--text", text.toString(), "--no-progress", "--device", "cpu", "--out", out.toString()), Stream.of(tiny)).toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.all());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertTrue(metrics.getFirst().contains("val_loss"), metrics.getFirst());
        double v1 = Double.parseDouble(metrics.get(1).split(",")[3]), v2 = Double.parseDouble(metrics.get(2).split(",")[3]);
        assertTrue(v2 < v1 && v2 < Math.log(256), "validation loss should fall: " + metrics);

        CliRun g = CliRun.of("generate", out.toString(), "--prompt", "the ", "--tokens", "20", "--temperature", "0", "--device", "cpu");
        assertEquals(0, g.exitCode(), g.all());
        assertTrue(g.out().startsWith("the "), g.all());

        Path second = tmp.resolve("second.txt");
        Files.writeString(second, "lorem ipsum dolor sit amet consectetur adipiscing elit\n".repeat(200));
        Path ft = tmp.resolve("ft");
        CliRun f = CliRun.of("finetune", "lora", "--from", out.resolve("model.safetensors").toString(), "--rank", "4", "--epochs", "1",
                "--steps-per-epoch", "15", "--batch-size", "8", "--lr", "1e-2", "--text", second.toString(), "--no-progress", "--device", "cpu",
                "--out", ft.toString());
        assertEquals(0, f.exitCode(), f.all());
        assertTrue(f.out().contains("trainable"), f.all());
        var merged = new CharTransformer(new CharTransformer.Config(1, 32, 2, 16, 256));
        merged.loadWeights(ft.resolve("merged.safetensors"));   // a plain model again: strict load works
        assertTrue(Files.exists(ft.resolve("checkpoints/epoch-001.safetensors")));
    }

    @Test void headRetrainOnASubsetOfClasses(@TempDir Path tmp) throws Exception {
        assumeData();
        Path cnn = tmp.resolve("cnn");
        CliRun r = CliRun.of("train", "cnn", "--epochs", "1", "--steps-per-epoch", "3", "--train-limit", "512", "--batch-size", "64",
                "--data", DATA.toString(), "--no-download", "--no-progress", "--device", "cpu", "--out", cnn.toString());
        assertEquals(0, r.exitCode(), r.all());
        Path head = tmp.resolve("head");
        CliRun h = CliRun.of("finetune", "head", "--from", cnn.toString(), "--classes", "0,2,4,6", "--epochs", "1", "--steps-per-epoch", "3",
                "--batch-size", "64", "--data", DATA.toString(), "--no-download", "--no-progress", "--device", "cpu", "--out", head.toString());
        assertEquals(0, h.exitCode(), h.all());
        assertTrue(h.out().contains("subset test accuracy"), h.all());
        Checkpoint c = Checkpoint.read(head);
        assertEquals("0,2,4,6", c.architecture().get("classes"));
        assertEquals(List.of(4), List.of(c.model().get("head.layers.2.bias").dim(0)));
    }

    @Test void badInputGivesClearErrorsAndWritesNothing(@TempDir Path tmp) throws Exception {
        CliRun unknown = CliRun.of("train", "mlp", "--epochz", "2");
        assertEquals(2, unknown.exitCode(), unknown.all());
        assertTrue(unknown.err().contains("--epochz"), unknown.all());

        CliRun model = CliRun.of("train", "resnet", "--out", tmp.resolve("x").toString());
        assertEquals(1, model.exitCode(), model.all());
        assertTrue(model.err().contains("resnet"), model.all());

        Path out = tmp.resolve("out");
        CliRun missing = CliRun.of("train", "mlp", "--data", tmp.resolve("nowhere").toString(), "--no-download", "--no-progress", "--out", out.toString());
        assertEquals(1, missing.exitCode(), missing.all());
        assertTrue(missing.err().contains("nowhere"), missing.all());
        assertFalse(Files.exists(out), "nothing may be written for a failed start");

        // a truncated data file
        Path bad = tmp.resolve("bad");
        Files.createDirectories(bad);
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            Files.write(bad.resolve(f + ".gz"), new byte[] {31, -117, 8, 0, 0});
        }
        CliRun corrupt = CliRun.of("train", "mlp", "--data", bad.toString(), "--no-download", "--no-progress", "--out", out.toString());
        assertEquals(1, corrupt.exitCode(), corrupt.all());
        assertTrue(corrupt.err().contains("train-images-idx3-ubyte"), corrupt.all());
        assertFalse(Files.exists(out));

        CliRun notCkpt = CliRun.of("eval", text.toString());
        assertEquals(1, notCkpt.exitCode(), notCkpt.all());
        assertTrue(notCkpt.err().contains(text.toString()), notCkpt.all());

        CliRun badValue = CliRun.of("train", "mlp", "--epochs", "0", "--out", out.toString());
        assertTrue(badValue.exitCode() != 0 && badValue.err().contains("--epochs"), badValue.all());
        assertFalse(Files.exists(out));
    }

    @Test void checkpointOfAnotherArchitectureIsRefused(@TempDir Path tmp) throws Exception {
        assumeData();
        Path run = tmp.resolve("mlp");
        assertEquals(0, CliRun.of(mlp(1, run)).exitCode());
        Path out = tmp.resolve("cnn");
        CliRun r = CliRun.of("train", "cnn", "--resume", run.toString(), "--data", DATA.toString(), "--no-download", "--no-progress",
                "--device", "cpu", "--out", out.toString());
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.err().contains("another architecture") && r.err().contains("mlp"), r.all());
        assertFalse(Files.exists(out), "nothing may be written when the checkpoint does not fit");

        CliRun g = CliRun.of("generate", run.toString(), "--device", "cpu");
        assertEquals(1, g.exitCode(), g.all());
        assertTrue(g.err().contains("not a language model"), g.all());
    }

    @Test void helpAndDoctor() {
        for (String cmd : List.of("train", "finetune", "eval", "generate", "doctor", "bench")) {
            CliRun h = CliRun.of(cmd, "--help");
            assertEquals(0, h.exitCode(), h.all());
            assertTrue(h.out().contains("Usage: mlx4j " + cmd), h.all());
        }
        CliRun d = CliRun.of("doctor");
        assertEquals(0, d.exitCode(), d.all());
        for (String s : List.of("cpu path", "blas", "gpu", "memory")) assertTrue(d.out().contains(s), d.all());
        CliRun none = CliRun.of();
        assertEquals(2, none.exitCode(), none.all());
    }
}
