package org.mlx4j.cuda.lib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlx4j.cuda.CudaException;
import org.mlx4j.cuda.kernel.KernelCache;
import org.mlx4j.cuda.kernel.NvrtcCompiler;

/**
 * The NVRTC and cuDNN facades against fake libraries built with gcc: the downcalls, their argument
 * and result types, error paths and messages. This machine has no libnvrtc, so a real compilation
 * cannot run here; it runs on a GPU machine.
 */
class BindingTest {
    @TempDir Path tmp;

    @BeforeEach void gcc() {
        FakeLibs.assumeGcc();
    }

    @Test void minimalNvrtcReadsItsVersionThroughFfm() throws Throwable {
        Path lib = FakeLibs.build("fake_nvrtc_minimal.c", tmp.resolve("min"), "libnvrtc.so.13");
        LibrarySearch search = new LibrarySearch(List.of(tmp.resolve("min")));
        Nvrtc n = Nvrtc.load(search);
        assertArrayEquals(new int[] {13, 0}, n.version());
        assertEquals("13.0", n.versionString());
        assertEquals(13, n.fileMajor());
        assertEquals(lib.toString(), n.path());
        assertEquals("NVRTC_ERROR_FAKE", n.errorString(6));
        // a symbol the library lacks: named, with the library and its path
        IllegalStateException e = assertThrows(IllegalStateException.class, n::supportedArchs);
        assertTrue(e.getMessage().contains("has no symbol nvrtcGetNumSupportedArchs"), e.getMessage());
        assertTrue(e.getMessage().contains(lib.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("libnvrtc.so.13"), e.getMessage());
        // the doctor's line
        List<String> report = CudaLibraries.report(search);
        assertTrue(report.contains("NVRTC 13.0: " + lib), report.toString());
    }

    @Test void nvrtcCompilesToPtxAndCubinAndReportsErrorsWithTheLog() throws Throwable {
        Path lib = FakeLibs.build("fake_nvrtc.c", tmp.resolve("full"), "libnvrtc.so.13");
        MethodHandle live = FakeLibs.probe(lib, "fake_live", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        Nvrtc n = Nvrtc.load(new LibrarySearch(List.of(tmp.resolve("full"))));
        assertArrayEquals(new int[] {75, 80, 86, 89, 90, 100, 120}, n.supportedArchs());

        byte[] ptx = n.compile("extern \"C\" __global__ void k() {}", "k.cu", List.of("--gpu-architecture=compute_90", "--std=c++17"), false);
        assertEquals(0, ptx[ptx.length - 1], "PTX ends with its NUL");
        assertEquals("// PTX of k.cu: --gpu-architecture=compute_90 --std=c++17", new String(ptx, 0, ptx.length - 1, StandardCharsets.UTF_8));
        byte[] cubin = n.compile("x", "k.cu", List.of("--gpu-architecture=sm_90"), true);
        assertEquals("CUBIN:sm_90", new String(cubin, StandardCharsets.UTF_8));
        byte[] noOptions = n.compile("x", "none.cu", List.of(), false);
        assertEquals("// PTX of none.cu:", new String(noOptions, 0, noOptions.length - 1, StandardCharsets.UTF_8));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> n.compile("#error no", "bad.cu", List.of("--gpu-architecture=sm_90"), true));
        assertTrue(e.getMessage().contains("cannot compile bad.cu: NVRTC_ERROR_COMPILATION (6)"), e.getMessage());
        assertTrue(e.getMessage().contains("fake.cu(1): error: boom"), e.getMessage());
        assertTrue(e.getMessage().contains("NVRTC 13.0"), e.getMessage());
        assertEquals(0, (int) live.invokeExact(), "every program destroyed, failed or not");

        // the compiler of a device, through the cache
        NvrtcCompiler sm90 = NvrtcCompiler.of(n, 9, 0, new KernelCache(tmp.resolve("cache")));
        assertEquals("CUBIN:sm_90", new String(sm90.compile("y", "y.cu"), StandardCharsets.UTF_8));
        assertTrue(sm90.describe().startsWith("NVRTC 13.0 -> sm_90 cubin"), sm90.describe());
        NvrtcCompiler sm103 = NvrtcCompiler.of(n, 10, 3, new KernelCache(tmp.resolve("cache")));
        byte[] jit = sm103.compile("y", "y.cu");
        assertTrue(new String(jit, StandardCharsets.UTF_8).startsWith("// PTX of y.cu: --gpu-architecture=compute_100"));
    }

    @Test void cudnnHandleStreamVersionAndStatus() throws Throwable {
        Path lib = FakeLibs.build("fake_cudnn.c", tmp.resolve("dnn"), "libcudnn.so.9");
        MethodHandle stream = FakeLibs.probe(lib, "fake_stream", FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        Cudnn d = Cudnn.load(new LibrarySearch(List.of(tmp.resolve("dnn"))));
        assertEquals(90102L, d.version());
        assertEquals("9.1.2", d.versionString());
        long h = d.createHandle();
        assertEquals(0x1234L, h);
        d.setStream(h, 0xbeefL);
        assertEquals(0xbeefL, (long) stream.invokeExact());
        CudaException e = assertThrows(CudaException.class, () -> d.setStream(h, 0xdeadL));
        assertEquals(3, e.code());
        assertEquals("CUDNN_STATUS_BAD_PARAM", e.errorName());
        assertTrue(e.getMessage().contains("cudnnSetStream"), e.getMessage());
        d.destroyHandle(h);
        assertTrue(CudaLibraries.report(new LibrarySearch(List.of(tmp.resolve("dnn")))).contains("cuDNN 9.1.2: " + lib));
    }
}
