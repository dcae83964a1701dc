package org.mlx4j.examples.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Reads Fashion-MNIST from its four IDX files (gzipped, as Debian's {@code dataset-fashion-mnist}
 * ships them in {@value #DEBIAN_DIR}, or plain). Images become float32 in [0, 1], shape
 * (N, 28, 28, 1) (channels-last); labels int32 in [0, 10).
 *
 * @param trainImages (60000, 28, 28, 1) float32
 * @param trainLabels (60000) int32
 * @param testImages  (10000, 28, 28, 1) float32
 * @param testLabels  (10000) int32
 */
public record FashionMnist(Array trainImages, Array trainLabels, Array testImages, Array testLabels) {
    /** Where Debian's package puts the files. */
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

    /** The class names, by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** True if the four files are in {@code dir} (gzipped or not). */
    public static boolean isPresent(Path dir) {
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            if (!Files.isRegularFile(dir.resolve(f + ".gz")) && !Files.isRegularFile(dir.resolve(f))) return false;
        }
        return true;
    }

    /**
     * Loads the four files from {@code dir}.
     *
     * @throws IOException naming the file when one is missing, truncated or not an IDX file of bytes
     */
    public static FashionMnist load(Path dir) throws IOException {
        return new FashionMnist(images(dir, "train-images-idx3-ubyte"), labels(dir, "train-labels-idx1-ubyte"),
                images(dir, "t10k-images-idx3-ubyte"), labels(dir, "t10k-labels-idx1-ubyte"));
    }

    private static Array images(Path dir, String name) throws IOException {
        Idx idx = read(dir, name, 3);
        int n = idx.dims[0], h = idx.dims[1], w = idx.dims[2];
        float[] v = new float[n * h * w];
        for (int i = 0; i < v.length; i++) v[i] = (idx.data[i] & 0xff) / 255f;
        return MX.array(v, n, h, w, 1);
    }

    private static Array labels(Path dir, String name) throws IOException {
        Idx idx = read(dir, name, 1);
        int[] v = new int[idx.dims[0]];
        for (int i = 0; i < v.length; i++) {
            v[i] = idx.data[i] & 0xff;
            if (v[i] > 9) throw new IOException(idx.file + ": label " + v[i] + " at " + i + " is not in [0, 10)");
        }
        return MX.array(v, v.length);
    }

    private record Idx(Path file, int[] dims, byte[] data) {}

    private static Idx read(Path dir, String name, int ndim) throws IOException {
        Path gz = dir.resolve(name + ".gz");
        Path file = Files.isRegularFile(gz) ? gz : dir.resolve(name);
        if (!Files.isRegularFile(file)) throw new IOException("Fashion-MNIST file " + gz + " (or " + name + ") not found in " + dir);
        byte[] all;
        try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file), 1 << 16) : Files.newInputStream(file)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            all = out.toByteArray();
        } catch (IOException e) {
            throw new IOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        ByteBuffer b = ByteBuffer.wrap(all); // IDX is big-endian, ByteBuffer's default
        if (all.length < 4 + 4 * ndim) throw new IOException(file + ": truncated IDX header");
        int magic = b.getInt();
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08 || (magic & 0xff) != ndim) {
            throw new IOException(file + ": not an IDX file of unsigned bytes with " + ndim + " dimensions (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int[] dims = new int[ndim];
        long size = 1;
        for (int i = 0; i < ndim; i++) {
            dims[i] = b.getInt();
            if (dims[i] < 0) throw new IOException(file + ": negative dimension " + dims[i]);
            size *= dims[i];
        }
        if (all.length - b.position() != size) {
            throw new IOException(file + ": expected " + size + " data bytes for dimensions " + java.util.Arrays.toString(dims) + ", found " + (all.length - b.position()));
        }
        byte[] data = new byte[(int) size];
        b.get(data);
        return new Idx(file, dims, data);
    }
}
