package org.mlx4j.examples.fashion;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.nn.Conv2d;
import org.mlx4j.nn.Linear;
import org.mlx4j.nn.MaxPool2d;
import org.mlx4j.nn.ReLU;
import org.mlx4j.nn.Sequential;
import org.mlx4j.nn.UnaryModule;

/**
 * The two Fashion-MNIST models of ../shared/peers (mlp_fashion.py, cnn_fashion.py), with the
 * architecture strings their checkpoints carry. Inputs are (N, 28, 28, 1) float32 images.
 */
public final class FashionModels {
    private FashionModels() {}

    /** MLP 784-512-512-10 with ReLU; the input is flattened. Parameter keys {@code body.layers.N.*}. */
    public static Mlp mlp() {
        return new Mlp(new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10)));
    }

    /** The CNN with ten classes. */
    public static Cnn cnn() { return cnn(10); }

    /**
     * conv 32 3x3 pad 1, ReLU, maxpool 2, conv 64 3x3 pad 1, ReLU, maxpool 2 ({@code features}), then
     * linear 3136-128, ReLU, linear 128-classes ({@code head}).
     */
    public static Cnn cnn(int classes) {
        if (classes < 2) throw new IllegalArgumentException("[cnn] needs at least 2 classes, got " + classes + ".");
        Sequential features = new Sequential(new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2));
        return new Cnn(features, head(classes));
    }

    /**
     * A head for a subset of {@code trained}'s classes: its hidden layer (a copy of the trained
     * one's weights) and an output layer made of the trained output rows of {@code classes}, in that
     * order. It starts where the ten-class head restricted to those classes is, and retraining it
     * then adapts the decision to the subset alone.
     */
    public static Sequential head(Sequential trained, int[] classes) {
        Sequential h = head(classes.length);
        Array idx = MX.array(classes, classes.length);
        Map<String, Array> p = trained.parameters(), init = new LinkedHashMap<>();
        init.put("layers.0.weight", p.get("layers.0.weight"));
        init.put("layers.0.bias", p.get("layers.0.bias"));
        init.put("layers.2.weight", MX.take(p.get("layers.2.weight"), idx, 0));
        init.put("layers.2.bias", MX.take(p.get("layers.2.bias"), idx, 0));
        h.update(init);
        MX.eval(h.parameters());
        return h;
    }

    /** A fresh head: linear 3136-128, ReLU, linear 128-classes. */
    public static Sequential head(int classes) {
        return new Sequential(new Linear(3136, 128), new ReLU(), new Linear(128, classes));
    }

    /**
     * What identifies a model in checkpoints: {@code model=mlp}, {@code model=cnn}, plus
     * {@code classes=0,2,4,6} for a CNN whose head was retrained on those classes.
     */
    public static Map<String, String> architecture(String model, int[] classes) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", model);
        if (classes != null) m.put("classes", Arrays.stream(classes).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        return m;
    }

    /** Parses {@code "0,2,4,6"} into class numbers (checked later by the task). */
    public static int[] parseClasses(String s) {
        try {
            return Arrays.stream(s.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[classes] expected comma-separated class numbers 0..9 like 0,2,4,6, got '" + s + "'.");
        }
    }

    /** Flattens (N, ...) to (N, features) before its body. */
    public static final class Mlp extends UnaryModule {
        private final UnaryModule body;

        Mlp(UnaryModule body) { this.body = registerModule("body", body); }

        @Override public Array forward(Array x) { return body.forward(MX.reshape(x, x.dim(0), -1)); }
    }

    /** Convolutional features, flattened, then a head; the head can be swapped for retraining. */
    public static final class Cnn extends UnaryModule {
        private final UnaryModule features;
        private UnaryModule head;

        Cnn(UnaryModule features, UnaryModule head) {
            this.features = registerModule("features", features);
            this.head = registerModule("head", head);
        }

        /** The convolutional part. */
        public UnaryModule features() { return features; }

        /** The classifier on the flattened features. */
        public UnaryModule head() { return head; }

        /** Replaces the head (e.g. by {@link FashionModels#head(int)} for another set of classes). */
        public void replaceHead(UnaryModule newHead) { head = replaceModule("head", newHead); }

        @Override public Array forward(Array x) {
            Array h = features.forward(x);
            return head.forward(MX.reshape(h, h.dim(0), -1));
        }
    }
}
