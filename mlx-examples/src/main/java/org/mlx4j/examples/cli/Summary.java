package org.mlx4j.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mlx4j.examples.train.EpochRow;

/** The last lines of a training command. */
final class Summary {
    private Summary() {}

    static void print(List<EpochRow> rows, Path out) {
        if (rows.isEmpty()) {
            System.out.println("nothing to train: the checkpoint is already at the requested number of epochs.");
            return;
        }
        EpochRow last = rows.getLast();
        StringBuilder sb = new StringBuilder("final:");
        last.metrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
        System.out.println(sb);
        System.out.println("wrote " + out.resolve("metrics.csv") + ", " + out.resolve("plot.png") + ", " + out.resolve("model.safetensors")
                + " and checkpoints/ in " + out);
    }
}
