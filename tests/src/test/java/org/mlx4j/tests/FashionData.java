package org.mlx4j.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.mlx4j.examples.data.FashionMnist;

/** Loads Fashion-MNIST once per test JVM, from -Dmlx4j.fashionMnist or Debian's dataset-fashion-mnist. */
final class FashionData {
    private FashionData() {}

    private static FashionMnist data;

    static synchronized FashionMnist get() {
        if (data == null) {
            Path dir = Path.of(System.getProperty("mlx4j.fashionMnist", FashionMnist.DEBIAN_DIR));
            if (!FashionMnist.isPresent(dir)) {
                throw new IllegalStateException("Fashion-MNIST is not in " + dir + ": install Debian's dataset-fashion-mnist "
                        + "(apt-get install dataset-fashion-mnist; .ci/run does) or pass -Dmlx4j.fashionMnist=DIR holding the four IDX files.");
            }
            try {
                data = FashionMnist.load(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return data;
    }
}
