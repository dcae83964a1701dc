package org.mlx4j.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.memory.Buffer;

/**
 * NumPy's {@code .npy} format: one array per file.
 *
 * <p>Writing produces exactly what {@code numpy.save} writes for the same array: format version
 * 1.0 (2.0 only if the header would not fit 1.0), the header dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} with NumPy's spare space for
 * growing the first axis, padded with spaces and a newline so the data starts at a multiple of 64
 * bytes, then the elements little-endian in row-major order.
 *
 * <p>Reading accepts versions 1.0, 2.0 and 3.0, little- and big-endian data ({@code '>f4'} is
 * converted on load) and {@code fortran_order: True} files (returned as a column-major view of the
 * same shape, as NumPy does, without a copy).
 *
 * <p>dtypes and their descriptors: bool {@code '|b1'}, uint8 {@code '|u1'}, uint32 {@code '<u4'},
 * int8 {@code '|i1'}, int16 {@code '<i2'}, int32 {@code '<i4'}, int64 {@code '<i8'}, float16
 * {@code '<f2'}, float32 {@code '<f4'}, float64 {@code '<f8'}. NumPy has no bfloat16; we write it as
 * {@code '<V2'}, which is what NumPy writes for the {@code ml_dtypes.bfloat16} type, and read
 * {@code '<V2'} back as bfloat16. (Plain NumPy loads such a file as 2-byte void records;
 * {@code arr.view(ml_dtypes.bfloat16)} recovers the values.)
 */
public final class Npy {
    private Npy() {}

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy aligns the data to 64 bytes. */
    private static final int ALIGN = 64;
    /** NumPy leaves room for this many digits of the growth axis. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** Headers above this are rejected before anything is allocated (NumPy's own default limit is 10,000). */
    static final int MAX_HEADER_BYTES = 1 << 20;

    /**
     * Writes {@code a} to {@code file} as {@code .npy}, atomically. Strided views are written in
     * row-major order; lazy arrays are evaluated first (a sync point).
     *
     * @param file the target; replaced if it exists (the extension is not checked here)
     * @param a    the array, of any dtype and shape
     * @throws IOException naming the file when it cannot be written; nothing is left behind then
     */
    public static void save(Path file, Array a) throws IOException {
        if (file == null) throw new IllegalArgumentException("[save] the path is null.");
        if (a == null) throw new IllegalArgumentException("[save] the array is null.");
        HostData.evalAll(List.of(a));
        byte[] header = header(a.dtype(), a.shape().dims());
        AtomicFile.write(file, "npy", ch -> {
            ByteIo.writeFully(ch, ByteBuffer.wrap(header));
            try (HostData.Dense d = HostData.dense(a)) {
                ByteIo.littleEndianChunks(d.segment(), a.dtype().size(), b -> ByteIo.writeFully(ch, b));
            }
        });
    }

