package org.mlx4j.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old contents or the complete new ones.
 *
 * <p>The body writes a temporary file next to the target (same directory, so the final rename
 * stays on one file system); the file is forced to disk and renamed over the target with
 * {@code ATOMIC_MOVE}, falling back to {@code REPLACE_EXISTING} where the file system cannot
 * rename atomically. On any failure, including runtime exceptions and errors from the body, the
 * temporary file is deleted and the target is left as it was.
 */
final class AtomicFile {
    private AtomicFile() {}

    /** Writes the file's contents to an open channel. */
    interface Body {
        /** Writes everything; the channel is forced and closed by the caller. */
        void write(FileChannel ch) throws IOException;
    }

    /**
     * Writes {@code target} atomically.
     *
     * @param target the file to create or replace
     * @param format the format tag for error messages, e.g. {@code "npy"}
     * @param body   writes the contents
     * @throws IOException naming {@code target} when the file system fails; the body's runtime
     *                     exceptions pass through unchanged (after the clean-up)
     */
    static void write(Path target, String format, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) throw new IOException("[" + format + "] cannot write " + target + ": it has no parent directory");
        Path tmp = null;
        boolean moved = false;
        try {
            tmp = createTemp(dir, abs.getFileName().toString());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                body.write(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw new IOException("[" + format + "] could not write " + target + ": " + e, e);
        } finally {
            if (!moved && tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure matters more; a stray temp file is all that remains
                }
            }
        }
        syncDirectory(dir);
    }

    /** A new empty file in {@code dir} with default permissions (unlike Files.createTempFile's 0600). */
    private static Path createTemp(Path dir, String name) throws IOException {
        // keep the name short enough for 255-byte file name limits
        String base = name.length() > 100 ? name.substring(0, 100) : name;
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + base + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
            try {
                FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) throw e;
            }
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory (not Windows). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the data itself is already forced
        }
    }
}
