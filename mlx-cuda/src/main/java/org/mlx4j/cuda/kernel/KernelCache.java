package org.mlx4j.cuda.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Compiled kernel images on disk, so a program's second run skips NVRTC. An entry's key is the
 * SHA-256 of everything that decides the image ({@link #key}); its file is {@code <key>.bin} holding a
 * header (magic, content length, SHA-256 of the content) and the image.
 *
 * <p>Entries are written to a temporary file in the same folder and moved into place atomically, so
 * a reader (another thread or process) sees a whole entry or none. An entry that fails its checks
 * (truncated, wrong magic or length, content not matching its hash) is a miss, and is deleted so the
 * next compilation replaces it. A folder that cannot be created or written turns caching off with one
 * warning: the cache never makes compilation fail.
 *
 * <p>Folder: {@code -Dmlx4j.cuda.kernelCache=DIR}, else {@code $XDG_CACHE_HOME/mlx4j/cuda-kernels}, else
 * {@code ~/.cache/mlx4j/cuda-kernels}.
 */
public final class KernelCache {
    private static final Logger LOG = LogManager.getLogger(KernelCache.class);
    /** The system property naming the cache folder. */
    public static final String PROPERTY = "mlx4j.cuda.kernelCache";
    static final byte[] MAGIC = "MLX4JKC1".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER_BYTES = MAGIC.length + Long.BYTES + 32;

    private final Path dir;
    private volatile boolean disabled;

    /** A cache in {@code dir} (created at the first write). */
    public KernelCache(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The cache in the standard folder ({@link #standardDir()}). */
    public static KernelCache standard() {
        return new KernelCache(standardDir());
    }

    /** The folder of the standard cache: the property, else XDG, else {@code ~/.cache}. */
    public static Path standardDir() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "mlx4j", "cuda-kernels");
        return Path.of(System.getProperty("user.home"), ".cache", "mlx4j", "cuda-kernels");
    }

    /** The folder. */
    public Path dir() { return dir; }

    /** False once a write failed and caching was turned off. */
    public boolean enabled() { return !disabled; }

    /**
     * The key of an image: SHA-256, in hex, over the source, the options, the target architecture and
     * the NVRTC version. Every field is framed by its length (and the options by their count), so no
     * two different inputs give the same byte stream.
     */
    public static String key(String source, List<String> options, String arch, String nvrtcVersion) {
        MessageDigest md = sha256();
        md.update("mlx4j-kernel-v1".getBytes(StandardCharsets.US_ASCII));
        field(md, source);
        md.update(ByteBuffer.allocate(Integer.BYTES).putInt(options.size()).array());
        for (String o : options) field(md, o);
        field(md, arch);
        field(md, nvrtcVersion);
        return HexFormat.of().formatHex(md.digest());
    }

    private static void field(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(Long.BYTES).putLong(b.length).array());
        md.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private Path file(String key) {
        if (!key.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("[cuda] not a kernel cache key: " + key);
        return dir.resolve(key + ".bin");
    }

    /** The image stored under {@code key}, or empty when absent, unreadable or damaged (a damaged entry is deleted). */
    public Optional<byte[]> get(String key) {
        Path f = file(key);
        byte[] all;
        try {
            if (!Files.isRegularFile(f)) return Optional.empty();
            all = Files.readAllBytes(f);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        byte[] content = decode(all);
        if (content == null) {
            LOG.debug("kernel cache entry {} is damaged; it will be replaced", f);
            try {
                Files.deleteIfExists(f);
            } catch (IOException | SecurityException e) {
                // the next put replaces it anyway
            }
            return Optional.empty();
        }
        return Optional.of(content);
    }

    /** The content of a well-formed entry, or null. */
    static byte[] decode(byte[] all) {
        if (all.length < HEADER_BYTES) return null;
        if (!Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) return null;
        ByteBuffer bb = ByteBuffer.wrap(all);
        long length = bb.getLong(MAGIC.length);
        if (length != all.length - HEADER_BYTES) return null;
        byte[] content = Arrays.copyOfRange(all, HEADER_BYTES, all.length);
        byte[] hash = sha256().digest(content);
        if (!Arrays.equals(all, MAGIC.length + Long.BYTES, HEADER_BYTES, hash, 0, 32)) return null;
        return content;
    }

    /** An entry's bytes: header, then content. */
    static byte[] encode(byte[] content) {
        ByteBuffer bb = ByteBuffer.allocate(HEADER_BYTES + content.length);
        bb.put(MAGIC).putLong(content.length).put(sha256().digest(content)).put(content);
        return bb.array();
    }

    /**
     * Stores {@code image} under {@code key}, atomically. Failures turn caching off with one warning
     * and are otherwise ignored.
     */
    public void put(String key, byte[] image) {
        Path f = file(key);
        if (disabled) return;
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, key + ".", ".tmp");
            Files.write(tmp, encode(image));
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // same folder, so this only happens on odd file systems; a plain replace is the best left
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            disable(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException | SecurityException e) {
                    // nothing more to do
                }
            }
        }
    }

    private synchronized void disable(Exception e) {
        if (disabled) return;
        disabled = true;
        LOG.warn("CUDA kernel cache {} is not writable ({}); kernels will be compiled at every run. "
                + "Set -D{}=DIR to a writable folder to cache them.", dir, e.toString(), PROPERTY);
    }

    @Override public String toString() { return disabled ? dir + " (off: not writable)" : dir.toString(); }
}
