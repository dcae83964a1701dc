package org.mlx4j.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.memory.Buffer;

/**
 * Hugging Face's {@code .safetensors} format: an 8-byte little-endian header length, a UTF-8 JSON
 * header, then the raw little-endian data of every tensor.
 *
 * <p>The header maps each tensor name to {@code {"dtype": "F32", "shape": [2, 3], "data_offsets":
 * [begin, end]}} (offsets relative to the data section) and may hold {@code "__metadata__"}, a map
 * of strings to strings. dtypes: {@code BOOL, U8, U32, I8, I16, I32, I64, F16, BF16, F32, F64};
 * others (U16, U64, F8_*, complex, ...) are rejected with a clear error.
 *
 * <p>Writing keeps the caller's order in the header and lays out the data by element size, largest
 * first (like the reference implementation), so every tensor starts at a multiple of its element
 * size; the header is padded with spaces to a multiple of 8 bytes and the data is packed without
 * gaps, as the reference reader requires. Reading returns the tensors in header order and checks
 * the header completely (dtypes, shapes against byte ranges, ranges inside the file and not
 * overlapping) before allocating any tensor memory.
 */
public final class Safetensors {
    private Safetensors() {}

    /** The reference implementation's limit on the header size. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA = "__metadata__";

    /**
     * Writes {@code arrays} and {@code metadata} to {@code file} as {@code .safetensors},
     * atomically. All arrays are evaluated together first (one sync point).
     *
     * @param file     the target; replaced if it exists
     * @param arrays   name to array; the header lists them in iteration order
     * @param metadata strings stored under {@code "__metadata__"}; omitted when empty
     * @throws IllegalArgumentException on a null map, name, array, metadata key or value, or an
     *                                  array named {@code "__metadata__"}
     * @throws IOException              naming the file when it cannot be written; nothing is left behind then
     */
    public static void save(Path file, Map<String, Array> arrays, Map<String, String> metadata) throws IOException {
        String op = "saveSafetensors";
        if (file == null) throw new IllegalArgumentException("[" + op + "] the path is null.");
        HostData.checkArrays(op, arrays);
        if (metadata == null) throw new IllegalArgumentException("[" + op + "] the metadata map is null; pass an empty map.");
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("[" + op + "] metadata keys and values must not be null, got " + e.getKey() + " = " + e.getValue() + ".");
            }
        }
        if (arrays.containsKey(METADATA)) throw new IllegalArgumentException("[" + op + "] the name '" + METADATA + "' is reserved for metadata.");
        Map<String, Array> entries = new LinkedHashMap<>(arrays);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        HostData.evalAll(entries.values());

        // data layout: largest elements first (a stable sort keeps the caller's order within a size)
        List<Map.Entry<String, Array>> layout = new ArrayList<>(entries.entrySet());
        layout.sort(Comparator.comparingInt((Map.Entry<String, Array> e) -> e.getValue().dtype().size()).reversed());
        Map<String, long[]> offsets = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, Array> e : layout) {
            long end = offset + e.getValue().nbytes();
            offsets.put(e.getKey(), new long[] {offset, end});
            offset = end;
        }
        Map<String, Object> header = new LinkedHashMap<>();
        if (!meta.isEmpty()) header.put(METADATA, meta);
        for (Map.Entry<String, Array> e : entries.entrySet()) {
            Array a = e.getValue();
            List<Object> shape = new ArrayList<>();
            for (int d : a.shape().dims()) shape.add((long) d);
            long[] o = offsets.get(e.getKey());
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", code(a.dtype()));
            info.put("shape", shape);
            info.put("data_offsets", List.of(o[0], o[1]));
            header.put(e.getKey(), info);
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // data then starts 8-byte aligned
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        AtomicFile.write(file, "safetensors", ch -> {
            ByteIo.writeFully(ch, head);
            for (Map.Entry<String, Array> e : layout) {
                Array a = e.getValue();
                try (HostData.Dense d = HostData.dense(a)) {
                    ByteIo.littleEndianChunks(d.segment(), a.dtype().size(), b -> ByteIo.writeFully(ch, b));
                }
            }
        });
    }

    /** The safetensors dtype string of {@code t}. */
    static String code(DType t) {
        return switch (t) {
            case BOOL -> "BOOL";
            case UINT8 -> "U8";
            case UINT32 -> "U32";
            case INT8 -> "I8";
            case INT16 -> "I16";
            case INT32 -> "I32";
            case INT64 -> "I64";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
        };
    }

    private static DType fromCode(String code) {
        for (DType t : DType.values()) if (code(t).equals(code)) return t;
        return null;
    }

    /** One tensor's header entry, validated. */
    private record Spec(String name, DType dtype, Shape shape, long begin, long end) {}

    /**
     * Reads a {@code .safetensors} file.
     *
     * @param file the file
     * @return the arrays in header order (evaluated CPU arrays) and the metadata
     * @throws IOException naming the file and what is wrong when it cannot be read or is not valid:
     *                     header too long or truncated, JSON syntax error (with its position),
     *                     unknown dtype, shape/offset mismatch, overlapping or out-of-range
     *                     data_offsets, truncated data
     */
    public static SafetensorsFile load(Path file) throws IOException {
        if (file == null) throw new IllegalArgumentException("[loadSafetensors] the path is null.");
        String where = "[safetensors] " + file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) throw new IOException(where + ": truncated header: the file has " + fileSize + " bytes, fewer than the 8-byte header length");
            ByteBuffer lb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ByteIo.readFully(ch, lb, 0);
            long n = lb.getLong(0);
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw new IOException(where + ": header too long: " + Long.toUnsignedString(n) + " bytes (limit " + MAX_HEADER_BYTES + ")");
            }
            if (n > fileSize - 8) throw new IOException(where + ": truncated header: expected " + n + " header bytes got " + (fileSize - 8));
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            int got = ByteIo.readFully(ch, hb, 8);
            if (got < n) throw new IOException(where + ": truncated header: expected " + n + " header bytes got " + got);
            hb.flip();
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb).toString();
            } catch (CharacterCodingException e) {
                throw new IOException(where + ": header is not valid UTF-8", e);
            }
            Object parsed;
            try {
                parsed = Json.parse(text);
            } catch (Json.SyntaxError e) {
                throw new IOException(where + ": JSON syntax error at position " + e.position + ": " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> root)) throw new IOException(where + ": the header is not a JSON object");
            long dataStart = 8 + n;
            long dataLen = fileSize - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Spec> specs = new ArrayList<>();
            for (Map.Entry<?, ?> e : root.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals(METADATA)) metadata = metadata(e.getValue(), where);
                else specs.add(spec(name, e.getValue(), dataLen, where));
            }
            checkOverlap(specs, where);
            Map<String, Array> arrays = new LinkedHashMap<>();
            boolean ok = false;
            try {
                for (Spec s : specs) arrays.put(s.name(), readTensor(ch, s, dataStart, where));
                ok = true;
            } finally {
                if (!ok) for (Array a : arrays.values()) a.close();
            }
            return new SafetensorsFile(arrays, metadata);
        }
    }

    private static Map<String, String> metadata(Object v, String where) throws IOException {
        if (!(v instanceof Map<?, ?> m)) throw new IOException(where + ": " + METADATA + " must be a JSON object of strings");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new IOException(where + ": " + METADATA + " value of '" + e.getKey() + "' must be a string, got " + e.getValue());
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Spec spec(String name, Object v, long dataLen, String where) throws IOException {
        String what = where + ": tensor '" + name + "'";
        if (!(v instanceof Map<?, ?> info)) throw new IOException(what + ": entry must be a JSON object");
        Object dt = info.get("dtype");
        if (!(dt instanceof String code)) throw new IOException(what + ": missing or non-string \"dtype\"");
        DType dtype = fromCode(code);
        if (dtype == null) {
            throw new IOException(what + ": unknown or unsupported dtype '" + code
                    + "' (supported: BOOL, U8, U32, I8, I16, I32, I64, F16, BF16, F32, F64)");
        }
        long[] dimsL = integers(info.get("shape"), -1, what, "shape");
        int[] dims = new int[dimsL.length];
        for (int i = 0; i < dims.length; i++) {
            if (dimsL[i] > Integer.MAX_VALUE) throw new IOException(what + ": dimension " + dimsL[i] + " in \"shape\" is too large");
            dims[i] = (int) dimsL[i];
        }
        long[] off = integers(info.get("data_offsets"), 2, what, "data_offsets");
        Shape shape = new Shape(dims);
        if (off[0] > off[1] || off[1] > dataLen) {
            throw new IOException(what + ": data_offsets [" + off[0] + ", " + off[1] + "] out of range: the data section has " + dataLen + " bytes");
        }
        if (!Npy.fitsInBytes(dims)) throw new IOException(what + ": shape " + shape + " is too large");
        long need = shape.size() * dtype.size();
        if (off[1] - off[0] != need) {
            throw new IOException(what + ": shape/offset mismatch: shape " + shape + " of " + code + " needs " + need
                    + " bytes but data_offsets [" + off[0] + ", " + off[1] + "] span " + (off[1] - off[0]));
        }
        return new Spec(name, dtype, shape, off[0], off[1]);
    }

    /** A JSON list of non-negative integers (of length {@code len} unless it is -1). */
    private static long[] integers(Object v, int len, String what, String key) throws IOException {
        if (!(v instanceof List<?> l) || (len >= 0 && l.size() != len)) {
            throw new IOException(what + ": \"" + key + "\" must be a list of " + (len >= 0 ? len + " " : "") + "non-negative integers, got " + Json.write(safe(v)));
        }
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            if (!(l.get(i) instanceof Long x) || x < 0) {
                throw new IOException(what + ": \"" + key + "\" must be a list of non-negative integers, got " + Json.write(safe(v)));
            }
            r[i] = x;
        }
        return r;
    }

    /** A value Json.write can print (doubles and nested maps become text). */
    private static Object safe(Object v) {
        if (v == null) return "missing";
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(o instanceof Long ? o : String.valueOf(o));
            return out;
        }
        return v instanceof Long || v instanceof String ? v : String.valueOf(v);
    }

    private static void checkOverlap(List<Spec> specs, String where) throws IOException {
        List<Spec> byStart = new ArrayList<>();
        for (Spec s : specs) if (s.end() > s.begin()) byStart.add(s); // empty tensors occupy no bytes
        byStart.sort(Comparator.comparingLong(Spec::begin));
        for (int i = 1; i < byStart.size(); i++) {
            Spec a = byStart.get(i - 1);
            Spec b = byStart.get(i);
            if (b.begin() < a.end()) {
                throw new IOException(where + ": overlapping data_offsets: tensor '" + a.name() + "' [" + a.begin() + ", " + a.end()
                        + "] and tensor '" + b.name() + "' [" + b.begin() + ", " + b.end() + "]");
            }
        }
    }

    private static Array readTensor(FileChannel ch, Spec s, long dataStart, String where) throws IOException {
        long need = s.end() - s.begin();
        Buffer buf = HostData.allocate(need);
        try {
            long got = ByteIo.readInto(ch, buf.segment(), dataStart + s.begin());
            if (got < need) throw new IOException(where + ": tensor '" + s.name() + "': truncated data: expected " + need + " bytes got " + got);
            int es = s.dtype().size();
            if (ByteIo.needsSwap(ByteOrder.LITTLE_ENDIAN, es)) ByteIo.swapInPlace(buf.segment(), es);
            if (s.dtype() == DType.BOOL) ByteIo.normalizeBool(buf.segment());
            return HostData.rowMajor(buf, s.shape(), s.dtype());
        } catch (IOException | RuntimeException | Error e) {
            buf.release();
            throw e;
        }
    }
}
