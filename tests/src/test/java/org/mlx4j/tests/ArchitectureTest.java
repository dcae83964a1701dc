package org.mlx4j.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DESIGN.md's arrows, checked on the compiled classes. */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.mlx4j");
    }

    @Test void nnAndOptimUseOnlyPublicOps() {
        noClasses().that().resideInAnyPackage("org.mlx4j.nn..", "org.mlx4j.optim..")
                .should().dependOnClassesThat().resideInAnyPackage("org.mlx4j.core.backend..", "org.mlx4j.core.primitive..",
                        "org.mlx4j.core.memory..", "org.mlx4j.core.transforms..", "org.mlx4j.core.ops..")
                .because("layers and optimizers are built from mlx-core's public ops only (DESIGN.md), so they run on every backend")
                .check(classes);
    }

    @Test void optimNeverNeedsNn() {
        noClasses().that().resideInAPackage("org.mlx4j.optim..").should().dependOnClassesThat().resideInAPackage("org.mlx4j.nn..")
                .because("optimizers work on parameter trees (DESIGN.md: optim -> core only)").check(classes);
    }

    @Test void coreNeedsNeitherNnNorOptim() {
        noClasses().that().resideInAPackage("org.mlx4j.core..").should().dependOnClassesThat()
                .resideInAnyPackage("org.mlx4j.nn..", "org.mlx4j.optim..").check(classes);
    }

    @Test void librariesNeverNeedTheExamples() {
        noClasses().that().resideInAnyPackage("org.mlx4j.core..", "org.mlx4j.nn..", "org.mlx4j.optim..").should().dependOnClassesThat()
                .resideInAPackage("org.mlx4j.examples..").because("examples -> nn, optim (DESIGN.md), never the other way").check(classes);
    }

    @Test void nothingCompilesAgainstTheCudaBackend() {
        noClasses().that().resideOutsideOfPackage("org.mlx4j.cuda..").should().dependOnClassesThat().resideInAPackage("org.mlx4j.cuda..")
                .because("GPU backends are found at run time through ServiceLoader (DESIGN.md: nothing depends on a GPU module at compile time)")
                .check(classes);
    }

    @Test void theCudaBackendNeedsOnlyTheCore() {
        noClasses().that().resideInAPackage("org.mlx4j.cuda..").should().dependOnClassesThat()
                .resideInAnyPackage("org.mlx4j.nn..", "org.mlx4j.optim..", "org.mlx4j.examples..", "org.mlx4j.core.backend.cpu..")
                .because("cuda -> core SPI (DESIGN.md); it shares nothing with the CPU backend's internals").check(classes);
    }

    @Test void examplesUsePublicApiOnly() {
        // the command line's doctor and the benchmarks (cli, bench, *Bench) report which CPU path and backend are active; nothing else looks inside
        noClasses().that().resideInAPackage("org.mlx4j.examples..").and().resideOutsideOfPackages("org.mlx4j.examples.cli..", "org.mlx4j.examples.bench..").and().haveSimpleNameNotEndingWith("Bench")
                .should().dependOnClassesThat().resideInAnyPackage("org.mlx4j.core.backend..", "org.mlx4j.core.primitive..",
                        "org.mlx4j.core.memory..", "org.mlx4j.core.transforms..", "org.mlx4j.core.ops..")
                .because("example programs are what users copy: they show the public API").check(classes);
    }

    @Test void importLayerExampleNeedsOnlyCoreAndNn() {
        noClasses().that().haveSimpleNameStartingWith("ImportLayerExample").should().dependOnClassesThat()
                .resideInAnyPackage("org.mlx4j.optim..", "org.mlx4j.examples.cli..", "org.mlx4j.examples.data..", "org.mlx4j.examples.train..",
                        "org.mlx4j.examples.fashion..", "org.mlx4j.examples.lm..", "org.mlx4j.examples.bench..", "picocli..", "me.tongfei..", "org.knowm..", "org.apache.logging.log4j.core..")
                .because("it is what a user pastes into a service that depends on mlx-core and mlx-nn alone").check(classes);
    }
}
