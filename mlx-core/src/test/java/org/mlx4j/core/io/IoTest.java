package org.mlx4j.core.io;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.core.MX;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.Primitive;

class IoTest {
    @TempDir Path dir;

    // ------------------------------------------------------------------ helpers

    /** Distinct, dtype-typical values (negative, fractional, large) for every dtype. */
    static Array sample(DType t, int... shape) {
        int n = (int) new Shape(shape).size();
        if (t == DType.INT64) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) v[i] = (i % 2 == 0 ? 1 : -1) * (0x1234_5678_9abcL * (i + 1) + i);
            // array(long[]) makes a vector when no shape is given: reshape to get a scalar
            return shape.length == 0 ? MX.array(v, 1).reshape() : MX.array(v, shape);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (t) {
                case BOOL -> i % 3 == 0 ? 1 : 0;
                case UINT8 -> (i * 37 + 200) % 256;
                case UINT32 -> (i * 123_456_789L + 4_000_000_000L) % 4_294_967_296L;
                case INT8 -> (i * 37) % 256 - 128;
                case INT16 -> i * 1001 - 30_000;
                case INT32 -> i * 100_000_007L % 2_000_000_000L - 1_000_000_000L;
                case FLOAT16, BFLOAT16 -> i * 0.5 - 3.25;
                case FLOAT32 -> i * 0.1 - 1e6;
                default -> i * Math.PI - 1e300;
            };
        }
        return MX.array(v, t, shape);
    }

    /** The array's elements in row-major order, as raw bytes. */
    static byte[] bytes(Array a) {
        try (HostData.Dense d = HostData.dense(a)) {
            return d.segment().toArray(ValueLayout.JAVA_BYTE);
        }
    }

    static void assertSameArray(Array expected, Array actual) {
        assertEquals(expected.shape(), actual.shape());
        assertEquals(expected.dtype(), actual.dtype());
        assertEquals(Device.cpu(), actual.device());
        assertTrue(actual.isEvaluated());
        assertArrayEquals(bytes(expected), bytes(actual));
    }

    /** Scalars, size-0, plain, and three kinds of views (transpose, broadcast, strided slice). */
    static Map<String, Array> variants(DType t) {
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("scalar", sample(t));
        m.put("empty", sample(t, 0, 3));
        m.put("vector", sample(t, 5));
        m.put("cube", sample(t, 2, 3, 4));
        m.put("transposed", sample(t, 2, 3).T());
        m.put("broadcast", broadcastTo(sample(t, 3), 2, 3));
        m.put("strided", sample(t, 7, 2).get("::3, 1"));
        m.put("emptyTransposed", sample(t, 0, 2).T());
        return m;
    }

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** A version 1.0 header the way NumPy lays it out: dict, spaces, newline, total a multiple of 64. */
    static byte[] npyHeader1(String dict) {
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        int hlen = total - 10;
        byte[] h = new byte[total];
        Arrays.fill(h, (byte) ' ');
        System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) hlen, (byte) (hlen >> 8)}, 0, h, 0, 10);
        System.arraycopy(ascii(dict), 0, h, 10, dict.length());
        h[total - 1] = '\n';
        return h;
    }

    /** A version 2.0 or 3.0 header (4-byte length), minimal padding. */
    static byte[] npyHeader4(int major, String dict) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(12 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0}).putInt(text.length).put(text);
        return b.array();
    }

    static byte[] le(int elemSize, long... values) {
        ByteBuffer b = ByteBuffer.allocate(elemSize * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) put(b, elemSize, v);
        return b.array();
    }

    static byte[] be(int elemSize, long... values) {
        ByteBuffer b = ByteBuffer.allocate(elemSize * values.length).order(ByteOrder.BIG_ENDIAN);
        for (long v : values) put(b, elemSize, v);
        return b.array();
    }

    private static void put(ByteBuffer b, int size, long v) {
        switch (size) {
            case 1 -> b.put((byte) v);
            case 2 -> b.putShort((short) v);
            case 4 -> b.putInt((int) v);
            default -> b.putLong(v);
        }
    }

    static long f32(float f) { return Float.floatToRawIntBits(f); }

    static long f64(double d) { return Double.doubleToRawLongBits(d); }

    static byte[] safetensorsBytes(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    /** Asserts an IOException whose message names the file and contains every fragment. */
    static IOException assertIoError(Path file, ThrowingRunnable r, String... fragments) {
        IOException e = assertThrows(IOException.class, r::run);
        assertTrue(e.getMessage().contains(file.toString()), () -> "message does not name the file: " + e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), () -> "message lacks '" + f + "': " + e.getMessage());
        return e;
    }

    interface ThrowingRunnable { void run() throws Exception; }

    static List<String> listDir(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            List<String> names = new ArrayList<>(s.map(p -> p.getFileName().toString()).toList());
            Collections.sort(names);
            return names;
        }
    }

    /** A primitive no backend has a kernel for: evaluating it fails. */
    record Boom() implements Primitive {
        @Override public String name() { return "Boom"; }
    }

    static Array failing() {
        return Array.node(Shape.of(2), DType.FLOAT32, Device.cpu(), new Boom());
    }

    // ------------------------------------------------------------------ round trips

    @ParameterizedTest
    @EnumSource(DType.class)
    void npyRoundTripEveryDtypeAndLayout(DType t) throws IOException {
        for (Map.Entry<String, Array> e : variants(t).entrySet()) {
            Path f = dir.resolve(t.mlxName() + "-" + e.getKey() + ".npy");
            save(f, e.getValue());
            Array back = loadNpy(f);
            assertSameArray(e.getValue(), back);
            assertTrue(back.data().rowContiguous());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void npzRoundTripEveryDtypeStoredAndCompressed(DType t) throws IOException {
        Map<String, Array> arrays = variants(t);
        Path stored = dir.resolve("s.npz");
        Path deflated = dir.resolve("c.npz");
        savez(stored, arrays);
        savezCompressed(deflated, arrays);
        for (Path f : List.of(stored, deflated)) {
            Map<String, Array> back = loadNpz(f);
            assertEquals(new ArrayList<>(arrays.keySet()), new ArrayList<>(back.keySet()));
            for (String k : arrays.keySet()) assertSameArray(arrays.get(k), back.get(k));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void safetensorsRoundTripEveryDtype(DType t) throws IOException {
        Map<String, Array> arrays = variants(t);
        Path f = dir.resolve("m.safetensors");
        saveSafetensors(f, arrays);
        Map<String, Array> back = loadSafetensors(f);
        assertEquals(new ArrayList<>(arrays.keySet()), new ArrayList<>(back.keySet()));
        for (String k : arrays.keySet()) assertSameArray(arrays.get(k), back.get(k));
    }

    @Test
    void valuesSurviveForEveryDtype() throws IOException {
        // raw-byte equality above is the strong check; this one ties it to real values
        Array a = MX.array(new double[] {-1.5, 0, 2.25}, DType.BFLOAT16, 3);
        save(dir.resolve("b.npy"), a);
        assertArrayEquals(new double[] {-1.5, 0, 2.25}, loadNpy(dir.resolve("b.npy")).toDoubleArray());
        Array big = MX.array(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE});
        saveSafetensors(dir.resolve("l.safetensors"), Map.of("x", big));
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}, loadSafetensors(dir.resolve("l.safetensors")).get("x").toLongArray());
        Array u = MX.array(new double[] {4_294_967_295.0, 0}, DType.UINT32, 2);
        savez(dir.resolve("u.npz"), Map.of("u", u));
        assertArrayEquals(new double[] {4_294_967_295.0, 0}, loadNpz(dir.resolve("u.npz")).get("u").toDoubleArray());
    }

    @Test
    void lazyArraysAreEvaluatedOnSave() throws IOException {
        Array x = add(sample(DType.FLOAT32, 2, 2), MX.array(1.0));
        assertFalse(x.isEvaluated());
        save(dir.resolve("x.npy"), x);
        assertArrayEquals(x.toFloatArray(), loadNpy(dir.resolve("x.npy")).toFloatArray());
    }

    @Test
    void largeArraysStreamAcrossSeveralChunks() throws IOException {
        int n = ByteIo.CHUNK / 4 + 12_345; // more than one 16 MiB transfer
        Array x = arange(0, n, 1, DType.FLOAT32);
        Path npy = dir.resolve("big.npy");
        Path st = dir.resolve("big.safetensors");
        save(npy, x);
        saveSafetensors(st, Map.of("x", x));
        assertSameArray(x, loadNpy(npy));
        assertSameArray(x, loadSafetensors(st).get("x"));
        assertEquals(128 + 4L * n, Files.size(npy));
    }

    @Test
    void keyOrderIsPreserved() throws IOException {
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("zeta", sample(DType.UINT8, 3));          // 1-byte elements: laid out last in safetensors
        m.put("alpha", sample(DType.FLOAT64, 2));
        m.put("mid", sample(DType.INT16, 2, 2));
        m.put("b", sample(DType.BOOL, 5));
        m.put("a", sample(DType.FLOAT32, 1));
        List<String> keys = new ArrayList<>(m.keySet());
        savez(dir.resolve("o.npz"), m);
        saveSafetensors(dir.resolve("o.safetensors"), m);
        assertEquals(keys, new ArrayList<>(loadNpz(dir.resolve("o.npz")).keySet()));
        Map<String, Array> st = loadSafetensors(dir.resolve("o.safetensors"));
        assertEquals(keys, new ArrayList<>(st.keySet()));
        for (String k : keys) assertSameArray(m.get(k), st.get(k));
        assertEquals(keys, new ArrayList<>(load(dir.resolve("o.safetensors")).keySet()));
    }

    @Test
    void metadataRoundTrip() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "mlx");
        meta.put("quote\"and\\back", "line\nbreak\ttab \u0001 ünïcødé 🙂");
        meta.put("empty", "");
        Path f = dir.resolve("m.safetensors");
        saveSafetensors(f, Map.of("w", sample(DType.FLOAT16, 2, 2)), meta);
        SafetensorsFile sf = loadSafetensorsWithMetadata(f);
        assertEquals(new ArrayList<>(meta.entrySet()), new ArrayList<>(sf.metadata().entrySet()));
        assertSameArray(sample(DType.FLOAT16, 2, 2), sf.arrays().get("w"));
        // without metadata: no __metadata__ key, empty map back
        saveSafetensors(f, Map.of("w", sample(DType.FLOAT16, 2)));
        assertTrue(loadSafetensorsWithMetadata(f).metadata().isEmpty());
        assertFalse(new String(Files.readAllBytes(f), StandardCharsets.UTF_8).contains("__metadata__"));
    }

    @Test
    void fortranOrderResultWorksWithOpsAndResaves() throws IOException {
        Path f = dir.resolve("f.npy");
        Files.write(f, concat(npyHeader1("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }"),
                le(4, f32(1), f32(4), f32(2), f32(5), f32(3), f32(6))));
        Array x = loadNpy(f);
        assertEquals(Shape.of(2, 3), x.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, x.toFloatArray());
        assertArrayEquals(new float[] {5, 7, 9}, sum(x, 0).toFloatArray());
        Path g = dir.resolve("g.npy");
        save(g, x);
        Array y = loadNpy(g);
        assertTrue(y.data().rowContiguous());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, y.toFloatArray());
    }

    // ------------------------------------------------------------------ byte-exact layouts

    @Test
    void npyWriterMatchesNumpyLayoutExactly() throws IOException {
        Path f = dir.resolve("a.npy");
        save(f, MX.array(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        // numpy.save(np.arange(1, 7, dtype='<f4').reshape(2, 3)): 118-byte header (0x76), 128 bytes before the data
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + " ".repeat(20);
        byte[] expected = concat(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0},
                ascii(dict), ascii(" ".repeat(128 - 10 - dict.length() - 1)), ascii("\n"),
                le(4, f32(1), f32(2), f32(3), f32(4), f32(5), f32(6)));
        assertArrayEquals(expected, Files.readAllBytes(f));
        assertArrayEquals(expected, concat(npyHeader1(dict), le(4, f32(1), f32(2), f32(3), f32(4), f32(5), f32(6))));
    }

    @Test
    void npyHeadersForScalarsVectorsAndEveryDescr() throws IOException {
        String[] descr = {"|b1", "|u1", "<u4", "|i1", "<i2", "<i4", "<i8", "<f2", "<V2", "<f4", "<f8"};
        DType[] types = DType.values();
        for (int i = 0; i < types.length; i++) {
            Path f = dir.resolve(types[i].mlxName() + ".npy");
            save(f, sample(types[i], 5));
            byte[] b = Files.readAllBytes(f);
            String dict = "{'descr': '" + descr[i] + "', 'fortran_order': False, 'shape': (5,), }" + " ".repeat(20);
            assertArrayEquals(npyHeader1(dict), Arrays.copyOf(b, 128), types[i].toString());
            assertEquals(128 + 5L * types[i].size(), b.length);
        }
        Path s = dir.resolve("s.npy");
        save(s, MX.scalar(2.5, DType.FLOAT64));
        assertArrayEquals(concat(npyHeader1("{'descr': '<f8', 'fortran_order': False, 'shape': (), }"), le(8, f64(2.5))),
                Files.readAllBytes(s));
        Path z = dir.resolve("z.npy");
        save(z, MX.zeros(new int[] {0, 12345}, DType.INT32));
        assertArrayEquals(npyHeader1("{'descr': '<i4', 'fortran_order': False, 'shape': (0, 12345), }" + " ".repeat(20)),
                Files.readAllBytes(z));
    }

    @Test
    void readsBigEndianFiles() throws IOException {
        Path f = dir.resolve("be.npy");
        Files.write(f, concat(npyHeader1("{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }"),
                be(4, f32(1.5f), f32(-2f), f32(3.25f))));
        Array x = loadNpy(f);
        assertEquals(DType.FLOAT32, x.dtype());
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, x.toFloatArray());

        Files.write(f, concat(npyHeader1("{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }"), be(8, -2L, 1L << 40)));
        assertArrayEquals(new long[] {-2, 1L << 40}, loadNpy(f).toLongArray());
        Files.write(f, concat(npyHeader1("{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }"), be(2, -300, 7)));
        assertArrayEquals(new long[] {-300, 7}, loadNpy(f).toLongArray());
        Files.write(f, concat(npyHeader1("{'descr': '>u4', 'fortran_order': False, 'shape': (1,), }"), be(4, 0xfffffffeL)));
        assertArrayEquals(new long[] {0xfffffffeL}, loadNpy(f).toLongArray());
        Files.write(f, concat(npyHeader1("{'descr': '>f2', 'fortran_order': False, 'shape': (1,), }"), be(2, Float.floatToFloat16(-0.75f))));
        assertArrayEquals(new float[] {-0.75f}, loadNpy(f).toFloatArray());
        Files.write(f, concat(npyHeader1("{'descr': '>f8', 'fortran_order': True, 'shape': (2, 2), }"),
                be(8, f64(1), f64(3), f64(2), f64(4))));
        assertArrayEquals(new double[] {1, 2, 3, 4}, loadNpy(f).toDoubleArray());
    }

    @Test
    void readsFortranOrderFiles() throws IOException {
        Path f = dir.resolve("fo.npy");
        // logical [[1, 2, 3], [4, 5, 6]] stored column by column
        Files.write(f, concat(npyHeader1("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }"), le(4, 1, 4, 2, 5, 3, 6)));
        Array x = loadNpy(f);
        assertEquals(Shape.of(2, 3), x.shape());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, x.toIntArray());
        // 3-d: element (i, j, k) at i + 2 j + 4 k
        long[] data = new long[2 * 2 * 3];
        int[] expect = new int[12];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 3; k++) {
            int v = 100 * i + 10 * j + k;
            data[i + 2 * j + 4 * k] = v;
            expect[(i * 2 + j) * 3 + k] = v;
        }
        Files.write(f, concat(npyHeader1("{'descr': '<i2', 'fortran_order': True, 'shape': (2, 2, 3), }"), le(2, data)));
        assertArrayEquals(expect, loadNpy(f).toIntArray());
        // 1-d fortran order is the same as C order
        Files.write(f, concat(npyHeader1("{'descr': '|u1', 'fortran_order': True, 'shape': (3,), }"), le(1, 7, 8, 9)));
        assertArrayEquals(new int[] {7, 8, 9}, loadNpy(f).toIntArray());
    }

    @Test
    void readsVersion2And3HeadersAndOldStyleHeaders() throws IOException {
        Path f = dir.resolve("v.npy");
        Files.write(f, concat(npyHeader4(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}"), le(8, f64(0.5), f64(-7))));
        assertArrayEquals(new double[] {0.5, -7}, loadNpy(f).toDoubleArray());
        Files.write(f, concat(npyHeader4(3, "{\"shape\": (1, 2), \"fortran_order\": False, \"descr\": \"<i8\"}"), le(8, 5, -6)));
        assertArrayEquals(new long[] {5, -6}, loadNpy(f).toLongArray());
        // Python 2 era: long suffixes, 16-byte alignment
        byte[] text = ascii("{'descr': '<u4', 'fortran_order': False, 'shape': (2L,), }   \n");
        byte[] h = concat(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length, 0}, text);
        Files.write(f, concat(h, le(4, 1, 2)));
        assertArrayEquals(new long[] {1, 2}, loadNpy(f).toLongArray());
    }

    @Test
    void bfloat16IsV2AndBoolIsNormalized() throws IOException {
        Path f = dir.resolve("bf.npy");
        Files.write(f, concat(npyHeader1("{'descr': '<V2', 'fortran_order': False, 'shape': (2,), }"), le(2, 0x3fc0, 0xc000)));
        Array x = loadNpy(f);
        assertEquals(DType.BFLOAT16, x.dtype());
        assertArrayEquals(new float[] {1.5f, -2f}, x.toFloatArray());
        Files.write(f, concat(npyHeader1("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }"), le(1, 0, 2, 1)));
        Array b = loadNpy(f);
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new byte[] {0, 1, 1}, bytes(b));
    }

    @Test
    void npzIsAZipOfNpyEntries() throws IOException {
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("w", sample(DType.FLOAT32, 2, 3));
        m.put("layer/b", sample(DType.INT64, 4));
        m.put("t", sample(DType.INT8, 3, 2).T());
        Path stored = dir.resolve("a.npz");
        Path deflated = dir.resolve("b.npz");
        savez(stored, m);
        savezCompressed(deflated, m);
        for (Path f : List.of(stored, deflated)) {
            try (ZipFile z = new ZipFile(f.toFile())) {
                List<String> names = z.stream().map(ZipEntry::getName).toList();
                assertEquals(List.of("w.npy", "layer/b.npy", "t.npy"), names);
                for (Map.Entry<String, Array> e : m.entrySet()) {
                    ZipEntry entry = z.getEntry(e.getKey() + ".npy");
                    assertEquals(f == stored ? ZipEntry.STORED : ZipEntry.DEFLATED, entry.getMethod());
                    Path single = dir.resolve("single.npy");
                    save(single, e.getValue());
                    try (InputStream in = z.getInputStream(entry)) {
                        assertArrayEquals(Files.readAllBytes(single), in.readAllBytes(), e.getKey());
                    }
                }
            }
        }
        // deterministic: the same arrays give the same bytes
        Path again = dir.resolve("c.npz");
        savez(again, m);
        assertArrayEquals(Files.readAllBytes(stored), Files.readAllBytes(again));
    }

    @Test
    void readsNpzWrittenLikeNumpy() throws IOException {
        Path f = dir.resolve("np.npz");
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("arr_0.npy"));
            z.write(concat(npyHeader1("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"), le(4, f32(1), f32(2))));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("arr_1.npy"));
            z.write(concat(npyHeader1("{'descr': '>i4', 'fortran_order': True, 'shape': (2, 2), }"), be(4, 1, 3, 2, 4)));
            z.closeEntry();
        }
        Map<String, Array> m = loadNpz(f);
        assertEquals(List.of("arr_0", "arr_1"), new ArrayList<>(m.keySet()));
        assertArrayEquals(new float[] {1, 2}, m.get("arr_0").toFloatArray());
        assertArrayEquals(new int[] {1, 2, 3, 4}, m.get("arr_1").toIntArray());
    }

    @Test
    void safetensorsWriterLayout() throws IOException {
        Path f = dir.resolve("x.safetensors");
        saveSafetensors(f, Map.of("a", MX.array(new float[] {1, 2})));
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"; // 54 bytes, padded to 56
        byte[] expected = concat(le(8, 56), ascii(json), ascii("  "), le(4, f32(1), f32(2)));
        assertArrayEquals(expected, Files.readAllBytes(f));

        // mixed sizes: header in the caller's order, data largest elements first, each aligned
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("u8", sample(DType.UINT8, 3));
        m.put("f64", sample(DType.FLOAT64, 2));
        m.put("i16", sample(DType.INT16, 1));
        saveSafetensors(f, m, Map.of("k", "v"));
        byte[] b = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},"
                + "\"u8\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[18,21]},"
                + "\"f64\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"i16\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[16,18]}}", header.stripTrailing());
        assertEquals(8 + n + 21, b.length);
    }

    @Test
    void readsSafetensorsWrittenByOthers() throws IOException {
        Path f = dir.resolve("o.safetensors");
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + " \"a\" : {\"shape\": [2, 1], \"dtype\": \"BF16\", \"data_offsets\": [16, 20]},"
                + "\"s\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[20,28]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[28,28]}}   ";
        Files.write(f, safetensorsBytes(json, concat(le(8, 7, -8), le(2, 0x3f80, 0x4040), le(8, f64(0.25)))));
        SafetensorsFile sf = loadSafetensorsWithMetadata(f);
        assertEquals(Map.of("format", "pt"), sf.metadata());
        assertEquals(List.of("b", "a", "s", "e"), new ArrayList<>(sf.arrays().keySet()));
        assertArrayEquals(new long[] {7, -8}, sf.arrays().get("b").toLongArray());
        assertEquals(Shape.of(2, 1), sf.arrays().get("a").shape());
        assertArrayEquals(new float[] {1, 3}, sf.arrays().get("a").toFloatArray());
        assertEquals(Shape.SCALAR, sf.arrays().get("s").shape());
        assertEquals(0.25, sf.arrays().get("s").item());
        assertEquals(Shape.of(0, 4), sf.arrays().get("e").shape());
    }

    @Test
    void dispatchByExtension() throws IOException {
        Array w = sample(DType.FLOAT32, 2);
        save(dir.resolve("w.NPY"), w);
        Map<String, Array> one = load(dir.resolve("w.NPY"));
        assertEquals(List.of("w"), new ArrayList<>(one.keySet()));
        assertSameArray(w, one.get("w"));
        save(dir.resolve("m.npz"), Map.of("w", w));
        assertSameArray(w, load(dir.resolve("m.npz")).get("w"));
        save(dir.resolve("m.safetensors"), Map.of("w", w));
        assertSameArray(w, load(dir.resolve("m.safetensors")).get("w"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(dir.resolve("m.bin")));
        assertTrue(e.getMessage().startsWith("[load] "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> save(dir.resolve("m.safetensors"), w));
        assertTrue(e.getMessage().startsWith("[save] "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> save(dir.resolve("m.npy"), Map.of("w", w)));
        assertThrows(IllegalArgumentException.class, () -> saveSafetensors(dir.resolve("n.safetensors"), Map.of("__metadata__", w)));
        Map<String, Array> withNull = new LinkedHashMap<>();
        withNull.put("x", null);
        assertThrows(IllegalArgumentException.class, () -> savez(dir.resolve("n.npz"), withNull));
        assertFalse(Files.exists(dir.resolve("n.safetensors")));
        assertFalse(Files.exists(dir.resolve("n.npz")));
    }

    // ------------------------------------------------------------------ corrupt input

    @Test
    void corruptNpyFilesGiveIoExceptionsNamingTheFile() throws IOException {
        Path f = dir.resolve("bad.npy");
        save(f, MX.array(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        byte[] good = Files.readAllBytes(f);

        Files.write(f, Arrays.copyOf(good, good.length - 4));
        assertIoError(f, () -> loadNpy(f), "truncated data", "expected 24 bytes got 20");

        byte[] magic = good.clone();
        magic[1] = 'X';
        Files.write(f, magic);
        assertIoError(f, () -> loadNpy(f), "bad magic");
        Files.write(f, ascii("PK\u0003\u0004 not an npy file"));
        assertIoError(f, () -> loadNpy(f), "bad magic");
        Files.write(f, new byte[0]);
        assertIoError(f, () -> loadNpy(f), "truncated header");

        // header length field lies: 65535 bytes claimed in a 128-byte file
        byte[] lying = good.clone();
        lying[8] = (byte) 0xff;
        lying[9] = (byte) 0xff;
        Files.write(f, lying);
        assertIoError(f, () -> loadNpy(f), "truncated header");
        // a version 2.0 header claiming 4 GB is refused before anything is allocated
        Files.write(f, concat(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}, le(4, 0xfffffff0L), ascii("{}")));
        assertIoError(f, () -> loadNpy(f), "header too long");
        // the shape claims 8 TB of data: refused against the file size, no OutOfMemoryError
        Files.write(f, concat(npyHeader1("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }"), le(8, 1)));
        assertIoError(f, () -> loadNpy(f), "truncated data", "expected 8000000000000 bytes got 8");
        Files.write(f, concat(npyHeader1("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }"), le(8, 1)));
        assertIoError(f, () -> loadNpy(f), "too large");

        Files.write(f, concat(npyHeader1("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"), le(8, 0)));
        assertIoError(f, () -> loadNpy(f), "unsupported dtype '<c8'");
        Files.write(f, concat(npyHeader1("{'descr': '<u2', 'fortran_order': False, 'shape': (1,), }"), le(2, 0)));
        assertIoError(f, () -> loadNpy(f), "unsupported dtype '<u2'");
        Files.write(f, concat(npyHeader1("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"), le(4, 0)));
        assertIoError(f, () -> loadNpy(f), "structured");
        Files.write(f, concat(npyHeader1("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, }"), le(4, 0)));
        assertIoError(f, () -> loadNpy(f), "malformed header at position");
        Files.write(f, concat(npyHeader1("{'descr': '<f4', 'shape': (1,), }"), le(4, 0)));
        assertIoError(f, () -> loadNpy(f), "missing key 'fortran_order'");
        Files.write(f, concat(npyHeader1("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"), le(4, 0)));
        assertIoError(f, () -> loadNpy(f), "bad dimension");
        byte[] v9 = good.clone();
        v9[6] = 9;
        Files.write(f, v9);
        assertIoError(f, () -> loadNpy(f), "unsupported npy format version 9.0");
    }

    @Test
    void corruptSafetensorsFilesGiveIoExceptionsNamingTheFile() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Files.write(f, safetensorsBytes(ok, le(4, f32(1), f32(2))));
        assertArrayEquals(new float[] {1, 2}, loadSafetensors(f).get("a").toFloatArray());

        Files.write(f, new byte[] {1, 2, 3});
        assertIoError(f, () -> loadSafetensors(f), "truncated header");
        Files.write(f, concat(le(8, 1L << 40), ascii("{}")));
        assertIoError(f, () -> loadSafetensors(f), "header too long");
        Files.write(f, concat(le(8, -1L), ascii("{}")));
        assertIoError(f, () -> loadSafetensors(f), "header too long");
        Files.write(f, concat(le(8, 1000), ascii(ok)));
        assertIoError(f, () -> loadSafetensors(f), "truncated header", "expected 1000 header bytes got " + ok.length());

        Files.write(f, safetensorsBytes("{\"a\":{\"dtype\":\"F32\" \"shape\":[2],\"data_offsets\":[0,8]}}", le(4, 0, 0)));
        assertIoError(f, () -> loadSafetensors(f), "JSON syntax error at position 20");
        Files.write(f, safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", le(4, 0, 0)));
        assertIoError(f, () -> loadSafetensors(f), "JSON syntax error at position");
        Files.write(f, safetensorsBytes("[1, 2]", new byte[0]));
        assertIoError(f, () -> loadSafetensors(f), "not a JSON object");
        Files.write(f, safetensorsBytes("[".repeat(10_000), new byte[0]));
        assertIoError(f, () -> loadSafetensors(f), "JSON syntax error", "nesting");
        Files.write(f, safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{}}", le(4, 0, 0)));
        assertIoError(f, () -> loadSafetensors(f), "duplicate key");

        Files.write(f, safetensorsBytes("{\"a\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[0,4]}}", le(2, 0, 0)));
        assertIoError(f, () -> loadSafetensors(f), "tensor 'a'", "unsupported dtype 'U16'");
        Files.write(f, safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", le(4, 0, 0)));
        assertIoError(f, () -> loadSafetensors(f), "tensor 'a'", "shape/offset mismatch", "needs 12 bytes", "span 8");
        // truncated data: the header points past the end of the file
        Files.write(f, safetensorsBytes(ok, le(4, f32(1))));
        assertIoError(f, () -> loadSafetensors(f), "tensor 'a'", "out of range", "data section has 4 bytes");
        Files.write(f, safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", le(4, 0, 0)));
        assertIoError(f, () -> loadSafetensors(f), "out of range");
        Files.write(f, safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[4,12]}}", le(4, 0, 0, 0)));
        assertIoError(f, () -> loadSafetensors(f), "overlapping data_offsets", "'a' [0, 8]", "'b' [4, 12]");
        Files.write(f, safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", le(4, 0, 0)));
        assertIoError(f, () -> loadSafetensors(f), "\"shape\" must be a list of non-negative integers");
        Files.write(f, safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", le(4, 0, 0)));
        assertIoError(f, () -> loadSafetensors(f), "\"data_offsets\" must be a list of 2");
        Files.write(f, safetensorsBytes("{\"__metadata__\":{\"n\":1}}", new byte[0]));
        assertIoError(f, () -> loadSafetensors(f), "__metadata__", "must be a string");
        Files.write(f, safetensorsBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[100000,100000,100000],\"data_offsets\":[0,8]}}", le(4, 0, 0)));
        assertIoError(f, () -> loadSafetensors(f), "shape/offset mismatch");
        byte[] badUtf8 = safetensorsBytes("{\"a\":1}", new byte[0]);
        badUtf8[10] = (byte) 0xff;
        Files.write(f, badUtf8);
        assertIoError(f, () -> loadSafetensors(f), "not valid UTF-8");
    }

    @Test
    void corruptNpzFilesGiveIoExceptionsNamingTheFile() throws IOException {
        Path f = dir.resolve("bad.npz");
        Files.write(f, ascii("this is not a zip archive at all"));
        assertIoError(f, () -> loadNpz(f), "not a valid zip archive");

        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("x.npy"));
            z.write(concat(npyHeader1("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"), le(4, f32(1), f32(2))));
            z.closeEntry();
        }
        assertIoError(f, () -> loadNpz(f), "entry 'x.npy'", "truncated data", "expected 16 bytes got 8");

        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("y.npy"));
            z.write(ascii("garbage"));
            z.closeEntry();
        }
        assertIoError(f, () -> loadNpz(f), "entry 'y.npy'", "bad magic");

        savez(f, Map.of("w", sample(DType.FLOAT32, 64)));
        byte[] good = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(good, good.length / 2));
        assertIoError(f, () -> loadNpz(f));
    }

    // ------------------------------------------------------------------ atomicity

    @Test
    void saveIntoMissingDirectoryLeavesNothing() throws IOException {
        Path missing = dir.resolve("no/such/dir/x.npy");
        assertIoError(missing, () -> save(missing, sample(DType.FLOAT32, 3)), "could not write");
        assertIoError(dir.resolve("nope/x.npz"), () -> savez(dir.resolve("nope/x.npz"), Map.of("a", sample(DType.INT8, 2))));
        assertIoError(dir.resolve("nope/x.safetensors"),
                () -> saveSafetensors(dir.resolve("nope/x.safetensors"), Map.of("a", sample(DType.INT8, 2))));
        assertEquals(List.of(), listDir(dir));
    }

    @Test
    void failingEvaluationLeavesExistingTargetUntouched() throws IOException {
        Path npy = dir.resolve("t.npy");
        Path npz = dir.resolve("t.npz");
        Path st = dir.resolve("t.safetensors");
        save(npy, sample(DType.INT32, 3));
        savez(npz, Map.of("a", sample(DType.INT32, 3)));
        saveSafetensors(st, Map.of("a", sample(DType.INT32, 3)));
        byte[] npyBefore = Files.readAllBytes(npy);
        byte[] npzBefore = Files.readAllBytes(npz);
        byte[] stBefore = Files.readAllBytes(st);
        List<String> before = listDir(dir);

        Map<String, Array> withFailure = new LinkedHashMap<>();
        withFailure.put("good", sample(DType.FLOAT32, 2));
        withFailure.put("bad", failing());
        assertThrows(UnsupportedOperationException.class, () -> save(npy, failing()));
        assertThrows(UnsupportedOperationException.class, () -> savez(npz, withFailure));
        assertThrows(UnsupportedOperationException.class, () -> savezCompressed(npz, withFailure));
        assertThrows(UnsupportedOperationException.class, () -> saveSafetensors(st, withFailure));

        assertArrayEquals(npyBefore, Files.readAllBytes(npy));
        assertArrayEquals(npzBefore, Files.readAllBytes(npz));
        assertArrayEquals(stBefore, Files.readAllBytes(st));
        assertEquals(before, listDir(dir));
    }

    @Test
    void failureWhileWritingRemovesTheTemporaryFile() throws IOException {
        Path target = dir.resolve("t.bin");
        Files.write(target, ascii("old"));
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(target, "test", ch -> {
            ByteIo.writeFully(ch, ByteBuffer.wrap(new byte[1000]));
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("disk full"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(target, "test", ch -> {
            ByteIo.writeFully(ch, ByteBuffer.wrap(new byte[1000]));
            throw new IllegalStateException("boom");
        }));
        assertArrayEquals(ascii("old"), Files.readAllBytes(target));
        assertEquals(List.of("t.bin"), listDir(dir));
        // and a successful write replaces the old contents
        AtomicFile.write(target, "test", ch -> ByteIo.writeFully(ch, ByteBuffer.wrap(ascii("new"))));
        assertArrayEquals(ascii("new"), Files.readAllBytes(target));
        assertEquals(List.of("t.bin"), listDir(dir));
    }

    @Test
    void overwritingReplacesTheTarget() throws IOException {
        Path f = dir.resolve("o.npy");
        save(f, sample(DType.FLOAT64, 100));
        save(f, sample(DType.INT8, 2));
        assertSameArray(sample(DType.INT8, 2), loadNpy(f));
        assertEquals(List.of("o.npy"), listDir(dir));
    }

    // ------------------------------------------------------------------ internals

    @Test
    void byteSwappingWriterPath() throws IOException {
        // the swapping path runs on big-endian machines; check it here on its own
        MemorySegment seg = MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteIo.chunks(seg, 4, true, b -> {
            byte[] tmp = new byte[b.remaining()];
            b.get(tmp);
            out.writeBytes(tmp);
        });
        assertArrayEquals(new byte[] {4, 3, 2, 1, 8, 7, 6, 5}, out.toByteArray());
        MemorySegment s2 = MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ByteIo.swapInPlace(s2, 8);
        assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, s2.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void jsonReaderAndWriter() throws Exception {
        Map<?, ?> v = (Map<?, ?>) Json.parse(" {\"a\": [1, -2, 3.5e2, true, false, null], \"s\": \"x\\u00e9\\n\\\"\", \"o\": {}} ");
        assertEquals(List.of("a", "s", "o"), new ArrayList<>(v.keySet()));
        assertEquals(List.of(1L, -2L, 350.0, true, false, Json.NULL), v.get("a"));
        assertEquals("x\u00e9\n\"", v.get("s"));
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("k", List.of(1L, 2L));
        w.put("s", "q\"\\\n\u0001");
        assertEquals("{\"k\":[1,2],\"s\":\"q\\\"\\\\\\n\\u0001\"}", Json.write(w));
        assertEquals(w, Json.parse(Json.write(w)));
        for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "01", "\"\u0001\"", "tru", "{} x", "\"\\q\"", "99999999999999999999"}) {
            assertThrows(Json.SyntaxError.class, () -> Json.parse(bad), bad);
        }
        Json.SyntaxError e = assertThrows(Json.SyntaxError.class, () -> Json.parse("[1, 2 3]"));
        assertEquals(6, e.position);
    }
}
