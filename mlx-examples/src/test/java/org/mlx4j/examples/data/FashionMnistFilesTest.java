package org.mlx4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistFilesTest {
    @TempDir Path tmp;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, byte[]> fakes = new LinkedHashMap<>();
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        Random r = new Random(7);
        for (String f : FashionMnistFiles.FILES) {
            byte[] raw = new byte[1000 + r.nextInt(1000)];
            r.nextBytes(raw);
            fakes.put(f, gzip(raw));
        }
        served.putAll(fakes);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fm/", ex -> {
            requests.incrementAndGet();
            String name = ex.getRequestURI().getPath().substring("/fm/".length());
            byte[] body = served.get(name);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            }
            ex.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fm/");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Map<String, Set<String>> fakeDigests() throws Exception {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        for (var e : fakes.entrySet()) m.put(e.getKey(), Set.of(sha256(e.getValue())));
        return m;
    }

    private FashionMnistFiles files(Map<String, Set<String>> digests, URI url, Path debian) {
        return new FashionMnistFiles(digests, List.of(url), null, debian, tmp.resolve("cache"),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void downloadsVerifiesAndMovesIntoPlace() throws Exception {
        List<String> log = new ArrayList<>();
        Path dir = files(fakeDigests(), base, tmp.resolve("no-debian")).find(null, true, log::add);
        assertEquals(tmp.resolve("cache"), dir);
        for (String f : FashionMnistFiles.FILES) assertArrayEquals(fakes.get(f), Files.readAllBytes(dir.resolve(f)), f);
        assertEquals(4, requests.get());
        assertEquals(List.of(), partFiles(dir));
        assertTrue(log.stream().anyMatch(l -> l.contains("verified")), log.toString());

        // Second run: everything is cached and verified, nothing is fetched.
        files(fakeDigests(), base, null).find(null, false, null);
        assertEquals(4, requests.get());
    }

    @Test
    void wrongChecksumLeavesNoFileAtTheFinalName() throws Exception {
        Map<String, Set<String>> digests = fakeDigests();
        String expected = "00".repeat(32);
        digests.put("t10k-images-idx3-ubyte.gz", Set.of(expected));
        IOException e = assertThrows(IOException.class, () -> files(digests, base, null).find(null, true, null));
        String actual = sha256(fakes.get("t10k-images-idx3-ubyte.gz"));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(actual), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz"), e.getMessage());
        Path cache = tmp.resolve("cache");
        assertFalse(Files.exists(cache.resolve("t10k-images-idx3-ubyte.gz")));
        assertEquals(List.of(), partFiles(cache));
    }

    @Test
    void corruptCachedFileIsReportedNotReplaced() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        byte[] good = fakes.get("train-labels-idx1-ubyte.gz");
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1;
        Files.write(cache.resolve("train-labels-idx1-ubyte.gz"), bad);
        for (boolean allow : new boolean[] {false, true}) {
            IOException e = assertThrows(IOException.class, () -> files(fakeDigests(), base, null).find(null, allow, null));
            String m = e.getMessage();
            assertTrue(m.contains(cache.resolve("train-labels-idx1-ubyte.gz").toString()), m);
            assertTrue(m.contains(sha256(good)) && m.contains(sha256(bad)), m);
            assertTrue(m.toLowerCase().contains("delete"), m);
        }
        assertArrayEquals(bad, Files.readAllBytes(cache.resolve("train-labels-idx1-ubyte.gz")));
    }

    @Test
    void userDirectoryIsTheOnlyPlaceLookedAt() throws Exception {
        Path user = Files.createDirectories(tmp.resolve("mine"));
        Files.write(user.resolve("train-images-idx3-ubyte.gz"), fakes.get("train-images-idx3-ubyte.gz"));
        IOException e = assertThrows(IOException.class, () -> files(fakeDigests(), base, null).find(user, true, null));
        String m = e.getMessage();
        assertTrue(m.contains(user.toString()), m);
        for (String f : List.of("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            assertTrue(m.contains(f), m);
        }
        assertFalse(m.contains("train-images-idx3-ubyte.gz"), m);
        assertEquals(0, requests.get());

        for (String f : FashionMnistFiles.FILES) Files.write(user.resolve(f), fakes.get(f));
        assertEquals(user, files(fakeDigests(), base, null).find(user, false, null));
    }

    @Test
    void missingWithoutDownloadSaysWhatToDo() throws Exception {
        IOException e = assertThrows(IOException.class, () -> files(fakeDigests(), base, tmp.resolve("none")).find(null, false, null));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist, or pass --data DIR, or allow the download"), e.getMessage());
        assertEquals(0, requests.get());
    }

    @Test
    void unreachableServerSaysNoNetworkAndNotFoundSaysHttpStatus() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // closed again at once: connecting is refused
        }
        IOException e = assertThrows(IOException.class,
                () -> files(fakeDigests(), URI.create("http://127.0.0.1:" + port + "/fm/"), null).find(null, true, null));
        assertTrue(e.getMessage().contains("no network"), e.getMessage());

        served.remove("train-images-idx3-ubyte.gz");
        IOException e404 = assertThrows(IOException.class, () -> files(fakeDigests(), base, null).find(null, true, null));
        assertTrue(e404.getMessage().contains("HTTP 404") && e404.getMessage().contains("train-images-idx3-ubyte.gz"), e404.getMessage());
        assertEquals(List.of(), partFiles(tmp.resolve("cache")));
    }

    @Test
    void debianFilesVerify() throws Exception {
        Path debian = Path.of(FashionMnist.DEBIAN_DIR);
        assumeTrue(Files.isDirectory(debian) && FashionMnistFiles.FILES.stream().allMatch(f -> Files.isRegularFile(debian.resolve(f))),
                "Debian's dataset-fashion-mnist is not installed");
        FashionMnistFiles withDebian = new FashionMnistFiles(realDigests(), List.of(base), null, debian, tmp.resolve("cache"),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertEquals(debian, withDebian.find(null, false, null));
        assertEquals(0, requests.get());
    }

    /**
     * Debian's files differ from upstream only in the gzip header: giving the smallest one back its
     * upstream header (FNAME flag, time stamp 2017-08-31T10:50:27Z, XFL 0, OS Unix, the original name)
     * must give exactly the upstream file, whose MD5 the project publishes.
     */
    @Test
    void debianFileIsUpstreamWithAnotherGzipHeader() throws Exception {
        Path debianFile = Path.of(FashionMnist.DEBIAN_DIR, "t10k-labels-idx1-ubyte.gz");
        assumeTrue(Files.isRegularFile(debianFile), "Debian's dataset-fashion-mnist is not installed");
        byte[] deb = Files.readAllBytes(debianFile);
        assertEquals(0, deb[3], "Debian's header carries no file name");
        byte[] name = "t10k-labels-idx1-ubyte\0".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer up = ByteBuffer.allocate(deb.length + name.length).order(ByteOrder.LITTLE_ENDIAN);
        up.put(new byte[] {0x1f, (byte) 0x8b, 8, 8}).putInt(1504176627).put((byte) 0).put((byte) 3).put(name);
        up.put(deb, 10, deb.length - 10);
        byte[] upstream = up.array();
        assertEquals("bb300cfdad3c16e7a12a480ee83cd310", HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(upstream)));
        assertEquals(FashionMnistFiles.UPSTREAM_SHA256.get("t10k-labels-idx1-ubyte.gz"), sha256(upstream));
        assertEquals(FashionMnistFiles.DEBIAN_SHA256.get("t10k-labels-idx1-ubyte.gz"), sha256(deb));
    }

    private static Map<String, Set<String>> realDigests() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        for (String n : FashionMnistFiles.FILES) {
            m.put(n, Set.of(FashionMnistFiles.UPSTREAM_SHA256.get(n), FashionMnistFiles.DEBIAN_SHA256.get(n)));
        }
        return m;
    }

    private static List<Path> partFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(raw);
        }
        return bo.toByteArray();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
