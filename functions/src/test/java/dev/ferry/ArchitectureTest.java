package dev.ferry;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ferry.core.Ferry;
import dev.ferry.core.Ports;
import dev.ferry.core.log.Log;
import org.junit.jupiter.api.Test;

/**
 * The seams of the code, as rules over the main classes of core, infra and functions (tests and
 * test jars left out): see docs/architecture.md, "Inside core".
 */
class ArchitectureTest {
    private static final String CORE = "dev.ferry.core..";
    private static final String PORT = "dev.ferry.core.port";
    private static final String SERVICE = "dev.ferry.core.service..";
    private static final String API = "dev.ferry.core.api..";

    /** Main classes only: neither test classes nor the modules' test jars (fakes, contract tests). */
    private static final ImportOption MAIN_ONLY = location -> !location.contains("/test-classes/")
            && !location.contains("-tests.jar");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(MAIN_ONLY)
            .importPackages("dev.ferry.core", "dev.ferry.infra", "dev.ferry.functions");

    @Test
    void coreImportsNoAws() {
        noClasses().that().resideInAPackage(CORE)
                .should().dependOnClassesThat().resideInAPackage("software.amazon..")
                .check(CLASSES);
    }

    @Test
    void coreImportsNoInfraNorAnyOuterModule() {
        noClasses().that().resideInAPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("dev.ferry.infra..", "dev.ferry.functions..",
                        "dev.ferry.local..", "dev.ferry.cli..")
                .check(CLASSES);
    }

    @Test
    void servicesDoNotImportTheApi() {
        noClasses().that().resideInAPackage(SERVICE)
                .should().dependOnClassesThat().resideInAPackage(API)
                .check(CLASSES);
    }

    @Test
    void portsAreInterfacesInCorePort() {
        classes().that().resideInAPackage(PORT).and().areTopLevelClasses()
                .should().beInterfaces()
                .check(CLASSES);
    }

    @Test
    void noServiceOrRouteTakesThePortsHolder() {
        noClasses().that().resideInAnyPackage(SERVICE, API)
                .should().dependOnClassesThat().belongToAnyOf(Ports.class)
                .check(CLASSES);
    }

    @Test
    void servicesAndRoutesAreBuiltByFerryAlone() {
        DescribedPredicate<JavaConstructorCall> buildsAServiceOrRoute = describe(
                "the target is a service or route class holding a port (and not the class itself delegating)",
                call -> holdsAPort(call.getTargetOwner()) && !call.getOriginOwner().equals(call.getTargetOwner()));
        noClasses().that().doNotBelongToAnyOf(Ferry.class)
                .should().callConstructorWhere(buildsAServiceOrRoute)
                .check(CLASSES);
    }

    /**
     * The handlers read queue bodies through core's codecs ({@code dev.ferry.core.message}) and never
     * through an adapter's parser: no class of functions uses infra except Wiring and Priming, which
     * build the adapters.
     */
    @Test
    void functionsImportNoInfraParserOrCodec() {
        DescribedPredicate<JavaClass> buildsAdapters = describe("Wiring or Priming (they build the adapters)",
                c -> c.getName().startsWith("dev.ferry.functions.Wiring") || c.getName().startsWith("dev.ferry.functions.Priming"));
        noClasses().that().resideInAPackage("dev.ferry.functions..").and(DescribedPredicate.not(buildsAdapters))
                .should().dependOnClassesThat().resideInAPackage("dev.ferry.infra..")
                .check(CLASSES);
    }

    /**
     * One outbound HTTP seam: only {@code dev.ferry.core.net} (the destination policy and the
     * transport that dials the checked address) holds an HTTP client or opens a socket; every other
     * class sends through the {@code HttpCaller} port, so nothing can skip the policy. (Reading the
     * client's exceptions, such as {@code HttpTimeoutException}, is fine.)
     */
    @Test
    void outboundHttpGoesThroughCoreNetAlone() {
        DescribedPredicate<JavaClass> httpClient = describe("are an HTTP client, a URL connection or a socket",
                c -> c.getPackageName().startsWith("org.apache.hc")
                        || c.getPackageName().equals("java.net.http") && !c.isAssignableTo(java.io.IOException.class)
                        || c.isAssignableTo(java.net.URLConnection.class) || c.isAssignableTo(java.net.Socket.class));
        noClasses().that().resideOutsideOfPackage("dev.ferry.core.net..")
                .should().dependOnClassesThat(httpClient)
                .check(CLASSES);
    }

    /**
     * Core, infra and the handlers log through {@link Log} alone, so every line is one JSON object
     * with the same correlation keys: only {@code Log} writes to standard error or output.
     */
    @Test
    void onlyLogWritesToStandardErrorOrOutput() {
        noClasses().that().resideOutsideOfPackage("dev.ferry.core.log")
                .should().accessField(System.class, "err").orShould().accessField(System.class, "out")
                .check(CLASSES);
    }

    private static boolean holdsAPort(JavaClass c) {
        return (c.getPackageName().startsWith("dev.ferry.core.service") || c.getPackageName().startsWith("dev.ferry.core.api"))
                && c.getFields().stream().anyMatch(f -> f.getRawType().getPackageName().equals(PORT));
    }
}
