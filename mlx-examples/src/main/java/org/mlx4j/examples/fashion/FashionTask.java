package org.mlx4j.examples.fashion;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.examples.data.FashionMnist;
import org.mlx4j.examples.train.Task;
import org.mlx4j.nn.Losses;
import org.mlx4j.nn.Module;
import org.mlx4j.nn.Reduction;
import org.mlx4j.nn.UnaryModule;

/**
 * Fashion-MNIST classification as a {@link Task}: cross-entropy on minibatches of a permutation
 * drawn afresh each epoch from (seed, epoch), the last partial batch kept (the peers' protocol);
 * test accuracy and loss after each epoch. Optionally restricted to a subset of the classes, whose
 * labels are then renumbered 0..k-1 in the given order (for retraining a head).
 */
public final class FashionTask implements Task {
    private final String name;
    private final UnaryModule model;
    private final Array trainX, trainY, testX, testY;
    private final int batch, steps;
    private final Map<String, String> architecture;
    private int permEpoch = -1;
    private long permSeed;
    private Array perm;

    /**
     * @param name         the task's name ({@code mlp}, {@code cnn}, {@code head})
     * @param model        maps (N, 28, 28, 1) float32 images to (N, classes) logits
     * @param data         the dataset
     * @param classes      the classes to keep, in label order of the task (null: all ten, unchanged)
     * @param trainLimit   use only the first this many training images (after class filtering; 0: all)
     * @param batch        minibatch size
     * @param maxSteps     cut each epoch after this many steps (0: the whole training set)
     * @param architecture what identifies the model in checkpoints
     * @throws IllegalArgumentException for a non-positive batch, a bad class or an empty selection
     */
    public FashionTask(String name, UnaryModule model, FashionMnist data, int[] classes, int trainLimit, int batch, int maxSteps,
                       Map<String, String> architecture) {
        if (batch <= 0) throw new IllegalArgumentException("[train] batch size must be positive, got " + batch + ".");
        this.name = name;
        this.model = model;
        this.batch = batch;
        Array[] tr = select(data.trainImages(), data.trainLabels(), classes);
        Array[] te = select(data.testImages(), data.testLabels(), classes);
        if (trainLimit > 0 && trainLimit < tr[0].dim(0)) {
            tr[0] = MX.slice(tr[0], new int[] {0, 0, 0, 0}, new int[] {trainLimit, 28, 28, 1}, new int[] {1, 1, 1, 1});
            tr[1] = MX.slice(tr[1], new int[] {0}, new int[] {trainLimit}, new int[] {1});
        }
        MX.eval(tr[0], tr[1], te[0], te[1]);
        trainX = tr[0];
        trainY = tr[1];
        testX = te[0];
        testY = te[1];
        int full = (trainX.dim(0) + batch - 1) / batch;
        this.steps = maxSteps > 0 ? Math.min(maxSteps, full) : full;
        this.architecture = Map.copyOf(architecture);
    }

    /** Keeps the images whose label is in {@code classes}, relabelled by position in it. */
    static Array[] select(Array images, Array labels, int[] classes) {
        if (classes == null) return new Array[] {images, labels};
        int[] remap = new int[10];
        Arrays.fill(remap, -1);
        for (int i = 0; i < classes.length; i++) {
            int c = classes[i];
            if (c < 0 || c > 9) throw new IllegalArgumentException("[classes] Fashion-MNIST classes are 0..9, got " + c + ".");
            if (remap[c] >= 0) throw new IllegalArgumentException("[classes] class " + c + " is listed twice in " + Arrays.toString(classes) + ".");
            remap[c] = i;
        }
        int[] y = labels.toIntArray();
        int n = 0;
        for (int v : y) if (remap[v] >= 0) n++;
        if (n == 0) throw new IllegalArgumentException("[classes] no image has a class in " + Arrays.toString(classes) + ".");
        int[] idx = new int[n], newY = new int[n];
        for (int i = 0, j = 0; i < y.length; i++) {
            if (remap[y[i]] >= 0) {
                idx[j] = i;
                newY[j++] = remap[y[i]];
            }
        }
        return new Array[] {MX.take(images, MX.array(idx, n), 0), MX.array(newY, n)};
    }

    @Override public String name() { return name; }

    @Override public Module model() { return model; }

    @Override public int stepsPerEpoch() { return steps; }

    /** Training images in use. */
    public int trainSize() { return trainX.dim(0); }

    @Override public Array[] batch(long seed, int epoch, int index) {
        if (perm == null || permEpoch != epoch || permSeed != seed) {
            perm = MX.permutation(trainX.dim(0), MX.key(mix(seed, epoch))).eval();
            permEpoch = epoch;
            permSeed = seed;
        }
        int start = index * batch, end = Math.min(trainX.dim(0), start + batch);
        Array idx = MX.slice(perm, new int[] {start}, new int[] {end}, new int[] {1});
        return new Array[] {MX.take(trainX, idx, 0), MX.take(trainY, idx, 0)};
    }

    /** A 64-bit mix of the seed and the epoch (SplitMix64's finalizer), so nearby epochs get unrelated keys. */
    static long mix(long seed, long epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override public Array loss(Module m, Array[] b) {
        return Losses.crossEntropy(((UnaryModule) m).forward(b[0]), b[1], Reduction.MEAN);
    }

    @Override public Map<String, Double> evaluate() {
        long correct = 0;
        double lossSum = 0;
        int n = testX.dim(0);
        for (int s = 0; s < n; s += 1000) {
            int e = Math.min(n, s + 1000);
            Array x = MX.slice(testX, new int[] {s, 0, 0, 0}, new int[] {e, 28, 28, 1}, new int[] {1, 1, 1, 1});
            Array y = MX.slice(testY, new int[] {s}, new int[] {e}, new int[] {1});
            Array logits = model.forward(x);
            Array hits = MX.sum(MX.equal(MX.astype(MX.argmax(logits, -1, false), DType.INT32), y));
            Array loss = MX.sum(Losses.crossEntropy(logits, y, Reduction.NONE));
            MX.eval(hits, loss);
            correct += (long) hits.item();
            lossSum += loss.item();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("test_accuracy", (double) correct / n);
        out.put("test_loss", lossSum / n);
        return out;
    }

    @Override public long itemsPerStep() { return batch; }

    @Override public String itemUnit() { return "img"; }

    @Override public Map<String, String> architecture() { return architecture; }
}
