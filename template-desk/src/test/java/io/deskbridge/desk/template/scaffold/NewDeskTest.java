package io.deskbridge.desk.template.scaffold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The scaffold end to end: a desk generated for a made-up vendor compiles without a warning against this module's
 * own test class path, passes its conformance test in this JVM, and keeps nothing of the template's name.
 */
class NewDeskTest {

    private static final String VENDOR = "zephyr-chat";
    private static final Pattern TEMPLATE = Pattern.compile("(?i)template");

    @TempDir
    Path root;

    private Path templateDesk;

    @BeforeEach
    void checkout() throws IOException {
        templateDesk = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        // A stand-in repository root whose pom.xml is the real one, so adding the module is tested on the real file.
        Files.copy(templateDesk.resolveSibling("pom.xml"), root.resolve("pom.xml"));
    }

    @Test
    @DisplayName("A generated desk compiles cleanly, passes its conformance test and is listed in the root pom")
    void generatedDeskPassesItsConformanceTest() throws Exception {
        NewDesk.Result result = NewDesk.generate(templateDesk, root, VENDOR);

        assertThat(result.module()).isEqualTo(root.resolve("zephyr-chat-desk"));
        assertThat(result.javaPackage()).isEqualTo("io.deskbridge.desk.zephyrchat");
        assertThat(result.classPrefix()).isEqualTo("ZephyrChat");
        String pom = Files.readString(root.resolve("pom.xml"));
        assertThat(pom).contains("<module>template-desk</module>\n    <module>zephyr-chat-desk</module>");
        String modulePom = Files.readString(result.module().resolve("pom.xml"));
        assertThat(modulePom).contains("<artifactId>deskbridge-zephyr-chat-desk</artifactId>").doesNotContain("junit-platform-launcher");

        Path main = result.module().resolve("src/main/java/io/deskbridge/desk/zephyrchat");
        assertThat(main.resolve("ZephyrChatServiceDesk.java")).exists();
        assertThat(main.resolve("ZephyrChatServiceDeskProvider.java")).content().contains("NAME = \"zephyr-chat\"");
        assertThat(main.resolve("ZephyrChatSettings.java")).content().contains("ZEPHYR_CHAT_API_KEY");
        assertThat(main.resolve("fake")).doesNotExist(); // nothing fake in production code
        assertThat(result.module().resolve("src/test/java/io/deskbridge/desk/zephyrchat/fake/FakeZephyrChatVendor.java")).exists();
        assertThat(result.module().resolve("src/test/java/io/deskbridge/desk/zephyrchat/ZephyrChatServiceDeskConformanceTest.java"))
                .content().contains("\"zephyr-chat.apiKey\"");
        assertThat(result.module().resolve("src/test/java/io/deskbridge/desk/zephyrchat/scaffold")).doesNotExist();

        assertNoTemplateLeftIn(result.module());

        Path classes = root.resolve("build/classes");
        Path testClasses = root.resolve("build/test-classes");
        String classPath = testClassPath();
        compile(javaFiles(result.module().resolve("src/main/java")), classes, classPath);
        // The Maven build registers the provider with the auto-service annotation processor, which is not on this
        // test's class path (it lives on the compiler's processor path); write the registration it would write.
        Path registration = Files.createDirectories(classes.resolve("META-INF/services")).resolve("io.deskbridge.core.ServiceDeskProvider");
        Files.writeString(registration, "io.deskbridge.desk.zephyrchat.ZephyrChatServiceDeskProvider\n");
        assertThat(Files.readString(main.resolve("ZephyrChatServiceDeskProvider.java"))).contains("@AutoService(ServiceDeskProvider.class)");
        compile(javaFiles(result.module().resolve("src/test/java")), testClasses, classes + File.pathSeparator + classPath);

        List<String> testClassNames;
        try (Stream<Path> files = Files.walk(result.module().resolve("src/test/java"))) {
            testClassNames = files.filter(f -> f.getFileName().toString().endsWith("Test.java"))
                    .map(f -> result.module().resolve("src/test/java").relativize(f).toString())
                    .map(name -> name.substring(0, name.length() - ".java".length()).replace(File.separatorChar, '.'))
                    .sorted().toList();
        }
        assertThat(testClassNames).contains("io.deskbridge.desk.zephyrchat.ZephyrChatServiceDeskConformanceTest");

        TestExecutionSummary summary = runTests(testClassNames, classes, testClasses);
        String failures = summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                .collect(Collectors.joining("\n"));
        assertThat(summary.getTotalFailureCount()).as("failures of the generated desk's tests:\n%s", failures).isZero();
        assertThat(summary.getTestsSucceededCount()).as("tests of the generated desk that passed").isGreaterThan(40);
    }

