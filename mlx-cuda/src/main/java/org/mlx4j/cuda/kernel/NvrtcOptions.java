package org.mlx4j.cuda.kernel;

import java.util.Arrays;
import java.util.List;

/**
 * The NVRTC options for one device: a pure function of the device's compute capability, the NVRTC
 * version and the architectures that NVRTC supports.
 *
 * <p>Target: when NVRTC can generate machine code for the device ({@code sm_XY} in its supported list)
 * we ask for a cubin, which loads without a JIT step. Otherwise (a device newer than the NVRTC, e.g.
 * sm_120 with NVRTC 12.6) we ask for PTX of the newest supported virtual architecture not above the
 * device, and the driver JIT-compiles it for the device when the module is loaded. A device older
 * than every supported architecture cannot be served.
 *
 * <p>Flags: C++17, functions default to {@code __device__} ({@code -default-device}), fused
 * multiply-add allowed ({@code --fmad=true}, as the CPU's vector path uses FMA). No
 * {@code --use_fast_math}: its approximate division, square root and transcendentals and its
 * flush-to-zero would not match the CPU backend's accuracy. No {@code -lineinfo}: it only serves profilers.
 *
 * @param options the option list, in order
 * @param cubin   true: the image is a cubin for {@link #arch()}; false: PTX
 * @param arch    the target, e.g. {@code sm_90} or {@code compute_90}
 */
public record NvrtcOptions(List<String> options, boolean cubin, String arch) {
    /** Copies the list. */
    public NvrtcOptions {
        options = List.copyOf(options);
    }

    /** The flags besides the target, in the order passed. */
    static final List<String> FLAGS = List.of("--std=c++17", "-default-device", "--fmad=true");

    /**
     * The options for a device.
     *
     * @param ccMajor        the device's compute capability, major (e.g. 9)
     * @param ccMinor        and minor (e.g. 0)
     * @param nvrtcVersion   NVRTC's version for messages, e.g. {@code 13.0}
     * @param supportedArchs what {@code nvrtcGetSupportedArchs} reports, e.g. {@code [75, 80, ..., 120]}
     * @throws IllegalStateException when the device is older than every architecture NVRTC supports
     */
    public static NvrtcOptions forDevice(int ccMajor, int ccMinor, String nvrtcVersion, int[] supportedArchs) {
        if (ccMajor <= 0 || ccMinor < 0 || ccMinor > 9) {
            throw new IllegalArgumentException("[cuda] bad compute capability " + ccMajor + "." + ccMinor);
        }
        int device = ccMajor * 10 + ccMinor;
        int[] archs = supportedArchs.clone();
        Arrays.sort(archs);
        if (archs.length == 0) {
            throw new IllegalStateException("[cuda] NVRTC " + nvrtcVersion + " reports no supported architectures");
        }
        String arch;
        boolean cubin;
        if (Arrays.binarySearch(archs, device) >= 0) {
            arch = "sm_" + device;
            cubin = true;
        } else {
            int best = -1;
            for (int a : archs) if (a <= device) best = a;
            if (best < 0) {
                throw new IllegalStateException("[cuda] the GPU (compute capability " + ccMajor + "." + ccMinor
                        + ", sm_" + device + ") is older than every architecture NVRTC " + nvrtcVersion
                        + " supports (sm_" + archs[0] + " to sm_" + archs[archs.length - 1]
                        + "); install an NVRTC of an older CUDA that still supports it, or use the CPU backend");
            }
            arch = "compute_" + best;
            cubin = false;
        }
        List<String> opts = new java.util.ArrayList<>();
        opts.add("--gpu-architecture=" + arch);
        opts.addAll(FLAGS);
        return new NvrtcOptions(opts, cubin, arch);
    }
}
