package org.mlx4j.cuda.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCacheTest {
    @TempDir Path tmp;

    static final List<String> OPTS = List.of("--gpu-architecture=sm_90", "--std=c++17");

    @Test void keyChangesWithEachInput() {
        String base = KernelCache.key("src", OPTS, "sm_90", "13.0");
        assertEquals(64, base.length());
        assertEquals(base, KernelCache.key("src", List.of("--gpu-architecture=sm_90", "--std=c++17"), "sm_90", "13.0"));
        Set<String> keys = new HashSet<>(List.of(base,
                KernelCache.key("src2", OPTS, "sm_90", "13.0"),
                KernelCache.key("src", List.of("--gpu-architecture=sm_90"), "sm_90", "13.0"),
                KernelCache.key("src", List.of("--std=c++17", "--gpu-architecture=sm_90"), "sm_90", "13.0"),
                KernelCache.key("src", OPTS, "compute_90", "13.0"),
                KernelCache.key("src", OPTS, "sm_90", "12.6")));
        assertEquals(6, keys.size());
        // framing: moving text between adjacent fields changes the key
        assertNotEquals(KernelCache.key("ab", List.of("c"), "x", "1"), KernelCache.key("a", List.of("bc"), "x", "1"));
        assertNotEquals(KernelCache.key("a", List.of("b", "c"), "x", "1"), KernelCache.key("a", List.of("bc"), "x", "1"));
        assertNotEquals(KernelCache.key("a", List.of(), "bx", "1"), KernelCache.key("a", List.of("b"), "x", "1"));
    }

    @Test void roundTrip() {
        KernelCache c = new KernelCache(tmp.resolve("cache"));
        String k = KernelCache.key("src", OPTS, "sm_90", "13.0");
        assertTrue(c.get(k).isEmpty());
        byte[] image = "ptx text\0".getBytes(StandardCharsets.US_ASCII);
        c.put(k, image);
        assertArrayEquals(image, c.get(k).orElseThrow());
        assertTrue(Files.isRegularFile(tmp.resolve("cache").resolve(k + ".bin")));
        // replacing works, empty images too
        c.put(k, new byte[0]);
        assertArrayEquals(new byte[0], c.get(k).orElseThrow());
        // no temporary files left behind
        try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
            assertEquals(List.of(k + ".bin"), s.map(p -> p.getFileName().toString()).toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test void damagedEntriesAreMissesAndGetReplaced() throws IOException {
        KernelCache c = new KernelCache(tmp);
        String k = KernelCache.key("src", OPTS, "sm_90", "13.0");
        byte[] image = new byte[1000];
        for (int i = 0; i < image.length; i++) image[i] = (byte) i;
        c.put(k, image);
        Path f = tmp.resolve(k + ".bin");
        byte[] good = Files.readAllBytes(f);

        // truncated
        Files.write(f, java.util.Arrays.copyOf(good, good.length - 10));
        assertTrue(c.get(k).isEmpty());
        assertFalse(Files.exists(f), "a damaged entry is deleted");
        // one flipped content byte
        byte[] flipped = good.clone();
        flipped[flipped.length - 1] ^= 1;
        Files.write(f, flipped);
        assertTrue(c.get(k).isEmpty());
        // wrong magic
        byte[] magic = good.clone();
        magic[0] = 'X';
        Files.write(f, magic);
        assertTrue(c.get(k).isEmpty());
        // length field lying
        byte[] len = good.clone();
        len[KernelCache.MAGIC.length + 7] ^= 1;
        Files.write(f, len);
        assertTrue(c.get(k).isEmpty());
        // garbage shorter than a header
        Files.write(f, new byte[] {1, 2, 3});
        assertTrue(c.get(k).isEmpty());
        // and a put replaces it
        c.put(k, image);
        assertArrayEquals(image, c.get(k).orElseThrow());
    }

    @Test void concurrentPutsLeaveAValidEntry() throws Exception {
        KernelCache c = new KernelCache(tmp.resolve("c"));
        String k = KernelCache.key("src", OPTS, "sm_90", "13.0");
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        List<byte[]> images = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            byte[] img = new byte[200_000 + t];
            java.util.Arrays.fill(img, (byte) t);
            images.add(img);
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        c.put(k, img);
                        Optional<byte[]> got = c.get(k);
                        // a reader sees some writer's whole image, never a mix
                        if (got.isPresent() && images.stream().noneMatch(x -> java.util.Arrays.equals(x, got.get()))) {
                            failures.add(new AssertionError("torn entry of " + got.get().length + " bytes"));
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            ts.add(th);
            th.start();
        }
        start.countDown();
        for (Thread t : ts) t.join();
        assertEquals(List.of(), failures);
        byte[] last = c.get(k).orElseThrow();
        assertTrue(images.stream().anyMatch(x -> java.util.Arrays.equals(x, last)));
        assertTrue(c.enabled());
    }

    @Test void unwritableFolderTurnsCachingOffWithoutThrowing() throws IOException {
        // a regular file where the folder should be: fails even for root, unlike permission bits
        Path blocker = Files.writeString(tmp.resolve("blocker"), "x");
        KernelCache c = new KernelCache(blocker.resolve("cache"));
        String k = KernelCache.key("src", OPTS, "sm_90", "13.0");
        c.put(k, new byte[] {1, 2, 3});
        assertFalse(c.enabled());
        assertTrue(c.get(k).isEmpty());
        c.put(k, new byte[] {1, 2, 3}); // still no exception, no second warning
        assertTrue(c.toString().contains("off"));
    }

    @Test void keysMustBeHex() {
        KernelCache c = new KernelCache(tmp);
        assertThrows(IllegalArgumentException.class, () -> c.get("../../etc/passwd"));
    }

    @Test void standardDirHonoursTheProperty() {
        String old = System.getProperty(KernelCache.PROPERTY);
        try {
            System.setProperty(KernelCache.PROPERTY, tmp.resolve("k").toString());
            assertEquals(tmp.resolve("k"), KernelCache.standardDir());
            System.clearProperty(KernelCache.PROPERTY);
            Path d = KernelCache.standardDir();
            assertTrue(d.endsWith(Path.of("mlx4j", "cuda-kernels")), d.toString());
        } finally {
            if (old == null) System.clearProperty(KernelCache.PROPERTY);
            else System.setProperty(KernelCache.PROPERTY, old);
        }
    }

    @Test void compilerUsesTheCache() {
        int[] calls = {0};
        NvrtcOptions o = NvrtcOptions.forDevice(9, 0, "13.0", new int[] {80, 90});
        NvrtcCompiler.Compile fake = (src, name, opts, cubin) -> {
            calls[0]++;
            assertEquals(o.options(), opts);
            assertTrue(cubin);
            return ("image of " + src).getBytes(StandardCharsets.UTF_8);
        };
        KernelCache cache = new KernelCache(tmp.resolve("kc"));
        NvrtcCompiler c = new NvrtcCompiler("13.0", o, cache, fake);
        assertArrayEquals("image of A".getBytes(StandardCharsets.UTF_8), c.compile("A", "a.cu"));
        assertArrayEquals("image of A".getBytes(StandardCharsets.UTF_8), c.compile("A", "a.cu"));
        assertEquals(1, calls[0]);
        c.compile("B", "b.cu");
        assertEquals(2, calls[0]);
        // a second compiler (a later run) over the same folder compiles nothing
        NvrtcCompiler again = new NvrtcCompiler("13.0", o, new KernelCache(tmp.resolve("kc")), fake);
        again.compile("A", "a.cu");
        assertEquals(2, calls[0]);
        // another NVRTC version misses
        new NvrtcCompiler("13.1", o, cache, fake).compile("A", "a.cu");
        assertEquals(3, calls[0]);
        assertTrue(c.describe().startsWith("NVRTC 13.0 -> sm_90 cubin, cache "), c.describe());
    }
}
