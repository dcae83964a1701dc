package org.mlx4j.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.mlx4j.core.Array;

/**
 * Saving and loading by file extension (case-insensitive): {@code .npy}, {@code .npz} and
 * {@code .safetensors}, like MLX's {@code mx.load} and {@code mx.save}.
 */
public final class ArrayFiles {
    private ArrayFiles() {}

    /** The formats, found from a file name's extension. */
    enum Format { NPY, NPZ, SAFETENSORS }

    /** The format of {@code file} by its extension, or {@code null} when it has none of ours. */
    static Format formatOf(Path file) {
        Path name = file.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".npy")) return Format.NPY;
        if (n.endsWith(".npz")) return Format.NPZ;
        if (n.endsWith(".safetensors")) return Format.SAFETENSORS;
        return null;
    }

    /**
     * Loads every array of a {@code .npy}, {@code .npz} or {@code .safetensors} file.
     *
     * @param file the file; its extension picks the format
     * @return name to array in file order, a new map owned by the caller. A {@code .npy} file gives
     *         one entry named after the file without its extension ({@code "w.npy"} gives {@code "w"}).
     * @throws IllegalArgumentException when the extension is none of the three
     * @throws IOException              naming the file when it cannot be read or is not valid
     */
    public static Map<String, Array> load(Path file) throws IOException {
        if (file == null) throw new IllegalArgumentException("[load] the path is null.");
        Format f = formatOf(file);
        if (f == null) throw new IllegalArgumentException("[load] unknown file extension of " + file + "; expected .npy, .npz or .safetensors.");
        return switch (f) {
            case NPY -> {
                Map<String, Array> m = new LinkedHashMap<>();
                String n = file.getFileName().toString();
                m.put(n.substring(0, n.length() - ".npy".length()), Npy.load(file));
                yield m;
            }
            case NPZ -> Npz.load(file);
            case SAFETENSORS -> new LinkedHashMap<>(Safetensors.load(file).arrays());
        };
    }

    /**
     * Saves several arrays in the format of {@code file}'s extension: {@code .npz} (stored, as
     * {@code savez}) or {@code .safetensors} (without metadata).
     *
     * @param file   the target; replaced atomically
     * @param arrays name to array, written in iteration order
     * @throws IllegalArgumentException when the extension is neither, or on null names or arrays
     * @throws IOException              naming the file when it cannot be written; nothing is left behind then
     */
    public static void save(Path file, Map<String, Array> arrays) throws IOException {
        if (file == null) throw new IllegalArgumentException("[save] the path is null.");
        Format f = formatOf(file);
        if (f == Format.NPZ) {
            Npz.save(file, arrays, false);
        } else if (f == Format.SAFETENSORS) {
            Safetensors.save(file, arrays, Map.of());
        } else {
            throw new IllegalArgumentException("[save] cannot save a map of arrays to " + file
                    + "; use an .npz or .safetensors file (a single array goes to .npy with save(Path, Array)).");
        }
    }

    /**
     * Saves one array as {@code .npy}; rejects the multi-array extensions so a mistaken call does
     * not write an {@code .npy} file under a {@code .safetensors} name.
     *
     * @param file the target; replaced atomically
     * @param a    the array
     * @throws IllegalArgumentException when {@code file} ends in {@code .npz} or {@code .safetensors}
     * @throws IOException              naming the file when it cannot be written
     */
    public static void save(Path file, Array a) throws IOException {
        if (file == null) throw new IllegalArgumentException("[save] the path is null.");
        Format f = formatOf(file);
        if (f == Format.NPZ || f == Format.SAFETENSORS) {
            throw new IllegalArgumentException("[save] a single array is saved as .npy, got " + file
                    + "; use savez or saveSafetensors with a map of arrays.");
        }
        Npy.save(file, a);
    }
}
