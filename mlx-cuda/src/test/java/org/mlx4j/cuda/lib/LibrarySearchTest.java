package org.mlx4j.cuda.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Library discovery over fake folders holding empty files with the libraries' names. */
class LibrarySearchTest {
    @TempDir Path tmp;

    private Path fake(String dir, String... names) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(dir));
        for (String n : names) Files.createFile(d.resolve(n));
        return d;
    }

    private static LibrarySearch.Found found(LibrarySearch s, CudaLibrary lib) {
        return assertInstanceOf(LibrarySearch.Found.class, s.find(lib));
    }

    @Test void fileNamesAreVersionedSharedObjects() {
        assertEquals(List.of("libnvrtc.so.13", "libnvrtc.so.12"), CudaLibrary.NVRTC.fileNames());
        assertEquals(List.of("libcublasLt.so.13", "libcublasLt.so.12"), CudaLibrary.CUBLASLT.fileNames());
        assertEquals(List.of("libcublas.so.13", "libcublas.so.12"), CudaLibrary.CUBLAS.fileNames());
        assertEquals(List.of("libcudnn.so.9"), CudaLibrary.CUDNN.fileNames());
        assertEquals(List.of("libcuda.so.1"), CudaLibrary.DRIVER.fileNames());
    }

    @Test void newestMajorWinsAcrossFolders() throws IOException {
        Path a = fake("a", "libnvrtc.so.12", "libcublasLt.so.12");
        Path b = fake("b", "libnvrtc.so.13");
        LibrarySearch s = new LibrarySearch(List.of(a, b));
        LibrarySearch.Found f = found(s, CudaLibrary.NVRTC);
        assertEquals(13, f.major());
        assertEquals(b.resolve("libnvrtc.so.13"), f.path());
        // only 12 exists for cuBLASLt
        assertEquals(12, found(s, CudaLibrary.CUBLASLT).major());
        assertEquals(a.resolve("libcublasLt.so.12"), found(s, CudaLibrary.CUBLASLT).path());
    }

    @Test void folderOrderDecidesWithinOneMajor() throws IOException {
        Path a = fake("a", "libcublasLt.so.13");
        Path b = fake("b", "libcublasLt.so.13");
        assertEquals(a.resolve("libcublasLt.so.13"), found(new LibrarySearch(List.of(a, b)), CudaLibrary.CUBLASLT).path());
        assertEquals(b.resolve("libcublasLt.so.13"), found(new LibrarySearch(List.of(b, a)), CudaLibrary.CUBLASLT).path());
    }

    @Test void aFolderNamedLikeTheLibraryIsNotTheLibrary() throws IOException {
        Path a = fake("a");
        Files.createDirectories(a.resolve("libcudnn.so.9"));
        assertInstanceOf(LibrarySearch.Missing.class, new LibrarySearch(List.of(a)).find(CudaLibrary.CUDNN));
    }

    private LibrarySearch.Environment env(String property, Map<String, String> vars) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        return new LibrarySearch.Environment(property, vars, root, tmp.resolve("home"), "amd64");
    }

    @Test void overrideFolderComesFirstEvenWithAnOlderMajor() throws IOException {
        Path override = fake("override", "libnvrtc.so.12");
        Path ld = fake("ld", "libnvrtc.so.13");
        LibrarySearch s = LibrarySearch.standard(env(override.toString(), Map.of("LD_LIBRARY_PATH", ld.toString())));
        assertEquals(override, s.dirs().get(0));
        assertEquals(ld, s.dirs().get(1));
        LibrarySearch.Found f = found(s, CudaLibrary.NVRTC);
        assertEquals(override.resolve("libnvrtc.so.12"), f.path());
        // a library the override does not hold comes from the other folders
        Files.createFile(ld.resolve("libcudnn.so.9"));
        assertEquals(ld.resolve("libcudnn.so.9"), found(s, CudaLibrary.CUDNN).path());
    }

    @Test void overrideFromTheEnvironmentVariableFollowsTheProperty() throws IOException {
        Path p1 = fake("p1"), p2 = fake("p2"), e1 = fake("e1", "libcudnn.so.9");
        LibrarySearch s = LibrarySearch.standard(env(p1 + ":" + p2, Map.of(LibrarySearch.ENV, e1.toString())));
        assertEquals(List.of(p1, p2, e1), s.overrideDirs());
        assertEquals(e1.resolve("libcudnn.so.9"), found(s, CudaLibrary.CUDNN).path());
    }

    @Test void standardFolderOrder() throws IOException {
        LibrarySearch.Environment e = env(null, Map.of("LD_LIBRARY_PATH", "/x/one::/x/two"));
        Path root = e.root();
        Files.createDirectories(root.resolve("usr/local/cuda-12.4/lib64"));
        Files.createDirectories(root.resolve("usr/local/cuda-12.10/lib64"));
        Files.createDirectories(root.resolve("usr/local/cuda-13.0/lib64"));
        List<Path> dirs = LibrarySearch.standard(e).dirs();
        List<Path> expectedStart = List.of(Path.of("/x/one"), Path.of("/x/two"),
                root.resolve("usr/local/cuda/lib64"), root.resolve("usr/local/cuda/targets/x86_64-linux/lib"),
                root.resolve("usr/local/cuda-13.0/lib64"), root.resolve("usr/local/cuda-12.10/lib64"),
                root.resolve("usr/local/cuda-12.4/lib64"));
        assertEquals(expectedStart, dirs.subList(0, expectedStart.size()));
        assertEquals(List.of(root.resolve("usr/lib/x86_64-linux-gnu"), root.resolve("usr/lib64"),
                root.resolve("usr/local/nvidia/lib64"), root.resolve("usr/lib/wsl/lib")), dirs.subList(dirs.size() - 4, dirs.size()));
    }

    @Test void wheelFoldersAreFound() throws IOException {
        Path venv = tmp.resolve("x");
        Path cu13 = Files.createDirectories(venv.resolve("lib/python3.12/site-packages/nvidia/cu13/lib"));
        Files.createFile(cu13.resolve("libcublasLt.so.13"));
        Path cudnn = Files.createDirectories(venv.resolve("lib/python3.12/site-packages/nvidia/cudnn/lib"));
        Files.createFile(cudnn.resolve("libcudnn.so.9"));
        Path nvrtc12 = Files.createDirectories(venv.resolve("lib/python3.9/site-packages/nvidia/cuda_nvrtc/lib"));
        Files.createFile(nvrtc12.resolve("libnvrtc.so.12"));
        LibrarySearch.Environment e = env(null, Map.of("VIRTUAL_ENV", venv.toString()));
        // a system python's dist-packages and a user's ~/.local too
        Path dist = Files.createDirectories(e.root().resolve("usr/lib/python3/dist-packages/nvidia/cublas/lib"));
        Path user = Files.createDirectories(e.home().resolve(".local/lib/python3.11/site-packages/nvidia/cu12/lib"));
        Path opt = Files.createDirectories(e.root().resolve("opt/app/.venv/lib/python3.13/site-packages/nvidia/cu13/lib"));
        LibrarySearch s = LibrarySearch.standard(e);
        List<Path> dirs = s.dirs();
        // newest python first, cu13 before the per-package folders
        assertTrue(dirs.indexOf(cu13) >= 0 && dirs.indexOf(cu13) < dirs.indexOf(cudnn), dirs.toString());
        assertTrue(dirs.indexOf(cudnn) < dirs.indexOf(nvrtc12), dirs.toString());
        assertTrue(dirs.indexOf(nvrtc12) < dirs.indexOf(opt), dirs.toString());
        assertTrue(dirs.indexOf(opt) < dirs.indexOf(dist), dirs.toString());
        assertTrue(dirs.indexOf(dist) < dirs.indexOf(user), dirs.toString());
        assertEquals(cu13.resolve("libcublasLt.so.13"), found(s, CudaLibrary.CUBLASLT).path());
        assertEquals(cudnn.resolve("libcudnn.so.9"), found(s, CudaLibrary.CUDNN).path());
        assertEquals(nvrtc12.resolve("libnvrtc.so.12"), found(s, CudaLibrary.NVRTC).path());
    }

    @Test void condaPrefixLibIsSearched() throws IOException {
        Path conda = fake("conda/lib", "libnvrtc.so.13").getParent();
        LibrarySearch s = LibrarySearch.standard(env(null, Map.of("CONDA_PREFIX", conda.toString())));
        assertEquals(conda.resolve("lib/libnvrtc.so.13"), found(s, CudaLibrary.NVRTC).path());
    }

    @Test void missNamesTheLibraryTheNamesTriedEveryFolderAndTheFix() throws IOException {
        Path a = fake("a", "libnvrtc.so.11");
        Path absent = tmp.resolve("nowhere");
        LibrarySearch s = new LibrarySearch(List.of(a, absent));
        LibrarySearch.Missing m = assertInstanceOf(LibrarySearch.Missing.class, s.find(CudaLibrary.NVRTC));
        String msg = m.message();
        assertTrue(msg.startsWith("[cuda] libnvrtc not found: tried libnvrtc.so.13, libnvrtc.so.12 in 2 folders:"), msg);
        assertTrue(msg.contains("\n  " + a + "\n"), msg);
        assertTrue(msg.contains("\n  " + absent + " (absent)\n"), msg);
        assertTrue(msg.contains("-Dmlx4j.cuda.libraryPath=DIR"), msg);
        assertTrue(msg.contains("install"), msg);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.require(CudaLibrary.NVRTC));
        assertEquals(msg, e.getMessage());
    }

    @Test void missOfTheStandardSearchListsEveryFolder() throws IOException {
        Map<String, String> vars = new HashMap<>();
        vars.put("LD_LIBRARY_PATH", tmp.resolve("ld").toString());
        LibrarySearch s = LibrarySearch.standard(env(tmp.resolve("ovr").toString(), vars));
        String msg = s.missMessage(CudaLibrary.CUDNN);
        for (Path d : s.dirs()) assertTrue(msg.contains("\n  " + d), d + " in " + msg);
        assertTrue(msg.contains(tmp.resolve("ovr") + " (override) (absent)"), msg);
        assertTrue(msg.contains("tried libcudnn.so.9 in " + s.dirs().size() + " folders"), msg);
    }

    @Test void theDriverFallsBackToTheSystemLoader() throws IOException {
        LibrarySearch s = new LibrarySearch(List.of(fake("a")));
        LibrarySearch.Found f = found(s, CudaLibrary.DRIVER);
        assertTrue(f.viaLoader());
        assertNull(f.path());
        assertEquals("libcuda.so.1", f.loadName());
        // a driver file in a searched folder is preferred
        Path b = fake("b", "libcuda.so.1");
        LibrarySearch.Found g = found(new LibrarySearch(List.of(b)), CudaLibrary.DRIVER);
        assertEquals(b.resolve("libcuda.so.1"), g.path());
    }

    @Test void anEmptyFakeFileIsFoundButNotLoadable() throws IOException {
        Path a = fake("a", "libcudnn.so.9");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Cudnn.load(new LibrarySearch(List.of(a))));
        assertTrue(e.getMessage().startsWith("[cuda] found " + a.resolve("libcudnn.so.9") + " but cannot load it"), e.getMessage());
        List<String> report = CudaLibraries.report(new LibrarySearch(List.of(a)));
        assertTrue(report.stream().anyMatch(l -> l.startsWith("cuDNN: unusable: [cuda] found")), report.toString());
        assertTrue(report.stream().anyMatch(l -> l.equals("NVRTC: not found (tried libnvrtc.so.13, libnvrtc.so.12)")), report.toString());
        assertTrue(report.stream().anyMatch(l -> l.startsWith("CUDA libraries searched in: " + a)), report.toString());
    }

    @Test void versionOrderingOfFolderNames() {
        List<String> names = new java.util.ArrayList<>(List.of("cuda-12.4", "cuda-13.0", "cuda-12.10", "cuda-12"));
        names.sort(LibrarySearch.VERSION_NEWEST_FIRST);
        assertEquals(List.of("cuda-13.0", "cuda-12.10", "cuda-12.4", "cuda-12"), names);
    }
}
