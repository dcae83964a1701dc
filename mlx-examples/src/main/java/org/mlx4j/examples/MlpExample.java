package org.mlx4j.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.examples.data.FashionMnist;
import org.mlx4j.examples.data.FashionMnistFiles;
import org.mlx4j.nn.Linear;
import org.mlx4j.nn.Losses;
import org.mlx4j.nn.NN;
import org.mlx4j.nn.ReLU;
import org.mlx4j.nn.Reduction;
import org.mlx4j.nn.Sequential;
import org.mlx4j.optim.Adam;

/**
 * A multilayer perceptron on Fashion-MNIST in one file: 784-512-512-10 with ReLU, Adam 1e-3,
 * batch 128; about 88-89% test accuracy after 10 epochs.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp "$(cat mlx-examples/target/mlx4j.classpath)" mlx-examples/src/main/java/org/mlx4j/examples/MlpExample.java [epochs] [data dir]
 * </pre>
 */
public final class MlpExample {
    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10, batch = 128;
        FashionMnist data = FashionMnist.load(FashionMnistFiles.locate(args.length > 1 ? Path.of(args[1]) : null, true, System.out::println));
        // the MLP sees flat 784-pixel rows
        Array trainX = data.trainImages().reshape(-1, 784), testX = data.testImages().reshape(-1, 784);
        MX.eval(trainX, testX);
        MX.seed(0);
        var model = new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10));
        var optimizer = new Adam(1e-3);
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> Losses.crossEntropy(m.forward(in[0]), in[1], Reduction.MEAN));
        int n = trainX.dim(0);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            Array perm = MX.permutation(n, MX.key(epoch)).eval();
            double lossSum = 0;
            int steps = 0;
            for (int start = 0; start < n; start += batch) {
                Array idx = MX.slice(perm, new int[] {start}, new int[] {Math.min(n, start + batch)}, new int[] {1});
                var r = lossAndGrad.apply(MX.take(trainX, idx, 0), MX.take(data.trainLabels(), idx, 0));
                model.update(optimizer.apply(r.grad(), model.trainableParameters()));
                List<Array> targets = new ArrayList<>(model.parameters().values());   // evaluate the step once
                targets.addAll(optimizer.state().values());
                targets.add(r.value());
                MX.eval(targets);
                lossSum += r.value().item();
                steps++;
            }
            model.eval();
            Array predicted = MX.argmax(model.forward(testX), -1, false).astype(DType.INT32);
            double accuracy = MX.mean(MX.equal(predicted, data.testLabels()).astype(DType.FLOAT32)).item();
            model.train();
            System.out.printf("epoch %d: train loss %.4f, test accuracy %.4f, %.1f s%n", epoch, lossSum / steps, accuracy, (System.nanoTime() - t0) / 1e9);
        }
        model.saveWeights(Path.of("mlp.safetensors"));
        System.out.println("saved mlp.safetensors");
    }
}
