package org.mlx4j.cuda.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NvrtcOptionsTest {
    /** What NVRTC 13.0 reports (no more Maxwell/Pascal/Volta). */
    static final int[] NVRTC13 = {75, 80, 86, 87, 88, 89, 90, 100, 103, 110, 120, 121};
    /** What NVRTC 12.6 reports. */
    static final int[] NVRTC126 = {50, 52, 53, 60, 61, 62, 70, 72, 75, 80, 86, 87, 89, 90};

    @Test void supportedDeviceGetsACubin() {
        NvrtcOptions o = NvrtcOptions.forDevice(9, 0, "13.0", NVRTC13);
        assertTrue(o.cubin());
        assertEquals("sm_90", o.arch());
        assertEquals(List.of("--gpu-architecture=sm_90", "--std=c++17", "-default-device", "--fmad=true"), o.options());
    }

    @Test void deviceNewerThanNvrtcGetsPtxOfTheNewestArchBelowIt() {
        NvrtcOptions o = NvrtcOptions.forDevice(12, 0, "12.6", NVRTC126);
        assertFalse(o.cubin());
        assertEquals("compute_90", o.arch());
        assertEquals("--gpu-architecture=compute_90", o.options().get(0));
        // sm_88 is not in 12.6's list: compute_87 is the newest not above it
        assertEquals("compute_87", NvrtcOptions.forDevice(8, 8, "12.6", NVRTC126).arch());
    }

    @Test void unsortedArchListIsHandled() {
        NvrtcOptions o = NvrtcOptions.forDevice(8, 9, "12.6", new int[] {90, 75, 89, 80});
        assertEquals("sm_89", o.arch());
        assertEquals("compute_80", NvrtcOptions.forDevice(8, 6, "12.6", new int[] {90, 75, 89, 80}).arch());
    }

    @Test void deviceOlderThanEveryArchIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NvrtcOptions.forDevice(7, 0, "13.0", NVRTC13));
        assertTrue(e.getMessage().contains("compute capability 7.0"), e.getMessage());
        assertTrue(e.getMessage().contains("NVRTC 13.0"), e.getMessage());
        assertTrue(e.getMessage().contains("sm_75 to sm_121"), e.getMessage());
    }

    @Test void noFastMathAndNoLineInfo() {
        for (String opt : NvrtcOptions.forDevice(8, 0, "12.6", NVRTC126).options()) {
            assertFalse(opt.contains("fast_math") || opt.contains("lineinfo") || opt.contains("ftz=true"), opt);
        }
    }

    @Test void badCapabilityIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> NvrtcOptions.forDevice(0, 0, "13.0", NVRTC13));
        assertThrows(IllegalStateException.class, () -> NvrtcOptions.forDevice(9, 0, "13.0", new int[0]));
    }
}