    @Test
    @DisplayName("Unusable vendor names are refused, naming the problem, and nothing is written")
    void badVendorNames() throws IOException {
        String before = Files.readString(root.resolve("pom.xml"));
        assertThatThrownBy(() -> NewDesk.generate(templateDesk, root, "Acme")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case");
        assertThatThrownBy(() -> NewDesk.generate(templateDesk, root, "1acme")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starting with a letter");
        assertThatThrownBy(() -> NewDesk.generate(templateDesk, root, "acme_cloud")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'acme_cloud' is not a usable vendor name");
        assertThatThrownBy(() -> NewDesk.generate(templateDesk, root, "template")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taken");
        assertThatThrownBy(() -> NewDesk.generate(templateDesk, root, "class")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Java keyword");
        assertThat(Files.readString(root.resolve("pom.xml"))).isEqualTo(before);
        try (Stream<Path> entries = Files.list(root)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("pom.xml");
        }
    }

    @Test
    @DisplayName("An existing module is never overwritten")
    void existingModuleIsKept() throws IOException {
        Path existing = Files.createDirectories(root.resolve("acme-desk"));
        Files.writeString(existing.resolve("keep.txt"), "mine");
        String before = Files.readString(root.resolve("pom.xml"));

        assertThatThrownBy(() -> NewDesk.generate(templateDesk, root, "acme")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already exists");

        assertThat(existing.resolve("keep.txt")).hasContent("mine");
        assertThat(Files.readString(root.resolve("pom.xml"))).isEqualTo(before);
    }

    @Test
    @DisplayName("The command line needs one vendor name and knows its options")
    void commandLine() {
        assertThatThrownBy(() -> NewDesk.run(new String[0])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name the vendor");
        assertThatThrownBy(() -> NewDesk.run(new String[] {"acme", "--force"})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option --force");
        assertThatThrownBy(() -> NewDesk.run(new String[] {"acme", "other"})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one vendor name at a time");
        assertThatThrownBy(() -> NewDesk.run(new String[] {"acme", "--archetype", "out"})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--archetype takes no vendor name");
        assertThatThrownBy(() -> NewDesk.run(new String[] {"acme", "--into"})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--into needs a directory");
    }

    @Test
    @DisplayName("--into writes the same files as the scaffold, changes no pom.xml, replaces its earlier output inside target/ and never a directory "
            + "of anything else")
    void filesOnly() throws IOException {
        String before = Files.readString(root.resolve("pom.xml"));
        NewDesk.Result module = NewDesk.generate(templateDesk, root, "acme-cloud");
        String withModule = Files.readString(root.resolve("pom.xml"));
        Path reference = root.resolve("target/reference");
        Files.createDirectories(reference.resolve("stale"));

        NewDesk.Result files = NewDesk.generateInto(templateDesk, reference, "acme-cloud");

        assertThat(files.kind()).isEqualTo(NewDesk.Kind.FILES);
        assertThat(Files.readString(root.resolve("pom.xml"))).isEqualTo(withModule).isNotEqualTo(before);
        assertThat(reference.resolve("stale")).doesNotExist();
        assertThat(relativeFiles(reference)).isEqualTo(relativeFiles(module.module()));
        for (String file : relativeFiles(reference)) {
            assertThat(reference.resolve(file)).as(file).hasSameTextualContentAs(module.module().resolve(file));
        }
        assertThatThrownBy(() -> NewDesk.generateInto(templateDesk, templateDesk.resolve("src/x"), "acme"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be the output");
        Path someonesDirectory = root.resolve("notes");
        Files.createDirectories(someonesDirectory);
        Files.writeString(someonesDirectory.resolve("todo.txt"), "keep me");
        assertThatThrownBy(() -> NewDesk.generateInto(templateDesk, someonesDirectory, "acme"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not empty and not inside a build's target directory");
        assertThat(someonesDirectory.resolve("todo.txt")).hasContent("keep me");
        Path empty = Files.createDirectories(root.resolve("empty"));
        assertThat(NewDesk.generateInto(templateDesk, empty, "acme").files()).isNotEmpty();
    }

    @Test
    @DisplayName("--archetype renders the template desk as archetype resources, with every name a property")
    void archetypeResources() throws IOException {
        Path output = root.resolve("target/archetype");

        NewDesk.Result result = NewDesk.generateArchetype(templateDesk, output);

        assertThat(result.kind()).isEqualTo(NewDesk.Kind.ARCHETYPE);
        Path resources = output.resolve("archetype-resources");
        assertThat(resources.resolve("pom.xml")).content().contains("<artifactId>deskbridge-${vendor}-desk</artifactId>")
                .doesNotContain("junit-platform-launcher");
        assertThat(resources.resolve("src/main/java/__vendorClass__ServiceDeskProvider.java")).content()
                .contains("package ${package};", "NAME = \"${vendor}\"");
        assertThat(resources.resolve("src/main/java/__vendorClass__Settings.java")).content()
                .contains("${vendorUpper}_API_KEY", "{@value #[[#]]#PREFIX}");
        assertThat(resources.resolve("src/test/java/fake/Fake__vendorClass__Vendor.java")).exists();
        assertThat(resources.resolve("src/main/java/fake")).doesNotExist();
        assertThat(resources.resolve("src/test/java/__vendorClass__ServiceDeskConformanceTest.java")).exists();
        assertThat(resources.resolve("src/test/java/scaffold")).doesNotExist();
        assertThat(resources.resolve("README.md")).content().startsWith("#[[#]]# deskbridge ${vendor} desk\n")
                .contains("./mvnw -pl ${artifactId} -am verify");
        try (Stream<Path> files = Files.walk(resources)) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> !f.endsWith("README.md")).map(NewDeskTest::read))
                    .noneMatch(text -> TEMPLATE.matcher(text).find());
        }
        String metadata = Files.readString(output.resolve("META-INF/maven/archetype-metadata.xml"));
        assertThat(metadata).contains("<requiredProperty key=\"vendor\">", "<requiredProperty key=\"vendorClass\">",
                "<requiredProperty key=\"vendorUpper\">", "<defaultValue>${vendor}-desk</defaultValue>",
                "<directory>src/main/java</directory>", "<directory>src/test/java</directory>");
        assertThat(metadata).contains("<defaultValue>" + NewDesk.parentVersion(Files.readString(templateDesk.resolve("pom.xml"))) + "</defaultValue>");

        Files.writeString(resources.resolve("stale.txt"), "from an earlier build");
        NewDesk.generateArchetype(templateDesk, output);
        assertThat(resources.resolve("stale.txt")).doesNotExist();
    }

    @Test
    @DisplayName("The archetype's vendor pattern accepts what the scaffold accepts, and the same names are refused")
    void archetypeVendorPattern() {
        Pattern vendor = Pattern.compile(NewDesk.ArchetypeNames.properties("1").get(0).pattern());
        assertThat(List.of("acme", "acme-cloud", "a1", "zephyr-chat")).allMatch(name -> vendor.matcher(name).matches());
        assertThat(List.of("Acme", "1acme", "acme_cloud", "acme-", "template", "core", "a".repeat(31)))
                .noneMatch(name -> vendor.matcher(name).matches());
    }

    @Test
    @DisplayName("Velocity renders the text as it is: # and $ in unparsed blocks, with the backslashes before them")
    void velocityEscapes() {
        String text = "/** {@link #end}, {@link Template#connect} ## not a comment #* nor this *# $price \\#if \\$x \\n */";
        assertThat(NewDesk.ArchetypeNames.velocity(NewDesk.ArchetypeNames.CONTENT.rename(text)))
                .isEqualTo("/** {@link #[[#]]#end}, {@link ${vendorClass}#[[#]]#connect} #[[##]]# not a comment #[[#]]#* nor this *#[[#]]#"
                        + " #[[$]]#price #[[\\#]]#if #[[\\$]]#x \\n */");
    }

    @Test
    @DisplayName("Blocks marked template-only are left out, and a broken marker is reported")
    void omittedBlocks() {
        String text = "a\n<!-- scaffold:omit-begin -->\nonly here\n<!-- scaffold:omit-end -->\nb";
        assertThat(NewDesk.omitTemplateOnly(text, Path.of("pom.xml"))).isEqualTo("a\nb");
        assertThatThrownBy(() -> NewDesk.omitTemplateOnly("a\n<!-- scaffold:omit-begin -->\nb", Path.of("pom.xml")))
                .hasMessageContaining("never closed");
    }

    @Test
    @DisplayName("The module goes after template-desk, or at the end of <modules>, with the pom's own line endings")
    void addModule() {
        assertThat(NewDesk.addModule("<modules>\r\n  <module>core</module>\r\n</modules>\r\n", "acme-desk"))
                .isEqualTo("<modules>\r\n  <module>core</module>\r\n  <module>acme-desk</module>\r\n</modules>\r\n");
        assertThat(NewDesk.addModule("<modules>\n  <module>template-desk</module>\n  <module>webchat</module>\n</modules>\n", "acme-desk"))
                .isEqualTo("<modules>\n  <module>template-desk</module>\n  <module>acme-desk</module>\n  <module>webchat</module>\n</modules>\n");
        assertThatThrownBy(() -> NewDesk.addModule("<project/>", "acme-desk")).hasMessageContaining("no <modules> section");
    }

    private static void assertNoTemplateLeftIn(Path module) throws IOException {
        List<String> leftovers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(module)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = module.relativize(file).toString();
                if (TEMPLATE.matcher(relative).find()) {
                    leftovers.add(relative);
                }
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    boolean intended = relative.equals("README.md") && line.startsWith("Generated from deskbridge's `template-desk`");
                    if (TEMPLATE.matcher(line).find() && !intended) {
                        leftovers.add(relative + ":" + (i + 1) + ": " + line.trim());
                    }
                }
            }
        }
        assertThat(leftovers).as("the template's name left in the generated desk").isEmpty();
    }

    private static List<String> relativeFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** This test's class path as Maven resolved it (surefire puts it in a manifest-only jar otherwise). */
    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static void compile(List<Path> sources, Path output, String classPath) throws IOException {
        Files.createDirectories(output);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("the JDK's compiler (run the build on a JDK)").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-Xlint:all,-processing,-serial", "-proc:none",
                    "-classpath", classPath, "-d", output.toString());
            boolean ok = compiler.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
            List<String> problems = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING
                            || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
                    .map(d -> d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                            + d.getMessage(Locale.ROOT))
                    .toList();
            assertThat(problems).as("errors and warnings compiling the generated desk").isEmpty();
            assertThat(ok).as("the generated desk compiled").isTrue();
        }
    }

    private static TestExecutionSummary runTests(List<String> classNames, Path classes, Path testClasses) throws Exception {
        ClassLoader parent = NewDeskTest.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), testClasses.toUri().toURL()}, parent)) {
            thread.setContextClassLoader(loader);
            List<ClassSelector> selectors = new ArrayList<>();
            for (String name : classNames) {
                selectors.add(selectClass(loader.loadClass(name)));
            }
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(request, listener);
            return listener.getSummary();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
