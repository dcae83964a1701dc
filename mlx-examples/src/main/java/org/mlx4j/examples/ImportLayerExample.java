package org.mlx4j.examples;

import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.nn.Conv2d;
import org.mlx4j.nn.Linear;
import org.mlx4j.nn.MaxPool2d;
import org.mlx4j.nn.ReLU;
import org.mlx4j.nn.Sequential;
import org.mlx4j.nn.UnaryModule;

/**
 * Using a trained model inside an application, with nothing but mlx-core and mlx-nn: declare the
 * layers, load the weights that {@code ./mlx4j train cnn} wrote ({@code model.safetensors}), and
 * classify an image. This is the part to paste into a service; train elsewhere, load here.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp mlx-core.jar:mlx-nn.jar:log4j-api.jar \
 *      ImportLayerExample.java runs/cnn-.../model.safetensors [image.png]
 * </pre>
 * Without an image it classifies the first test image of Debian's Fashion-MNIST.
 */
public final class ImportLayerExample {
    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The CNN's layers under the names its weights were saved with (features.layers.N.*, head.layers.N.*). */
    static final class Classifier extends UnaryModule {
        final Sequential features = registerModule("features", new Sequential(
                new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2)));
        final Sequential head = registerModule("head", new Sequential(new Linear(3136, 128), new ReLU(), new Linear(128, 10)));

        @Override public Array forward(Array x) {
            Array h = features.forward(x);
            return head.forward(h.reshape(h.dim(0), -1));
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ImportLayerExample MODEL.safetensors [IMAGE.png]");
            System.exit(2);
        }
        Path weights = Path.of(args[0]);
        if (!Files.isRegularFile(weights)) {
            System.err.println(weights + " does not exist; train a model first: ./mlx4j train cnn (it writes runs/cnn-*/model.safetensors).");
            System.exit(1);
        }
        var model = new Classifier();
        model.loadWeights(weights);                       // strict: every key and shape must match
        model.eval();
        float[] pixels = args.length > 1 ? readImage(Path.of(args[1])) : firstTestImage();
        Array x = MX.array(pixels, 1, 28, 28, 1);         // NHWC, values in [0, 1]
        float[] p = MX.softmax(model.forward(x), -1).toFloatArray();
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        System.out.printf("%s (%.1f%%)%n", CLASSES.get(best), 100 * p[best]);
    }

    /** A 28x28 grayscale image scaled to [0, 1] (other sizes are scaled to 28x28). */
    static float[] readImage(Path file) throws IOException {
        BufferedImage src = ImageIO.read(file.toFile());
        if (src == null) throw new IOException(file + " is not an image ImageIO can read (PNG, JPEG, BMP, GIF).");
        BufferedImage g = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        g.getGraphics().drawImage(src, 0, 0, 28, 28, null);
        float[] v = new float[28 * 28];
        for (int i = 0; i < v.length; i++) v[i] = (g.getRaster().getSample(i % 28, i / 28, 0)) / 255f;
        return v;
    }

    /** The first image of Fashion-MNIST's test set, straight from its IDX file. */
    static float[] firstTestImage() throws IOException {
        Path f = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f)); var d = new DataInputStream(in)) {
            d.skipNBytes(16);                             // magic, count, rows, columns
            float[] v = new float[28 * 28];
            for (int i = 0; i < v.length; i++) v[i] = d.readUnsignedByte() / 255f;
            return v;
        }
    }
}
