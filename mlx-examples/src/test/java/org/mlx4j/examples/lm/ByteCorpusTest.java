package org.mlx4j.examples.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteCorpusTest {
    @TempDir Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.ISO_8859_1);
        return p;
    }

    @Test void globConcatenatesMatchingFilesInSortedOrder() throws Exception {
        write("b.txt", "BBB");
        write("a.txt", "AA");
        write("c.md", "not me");
        write("a10.txt", "X");
        Files.createDirectory(dir.resolve("d.txt"));   // a directory that matches is not a file to read
        ByteCorpus c = ByteCorpus.load(dir + "/*.txt");
        assertEquals("AAXBBB", new String(c.bytes(), StandardCharsets.ISO_8859_1));
        assertEquals(List.of(dir.resolve("a.txt"), dir.resolve("a10.txt"), dir.resolve("b.txt")), c.files());
    }

    @Test void directorySkipsDatAndU8AndSubdirectories() throws Exception {
        Path art = write("art", "one\n%\ntwo\n");
        write("art.dat", "\u0000\u0001binary");
        Files.createSymbolicLink(dir.resolve("art.u8"), art);
        write("zen", "z");
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub").resolve("x"), "nested");
        ByteCorpus c = ByteCorpus.load(dir.toString());
        assertEquals("one\n%\ntwo\nz", new String(c.bytes(), StandardCharsets.ISO_8859_1));
        assertEquals(2, c.files().size());
    }

    @Test void singleFileAndBytesAreRaw() throws Exception {
        byte[] raw = {(byte) 0xC3, (byte) 0xA9, 0, 10, (byte) 0xFF};
        Path p = dir.resolve("bin");
        Files.write(p, raw);
        ByteCorpus c = ByteCorpus.load(p.toString());
        assertArrayEquals(raw, c.bytes());
        int[] tokens = ByteCorpus.of(raw, "t").trainTokens().toIntArray();
        assertEquals(0xC3, tokens[0]);   // unsigned, not -61
        assertEquals(0xA9, tokens[1]);
    }

    @Test void splitIsNinetyPercentTruncatedLikePython() {
        byte[] b = new byte[1001];
        for (int i = 0; i < b.length; i++) b[i] = (byte) i;
        ByteCorpus c = ByteCorpus.of(b, "t");
        assertEquals(900, c.splitIndex());                 // int(0.9 * 1001) = int(900.9)
        assertEquals(900, c.trainBytes().length);
        assertEquals(101, c.validationBytes().length);
        assertEquals((byte) 900, c.validationBytes()[0]);
        assertEquals(900, c.trainTokens().dim(0));
        assertEquals(101, c.validationTokens().dim(0));
        assertEquals(900 % 256, c.validationTokens().toIntArray()[0]);
    }

    @Test void sha256IsTheHexDigestOfTheBytes() throws Exception {
        byte[] b = "hello".getBytes(StandardCharsets.US_ASCII);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        assertEquals(expected, ByteCorpus.of(b, "t").sha256());
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", ByteCorpus.of(b, "t").sha256());
    }

    @Test void errorsNameTheProblem() throws Exception {
        IOException none = assertThrows(IOException.class, () -> ByteCorpus.load(dir + "/*.nothing"));
        assertTrue(none.getMessage().contains("no files match " + dir + "/*.nothing; install vim-runtime or pass --text FILE"), none.getMessage());
        IOException missing = assertThrows(IOException.class, () -> ByteCorpus.load(dir.resolve("absent.txt").toString()));
        assertTrue(missing.getMessage().contains("absent.txt"), missing.getMessage());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("only.dat"), "x");
        assertThrows(IOException.class, () -> ByteCorpus.load(empty.toString()));
        IllegalArgumentException deep = assertThrows(IllegalArgumentException.class, () -> ByteCorpus.load(dir + "/*/x.txt"));
        assertTrue(deep.getMessage().startsWith("[ByteCorpus]"), deep.getMessage());
    }

    @Test void unreadableFileIsAnIOException() {
        // a regular file whose read fails even for root (this process's memory at offset 0 is unmapped)
        Path mem = Path.of("/proc/self/mem");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(mem), "needs Linux procfs");
        IOException e = assertThrows(IOException.class, () -> ByteCorpus.fromFile(mem));
        assertTrue(e.getMessage().startsWith("/proc/self/mem: cannot read"), e.getMessage());
    }

    @Test void tooShortForTheContextIsRejected() {
        ByteCorpus c = ByteCorpus.of(new byte[100], "tiny");   // splits 90 and 10
        c.checkContext(8);                                      // 10 >= 8 + 2
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.checkContext(9));
        assertTrue(e.getMessage().startsWith("[ByteCorpus]") && e.getMessage().contains("context 9"), e.getMessage());
    }
}
