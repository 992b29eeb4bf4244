package io.deskbridge.desk.template.scaffold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.io.IOException;
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
        assertThat(main.resolve("fake/FakeZephyrChatVendor.java")).exists();
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
