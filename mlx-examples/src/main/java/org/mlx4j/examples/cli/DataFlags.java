package org.mlx4j.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.mlx4j.examples.data.FashionMnist;
import org.mlx4j.examples.data.FashionMnistFiles;
import picocli.CommandLine.Option;

/** Where Fashion-MNIST comes from (picocli mixin). */
final class DataFlags {
    @Option(names = "--data", paramLabel = "DIR", description = "Folder with Fashion-MNIST's four IDX files (.gz or plain). Default: -Dmlx4j.fashionMnist, Debian's /usr/share/datasets/fashion-mnist, or a verified download into ~/.cache/mlx4j.")
    Path dir;

    @Option(names = "--no-download", description = "Never download Fashion-MNIST; fail if it is not on this machine.")
    boolean noDownload;

    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0", description = "Use only the first N training images (0: all).")
    int trainLimit;

    FashionMnist load(Consumer<String> log) throws IOException {
        Path where = FashionMnistFiles.locate(dir, !noDownload, log);
        return FashionMnist.load(where);
    }
}
