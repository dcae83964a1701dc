package org.mlx4j.cuda;

import jcuda.driver.CUfunction;

/** A JCuda kernel function whose raw handle we can pass to {@code cuLaunchKernel} through java.lang.foreign. */
final class RawFunction extends CUfunction {
    /** The CUfunction handle as an address. */
    long address() { return getNativePointer(); }
}
