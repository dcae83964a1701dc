package org.mlx4j.tests.gpu;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Device;
import org.mlx4j.core.MX;
import org.mlx4j.examples.bench.FashionTraining;
import org.mlx4j.examples.data.FashionMnist;

/**
 * The Fashion-MNIST MLP and CNN trained on the GPU reach the accuracy the CPU suite holds them to
 * (FashionMnistTrainingTest: MLP 88% within 10 epochs, CNN 89% within 4), with data, parameters and
 * optimizer state all on the GPU.
 */
@Tag("gpu")
class GpuTrainingTest {
    private static FashionMnist data;

    @BeforeEach
    void load() throws IOException {
        Gpu.assumeAvailable();
        if (data != null) return;
        Path dir = Path.of(System.getProperty("mlx4j.fashionMnist", FashionMnist.DEBIAN_DIR));
        assumeTrue(FashionMnist.isPresent(dir), "Fashion-MNIST is not in " + dir + " (pass -Dmlx4j.fashionMnist=DIR)");
        data = Gpu.onGpu(() -> {
            try {
                return FashionMnist.load(dir);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(Device.gpu(), data.trainImages().device());
    }

    @Test
    void mlpReaches88PercentOnTheGpu() {
        var r = Gpu.onGpu(() -> {
            MX.seed(0);
            return FashionTraining.train(FashionTraining.mlp(), data, 10, 128, 1e-3, 0, 60000, 0, 0.88, line -> System.out.println("gpu mlp " + line));
        });
        assertTrue(r.finalAccuracy() >= 0.88, "GPU MLP test accuracy " + r.finalAccuracy());
    }

    @Test
    void cnnReaches89PercentOnTheGpu() {
        var r = Gpu.onGpu(() -> {
            MX.seed(0);
            return FashionTraining.train(FashionTraining.cnn(), data, 4, 128, 1e-3, 0, 60000, 0, 0.89, line -> System.out.println("gpu cnn " + line));
        });
        assertTrue(r.finalAccuracy() >= 0.89, "GPU CNN test accuracy " + r.finalAccuracy());
    }
}
