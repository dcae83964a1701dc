package org.mlx4j.core.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Moves bytes between channels and off-heap segments in bounded chunks, swapping element byte
 * order where the file's order differs from the machine's. Nothing here builds a byte[] the size
 * of an array.
 */
final class ByteIo {
    private ByteIo() {}

    /** Bytes per transfer: large enough for full disk bandwidth, small enough for any ByteBuffer. */
    static final int CHUNK = 1 << 24;
    /** Bytes per transfer when elements must be byte-swapped through a heap scratch buffer. */
    private static final int SWAP_CHUNK = 1 << 20;

    /** Receives consecutive chunks of a byte stream. */
    interface ChunkSink {
        /** Consumes all remaining bytes of {@code chunk}. */
        void accept(ByteBuffer chunk) throws IOException;
    }

    /** True when elements of {@code elemSize} bytes stored in {@code order} need swapping on this machine. */
    static boolean needsSwap(ByteOrder order, int elemSize) {
        return elemSize > 1 && order != ByteOrder.nativeOrder();
    }

    /**
     * Reads up to {@code dst.remaining()} bytes, stopping early only at the end of the stream.
     *
     * @return the bytes read
     */
    static int readFully(ReadableByteChannel ch, ByteBuffer dst) throws IOException {
        int n = 0;
        while (dst.hasRemaining()) {
            int r = ch.read(dst);
            if (r < 0) break;
            n += r;
        }
        return n;
    }

    /** Like {@link #readFully(ReadableByteChannel, ByteBuffer)}, from an absolute file position. */
    static int readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        int n = 0;
        while (dst.hasRemaining()) {
            int r = ch.read(dst, position + n);
            if (r < 0) break;
            n += r;
        }
        return n;
    }

    /**
     * Fills {@code seg} from the channel.
     *
     * @return the bytes read; fewer than {@code seg.byteSize()} means the stream ended
     */
    static long readInto(ReadableByteChannel ch, MemorySegment seg) throws IOException {
        long size = seg.byteSize();
        long total = 0;
        while (total < size) {
            int len = (int) Math.min(CHUNK, size - total);
            int r = readFully(ch, seg.asSlice(total, len).asByteBuffer());
            total += r;
            if (r < len) break;
        }
        return total;
    }

    /** Fills {@code seg} from the file starting at {@code position}; returns the bytes read. */
    static long readInto(FileChannel ch, MemorySegment seg, long position) throws IOException {
        long size = seg.byteSize();
        long total = 0;
        while (total < size) {
            int len = (int) Math.min(CHUNK, size - total);
            int r = readFully(ch, seg.asSlice(total, len).asByteBuffer(), position + total);
            total += r;
            if (r < len) break;
        }
        return total;
    }

    /** Writes all of {@code src}. */
    static void writeFully(WritableByteChannel ch, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) ch.write(src);
    }

    /**
     * Hands the elements of {@code seg} to {@code sink} in little-endian byte order, chunk by chunk:
     * straight from the segment on little-endian machines, through a small swapped scratch buffer
     * otherwise.
     */
    static void littleEndianChunks(MemorySegment seg, int elemSize, ChunkSink sink) throws IOException {
        chunks(seg, elemSize, needsSwap(ByteOrder.LITTLE_ENDIAN, elemSize), sink);
    }

    /** Hands {@code seg} to {@code sink} in chunks, byte-swapping each element when {@code swap}. */
    static void chunks(MemorySegment seg, int elemSize, boolean swap, ChunkSink sink) throws IOException {
        long size = seg.byteSize();
        if (!swap) {
            for (long off = 0; off < size; off += CHUNK) {
                sink.accept(seg.asSlice(off, Math.min(CHUNK, size - off)).asByteBuffer());
            }
            return;
        }
        byte[] scratch = new byte[SWAP_CHUNK]; // a multiple of every element size
        MemorySegment tmp = MemorySegment.ofArray(scratch);
        for (long off = 0; off < size; off += SWAP_CHUNK) {
            int len = (int) Math.min(SWAP_CHUNK, size - off);
            MemorySegment.copy(seg, off, tmp, 0, len);
            swapInPlace(tmp.asSlice(0, len), elemSize);
            sink.accept(ByteBuffer.wrap(scratch, 0, len));
        }
    }

    /** Reverses the bytes of every {@code elemSize}-byte element of {@code seg}. */
    static void swapInPlace(MemorySegment seg, int elemSize) {
        long n = seg.byteSize() / elemSize;
        switch (elemSize) {
            case 1 -> { }
            case 2 -> {
                for (long i = 0; i < n; i++) {
                    short v = seg.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i);
                    seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Short.reverseBytes(v));
                }
            }
            case 4 -> {
                for (long i = 0; i < n; i++) {
                    int v = seg.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i);
                    seg.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, Integer.reverseBytes(v));
                }
            }
            case 8 -> {
                for (long i = 0; i < n; i++) {
                    long v = seg.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
                    seg.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i, Long.reverseBytes(v));
                }
            }
            default -> throw new IllegalArgumentException("[swap] unsupported element size " + elemSize);
        }
    }

    /** Maps every nonzero byte to 1, so bool arrays from foreign writers hold only 0 and 1. */
    static void normalizeBool(MemorySegment seg) {
        for (long i = 0, n = seg.byteSize(); i < n; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, i) != 0) seg.set(ValueLayout.JAVA_BYTE, i, (byte) 1);
        }
    }
}
