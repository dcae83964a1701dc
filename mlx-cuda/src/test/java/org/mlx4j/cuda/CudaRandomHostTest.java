package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.core.Shape;
import org.mlx4j.core.ops.Random;
import org.mlx4j.core.primitive.RandomBits;
import org.mlx4j.core.primitive.Shuffle;

/**
 * random.cu and the shuffle table of gather.cu, run on the host ({@link HostKernels}) against the
 * CPU backend: the same Threefry streams bit for bit for every width and word-count parity, keys
 * read through a transposed layout; the shuffle's table gives the CPU's permutation, ties included.
 */
class CudaRandomHostTest {
    @BeforeEach void gpp() { Assumptions.assumeTrue(HostKernels.compiler() != null, "g++ not found: host kernel tests skipped"); }

    /** The CPU's RandomBits output for {@code keys} (k, 2) and {@code elems} elements per key. */
    private static long[] cpuBits(Array keys, int elems, int width) {
        int k = keys.dim(0);
        DType t = width == 4 ? DType.UINT32 : width == 2 ? DType.INT32 : DType.UINT8;
        Shape s = Shape.of(k, elems);
        return Array.node(s, t, new RandomBits(s, width), keys).toLongArray();
    }

    private static long[] hostBits(long[] keys, int numKeys, int elems, int width) throws Exception {
        // keys stored transposed in memory, (2, k), read as the (k, 2) view: strides (1, k)
        long[] mem = new long[keys.length];
        for (int i = 0; i < numKeys; i++) {
            mem[i] = keys[2 * i];
            mem[numKeys + i] = keys[2 * i + 1];
        }
        Layout kl = Layout.of(Shape.of(numKeys, 2), new long[] {1, numKeys});
        String type = width == 4 ? "unsigned int" : width == 2 ? "int" : "unsigned char";
        long n = (long) numKeys * elems;
        String main = HostKernels.array("unsigned int", "keys", mem)
                + "static " + type + " out[" + Math.max(1, n) + "];\n"
                + "mlx_random_bits(out, keys, " + HostKernels.layout(kl) + ", " + numKeys + "LL, " + elems + "LL, " + width + ");\n"
                + HostKernels.print("out", n, false);
        return HostKernels.longs(HostKernels.run("random.cu", Map.of(), main));
    }

    @Test
    void threefryStreamsMatchTheCpuForEveryWidth() throws Exception {
        Array keys = Random.split(MX.key(42), 3);
        long[] kv = keys.toLongArray();
        // elements per key chosen for odd and even word counts, a lone middle word, and cut last words
        int[][] cases = {{4, 7}, {4, 8}, {4, 1}, {2, 5}, {2, 4}, {2, 1}, {1, 13}, {1, 5}, {1, 3}, {1, 8}};
        for (int[] c : cases) {
            int width = c[0], elems = c[1];
            assertArrayEquals(cpuBits(keys, elems, width), hostBits(kv, 3, elems, width), "width " + width + ", " + elems + " per key");
        }
    }

    @Test
    void tasksPerKeyCountsHashPairsAndTheMiddleWord() {
        assertEquals(4, CudaRandom.tasksPerKey(7, 4));  // 7 words: 3 pairs + the middle
        assertEquals(4, CudaRandom.tasksPerKey(8, 4));  // 8 words: 4 pairs
        assertEquals(1, CudaRandom.tasksPerKey(1, 4));  // one word: the middle alone
        assertEquals(2, CudaRandom.tasksPerKey(5, 2));  // 10 bytes, 3 words
        assertEquals(1, CudaRandom.tasksPerKey(3, 1));  // 3 bytes, 1 word
        assertEquals(0, CudaRandom.tasksPerKey(0, 4));
    }

    /** The host-run table for keys {@code k}: forward = the source row of each output row. */
    private static long[] hostTable(long[] k, boolean inverse) throws Exception {
        // keys read with stride 2 from interleaved memory
        long[] mem = new long[2 * k.length];
        for (int i = 0; i < k.length; i++) mem[2 * i] = k[i];
        String main = HostKernels.array("unsigned int", "keys", mem) + "static int table[" + k.length + "];\n"
                + "mlx_shuffle_table(table, keys, 2LL, " + k.length + "LL, " + (inverse ? 1 : 0) + ");\n"
                + HostKernels.print("table", k.length, false);
        return HostKernels.longs(HostKernels.run("gather.cu", Map.of("MLX_IDX_RANK", "1"), main));
    }

    @Test
    void shuffleTableIsTheCpusStableArgsort() throws Exception {
        // ties (5 twice, 0xffffffff twice) and keys above 2^31 (unsigned order)
        long[] k = {5, 0xfffffffeL, 5, 0, 0xffffffffL, 7, 0xffffffffL, 1};
        int n = k.length;
        Array keys = MX.array(k, n).astype(DType.UINT32);
        Array x = MX.arange(n);
        long[] forward = Array.node(x.shape(), x.dtype(), new Shuffle(0, false), keys, x).toLongArray();
        long[] inverse = Array.node(x.shape(), x.dtype(), new Shuffle(0, true), keys, x).toLongArray();
        // with x = arange, the CPU's output row r holds its source row: exactly the table
        assertArrayEquals(forward, hostTable(k, false));
        assertArrayEquals(inverse, hostTable(k, true));
        assertArrayEquals(new long[] {3, 7, 0, 2, 5, 1, 4, 6}, forward);
    }
}
