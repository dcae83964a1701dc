package org.mlx4j.examples.lm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * A text corpus as raw bytes, the tokens of a byte-level language model (vocabulary 256), loaded
 * from one file, the regular files of a directory, or a glob, the files concatenated in sorted
 * path order as ../shared/peers/transformer_lm.py does ({@code sorted(glob.glob(...))}). The first
 * 90% of the bytes ({@code int(0.9 * n)}) are the training split, the rest the validation split.
 *
 * <pre>{@code
 * ByteCorpus vim = ByteCorpus.load(ByteCorpus.VIM_HELP_GLOB);   // ~9.5 MB of Vim help
 * Array train = vim.trainTokens();                               // (0.9 n) int32 on the device
 * }</pre>
 */
public final class ByteCorpus {
    /** The Vim 9.0 help files of Debian's {@code vim-runtime} package: the peer's default corpus. */
    public static final String VIM_HELP_GLOB = "/usr/share/vim/vim90/doc/*.txt";

    /**
     * The fortune cookie files of Debian's {@code fortunes} package; loading the directory skips the
     * binary {@code *.dat} index files and the {@code *.u8} symbolic links.
     */
    public static final String FORTUNES_DIR = "/usr/share/games/fortunes";

    private final byte[] bytes;
    private final List<Path> files;
    private final String source;

    private ByteCorpus(byte[] bytes, List<Path> files, String source) {
        this.bytes = bytes;
        this.files = List.copyOf(files);
        this.source = source;
    }

    /**
     * In-memory text, for tests and callers that already hold the bytes.
     *
     * @param bytes  the corpus (copied)
     * @param source a name for logs
     */
    public static ByteCorpus of(byte[] bytes, String source) {
        if (bytes == null) throw new IllegalArgumentException("[ByteCorpus] bytes is null.");
        return new ByteCorpus(bytes.clone(), List.of(), source == null ? "memory" : source);
    }

    /**
     * Loads {@code spec}: a glob when it contains {@code * ? [ {} (only the last path component
     * may hold them), otherwise a file or a directory.
     *
     * @throws IOException when nothing matches, the path does not exist, or a file cannot be read
     */
    public static ByteCorpus load(String spec) throws IOException {
        if (spec == null || spec.isEmpty()) throw new IllegalArgumentException("[ByteCorpus] the corpus path or glob is empty.");
        if (isGlob(spec)) return fromGlob(spec);
        Path p = path(spec);
        if (Files.isDirectory(p)) return fromDirectory(p);
        return fromFile(p);
    }

