package org.mlx4j.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.examples.data.FashionMnist;
import org.mlx4j.examples.data.FashionMnistFiles;
import org.mlx4j.nn.Conv2d;
import org.mlx4j.nn.Linear;
import org.mlx4j.nn.Losses;
import org.mlx4j.nn.MaxPool2d;
import org.mlx4j.nn.NN;
import org.mlx4j.nn.ReLU;
import org.mlx4j.nn.Reduction;
import org.mlx4j.nn.Sequential;
import org.mlx4j.nn.UnaryModule;
import org.mlx4j.optim.Adam;

/**
 * A convolutional network on Fashion-MNIST, start to finish in one file: two 3x3 convolutions with
 * max pooling, two linear layers, Adam, cross-entropy; about 91% test accuracy after 5 epochs.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp "$(cat mlx-examples/target/mlx4j.classpath)" mlx-examples/src/main/java/org/mlx4j/examples/CnnExample.java [epochs] [data dir]
 * </pre>
 * ({@code ./mlx4j} writes that class path file on its first run.)
 */
public final class CnnExample {
    /** Images (N, 28, 28, 1) to logits (N, 10). Keys: features.layers.N.*, head.layers.N.*. */
    static final class Cnn extends UnaryModule {
        final Sequential features = registerModule("features", new Sequential(
                new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2)));
        final Sequential head = registerModule("head", new Sequential(new Linear(7 * 7 * 64, 128), new ReLU(), new Linear(128, 10)));

        @Override public Array forward(Array x) {
            Array h = features.forward(x);
            return head.forward(h.reshape(h.dim(0), -1));
        }
    }

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 5, batch = 128;
        FashionMnist data = FashionMnist.load(FashionMnistFiles.locate(args.length > 1 ? Path.of(args[1]) : null, true, System.out::println));
        MX.seed(0);
        var model = new Cnn();
        var optimizer = new Adam(1e-3);
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> Losses.crossEntropy(m.forward(in[0]), in[1], Reduction.MEAN));
        int n = data.trainImages().dim(0);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            Array perm = MX.permutation(n, MX.key(epoch)).eval();        // a new order each epoch
            double lossSum = 0;
            int steps = 0;
            for (int start = 0; start < n; start += batch) {
                Array idx = MX.slice(perm, new int[] {start}, new int[] {Math.min(n, start + batch)}, new int[] {1});
                var r = lossAndGrad.apply(MX.take(data.trainImages(), idx, 0), MX.take(data.trainLabels(), idx, 0));
                model.update(optimizer.apply(r.grad(), model.trainableParameters()));
                // one eval for everything read later: parameters, optimizer state and the loss
                List<Array> targets = new ArrayList<>(model.parameters().values());
                targets.addAll(optimizer.state().values());
                targets.add(r.value());
                MX.eval(targets);
                lossSum += r.value().item();
                steps++;
            }
            System.out.printf("epoch %d: train loss %.4f, test accuracy %.4f, %.1f s%n", epoch, lossSum / steps,
                    accuracy(model, data.testImages(), data.testLabels()), (System.nanoTime() - t0) / 1e9);
        }
        model.saveWeights(Path.of("cnn.safetensors"));
        System.out.println("saved cnn.safetensors");
    }

    /** Share of images whose arg-max class is the label, 1000 at a time, in evaluation mode. */
    static double accuracy(UnaryModule model, Array images, Array labels) {
        model.eval();
        long correct = 0;
        int n = images.dim(0);
        for (int s = 0; s < n; s += 1000) {
            int e = Math.min(n, s + 1000);
            Array x = MX.slice(images, new int[] {s, 0, 0, 0}, new int[] {e, 28, 28, 1}, new int[] {1, 1, 1, 1});
            Array y = MX.slice(labels, new int[] {s}, new int[] {e}, new int[] {1});
            correct += (long) MX.sum(MX.equal(MX.argmax(model.forward(x), -1, false).astype(DType.INT32), y)).item();
        }
        model.train();
        return (double) correct / n;
    }
}
