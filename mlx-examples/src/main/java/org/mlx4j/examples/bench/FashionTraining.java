package org.mlx4j.examples.bench;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.examples.data.FashionMnist;
import org.mlx4j.examples.fashion.FashionModels;
import org.mlx4j.examples.train.Trainer;
import org.mlx4j.nn.Losses;
import org.mlx4j.nn.NN;
import org.mlx4j.nn.Reduction;
import org.mlx4j.nn.UnaryModule;
import org.mlx4j.optim.Adam;
import org.mlx4j.optim.Optimizer;

/**
 * The two standard Fashion-MNIST trainings of ../shared/peers (mlp_fashion.py, cnn_fashion.py):
 * the same models, batch, optimizer and protocol (reshuffled every epoch, the last partial batch
 * kept, test accuracy after each epoch), used by the end-to-end tests and {@link TrainBench}.
 */
public final class FashionTraining {
    private FashionTraining() {}

    /** MLP 784-512-512-10 with ReLU; input (N, 28, 28, 1) is flattened ({@link FashionModels#mlp()}). */
    public static UnaryModule mlp() { return FashionModels.mlp(); }

    /** The peers' CNN ({@link FashionModels#cnn()}). */
    public static UnaryModule cnn() { return FashionModels.cnn(); }

    /**
     * What a training run measured.
     *
     * @param epochSeconds   wall time of each epoch's training loop (not the evaluation)
     * @param trainLoss      mean minibatch loss of each epoch
     * @param testAccuracy   test accuracy after each epoch
     * @param steps          optimizer steps taken in all
     */
    public record Result(double[] epochSeconds, double[] trainLoss, double[] testAccuracy, long steps) {
        /** Accuracy after the last epoch. */
        public double finalAccuracy() { return testAccuracy[testAccuracy.length - 1]; }

        /** Median of epochs 2..N (all when there is one), the peers' figure. */
        public double medianEpochSeconds() {
            double[] s = epochSeconds.length > 1 ? java.util.Arrays.copyOfRange(epochSeconds, 1, epochSeconds.length) : epochSeconds.clone();
            java.util.Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
        }
    }

    /**
     * Trains {@code model} with Adam and cross-entropy.
     *
     * @param trainSize  how many training images to use (the first ones; 60000 for all)
     * @param maxBatches stop each epoch after this many minibatches (0: no limit)
     * @param log        receives one line per epoch, or {@code null}
     */
    public static Result train(UnaryModule model, FashionMnist data, int epochs, int batch, double lr, long seed,
                               int trainSize, int maxBatches, java.util.function.Consumer<String> log) {
        return train(model, data, epochs, batch, lr, seed, trainSize, maxBatches, 2.0, log);
    }

    /**
     * As {@link #train(UnaryModule, FashionMnist, int, int, double, long, int, int, java.util.function.Consumer)},
     * stopping after the first epoch whose test accuracy reaches {@code stopAtAccuracy}; the result
     * then holds only the epochs run.
     */
    public static Result train(UnaryModule model, FashionMnist data, int epochs, int batch, double lr, long seed,
                               int trainSize, int maxBatches, double stopAtAccuracy, java.util.function.Consumer<String> log) {
        Array xtr = data.trainImages(), ytr = data.trainLabels();
        if (trainSize < xtr.dim(0)) {
            xtr = MX.slice(xtr, new int[] {0, 0, 0, 0}, new int[] {trainSize, 28, 28, 1}, new int[] {1, 1, 1, 1});
            ytr = MX.slice(ytr, new int[] {0}, new int[] {trainSize}, new int[] {1});
            MX.eval(xtr, ytr);
        }
        int n = xtr.dim(0);
        Optimizer opt = new Adam(lr);
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> Losses.crossEntropy(m.forward(in[0]), in[1], Reduction.MEAN));
        Array key = MX.key(seed);
        double[] times = new double[epochs], losses = new double[epochs], accs = new double[epochs];
        long steps = 0;
        for (int ep = 0; ep < epochs; ep++) {
            model.train();
            long t0 = System.nanoTime();
            Array ks = MX.splitKey(key);
            key = ks.get("0").eval();
            Array perm = MX.permutation(n, ks.get("1")).eval();
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < n; start += batch) {
                Array idx = MX.slice(perm, new int[] {start}, new int[] {Math.min(n, start + batch)}, new int[] {1});
                Array xb = MX.take(xtr, idx, 0), yb = MX.take(ytr, idx, 0);
                lossSum += step(model, opt, lossAndGrad, xb, yb);
                batches++;
                steps++;
                if (maxBatches > 0 && batches >= maxBatches) break;
            }
            times[ep] = (System.nanoTime() - t0) / 1e9;
            losses[ep] = lossSum / batches;
            accs[ep] = accuracy(model, data.testImages(), data.testLabels());
            if (log != null) {
                log.accept(String.format(java.util.Locale.ROOT, "epoch=%d time_s=%.3f steps=%d mean_train_loss=%.4f test_acc=%.4f",
                        ep + 1, times[ep], batches, losses[ep], accs[ep]));
            }
            if (accs[ep] >= stopAtAccuracy) {
                int k = ep + 1;
                return new Result(java.util.Arrays.copyOf(times, k), java.util.Arrays.copyOf(losses, k), java.util.Arrays.copyOf(accs, k), steps);
            }
        }
        return new Result(times, losses, accs, steps);
    }

    /**
     * One optimizer step on a minibatch ({@link Trainer#step}).
     *
     * @return the minibatch loss (a sync point)
     */
    public static double step(UnaryModule model, Optimizer opt, NN.ValueAndGradFn lossAndGrad, Array x, Array y) {
        return Trainer.step(model, opt, lossAndGrad, x, y);
    }

    /** Share of {@code images} whose arg-max class equals the label, in evaluation mode, 1000 at a time. */
    public static double accuracy(UnaryModule model, Array images, Array labels) {
        boolean was = model.isTraining();
        model.eval();
        long correct = 0;
        int n = images.dim(0);
        for (int s = 0; s < n; s += 1000) {
            int e = Math.min(n, s + 1000);
            Array x = MX.slice(images, new int[] {s, 0, 0, 0}, new int[] {e, 28, 28, 1}, new int[] {1, 1, 1, 1});
            Array y = MX.slice(labels, new int[] {s}, new int[] {e}, new int[] {1});
            Array pred = MX.argmax(model.forward(x), -1, false);
            correct += (long) MX.sum(MX.equal(MX.astype(pred, DType.INT32), y)).item();
        }
        model.train(was);
        return (double) correct / n;
    }
}
