package org.mlx4j.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.mlx4j.core.Array;

/**
 * NumPy's {@code .npz} format: a zip archive with one {@code .npy} entry per array, named
 * {@code "<name>.npy"}, as {@code numpy.savez} and {@code numpy.savez_compressed} write it.
 *
 * <p>Entries are written in the map's iteration order, stored ({@link #save} with
 * {@code compressed = false}) or deflated, with a fixed timestamp (1980-01-01) so the same arrays
 * always give the same bytes. Reading returns the arrays in the archive's order, with the
 * {@code .npy} suffix removed from the names.
 */
public final class Npz {
    private Npz() {}

    /** Entries are stamped with the zip epoch, so saving the same arrays twice gives the same file. */
    private static final LocalDateTime ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);
    /** Deflate cannot expand data by more than about 1032:1; a larger claimed ratio is a lie. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int STREAM_CHUNK = 1 << 20;

    /**
     * Writes {@code arrays} to {@code file} as {@code .npz}, atomically. All arrays are evaluated
     * together first (one sync point).
     *
     * @param file       the target; replaced if it exists
     * @param arrays     name to array, written in iteration order as entries {@code "name.npy"}
     * @param compressed deflate the entries ({@code savez_compressed}) or store them ({@code savez})
     * @throws IllegalArgumentException on a null map, name or array
     * @throws IOException              naming the file when it cannot be written; nothing is left behind then
     */
    public static void save(Path file, Map<String, Array> arrays, boolean compressed) throws IOException {
        String op = compressed ? "savezCompressed" : "savez";
        if (file == null) throw new IllegalArgumentException("[" + op + "] the path is null.");
        HostData.checkArrays(op, arrays);
        Map<String, Array> entries = new LinkedHashMap<>(arrays); // a stable snapshot of the caller's map
        HostData.evalAll(entries.values());
        AtomicFile.write(file, "npz", ch -> {
            // ZipOutputStream.close() would close the channel before AtomicFile forces it: finish() instead
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            byte[] scratch = new byte[STREAM_CHUNK];
            for (Map.Entry<String, Array> e : entries.entrySet()) {
                writeEntry(zip, e.getKey() + ".npy", e.getValue(), compressed, scratch);
            }
            zip.finish();
            out.flush();
        });
    }

    private static void writeEntry(ZipOutputStream zip, String name, Array a, boolean compressed, byte[] scratch) throws IOException {
        byte[] header = Npy.header(a.dtype(), a.shape().dims());
        int es = a.dtype().size();
        try (HostData.Dense d = HostData.dense(a)) {
            ZipEntry entry = new ZipEntry(name);
            entry.setTimeLocal(ZIP_EPOCH);
            if (compressed) {
                entry.setMethod(ZipEntry.DEFLATED);
            } else {
                // stored entries need their size and CRC before the data: one extra pass over memory
                long size = header.length + d.segment().byteSize();
                CRC32 crc = new CRC32();
                crc.update(header);
                ByteIo.littleEndianChunks(d.segment(), es, crc::update);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(size);
                entry.setCompressedSize(size);
                entry.setCrc(crc.getValue());
            }
            zip.putNextEntry(entry);
            zip.write(header);
            ByteIo.littleEndianChunks(d.segment(), es, b -> write(zip, b, scratch));
            zip.closeEntry();
        }
    }

    /**
     * Reads an {@code .npz} file.
     *
     * @param file the file
     * @return name to array in the archive's order (names without the {@code .npy} suffix); a new
     *         map owned by the caller; the arrays are evaluated CPU arrays
     * @throws IOException naming the file (and entry) when it is not a valid zip archive or an entry
     *                     is not a valid {@code .npy} stream of a supported dtype
     */
    public static Map<String, Array> load(Path file) throws IOException {
        if (file == null) throw new IllegalArgumentException("[loadNpz] the path is null.");
        String where = "[npz] " + file;
        Map<String, Array> out = new LinkedHashMap<>();
        boolean ok = false;
        ZipFile zf;
        try {
            zf = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IOException(where + ": not a valid zip archive: " + e.getMessage(), e);
        }
        try (zf) {
            Enumeration<? extends ZipEntry> en = zf.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory()) continue;
                String entryWhere = where + ", entry '" + e.getName() + "'";
                String key = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                if (out.containsKey(key)) throw new IOException(entryWhere + ": duplicate array name '" + key + "'");
                long declared = e.getSize();
                long packed = e.getCompressedSize();
                if (declared < 0 || packed < 0) throw new IOException(entryWhere + ": unknown entry size");
                if (e.getMethod() == ZipEntry.STORED ? declared != packed : declared > packed * MAX_DEFLATE_RATIO + 1024) {
                    throw new IOException(entryWhere + ": entry claims " + declared + " bytes from " + packed + " stored bytes");
                }
                try (InputStream in = zf.getInputStream(e)) {
                    out.put(key, Npy.read(Channels.newChannel(in), declared, entryWhere));
                } catch (ZipException ze) {
                    throw new IOException(entryWhere + ": corrupt zip entry: " + ze.getMessage(), ze);
                }
            }
            ok = true;
            return out;
        } finally {
            if (!ok) for (Array a : out.values()) a.close();
        }
    }

    /** Copies a (possibly off-heap) chunk to a stream through a bounded scratch array. */
    private static void write(OutputStream os, ByteBuffer b, byte[] scratch) throws IOException {
        while (b.hasRemaining()) {
            int n = Math.min(b.remaining(), scratch.length);
            b.get(scratch, 0, n);
            os.write(scratch, 0, n);
        }
    }
}