    /**
     * Reads an {@code .npy} file.
     *
     * @param file the file
     * @return an evaluated CPU array
     * @throws IOException naming the file when it cannot be read or is not a valid {@code .npy}
     *                     file of a supported dtype (bad magic, header too long or malformed,
     *                     truncated data, unknown dtype)
     */
    public static Array load(Path file) throws IOException {
        if (file == null) throw new IllegalArgumentException("[load] the path is null.");
        String where = "[npy] " + file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, ch.size(), where);
        }
    }

    // ------------------------------------------------------------------ header writing

    /** NumPy's descriptor string for {@code t}. */
    static String descr(DType t) {
        return switch (t) {
            case BOOL -> "|b1";
            case UINT8 -> "|u1";
            case UINT32 -> "<u4";
            case INT8 -> "|i1";
            case INT16 -> "<i2";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case FLOAT16 -> "<f2";
            case BFLOAT16 -> "<V2";
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
        };
    }

    /** Python's repr of a shape tuple: {@code ()}, {@code (5,)}, {@code (2, 3)} (what {@link Shape#toString} prints). */
    static String tupleRepr(int[] dims) { return new Shape(dims).toString(); }

    /** The complete header (magic, version, length, dict, padding, newline) NumPy writes for a C-order array. */
    static byte[] header(DType t, int[] dims) {
        StringBuilder dict = new StringBuilder()
                .append("{'descr': '").append(descr(t)).append("', 'fortran_order': False, 'shape': ")
                .append(tupleRepr(dims)).append(", }");
        if (dims.length > 0) dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(dims[0]).length()));
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int hlen = text.length + 1; // the final newline
        int major = 1;
        int prefix = MAGIC.length + 2 + 2;
        int pad = ALIGN - (prefix + hlen) % ALIGN;
        if (hlen + pad > 0xffff) { // does not fit version 1.0's 16-bit length
            major = 2;
            prefix = MAGIC.length + 2 + 4;
            pad = ALIGN - (prefix + hlen) % ALIGN;
        }
        ByteBuffer b = ByteBuffer.allocate(prefix + hlen + pad).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) b.putShort((short) (hlen + pad));
        else b.putInt(hlen + pad);
        b.put(text);
        for (int i = 0; i < pad; i++) b.put((byte) ' ');
        b.put((byte) '\n');
        return b.array();
    }

    // ------------------------------------------------------------------ reading

    /** A parsed header: the dtype, the byte order of the data, the shape and the layout. */
    record Header(DType dtype, ByteOrder order, Shape shape, boolean fortranOrder, long headerBytes) {
        /** Bytes of element data that follow the header. */
        long dataBytes() { return shape.size() * dtype.size(); }
    }

    /**
     * Reads one {@code .npy} stream (a file, or an npz entry).
     *
     * @param ch        positioned at the magic string
     * @param available bytes the source holds from here (the file size, or an entry's declared
     *                  size), checked against the header before anything is allocated
     * @param where     prefix for error messages, naming the file (and entry)
     */
    static Array read(ReadableByteChannel ch, long available, String where) throws IOException {
        Header h = readHeader(ch, available, where);
        long need = h.dataBytes();
        long have = available - h.headerBytes();
        if (have < need) throw new IOException(where + ": truncated data: expected " + need + " bytes got " + Math.max(have, 0));
        Buffer buf = HostData.allocate(need);
        try {
            long got = ByteIo.readInto(ch, buf.segment());
            if (got < need) throw new IOException(where + ": truncated data: expected " + need + " bytes got " + got);
            if (ByteIo.needsSwap(h.order(), h.dtype().size())) ByteIo.swapInPlace(buf.segment(), h.dtype().size());
            if (h.dtype() == DType.BOOL) ByteIo.normalizeBool(buf.segment());
            return h.fortranOrder() ? HostData.columnMajor(buf, h.shape(), h.dtype()) : HostData.rowMajor(buf, h.shape(), h.dtype());
        } catch (IOException | RuntimeException | Error e) {
            buf.release();
            throw e;
        }
    }

    /** Reads and validates the header; the channel is left at the first data byte. */
    static Header readHeader(ReadableByteChannel ch, long available, String where) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(MAGIC.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        int got = ByteIo.readFully(ch, pre);
        byte[] p = pre.array();
        for (int i = 0; i < Math.min(got, MAGIC.length); i++) {
            if (p[i] != MAGIC[i]) throw new IOException(where + ": bad magic: expected \\x93NUMPY, got " + escape(p, Math.min(got, MAGIC.length)));
        }
        if (got < pre.capacity()) throw new IOException(where + ": truncated header: the file ends after " + got + " bytes");
        int major = p[6] & 0xff;
        int minor = p[7] & 0xff;
        int lenBytes;
        if (major == 1 && minor == 0) lenBytes = 2;
        else if ((major == 2 || major == 3) && minor == 0) lenBytes = 4;
        else throw new IOException(where + ": unsupported npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
        ByteBuffer lb = ByteBuffer.allocate(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (ByteIo.readFully(ch, lb) < lenBytes) throw new IOException(where + ": truncated header: the file ends inside the header length");
        lb.flip();
        long hlen = lenBytes == 2 ? lb.getShort() & 0xffffL : lb.getInt() & 0xffffffffL;
        long prefix = MAGIC.length + 2 + lenBytes;
        if (hlen > MAX_HEADER_BYTES) throw new IOException(where + ": header too long: " + hlen + " bytes (limit " + MAX_HEADER_BYTES + ")");
        if (hlen > available - prefix) {
            throw new IOException(where + ": truncated header: expected " + hlen + " header bytes got " + Math.max(0, available - prefix));
        }
        ByteBuffer hb = ByteBuffer.allocate((int) hlen);
        int hgot = ByteIo.readFully(ch, hb);
        if (hgot < hlen) throw new IOException(where + ": truncated header: expected " + hlen + " header bytes got " + hgot);
        String text;
        hb.flip();
        if (major == 3) {
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb).toString();
            } catch (CharacterCodingException e) {
                throw new IOException(where + ": header is not valid UTF-8", e);
            }
        } else {
            text = StandardCharsets.ISO_8859_1.decode(hb).toString();
        }
        return parseHeader(text, prefix + hlen, where);
    }

    private static Header parseHeader(String text, long headerBytes, String where) throws IOException {
        Object parsed;
        try {
            parsed = PyLiteral.parse(text);
        } catch (PyLiteral.SyntaxError e) {
            throw new IOException(where + ": malformed header at position " + e.position + ": " + e.getMessage() + " in " + quote(text));
        }
        if (!(parsed instanceof Map<?, ?> d)) throw new IOException(where + ": malformed header: not a dict: " + quote(text));
        for (String k : new String[] {"descr", "fortran_order", "shape"}) {
            if (!d.containsKey(k)) throw new IOException(where + ": malformed header: missing key '" + k + "' in " + quote(text));
        }
        if (d.size() != 3) throw new IOException(where + ": malformed header: unexpected keys in " + quote(text));
        Object descr = d.get("descr");
        if (!(descr instanceof String ds)) {
            throw new IOException(where + ": unsupported dtype: structured dtypes are not supported (descr " + repr(descr) + ")");
        }
        Object fo = d.get("fortran_order");
        if (!(fo instanceof Boolean fortran)) throw new IOException(where + ": malformed header: fortran_order must be True or False, got " + repr(fo));
        Object sh = d.get("shape");
        if (!(sh instanceof PyLiteral.Tuple t)) throw new IOException(where + ": malformed header: shape must be a tuple, got " + repr(sh));
        int[] dims = new int[t.items().size()];
        for (int i = 0; i < dims.length; i++) {
            Object v = t.items().get(i);
            if (!(v instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                throw new IOException(where + ": malformed header: bad dimension " + repr(v) + " in shape " + repr(sh));
            }
            dims[i] = (int) (long) l;
        }
        DType dtype;
        ByteOrder order;
        char o = ds.isEmpty() ? '?' : ds.charAt(0);
        String code = ds.length() > 1 ? ds.substring(1) : ds;
        dtype = switch (code) {
            case "b1" -> DType.BOOL;
            case "u1" -> DType.UINT8;
            case "u4" -> DType.UINT32;
            case "i1" -> DType.INT8;
            case "i2" -> DType.INT16;
            case "i4" -> DType.INT32;
            case "i8" -> DType.INT64;
            case "f2" -> DType.FLOAT16;
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            case "V2" -> o == '<' ? DType.BFLOAT16 : null;
            default -> null;
        };
        if (dtype != null && dtype.size() == 1 && "<>|=".indexOf(o) >= 0) order = ByteOrder.LITTLE_ENDIAN;
        else if (dtype != null && o == '<') order = ByteOrder.LITTLE_ENDIAN;
        else if (dtype != null && o == '>') order = ByteOrder.BIG_ENDIAN;
        else if (dtype != null && o == '=') order = ByteOrder.nativeOrder();
        else order = null;
        if (dtype == null || order == null) {
            throw new IOException(where + ": unsupported dtype '" + ds + "' (supported: b1, u1, u4, i1, i2, i4, i8, f2, f4, f8 "
                    + "with '<' or '>' byte order, and '<V2' read as bfloat16)");
        }
        if (!fitsInBytes(dims)) throw new IOException(where + ": shape " + repr(sh) + " is too large");
        return new Header(dtype, order, new Shape(dims), fortran && dims.length > 1, headerBytes);
    }

    /** True when the element count times 8 bytes fits a long (any zero axis makes the array empty). */
    static boolean fitsInBytes(int[] dims) {
        long size = 1;
        for (int d : dims) if (d == 0) return true;
        for (int d : dims) {
            if (size > Long.MAX_VALUE / 8 / d) return false;
            size *= d;
        }
        return true;
    }

    private static String repr(Object o) {
        if (o instanceof PyLiteral.Tuple t) {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < t.items().size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(repr(t.items().get(i)));
            }
            if (t.items().size() == 1) sb.append(',');
            return sb.append(')').toString();
        }
        if (o instanceof String s) return "'" + s + "'";
        return String.valueOf(o);
    }

    private static String quote(String text) {
        String t = text.strip();
        return "\"" + (t.length() > 200 ? t.substring(0, 200) + "..." : t) + "\"";
    }

    private static String escape(byte[] b, int n) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
        }
        return sb.append("'").toString();
    }
}
