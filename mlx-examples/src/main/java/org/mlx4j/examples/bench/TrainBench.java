package org.mlx4j.examples.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.mlx4j.core.MX;
import org.mlx4j.core.backend.cpu.Parallel;
import org.mlx4j.core.backend.cpu.Simd;
import org.mlx4j.examples.data.FashionMnist;

/**
 * mlx4j's side of ../shared/peers/mlp_fashion.py and cnn_fashion.py: trains the model for N epochs
 * on Fashion-MNIST and prints seconds per epoch (median of epochs 2..N, as the peers do) and test
 * accuracy as {@code RESULT} lines. Usage: {@code TrainBench mlp|cnn [--epochs N] [--max-batches B]
 * [--data DIR] [--seed S]}. {@code bench/compare.sh mlp,cnn} runs it beside the peers.
 */
public final class TrainBench {
    private TrainBench() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("mlp") || args[0].equals("cnn"))) {
            System.err.println("usage: TrainBench mlp|cnn [--epochs N] [--max-batches B] [--data DIR] [--seed S]");
            System.exit(2);
        }
        String model = args[0];
        int epochs = model.equals("mlp") ? 5 : 3, maxBatches = 0;
        long seed = 0;
        Path dir = Path.of(FashionMnist.DEBIAN_DIR);
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
                case "--max-batches" -> maxBatches = Integer.parseInt(args[i + 1]);
                case "--data" -> dir = Path.of(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("INFO mlx4j cpu path=" + Simd.describe() + " threads=" + Parallel.THREADS + " java=" + Runtime.version());
        long t0 = System.nanoTime();
        FashionMnist data = FashionMnist.load(dir);
        System.out.printf(Locale.ROOT, "INFO data load (gunzip+parse IDX) %.3fs%n", (System.nanoTime() - t0) / 1e9);
        MX.seed(seed);
        var m = model.equals("mlp") ? FashionTraining.mlp() : FashionTraining.cnn();
        System.out.println("INFO " + model + " params=" + m.parameterCount() + " batch=128 lr=0.001 epochs=" + epochs);
        var r = FashionTraining.train(m, data, epochs, 128, 1e-3, seed, 60000, maxBatches, line -> System.out.println("INFO " + model + " " + line));
        String p = model + ".mlx4j.";
        result(p + "epoch_s_median_ep2toN", r.medianEpochSeconds(), "s");
        result(p + "epoch1_s", r.epochSeconds()[0], "s");
        result(p + "test_acc_after_" + epochs + "ep", r.finalAccuracy(), "fraction");
        result(p + "train_loss_epoch" + epochs, r.trainLoss()[epochs - 1], "nats");
        result(p + "peak_memory_mb", MX.peakMemory() / 1e6, "MB");
    }

    static void result(String name, double v, String unit) {
        System.out.printf(Locale.ROOT, "RESULT %s=%.6g %s%n", name, v, unit);
    }
}
