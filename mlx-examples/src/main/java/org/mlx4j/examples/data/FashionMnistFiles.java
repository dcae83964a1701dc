package org.mlx4j.examples.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Finds Fashion-MNIST's four gzipped IDX files on this machine, or fetches them, and checks every
 * file it hands out against known SHA-256 digests.
 *
 * <p>{@link #locate} looks, in this order:
 * <ol>
 *   <li>in the directory the user named ({@code --data DIR}), and then only there;</li>
 *   <li>in the directory named by the system property {@value #DIR_PROPERTY}, and then only there;</li>
 *   <li>in Debian's {@value FashionMnist#DEBIAN_DIR} (package {@code dataset-fashion-mnist}) when all
 *       four files are there;</li>
 *   <li>in a cache directory ({@code $XDG_CACHE_HOME/mlx4j/fashion-mnist}, else
 *       {@code ~/.cache/mlx4j/fashion-mnist}; property {@value #CACHE_PROPERTY} overrides it), where the
 *       missing files are downloaded when the caller allows it.</li>
 * </ol>
 * A download goes to a temporary file in the cache directory, is checked, and only then moved to its
 * final name in one atomic step, so the final name never holds a partial or unverified file.
 *
 * <p><b>The digests.</b> Each file has two accepted SHA-256 digests, one per byte layout of the same
 * compressed data:
 * <ul>
 *   <li>the upstream file, as zalandoresearch/fashion-mnist serves it (GitHub and the S3 site). Its
 *       SHA-256 was computed from files whose MD5 match the MD5s published in the project's README
 *       ({@code 8d4fb7e6c68d591d4c3dfef9ec88bf0d}, {@code 25c81989df183df01b3e8a0aad5dffbe},
 *       {@code bef4ecab320f06d8554ea6380940ec79}, {@code bb300cfdad3c16e7a12a480ee83cd310}) and agrees
 *       with the digests other projects publish for these files;</li>
 *   <li>Debian's file (dataset-fashion-mnist 0.0~git20200523.55506a9-1). Debian rewrote the 10-byte
 *       gzip header (no original file name, a 2020 time stamp), so its MD5 do not match the published
 *       ones; the deflate stream, CRC-32 and length are the upstream bytes. This was checked by putting
 *       the upstream header (name, time stamp of 2017-08-31) back on each Debian file: all four then
 *       have exactly the published MD5 (a test repeats this for the smallest file).</li>
 * </ul>
 *
 * <p>Example:
 * <pre>{@code
 * Path dir = FashionMnistFiles.locate(null, true, System.err::println);
 * FashionMnist data = FashionMnist.load(dir);
 * }</pre>
 */
public final class FashionMnistFiles {
    /** System property naming a directory that holds the four files (used only when no directory is passed). */
    public static final String DIR_PROPERTY = "mlx4j.fashionMnist";
    /** System property naming the cache directory downloads go to. */
    public static final String CACHE_PROPERTY = "mlx4j.fashionMnist.cache";
    /** System property with the base URL(s) to download from, comma-separated, each ending in {@code /}. */
    public static final String URL_PROPERTY = "mlx4j.fashionMnist.url";

    /** The four file names, in the order train images, train labels, test images, test labels. */
    public static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    /**
     * Where the files are fetched from by default, tried in order: the project's GitHub repository over
     * HTTPS, then its S3 web site, which speaks plain HTTP only (the SHA-256 check makes that safe).
     */
    public static final List<URI> DEFAULT_BASE_URLS = List.of(
            URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"));

    /** SHA-256 of the files zalandoresearch/fashion-mnist serves (MD5 as published in its README). */
    public static final Map<String, String> UPSTREAM_SHA256 = orderedMap(
            "train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            "train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5");

    /** SHA-256 of Debian's files in {@value FashionMnist#DEBIAN_DIR} (same data, rewritten gzip header). */
    public static final Map<String, String> DEBIAN_SHA256 = orderedMap(
            "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05");

    private static final String HOW_TO_GET = "apt-get install dataset-fashion-mnist, or pass --data DIR, or allow the download";

    private final Map<String, Set<String>> sha256;
    private final List<URI> baseUrls;
    private final Path propertyDir;
    private final Path debianDir;
    private final Path cacheDir;
    private final Duration connectTimeout;
    private final Duration fileTimeout;

    /**
     * For tests and unusual setups: every source of files injectable.
     *
     * @param sha256         file name -> accepted SHA-256 digests (lower-case hex); its keys are the files
     * @param baseUrls       download bases tried in order, each ending in {@code /}
     * @param propertyDir    the directory the system property names, or null
     * @param debianDir      the system directory to try, or null
     * @param cacheDir       where downloads go
     * @param connectTimeout how long to wait for a connection
     * @param fileTimeout    how long one file's download may take in all
     */
    FashionMnistFiles(Map<String, Set<String>> sha256, List<URI> baseUrls, Path propertyDir, Path debianDir, Path cacheDir,
            Duration connectTimeout, Duration fileTimeout) {
        this.sha256 = new LinkedHashMap<>(sha256);
        this.baseUrls = List.copyOf(baseUrls);
        this.propertyDir = propertyDir;
        this.debianDir = debianDir;
        this.cacheDir = cacheDir;
        this.connectTimeout = connectTimeout;
        this.fileTimeout = fileTimeout;
    }

    /** The configuration {@link #locate} uses: real digests, system properties, environment. */
    static FashionMnistFiles defaults() {
        Map<String, Set<String>> digests = new LinkedHashMap<>();
        for (String f : FILES) digests.put(f, Set.of(UPSTREAM_SHA256.get(f), DEBIAN_SHA256.get(f)));
        String urls = System.getProperty(URL_PROPERTY);
        List<URI> bases = urls == null || urls.isBlank() ? DEFAULT_BASE_URLS
                : Arrays.stream(urls.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .map(s -> URI.create(s.endsWith("/") ? s : s + "/")).toList();
        String dirProp = System.getProperty(DIR_PROPERTY);
        return new FashionMnistFiles(digests, bases, dirProp == null || dirProp.isBlank() ? null : Path.of(dirProp),
                Path.of(FashionMnist.DEBIAN_DIR), defaultCacheDir(), Duration.ofSeconds(20), Duration.ofMinutes(10));
    }

    /**
     * The directory downloads go to: property {@value #CACHE_PROPERTY}, else
     * {@code $XDG_CACHE_HOME/mlx4j/fashion-mnist}, else {@code ~/.cache/mlx4j/fashion-mnist}.
     */
    public static Path defaultCacheDir() {
        String p = System.getProperty(CACHE_PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("mlx4j").resolve("fashion-mnist");
    }

    /**
     * Finds the directory holding the four verified files (see the class comment for the order), and
     * downloads missing ones into the cache when {@code allowDownload} is true.
     *
     * @param userDir       the directory the user named, or null to search
     * @param allowDownload whether missing files may be fetched over the network
     * @param log           receives one line per notable action (where the files were found, each
     *                      download); null for none
     * @return a directory for {@link FashionMnist#load(Path)}
     * @throws IOException saying what to do: when files are missing (naming them and the directory),
     *                     when a file's SHA-256 is not a known one (naming the file, expected and actual
     *                     digests), or when a download fails (naming the URLs tried and why)
     */
    public static Path locate(Path userDir, boolean allowDownload, Consumer<String> log) throws IOException {
        return defaults().find(userDir, allowDownload, log);
    }

    /** {@link #locate} with this instance's configuration. */
    Path find(Path userDir, boolean allowDownload, Consumer<String> log) throws IOException {
        if (log == null) log = line -> { };
        if (userDir != null) return explicit(userDir, "the directory given");
        if (propertyDir != null) return explicit(propertyDir, "the directory in -D" + DIR_PROPERTY);
        if (debianDir != null && missing(debianDir).isEmpty()) {
            for (String f : sha256.keySet()) {
                verify(debianDir.resolve(f), f, "Run `apt-get install --reinstall dataset-fashion-mnist`, or pass --data DIR.");
            }
            log.accept("Fashion-MNIST: using " + debianDir);
            return debianDir;
        }
        Files.createDirectories(cacheDir);
        List<String> toFetch = new ArrayList<>();
        for (String f : sha256.keySet()) {
            Path p = cacheDir.resolve(f);
            if (Files.isRegularFile(p)) {
                verify(p, f, "Delete it and run again to download it afresh.");
            } else {
                toFetch.add(f);
            }
        }
        if (!toFetch.isEmpty() && !allowDownload) {
            throw new IOException("Fashion-MNIST not found: " + toFetch + " missing in the cache " + cacheDir
                    + (debianDir != null ? " and not all files in " + debianDir : "") + ". " + HOW_TO_GET + ".");
        }
        for (String f : toFetch) download(f, log);
        log.accept("Fashion-MNIST: using " + cacheDir);
        return cacheDir;
    }

    private Path explicit(Path dir, String what) throws IOException {
        List<String> miss = missing(dir);
        if (!miss.isEmpty()) {
            throw new IOException("Fashion-MNIST: " + what + ", " + dir + ", lacks " + String.join(", ", miss)
                    + ". Put the four gzipped IDX files there, or leave it out to use Debian's package"
                    + " (apt-get install dataset-fashion-mnist) or the download.");
        }
        for (String f : sha256.keySet()) verify(dir.resolve(f), f, "Replace it with the original file from zalandoresearch/fashion-mnist.");
        return dir;
    }

    private List<String> missing(Path dir) {
        return sha256.keySet().stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
    }

    private void verify(Path file, String name, String remedy) throws IOException {
        String actual = sha256(file);
        Set<String> expected = sha256.get(name);
        if (!expected.contains(actual)) {
            throw new IOException(file + ": SHA-256 " + actual + " is not the expected " + String.join(" or ", expected)
                    + " (corrupt, truncated or another file). " + remedy);
        }
    }

    private void download(String name, Consumer<String> log) throws IOException {
        List<String> failures = new ArrayList<>();
        boolean offline = true;
        HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            for (URI base : baseUrls) {
                URI url = base.resolve(name);
                // A fresh temporary name per try: a crash leaves only a ".part" file, never a wrong final file.
                Path tmp = Files.createTempFile(cacheDir, "." + name + ".", ".part");
                try {
                    log.accept("Fashion-MNIST: downloading " + url);
                    long t0 = System.nanoTime();
                    int status = fetch(client, url, tmp);
                    offline = false;
                    if (status != 200) {
                        failures.add(url + ": HTTP " + status);
                        continue;
                    }
                    String actual = sha256(tmp);
                    Set<String> expected = sha256.get(name);
                    if (!expected.contains(actual)) {
                        failures.add(url + ": SHA-256 " + actual + " is not the expected " + String.join(" or ", expected)
                                + " (" + Files.size(tmp) + " bytes; the mirror served another file)");
                        continue;
                    }
                    moveAtomically(tmp, cacheDir.resolve(name));
                    log.accept(String.format(java.util.Locale.ROOT, "Fashion-MNIST: %s verified (%,d bytes in %.1f s)",
                            name, Files.size(cacheDir.resolve(name)), (System.nanoTime() - t0) / 1e9));
                    return;
                } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
                    failures.add(url + ": cannot connect (" + describe(e) + ")");
                } catch (IOException e) {
                    offline = false;
                    failures.add(url + ": " + describe(e));
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } finally {
            client.close();
        }
        throw new IOException("Fashion-MNIST: could not download " + name + " into " + cacheDir
                + (offline ? " (no network? no server could be reached)" : "") + ". Tried: " + String.join("; ", failures)
                + ". " + HOW_TO_GET.replace(", or allow the download", ", or copy the four files into " + cacheDir) + ".");
    }

    /** Downloads {@code url} into {@code tmp}; returns the HTTP status (the body is kept only for 200). */
    private int fetch(HttpClient client, URI url, Path tmp) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(fileTimeout).GET().build();
        CompletableFuture<HttpResponse<Path>> f = client.sendAsync(req, info -> info.statusCode() == 200
                ? HttpResponse.BodySubscribers.ofFile(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
                : HttpResponse.BodySubscribers.replacing(null));
        try {
            // The request timeout covers only the wait for headers; this bounds a stalled body as well.
            return f.get(fileTimeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + fileTimeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (CancellationException e) {
            throw new IOException("cancelled", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ConnectException ce) throw ce;
            if (c instanceof HttpConnectTimeoutException ce) throw ce;
            if (c instanceof UnresolvedAddressException ue) throw ue;
            if (c instanceof IOException io && io.getCause() instanceof UnresolvedAddressException ue) throw ue;
            if (c instanceof IOException io) throw io;
            throw new IOException(String.valueOf(c), c);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if ((m == null || m.isBlank()) && e.getCause() != null && e.getCause() != e) {
            return e.getClass().getSimpleName() + ", " + describe(e.getCause()); // e.g. an unknown host
        }
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    private static void moveAtomically(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The SHA-256 of a file, lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