    /**
     * One file.
     *
     * @throws IOException naming the file when it does not exist or cannot be read
     */
    public static ByteCorpus fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file (pass --text FILE with an existing text file)");
        }
        return new ByteCorpus(read(file), List.of(file), file.toString());
    }

    /**
     * The regular files of {@code dir} (not its subdirectories), sorted by name, concatenated;
     * names ending in {@code .dat} or {@code .u8} are skipped (the binary indexes and UTF-8 links
     * of the fortune files).
     *
     * @throws IOException when the directory cannot be listed, holds no usable file, or a file cannot be read
     */
    public static ByteCorpus fromDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": not a directory");
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(".dat") || name.endsWith(".u8") || name.startsWith(".")) continue;
                if (Files.isRegularFile(p)) found.add(p);
            }
        }
        if (found.isEmpty()) {
            throw new IOException("no text files in " + dir + " (files ending in .dat or .u8 are skipped); install fortunes or pass --text FILE");
        }
        return concat(found, dir.toString());
    }

    /**
     * The regular files matching {@code glob} (wildcards in the last component only, as in
     * {@code /usr/share/vim/vim90/doc/*.txt}), sorted by path as Python's {@code sorted(glob.glob(g))},
     * concatenated. As Python's glob, a wildcard does not match a leading dot.
     *
     * @throws IOException when nothing matches or a file cannot be read
     */
    public static ByteCorpus fromGlob(String glob) throws IOException {
        Path pattern = path(glob);
        Path parent = pattern.getParent() == null ? Path.of(".") : pattern.getParent();
        String last = pattern.getFileName() == null ? "" : pattern.getFileName().toString();
        if (isGlob(parent.toString())) {
            throw new IllegalArgumentException("[ByteCorpus] only the last path component of a glob may hold wildcards, got '" + glob + "'.");
        }
        PathMatcher matcher = parent.getFileSystem().getPathMatcher("glob:" + last);
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(parent)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
                for (Path p : ds) {
                    Path name = p.getFileName();
                    if (name.toString().startsWith(".") && !last.startsWith(".")) continue;
                    if (matcher.matches(name) && Files.isRegularFile(p)) found.add(pattern.getParent() == null ? name : p);
                }
            }
        }
        if (found.isEmpty()) throw new IOException("no files match " + glob + "; install vim-runtime or pass --text FILE");
        return concat(found, glob);
    }

    private static ByteCorpus concat(List<Path> found, String source) throws IOException {
        List<Path> sorted = new ArrayList<>(found);
        sorted.sort((a, b) -> a.toString().compareTo(b.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Path p : sorted) out.write(read(p));
        return new ByteCorpus(out.toByteArray(), sorted, source);
    }

    private static byte[] read(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read (" + e.getMessage() + "); check its permissions or pass --text FILE", e);
        }
    }

    private static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("[ByteCorpus] '" + s + "' is not a valid path: " + e.getMessage() + ".", e);
        }
    }

    // ------------------------------------------------------------------ contents

    /** The whole corpus (a copy). */
    public byte[] bytes() { return bytes.clone(); }

    /** The corpus length in bytes (= tokens). */
    public int length() { return bytes.length; }

    /** The files read, in concatenation order (empty for {@link #of(byte[], String)}). */
    public List<Path> files() { return files; }

    /** What was loaded: the path, directory or glob given. */
    public String source() { return source; }

    /** Where validation starts: {@code int(0.9 * n)}, computed in double precision as Python does. */
    public int splitIndex() { return (int) (0.9 * bytes.length); }

    /** The training bytes, the first {@link #splitIndex()} (a copy). */
    public byte[] trainBytes() { return Arrays.copyOfRange(bytes, 0, splitIndex()); }

    /** The validation bytes, from {@link #splitIndex()} on (a copy). */
    public byte[] validationBytes() { return Arrays.copyOfRange(bytes, splitIndex(), bytes.length); }

    /** The training split as tokens: int32, shape (splitIndex), each in [0, 256). */
    public Array trainTokens() { return tokens(0, splitIndex()); }

    /** The validation split as tokens: int32, shape (length - splitIndex), each in [0, 256). */
    public Array validationTokens() { return tokens(splitIndex(), bytes.length); }

    private Array tokens(int from, int to) {
        int[] t = new int[to - from];
        for (int i = 0; i < t.length; i++) t[i] = bytes[from + i] & 0xff;
        return MX.array(t, t.length);
    }

    /** The lowercase hex SHA-256 of the raw bytes, for logs (the peer prints its first 16 digits). */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Checks that both splits hold at least {@code context + 2} bytes, what a window of
     * {@code context} inputs and its shifted targets need (the peer draws offsets below
     * {@code len - context - 1}).
     *
     * @throws IllegalArgumentException naming the lengths when the corpus is too short
     */
    public void checkContext(int context) {
        if (context <= 0) throw new IllegalArgumentException("[ByteCorpus] context must be positive, got " + context + ".");
        int train = splitIndex(), val = bytes.length - train;
        if (train < context + 2 || val < context + 2) {
            throw new IllegalArgumentException("[ByteCorpus] corpus " + source + " of " + bytes.length + " bytes is too short for context " + context
                    + ": its splits (train " + train + ", validation " + val + " bytes) each need at least context + 2 = " + (context + 2) + " bytes.");
        }
    }

    @Override public String toString() {
        return "ByteCorpus(" + source + ", files=" + files.size() + ", bytes=" + bytes.length + ")";
    }
}
