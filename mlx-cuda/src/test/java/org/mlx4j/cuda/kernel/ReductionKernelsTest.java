package org.mlx4j.cuda.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.DType;
import org.mlx4j.core.primitive.ReduceOp;
import org.mlx4j.core.primitive.ScanOp;

/** The reduction family's kernel specs: defines per (op, dtypes), the dtype rules, errors, launch shapes, the catalog. */
class ReductionKernelsTest {
    /** NVRTC has no system headers: no source line may be an #include directive. */
    static boolean hasInclude(String text) {
        return text.lines().anyMatch(l -> l.strip().startsWith("#include"));
    }

    @Test
    void integerSumsAccumulateInLongLongAndFloatsInFloat() {
        KernelSpec s = ReductionKernels.reduce(ReduceOp.SUM, DType.INT32, DType.INT32);
        assertEquals(List.of("common.cuh", "arith.cuh", "reduce.cu"), s.parts());
        assertEquals(Map.of("IN_T", "int", "OUT_T", "int", "ACC_T", "long long", "WIDE_T", "long long",
                "REDUCE", "mlxr_op_sum", "IDENT", "0LL", "OUT_BOOL", "0"), s.defines());
        KernelSpec h = ReductionKernels.reduce(ReduceOp.SUM, DType.FLOAT16, DType.FLOAT16);
        assertEquals("mlx_half", h.defines().get("IN_T"));
        assertEquals("float", h.defines().get("ACC_T"));
        assertEquals("double", h.defines().get("WIDE_T"), "float partials meet in double, as on the CPU");
        assertEquals("0.0f", h.defines().get("IDENT"));
        KernelSpec d = ReductionKernels.reduce(ReduceOp.PROD, DType.FLOAT64, DType.FLOAT64);
        assertEquals("double", d.defines().get("ACC_T"));
        assertEquals("double", d.defines().get("WIDE_T"));
        assertEquals("1.0", d.defines().get("IDENT"));
    }

    @Test
    void identitiesOfEveryOp() {
        assertEquals("(-__int_as_float(0x7f800000))", ReductionKernels.reduce(ReduceOp.MAX, DType.FLOAT32, DType.FLOAT32).defines().get("IDENT"));
        assertEquals("__longlong_as_double(0x7ff0000000000000LL)", ReductionKernels.reduce(ReduceOp.MIN, DType.FLOAT64, DType.FLOAT64).defines().get("IDENT"));
        assertEquals("(-9223372036854775807LL - 1)", ReductionKernels.reduce(ReduceOp.MAX, DType.INT16, DType.INT16).defines().get("IDENT"));
        assertEquals("9223372036854775807LL", ReductionKernels.reduce(ReduceOp.MIN, DType.UINT32, DType.UINT32).defines().get("IDENT"));
        KernelSpec all = ReductionKernels.reduce(ReduceOp.ALL, DType.BOOL, DType.BOOL);
        assertEquals("1LL", all.defines().get("IDENT"));
        assertEquals("mlx_bool", all.defines().get("OUT_T"));
        assertEquals("mlxr_op_all", all.defines().get("REDUCE"));
        assertEquals("1", all.defines().get("OUT_BOOL"), "bool and uint8 are one C type: the kernel is told");
        assertEquals("0", ReductionKernels.reduce(ReduceOp.MAX, DType.UINT8, DType.UINT8).defines().get("OUT_BOOL"));
        assertEquals("1", ReductionKernels.reduce(ReduceOp.MAX, DType.BOOL, DType.BOOL).defines().get("OUT_BOOL"));
        assertEquals("0LL", ReductionKernels.reduce(ReduceOp.ANY, DType.BOOL, DType.BOOL).defines().get("IDENT"));
        assertEquals("0.0f", ReductionKernels.reduce(ReduceOp.ANY, DType.FLOAT32, DType.BOOL).defines().get("IDENT"));
    }

