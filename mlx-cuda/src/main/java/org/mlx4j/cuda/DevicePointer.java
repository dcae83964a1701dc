package org.mlx4j.cuda;

import jcuda.driver.CUdeviceptr;

/** A JCuda device pointer whose raw address we can read (for kernels and the FFM libraries). */
final class DevicePointer extends CUdeviceptr {
    /** The device address (JCuda keeps it in a protected field). */
    long address() { return getNativePointer(); }
}
