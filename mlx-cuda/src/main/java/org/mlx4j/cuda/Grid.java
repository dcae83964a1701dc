package org.mlx4j.cuda;

/**
 * A launch shape: blocks in x, y, z, threads per block (1-D), dynamic shared memory in bytes.
 *
 * @param x           blocks in x, at least 1
 * @param y           blocks in y
 * @param z           blocks in z
 * @param block       threads per block, at most 1024
 * @param sharedBytes dynamic shared memory per block
 */
public record Grid(int x, int y, int z, int block, int sharedBytes) {
    /** Threads per block of element-wise launches. */
    public static final int BLOCK = 256;
    /** Most blocks a grid-stride launch asks for; kernels loop over the rest. */
    public static final int MAX_BLOCKS = 1 << 20;

    /** Checks the limits. */
    public Grid {
        if (x < 1 || y < 1 || z < 1 || block < 1 || block > 1024 || sharedBytes < 0) {
            throw new IllegalArgumentException("[cuda] bad launch shape " + x + "x" + y + "x" + z + " block " + block + " shared " + sharedBytes);
        }
    }

    /** Enough {@value #BLOCK}-thread blocks for {@code n} elements (capped; kernels use grid-stride loops). */
    public static Grid linear(long n) {
        long blocks = Math.max(1, Math.min(MAX_BLOCKS, (n + BLOCK - 1) / BLOCK));
        return new Grid((int) blocks, 1, 1, BLOCK, 0);
    }

    /** One block of {@code block} threads per row (capped; kernels loop {@code row += gridDim.x}). */
    public static Grid rows(long rows, int block, int sharedBytes) {
        return new Grid((int) Math.max(1, Math.min(MAX_BLOCKS, rows)), 1, 1, block, sharedBytes);
    }
}
