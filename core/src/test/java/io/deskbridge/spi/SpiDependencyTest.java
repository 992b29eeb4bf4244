package io.deskbridge.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("io.deskbridge.spi depends on nothing but the JDK")
class SpiDependencyTest {

    /** Where a type may come from: the JDK's java.* packages, or the contract itself. */
    static boolean allowed(String type) {
        return type.startsWith("java.") || (type.startsWith("io.deskbridge.spi.") && type.lastIndexOf('.') == "io.deskbridge.spi".length());
    }

    /** The compiled classes of a package, as class name to class file bytes. */
    static Map<String, byte[]> compiledClasses(Class<?> member) throws IOException, URISyntaxException {
        URI location = member.getProtectionDomain().getCodeSource().getLocation().toURI();
        String packagePath = member.getPackageName().replace('.', '/');
        Map<String, byte[]> classes = new TreeMap<>();
        Path root = Path.of(location);
        if (Files.isDirectory(root)) {
            read(root, root.resolve(packagePath), classes);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                Path jarRoot = jar.getPath("/");
                read(jarRoot, jarRoot.resolve(packagePath), classes);
            }
        }
        return classes;
    }

    private static void read(Path root, Path packageDir, Map<String, byte[]> classes) throws IOException {
        try (Stream<Path> files = Files.list(packageDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList())) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                classes.put(name, Files.readAllBytes(file));
            }
        }
    }

    /** Every reference from a class of the map to a type outside what {@link #allowed} permits, as "class -> type". */
    static List<String> forbiddenReferences(Map<String, byte[]> classes) throws Exception {
        List<String> offences = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
            Set<String> referenced = ClassReferences.inConstantPool(entry.getValue());
            referenced.addAll(ClassReferences.bySignature(Class.forName(entry.getKey())));
            referenced.stream().filter(type -> !allowed(type)).forEach(type -> offences.add(entry.getKey() + " -> " + type));
        }
        return offences;
    }

    @Test
    @DisplayName("no class of io.deskbridge.spi refers to a type outside java.* and io.deskbridge.spi")
    void onlyTheJdk() throws Exception {
        Map<String, byte[]> classes = compiledClasses(ServiceDesk.class);
        assertThat(classes).as("compiled classes of io.deskbridge.spi").containsKeys(
                "io.deskbridge.spi.ServiceDesk", "io.deskbridge.spi.ServiceDeskCallback", "io.deskbridge.spi.ErrorInfo$Connecting");
        assertThat(classes).hasSizeGreaterThan(20);

        List<String> offences = forbiddenReferences(classes);

        assertThat(offences).as("types io.deskbridge.spi must not depend on (class -> type)").isEmpty();
    }

    @Test
    @DisplayName("the check finds framework types: it reports Guice in io.deskbridge.core.Deskbridge")
    void theCheckCanFail() throws Exception {
        Map<String, byte[]> core = compiledClasses(io.deskbridge.core.Deskbridge.class);
        Map<String, byte[]> deskbridge = Map.of("io.deskbridge.core.Deskbridge", core.get("io.deskbridge.core.Deskbridge"));

        List<String> offences = forbiddenReferences(deskbridge);

        assertThat(offences).contains("io.deskbridge.core.Deskbridge -> com.google.inject.Injector",
                "io.deskbridge.core.Deskbridge -> org.slf4j.Logger");
        assertThat(ClassReferences.inConstantPool(core.get("io.deskbridge.core.ServiceDeskProvider")))
                .as("a type named only in a method signature").contains("com.google.inject.Module");
        assertThat(ClassReferences.bySignature(io.deskbridge.core.ServiceDeskProvider.class)).contains("com.google.inject.Module");
    }

    @Test
    @DisplayName("a type used only inside a method body is found in the constant pool")
    void methodBodies() throws Exception {
        Map<String, byte[]> own = compiledClasses(SpiDependencyTest.class);

        assertThat(ClassReferences.inConstantPool(own.get(SpiDependencyTest.class.getName())))
                .contains("org.assertj.core.api.Assertions", "java.nio.file.FileSystems");
    }
}