    @Test
    void sumAndProdOfSmallIntegersWidenAsTheOpDoes() {
        KernelSpec b = ReductionKernels.reduce(ReduceOp.SUM, DType.BOOL, DType.INT32);
        assertEquals("mlx_bool", b.defines().get("IN_T"));
        assertEquals("int", b.defines().get("OUT_T"));
        assertEquals("long long", b.defines().get("ACC_T"));
        assertEquals("unsigned int", ReductionKernels.reduce(ReduceOp.PROD, DType.UINT8, DType.UINT32).defines().get("OUT_T"));
        assertEquals("int", ReductionKernels.reduce(ReduceOp.SUM, DType.INT16, DType.INT32).defines().get("OUT_T"));
    }

    @Test
    void everyDtypeTheOpLayerProducesHasAReduceSpec() {
        for (ReduceOp op : ReduceOp.values()) {
            for (DType t : DType.values()) {
                DType out = switch (op) {
                    case ALL, ANY -> DType.BOOL;
                    default -> t;
                };
                KernelSpec s = ReductionKernels.reduce(op, t, out);
                assertFalse(hasInclude(KernelSource.text(s)), s.label());
            }
        }
    }

    @Test
    void reduceRejectsDtypesTheOpNeverProducesNamingOpAndDtypes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ReductionKernels.reduce(ReduceOp.SUM, DType.FLOAT32, DType.INT32));
        assertTrue(e.getMessage().startsWith("[Reduce.SUM]"), e.getMessage());
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("int32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReductionKernels.reduce(ReduceOp.MAX, DType.INT8, DType.INT32));
        assertTrue(e.getMessage().startsWith("[Reduce.MAX]") && e.getMessage().contains("int8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReductionKernels.reduce(ReduceOp.ALL, DType.FLOAT32, DType.FLOAT32));
        assertTrue(e.getMessage().startsWith("[Reduce.ALL]") && e.getMessage().contains("expected bool"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReductionKernels.reduce(ReduceOp.SUM, DType.INT32, DType.INT64));
    }

    @Test
    void argReduceComparesInTheComputeTypeAndWritesUint32() {
        KernelSpec s = ReductionKernels.argReduce(true, DType.BFLOAT16);
        assertEquals(List.of("common.cuh", "argreduce.cu"), s.parts());
        assertEquals(Map.of("IN_T", "mlx_bfloat", "ACC_T", "float", "OUT_T", "unsigned int", "ARG_MAX", "1"), s.defines());
        KernelSpec m = ReductionKernels.argReduce(false, DType.INT64);
        assertEquals("long long", m.defines().get("ACC_T"));
        assertEquals("0", m.defines().get("ARG_MAX"));
    }

    @Test
    void softmaxAndLogSumExpShareOneModuleForFloatingDtypes() {
        KernelSpec s = ReductionKernels.softmax(DType.FLOAT64);
        assertEquals(List.of("common.cuh", "softmax.cu"), s.parts());
        assertEquals(Map.of("IN_T", "double", "ACC_T", "double"), s.defines());
        assertEquals(s, ReductionKernels.logSumExp(DType.FLOAT64));
        assertEquals("float", ReductionKernels.softmax(DType.FLOAT16).defines().get("ACC_T"));
        var e = assertThrows(IllegalArgumentException.class, () -> ReductionKernels.softmax(DType.INT32));
        assertTrue(e.getMessage().startsWith("[Softmax]") && e.getMessage().contains("int32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReductionKernels.logSumExp(DType.BOOL));
        assertTrue(e.getMessage().startsWith("[LogSumExp]") && e.getMessage().contains("bool"), e.getMessage());
    }

    @Test
    void scanDefinesFlagsAndExclusiveIdentities() {
        KernelSpec s = ReductionKernels.scan(ScanOp.MAX, true, false, DType.INT32, DType.INT32);
        assertEquals(List.of("common.cuh", "arith.cuh", "scan.cu"), s.parts());
        assertEquals(Map.of("IN_T", "int", "OUT_T", "int", "ACC_T", "long long", "SCAN_OP", "mlxc_max",
                "INIT", "(-2147483648LL)", "REVERSE", "1", "INCLUSIVE", "0", "OUT_BOOL", "0"), s.defines());
        assertEquals("4294967295LL", ReductionKernels.scan(ScanOp.MIN, false, false, DType.UINT32, DType.UINT32).defines().get("INIT"));
        assertEquals("1LL", ReductionKernels.scan(ScanOp.MIN, false, false, DType.BOOL, DType.BOOL).defines().get("INIT"));
        assertEquals("1", ReductionKernels.scan(ScanOp.MIN, false, false, DType.BOOL, DType.BOOL).defines().get("OUT_BOOL"));
        assertEquals("0", ReductionKernels.scan(ScanOp.MIN, false, false, DType.UINT8, DType.UINT8).defines().get("OUT_BOOL"));
        assertEquals("0LL", ReductionKernels.scan(ScanOp.MAX, false, false, DType.UINT8, DType.UINT8).defines().get("INIT"));
        assertEquals("(-128LL)", ReductionKernels.scan(ScanOp.MAX, false, false, DType.INT8, DType.INT8).defines().get("INIT"));
        assertEquals("(-9223372036854775807LL - 1)", ReductionKernels.scan(ScanOp.MAX, false, true, DType.INT64, DType.INT64).defines().get("INIT"));
        KernelSpec l = ReductionKernels.scan(ScanOp.LOGADDEXP, false, true, DType.BFLOAT16, DType.BFLOAT16);
        assertEquals("(-__int_as_float(0x7f800000))", l.defines().get("INIT"));
        assertEquals("mlxc_logaddexp", l.defines().get("SCAN_OP"));
        assertEquals("1", l.defines().get("INCLUSIVE"));
        assertEquals("0", l.defines().get("REVERSE"));
        assertEquals("(-__longlong_as_double(0x7ff0000000000000LL))",
                ReductionKernels.scan(ScanOp.LOGADDEXP, false, true, DType.FLOAT64, DType.FLOAT64).defines().get("INIT"));
        assertEquals("__int_as_float(0x7f800000)", ReductionKernels.scan(ScanOp.MIN, false, false, DType.FLOAT16, DType.FLOAT16).defines().get("INIT"));
        assertEquals("1LL", ReductionKernels.scan(ScanOp.PROD, false, false, DType.INT8, DType.INT32).defines().get("INIT"));
    }

    @Test
    void scanRejectsWhatTheOpNeverBuilds() {
        var e = assertThrows(IllegalArgumentException.class, () -> ReductionKernels.scan(ScanOp.LOGADDEXP, false, true, DType.INT32, DType.INT32));
        assertTrue(e.getMessage().startsWith("[Scan.LOGADDEXP]") && e.getMessage().contains("int32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReductionKernels.scan(ScanOp.MAX, false, true, DType.INT8, DType.INT32));
        assertTrue(e.getMessage().startsWith("[Scan.MAX]") && e.getMessage().contains("int8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReductionKernels.scan(ScanOp.SUM, false, true, DType.FLOAT16, DType.FLOAT32));
        // every dtype the op layer produces has a spec
        for (ScanOp op : ScanOp.values()) {
            for (DType t : DType.values()) {
                if (op == ScanOp.LOGADDEXP && !t.isFloating()) continue;
                DType out = (op == ScanOp.SUM || op == ScanOp.PROD) && ReductionKernels.widenedInteger(t) != null ? ReductionKernels.widenedInteger(t) : t;
                assertNotNull(ReductionKernels.scan(op, false, true, t, out));
            }
        }
    }

    @Test
    void sortKeysAreWideOnlyForSixtyFourBitTypes() {
        KernelSpec s = ReductionKernels.sort(DType.FLOAT32);
        assertEquals(List.of("common.cuh", "sort.cu"), s.parts());
        assertEquals(Map.of("IN_T", "float", "KEY_T", "unsigned int", "OUT_T", "float", "ARGSORT", "0"), s.defines());
        KernelSpec a = ReductionKernels.argSort(DType.INT64);
        assertEquals(Map.of("IN_T", "long long", "KEY_T", "unsigned long long", "OUT_T", "unsigned int", "ARGSORT", "1"), a.defines());
        assertEquals(a, ReductionKernels.argPartition(DType.INT64));
        assertEquals("unsigned long long", ReductionKernels.sort(DType.FLOAT64).defines().get("KEY_T"));
        assertEquals("unsigned int", ReductionKernels.argSort(DType.FLOAT16).defines().get("KEY_T"));
        assertEquals(8, ReductionKernels.sortKeyBytes(DType.FLOAT64));
        assertEquals(4, ReductionKernels.sortKeyBytes(DType.BOOL));
        assertEquals(4, ReductionKernels.sortKeyBytes(DType.UINT32));
    }

    @Test
    void launchShapes() {
        assertEquals(32, ReductionKernels.blockFor(0));
        assertEquals(32, ReductionKernels.blockFor(1));
        assertEquals(32, ReductionKernels.blockFor(32));
        assertEquals(64, ReductionKernels.blockFor(33));
        assertEquals(256, ReductionKernels.blockFor(1000));
        assertEquals(1, ReductionKernels.sortPadded(1));
        assertEquals(2, ReductionKernels.sortPadded(2));
        assertEquals(4, ReductionKernels.sortPadded(3));
        assertEquals(2048, ReductionKernels.sortPadded(1025));
        assertEquals(2048, ReductionKernels.sortPadded(2048));
        assertEquals(32, ReductionKernels.sortBlock(1));
        assertEquals(32, ReductionKernels.sortBlock(64));
        assertEquals(512, ReductionKernels.sortBlock(1024));
        assertEquals(1024, ReductionKernels.sortBlock(2048));
    }

    @Test
    void catalogCoversEveryOpAndDtypeWithinBudget() {
        List<KernelSpec> c = ReductionKernels.catalog();
        assertTrue(c.size() <= 40, "catalog of " + c.size());
        assertEquals(c.size(), new HashSet<>(c).size(), "no duplicate variants");
        Set<String> parts = new HashSet<>(), reduces = new HashSet<>(), scans = new HashSet<>(), inTypes = new HashSet<>(), argFlags = new HashSet<>();
        for (KernelSpec s : c) {
            String part = s.parts().get(s.parts().size() - 1);
            parts.add(part);
            inTypes.add(s.defines().get("IN_T"));
            if (part.equals("reduce.cu")) reduces.add(s.defines().get("REDUCE"));
            if (part.equals("scan.cu")) scans.add(s.defines().get("SCAN_OP"));
            if (part.equals("argreduce.cu")) argFlags.add("arg" + s.defines().get("ARG_MAX"));
            if (part.equals("sort.cu")) argFlags.add("sort" + s.defines().get("ARGSORT"));
            String text = KernelSource.text(s);
            assertFalse(hasInclude(text), s.label());
        }
        assertEquals(Set.of("reduce.cu", "argreduce.cu", "softmax.cu", "scan.cu", "sort.cu"), parts);
        for (ReduceOp op : ReduceOp.values()) assertTrue(reduces.contains("mlxr_op_" + op.name().toLowerCase()), op.name());
        for (ScanOp op : ScanOp.values()) assertTrue(scans.contains("mlxc_" + op.name().toLowerCase()), op.name());
        assertEquals(Set.of("arg0", "arg1", "sort0", "sort1"), argFlags);
        Set<DType> missing = EnumSet.allOf(DType.class);
        missing.removeIf(t -> inTypes.contains(org.mlx4j.cuda.CudaTypes.cType(t)));
        assertEquals(Set.of(), missing, "dtypes without a variant");
    }
}
