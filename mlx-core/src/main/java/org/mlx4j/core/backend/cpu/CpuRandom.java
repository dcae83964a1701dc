package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.RandomBits;
import org.mlx4j.core.primitive.Shuffle;

/**
 * CPU kernels of the random family: Threefry-2x32 bits ({@link RandomBits}) and the keyed
 * permutation ({@link Shuffle}). Every output element is a pure function of its key and position,
 * so results do not depend on how {@link Parallel} splits the work.
 */
public final class CpuRandom {
    private CpuRandom() {}

    /** Rotation constants of Threefry-2x32 (Random123's R_32x2), four per round group. */
    private static final int[][] ROTATIONS = {{13, 15, 26, 6}, {17, 29, 16, 24}};

    /** Skein's key schedule parity constant. */
    private static final int PARITY = 0x1BD11BDA;

    /** Hashes per parallel chunk: about a microsecond each, so chunks of ~4k amortize the fork. */
    private static final long GRAIN = 4096;

    static void register(CpuBackend.Registry r) {
        r.put(RandomBits.class, CpuRandom::bits);
        r.put(Shuffle.class, CpuRandom::shuffle);
    }

    /**
     * Threefry-2x32 with 20 rounds (Salmon et al., Random123): the block cipher of the counter
     * {@code (c0, c1)} under the key {@code (k0, k1)}.
     *
     * @return the two output words, the first in the low 32 bits and the second in the high 32 bits
     */
    public static long threefry2x32(int k0, int k1, int c0, int c1) {
        // the key schedule (k0, k1, k0 ^ k1 ^ parity) rotates by one word at each injection
        int a = k0, b = k1, c = k0 ^ k1 ^ PARITY;
        int x0 = c0 + a, x1 = c1 + b;
        for (int i = 0; i < 5; i++) {
            int[] rot = ROTATIONS[i & 1];
            for (int j = 0; j < 4; j++) {
                x0 += x1;
                x1 = Integer.rotateLeft(x1, rot[j]);
                x1 ^= x0;
            }
            // key injection after every 4 rounds, with the injection count added to the second word
            x0 += b;
            x1 += c + i + 1;
            int t = a;
            a = b;
            b = c;
            c = t;
        }
        return (x0 & 0xffffffffL) | ((long) x1 << 32);
    }

    // ------------------------------------------------------------------ bits

    static void bits(Array node) {
        RandomBits p = (RandomBits) node.primitive();
        Array keys = node.input(0);
        ArrayData kd = CpuElementwise.dense(keys);
        MemorySegment ks = kd.buffer().hostSegment();
        long kOff = kd.offset();
        long numKeys = keys.size() / 2;
        Buffer ob = CpuElementwise.alloc(node);
        MemorySegment os = ob.segment();
        if (numKeys > 0 && node.size() > 0) {
            int width = p.width();
            long elemsPerKey = node.size() / numKeys;
            long bytesPerKey = elemsPerKey * width;
            long words = (bytesPerKey + 3) / 4;
            long half = words / 2;
            int odd = (int) (words & 1);
            long perKey = half + odd;
            Parallel.forRange(numKeys * perKey, GRAIN, (start, end) -> {
                for (long t = start; t < end; t++) {
                    long key = t / perKey, c = t % perKey;
                    int k0 = ks.getAtIndex(Elem.I32, kOff + 2 * key), k1 = ks.getAtIndex(Elem.I32, kOff + 2 * key + 1);
                    if (c < half) {
                        long h = threefry2x32(k0, k1, (int) c, (int) (c + half + odd));
                        emit(os, width, key, elemsPerKey, bytesPerKey, c, (int) h);
                        emit(os, width, key, elemsPerKey, bytesPerKey, c + half + odd, (int) (h >>> 32));
                    } else {
                        // the middle word of an odd count: counter (half, 0), first output word
                        emit(os, width, key, elemsPerKey, bytesPerKey, half, (int) threefry2x32(k0, k1, (int) half, 0));
                    }
                }
            });
        }
        if (kd != keys.data()) kd.buffer().release();
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    /** Stores 32-bit word {@code w} of key {@code key}'s little-endian byte stream, cut at the key's end. */
    private static void emit(MemorySegment os, int width, long key, long elemsPerKey, long bytesPerKey, long w, int v) {
        switch (width) {
            case 4 -> os.setAtIndex(Elem.I32, key * elemsPerKey + w, v);
            case 2 -> {
                // uint16 elements widened to int32: low half first (little-endian)
                for (int j = 0; j < 2 && 2 * w + j < elemsPerKey; j++) {
                    os.setAtIndex(Elem.I32, key * elemsPerKey + 2 * w + j, (v >>> (16 * j)) & 0xffff);
                }
            }
            default -> {
                for (int j = 0; j < 4 && 4 * w + j < bytesPerKey; j++) {
                    os.set(ValueLayout.JAVA_BYTE, key * bytesPerKey + 4 * w + j, (byte) (v >>> (8 * j)));
                }
            }
        }
    }

    // ------------------------------------------------------------------ shuffle

    /** The stable argsort of uint32 keys: sort (key, index) pairs packed into longs. */
    static int[] argsortUint32(Array sortKeys) {
        ArrayData kd = CpuElementwise.dense(sortKeys);
        MemorySegment ks = kd.buffer().hostSegment();
        int n = (int) sortKeys.size();
        long[] packed = new long[n];
        // the sign flip makes signed long order the unsigned key order; the index in the low bits
        // breaks ties, so this equals a stable sort by key
        for (int i = 0; i < n; i++) packed[i] = ((ks.getAtIndex(Elem.I32, kd.offset() + i) & 0xffffffffL) << 32 | i) ^ Long.MIN_VALUE;
        if (kd != sortKeys.data()) kd.buffer().release();
        Arrays.sort(packed);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = (int) packed[i];
        return perm;
    }

    static void shuffle(Array node) {
        Shuffle p = (Shuffle) node.primitive();
        Array x = node.input(1);
        int[] perm = argsortUint32(node.input(0));
        int n = perm.length;
        int[] dims = x.shape().dims();
        long outer = 1, inner = 1;
        for (int i = 0; i < p.axis(); i++) outer *= dims[i];
        for (int i = p.axis() + 1; i < dims.length; i++) inner *= dims[i];
        long rowBytes = inner * x.dtype().size();
        ArrayData xd = CpuElementwise.dense(x);
        MemorySegment xs = xd.buffer().hostSegment();
        long base = xd.offset() * x.dtype().size();
        Buffer ob = CpuElementwise.alloc(node);
        MemorySegment os = ob.segment();
        boolean inverse = p.inverse();
        Parallel.forRange(outer * n, Math.max(1, (1L << 16) / Math.max(1, rowBytes)), (start, end) -> {
            for (long t = start; t < end; t++) {
                long o = t / n;
                int i = (int) (t % n);
                long src = inverse ? i : perm[i], dst = inverse ? perm[i] : i;
                MemorySegment.copy(xs, base + (o * n + src) * rowBytes, os, (o * n + dst) * rowBytes, rowBytes);
            }
        });
        if (xd != x.data()) xd.buffer().release();
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }
}
