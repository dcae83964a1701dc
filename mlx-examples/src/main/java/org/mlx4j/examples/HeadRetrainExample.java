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
 * Transfer learning in one file: load a trained Fashion-MNIST CNN, freeze its convolutions, put a
 * new head on them for four classes (T-shirt/top, Pullover, Coat, Shirt, the ones it confuses
 * most), started from the trained head's hidden layer and those classes' output rows, and train
 * only the head.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp "$(cat mlx-examples/target/mlx4j.classpath)" mlx-examples/src/main/java/org/mlx4j/examples/HeadRetrainExample.java \
 *      runs/cnn-.../model.safetensors [epochs]
 * </pre>
 * The weights come from {@code ./mlx4j train cnn} or {@code CnnExample} (same keys).
 * {@code ./mlx4j finetune head --from RUN} does the same with progress, plots and checkpoints.
 */
public final class HeadRetrainExample {
    static final int[] CLASSES = {0, 2, 4, 6};

    /** The CNN of CnnExample; the head is replaceable. */
    static final class Cnn extends UnaryModule {
        final Sequential features = registerModule("features", new Sequential(
                new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2)));
        Sequential head = registerModule("head", newHead(10));

        static Sequential newHead(int classes) { return new Sequential(new Linear(3136, 128), new ReLU(), new Linear(128, classes)); }

        void replaceHead(Sequential h) { head = replaceModule("head", h); }

        @Override public Array forward(Array x) {
            Array h = features.forward(x);
            return head.forward(h.reshape(h.dim(0), -1));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: HeadRetrainExample CNN.safetensors [epochs]");
            System.exit(2);
        }
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2, batch = 128;
        FashionMnist data = FashionMnist.load(FashionMnistFiles.locate(null, true, System.out::println));
        Array[] train = subset(data.trainImages(), data.trainLabels()), test = subset(data.testImages(), data.testLabels());

        var model = new Cnn();
        model.loadWeights(Path.of(args[0]));
        model.features.freeze();                       // the convolutions keep their trained weights
        // the new head starts from the trained one: its hidden layer, and the output rows of the four classes
        Sequential head = Cnn.newHead(CLASSES.length);
        var trained = model.head.parameters();
        Array rows = MX.array(CLASSES, CLASSES.length);
        head.update(java.util.Map.of("layers.0.weight", trained.get("layers.0.weight"), "layers.0.bias", trained.get("layers.0.bias"),
                "layers.2.weight", MX.take(trained.get("layers.2.weight"), rows, 0), "layers.2.bias", MX.take(trained.get("layers.2.bias"), rows, 0)));
        model.replaceHead(head);
        System.out.printf("trainable: %,d of %,d parameters%n", model.trainableParameterCount(), model.parameterCount());

        var optimizer = new Adam(1e-3);
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> Losses.crossEntropy(m.forward(in[0]), in[1], Reduction.MEAN));
        int n = train[0].dim(0);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Array perm = MX.permutation(n, MX.key(epoch)).eval();
            for (int start = 0; start < n; start += batch) {
                Array idx = MX.slice(perm, new int[] {start}, new int[] {Math.min(n, start + batch)}, new int[] {1});
                var r = lossAndGrad.apply(MX.take(train[0], idx, 0), MX.take(train[1], idx, 0));
                model.update(optimizer.apply(r.grad(), model.trainableParameters()));
                List<Array> targets = new ArrayList<>(model.trainableParameters().values());
                targets.addAll(optimizer.state().values());
                targets.add(r.value());
                MX.eval(targets);
            }
            model.eval();
            Array pred = MX.argmax(model.forward(test[0]), -1, false).astype(DType.INT32);
            System.out.printf("epoch %d: accuracy on the four classes %.4f%n", epoch, MX.mean(MX.equal(pred, test[1]).astype(DType.FLOAT32)).item());
            model.train();
        }
    }

    /** The images of CLASSES, labels renumbered 0..3. */
    static Array[] subset(Array images, Array labels) {
        int[] y = labels.toIntArray(), keep = new int[y.length], newY = new int[y.length];
        int n = 0;
        for (int i = 0; i < y.length; i++) {
            for (int c = 0; c < CLASSES.length; c++) {
                if (y[i] == CLASSES[c]) {
                    keep[n] = i;
                    newY[n++] = c;
                }
            }
        }
        Array x = MX.take(images, MX.array(java.util.Arrays.copyOf(keep, n), n), 0), l = MX.array(java.util.Arrays.copyOf(newY, n), n);
        MX.eval(x, l);
        return new Array[] {x, l};
    }
}
