package org.mlx4j.core.backend.spi;

import java.util.Arrays;
import org.mlx4j.core.Shape;

/**
 * The memory behind an evaluated array: a buffer, an element offset and element strides.
 *
 * <p>Views (transpose, broadcast, basic slices, reshapes of contiguous data) share their input's
 * buffer with other strides; kernels check {@link #rowContiguous()} for their fast paths.
 *
 * @param buffer        the shared, reference-counted memory
 * @param offset        index of the first element, in elements
 * @param strides       element strides, one per axis (0 for broadcast axes)
 * @param rowContiguous true when the elements are dense in row-major order from {@code offset}
 */
public record ArrayData(DeviceBuffer buffer, long offset, long[] strides, boolean rowContiguous) {

    /** Dense row-major data for {@code shape}, starting at element 0. */
    public static ArrayData contiguous(DeviceBuffer buffer, Shape shape) {
        return new ArrayData(buffer, 0, shape.strides(), true);
    }

    /** Data with the given layout; contiguity is computed. */
    public static ArrayData view(DeviceBuffer buffer, long offset, long[] strides, Shape shape) {
        return new ArrayData(buffer, offset, strides, isRowContiguous(shape, strides));
    }

    /** True when {@code strides} are the row-major strides of {@code shape} (size-1 axes ignored). */
    public static boolean isRowContiguous(Shape shape, long[] strides) {
        long expect = 1;
        int[] d = shape.dims();
        for (int i = d.length - 1; i >= 0; i--) {
            if (d[i] == 1) continue;
            if (strides[i] != expect) return false;
            expect *= d[i];
        }
        return true;
    }

    @Override public String toString() {
        return "ArrayData[offset=" + offset + ", strides=" + Arrays.toString(strides) + ", contiguous=" + rowContiguous + "]";
    }
}
