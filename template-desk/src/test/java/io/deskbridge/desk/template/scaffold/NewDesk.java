package io.deskbridge.desk.template.scaffold;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;

/**
 * Creates a new desk module from {@code template-desk}: the scaffold behind {@code ./new-desk VENDOR}.
 *
 * <p>It copies the template desk's sources and build file, renaming as it goes: the package
 * {@code io.deskbridge.desk.template} becomes {@code io.deskbridge.desk.<vendor>}, the {@code Template} prefix of
 * every class becomes the vendor's ({@code AcmeServiceDesk}, {@code AcmeModule}, the tests' {@code FakeAcmeVendor}…), the desk
 * name and configuration prefix {@code template} become the vendor name ({@code acme.apiKey}, {@code ACME_API_KEY}),
 * and the artifact {@code deskbridge-template-desk} becomes {@code deskbridge-<vendor>-desk}. It writes a README for
 * the new module and adds it to the root {@code pom.xml}. The template desk is the only source: nothing here holds a
 * second copy of it, so the generated desk is always the template of the checkout it was made from.
 *
 * <p>Only the JDK is used, so it runs straight from source with no build:
 * {@code java template-desk/src/test/java/io/deskbridge/desk/template/scaffold/NewDesk.java acme}.
 *
 * <p>The build of {@code desk-archetype} runs it twice more: {@code --archetype DIR} renders the same files as the
 * resources of a Maven archetype (Velocity templates and {@code archetype-metadata.xml}), and {@code VENDOR --into DIR}
 * writes one desk's files without touching any {@code pom.xml}, as the reference the archetype's output is compared
 * with. So the archetype is made from the template desk too, and cannot drift from the scaffold.
 */
public final class NewDesk {

    /** What the scaffold produced. */
    public record Result(Kind kind, Path module, String deskName, String javaPackage, String classPrefix, String artifactId, List<Path> files) {
        public Result {
            requireNonNull(kind, "kind is null");
            requireNonNull(module, "module is null");
            files = List.copyOf(files);
        }
    }

    /** What was written: a module added to the root pom, a desk's files alone, or the archetype's resources. */
    public enum Kind { MODULE, FILES, ARCHETYPE }

    static final String TEMPLATE_NAME = "template";
    static final String TEMPLATE_PACKAGE = "io.deskbridge.desk.template";
    static final String TEMPLATE_MODULE = "template-desk";

    /** Lines between these markers (markers included) exist for the template only and are left out. */
    static final String OMIT_BEGIN = "scaffold:omit-begin";
    static final String OMIT_END = "scaffold:omit-end";

    private static final Pattern VENDOR = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final int MAX_VENDOR_LENGTH = 30;
    private static final Set<String> TAKEN = Set.of("template", "example", "core", "testkit", "webchat", "genesys", "deskbridge");
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".idea", ".settings");
    private static final Pattern LEFTOVER = Pattern.compile("(?i)template");
    /** A source file in the template's package: group 1 the source directory ({@code src/main/java}), group 2 the rest. */
    private static final Pattern PACKAGED_SOURCE = Pattern.compile("(src/[^/]+/java)/" + Pattern.quote(TEMPLATE_PACKAGE.replace('.', '/')) + "/(.+)");

    private NewDesk() {}

    /**
     * {@code NewDesk VENDOR [--root DIR]}: creates {@code DIR/VENDOR-desk} from {@code DIR/template-desk}; DIR is
     * the repository root, by default the nearest directory at or above the working directory that holds
     * {@code template-desk} and a {@code pom.xml}.
     */
    public static void main(String[] args) {
        try {
            Result result = run(args);
            if (result.kind() == Kind.ARCHETYPE) {
                System.out.println("Wrote the archetype's " + result.files().size() + " files to " + result.module());
                return;
            }
            if (result.kind() == Kind.FILES) {
                System.out.println("Wrote " + result.files().size() + " files of the " + result.deskName() + " desk to " + result.module());
                return;
            }
            PrintStream out = System.out;
            out.println("Created " + result.module() + " with " + result.files().size() + " files:");
            out.println("  desk name " + result.deskName() + " (desk=" + result.deskName() + ", settings " + result.deskName() + ".*)");
            out.println("  package   " + result.javaPackage() + ", classes " + result.classPrefix() + "ServiceDesk, "
                    + result.classPrefix() + "Module, " + result.classPrefix() + "Settings, ...");
            out.println("  artifact  " + result.artifactId() + ", added to the root pom.xml");
            out.println("Next: ./mvnw -pl " + result.module().getFileName() + " -am verify   (runs "
                    + result.classPrefix() + "ServiceDeskConformanceTest against the fake vendor)");
            out.println("Then follow docs/adding-a-desk.md from step 3 to connect the real vendor.");
        } catch (IllegalArgumentException e) {
            System.err.println("new-desk: " + e.getMessage());
            System.err.println("usage: ./new-desk VENDOR [--root DIR]   (VENDOR: lower case, for example acme or acme-cloud)");
            System.err.println("       NewDesk VENDOR --into DIR [--root DIR]   (the desk's files only, into DIR, no pom.xml changed)");
            System.err.println("       NewDesk --archetype DIR [--root DIR]     (the resources of the Maven archetype, into DIR)");
            System.exit(2);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("new-desk: " + e.getMessage());
            System.exit(1);
        }
    }

    static Result run(String[] args) throws IOException {
        String vendor = null;
        Path root = null;
        Path into = null;
        Path archetype = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--root") || arg.equals("--into") || arg.equals("--archetype")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a directory");
                }
                Path dir = Path.of(args[++i]);
                switch (arg) {
                    case "--root" -> root = dir;
                    case "--into" -> into = dir;
                    default -> archetype = dir;
                }
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + arg);
            } else if (vendor == null) {
                vendor = arg;
            } else {
                throw new IllegalArgumentException("one vendor name at a time, not '" + vendor + "' and '" + arg + "'");
            }
        }
        if (archetype != null && (vendor != null || into != null)) {
            throw new IllegalArgumentException("--archetype takes no vendor name and no --into: the archetype asks for the vendor");
        }
        if (vendor == null && archetype == null) {
            throw new IllegalArgumentException("name the vendor");
        }
        if (root == null) {
            root = findRoot(Path.of("").toAbsolutePath());
        }
        Path templateDesk = root.resolve(TEMPLATE_MODULE);
        if (archetype != null) {
            return generateArchetype(templateDesk, archetype);
        }
        if (into != null) {
            return generateInto(templateDesk, into, vendor);
        }
        return generate(templateDesk, root, vendor);
    }

    private static Path findRoot(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(TEMPLATE_MODULE)) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalArgumentException("no deskbridge checkout (a directory with " + TEMPLATE_MODULE + " and pom.xml) at or above "
                + start + "; run it from the repository or pass --root");
    }

    /**
     * Creates {@code root/<vendor>-desk} from {@code templateDesk} and adds it to {@code root/pom.xml}.
     *
     * @throws IllegalArgumentException if the vendor name is unusable or the module exists; nothing is written then
     */
    public static Result generate(Path templateDesk, Path root, String vendor) throws IOException {
        Names names = Names.of(vendor);
        checkIsTemplate(templateDesk);
        Path rootPom = root.resolve("pom.xml");
        if (!Files.isRegularFile(rootPom)) {
            throw new IllegalArgumentException(root + " has no pom.xml to add the module to");
        }
        Path module = root.resolve(names.module());
        if (Files.exists(module)) {
            throw new IllegalArgumentException(module + " already exists; choose another vendor name or remove it");
        }
        String pom = Files.readString(rootPom, StandardCharsets.UTF_8);
        String updatedPom = addModule(pom, names.module());

        List<Path> written = writeModule(templateDesk, module, names);
        Files.writeString(rootPom, updatedPom, StandardCharsets.UTF_8);
        return new Result(Kind.MODULE, module, names.desk(), names.javaPackage(), names.classPrefix(), names.artifactId(), written);
    }

    /**
     * Writes the desk of {@code vendor} into {@code module}, as {@link #generate} does, but changes no {@code pom.xml}: the
     * reference that the archetype's output is compared with. An existing {@code module} is replaced.
     */
    public static Result generateInto(Path templateDesk, Path module, String vendor) throws IOException {
        Names names = Names.of(vendor);
        checkIsTemplate(templateDesk);
        replaceableOutput(templateDesk, module);
        List<Path> written = writeModule(templateDesk, module, names);
        return new Result(Kind.FILES, module, names.desk(), names.javaPackage(), names.classPrefix(), names.artifactId(), written);
    }

    private static List<Path> writeModule(Path templateDesk, Path module, Names names) throws IOException {
        List<Path> written = new ArrayList<>();
        try {
            for (Path source : sources(templateDesk)) {
                Path relative = templateDesk.relativize(source);
                Path target = module.resolve(names.rename(relative.toString().replace('\\', '/')));
                Files.createDirectories(target.getParent());
                String text = omitTemplateOnly(Files.readString(source, StandardCharsets.UTF_8), relative);
                Files.writeString(target, names.rename(text), StandardCharsets.UTF_8);
                written.add(target);
            }
            Path readme = module.resolve("README.md");
            Files.writeString(readme, readme(names), StandardCharsets.UTF_8);
            written.add(readme);
            checkNoLeftovers(module, written);
        } catch (IOException | RuntimeException e) {
            deleteTree(module);
            throw e;
        }
        return written;
    }

    /**
     * Writes the resources of the desk archetype into {@code output}: {@code archetype-resources/**}, the template desk's
     * files as Velocity templates, and {@code META-INF/maven/archetype-metadata.xml}. An existing {@code output} is
     * replaced. The names are the archetype's properties: {@code vendor} (the desk name, {@code acme}), {@code vendorClass}
     * ({@code Acme}), {@code vendorUpper} ({@code ACME}), {@code package} and {@code artifactId} (the module's directory,
     * {@code acme-desk}); every property but {@code vendor} has a default derived from it, as {@link Names#of} derives it.
     */
    public static Result generateArchetype(Path templateDesk, Path output) throws IOException {
        checkIsTemplate(templateDesk);
        replaceableOutput(templateDesk, output);
        Path resources = output.resolve("archetype-resources");
        Map<String, Boolean> fileSets = new TreeMap<>(); // directory -> packaged
        List<Path> written = new ArrayList<>();
        try {
            for (Path source : sources(templateDesk)) {
                String relative = templateDesk.relativize(source).toString().replace('\\', '/');
                String text = omitTemplateOnly(Files.readString(source, StandardCharsets.UTF_8), Path.of(relative));
                String resource;
                Matcher packaged = PACKAGED_SOURCE.matcher(relative);
                if (relative.equals("pom.xml")) {
                    resource = relative;
                } else if (packaged.matches()) {
                    fileSets.put(packaged.group(1), true);
                    resource = packaged.group(1) + "/" + ArchetypeNames.PATH.rename(packaged.group(2));
                } else if (!relative.contains(TEMPLATE_PACKAGE.replace('.', '/'))) {
                    resource = ArchetypeNames.PATH.rename(relative);
                    int slash = resource.lastIndexOf('/');
                    fileSets.put(slash < 0 ? "" : resource.substring(0, slash), false);
                } else {
                    throw new IllegalStateException(relative + ": the template's package outside a source directory src/*/java");
                }
                written.add(write(resources.resolve(resource), ArchetypeNames.velocity(ArchetypeNames.CONTENT.rename(text))));
            }
            written.add(write(resources.resolve("README.md"), ArchetypeNames.velocity(readme(ArchetypeNames.CONTENT))));
            fileSets.put("", false);
            String version = parentVersion(Files.readString(templateDesk.resolve("pom.xml"), StandardCharsets.UTF_8));
            written.add(write(output.resolve("META-INF/maven/archetype-metadata.xml"), archetypeMetadata(fileSets, version)));
        } catch (IOException | RuntimeException e) {
            deleteTree(output);
            throw e;
        }
        return new Result(Kind.ARCHETYPE, output, "", "", "", "", written);
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static void checkIsTemplate(Path templateDesk) {
        if (!Files.isRegularFile(templateDesk.resolve("pom.xml"))) {
            throw new IllegalArgumentException(templateDesk + " is not the template desk (it has no pom.xml)");
        }
    }

    /**
     * An output directory, replaced on every run: a directory that does not exist or is empty, or one inside a build's
     * {@code target} directory (where the desk archetype's build writes). Anything else is refused, never deleted.
     */
    private static void replaceableOutput(Path templateDesk, Path output) throws IOException {
        Path absolute = output.toAbsolutePath().normalize();
        Path template = templateDesk.toAbsolutePath().normalize();
        if (template.startsWith(absolute) || absolute.startsWith(template.resolve("src")) || Files.exists(absolute.resolve(".git"))
                || Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException(output + " cannot be the output: it is replaced, so give a directory of the build's own");
        }
        if (Files.isDirectory(absolute) && !isEmpty(absolute) && !insideBuildOutput(absolute)) {
            throw new IllegalArgumentException(output + " is not empty and not inside a build's target directory: it would be"
                    + " replaced, so give a new or empty directory");
        }
        deleteTree(absolute);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static boolean insideBuildOutput(Path dir) {
        for (Path part : dir.getParent() == null ? dir : dir.getParent()) {
            if (part.toString().equals("target")) {
                return true;
            }
        }
        return false;
    }

    /** The deskbridge version the template desk builds against: the version of its parent. */
    static String parentVersion(String pom) {
        Matcher parent = Pattern.compile("(?s)<parent>.*?<version>([^<]+)</version>.*?</parent>").matcher(pom);
        if (!parent.find()) {
            throw new IllegalStateException("the template desk's pom.xml names no parent version");
        }
        return parent.group(1).trim();
    }

    private static String archetypeMetadata(Map<String, Boolean> fileSets, String version) {
        StringBuilder xml = new StringBuilder();
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<!-- Generated from template-desk by its scaffold, NewDesk, at build time; do not edit. -->\n")
                .append("<archetype-descriptor xmlns=\"http://maven.apache.org/plugins/maven-archetype-plugin/archetype-descriptor/1.1.0\"\n")
                .append("    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n")
                .append("    xsi:schemaLocation=\"http://maven.apache.org/plugins/maven-archetype-plugin/archetype-descriptor/1.1.0")
                .append(" https://maven.apache.org/xsd/archetype-descriptor-1.1.0.xsd\"\n")
                .append("    name=\"deskbridge-desk\">\n")
                .append("  <requiredProperties>\n");
        for (ArchetypeNames.Property property : ArchetypeNames.properties(version)) {
            xml.append("    <requiredProperty key=\"").append(property.key()).append("\">\n");
            if (!property.defaultValue().isEmpty()) {
                xml.append("      <defaultValue>").append(xmlEscape(property.defaultValue())).append("</defaultValue>\n");
            }
            if (!property.pattern().isEmpty()) {
                xml.append("      <validationRegex>").append(xmlEscape(property.pattern())).append("</validationRegex>\n");
            }
            xml.append("    </requiredProperty>\n");
        }
        xml.append("  </requiredProperties>\n  <fileSets>\n");
        fileSets.forEach((directory, packaged) -> xml.append("    <fileSet filtered=\"true\" packaged=\"").append(packaged)
                .append("\" encoding=\"UTF-8\">\n      <directory>").append(directory).append("</directory>\n")
                .append("      <includes>\n        <include>").append(directory.isEmpty() ? "*" : "**/*").append("</include>\n")
                .append("      </includes>\n")
                .append(directory.isEmpty() ? "      <excludes>\n        <exclude>pom.xml</exclude>\n      </excludes>\n" : "")
                .append("    </fileSet>\n"));
        return xml.append("  </fileSets>\n</archetype-descriptor>\n").toString();
    }

    private static String xmlEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The template desk's files to copy: its build file and sources, without the scaffold itself. */
    private static List<Path> sources(Path templateDesk) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(templateDesk.resolve("pom.xml"));
        Path src = templateDesk.resolve("src");
        String scaffoldPackage = TEMPLATE_PACKAGE.replace('.', '/') + "/scaffold";
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String relative = src.relativize(dir).toString().replace('\\', '/');
                if (SKIPPED_DIRECTORIES.contains(dir.getFileName().toString()) || relative.endsWith(scaffoldPackage)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                files.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(Comparator.naturalOrder());
        return files;
    }

    static String omitTemplateOnly(String text, Path file) {
        StringBuilder kept = new StringBuilder();
        boolean omitting = false;
        for (String line : text.split("\n", -1)) {
            if (line.contains(OMIT_BEGIN)) {
                if (omitting) {
                    throw new IllegalStateException(file + ": " + OMIT_BEGIN + " inside an omitted block");
                }
                omitting = true;
            } else if (line.contains(OMIT_END)) {
                if (!omitting) {
                    throw new IllegalStateException(file + ": " + OMIT_END + " without " + OMIT_BEGIN);
                }
                omitting = false;
            } else if (!omitting) {
                kept.append(line).append('\n');
            }
        }
        if (omitting) {
            throw new IllegalStateException(file + ": " + OMIT_BEGIN + " is never closed");
        }
        return kept.substring(0, kept.length() - 1);
    }

    static String addModule(String pom, String module) {
        String line = "<module>" + module + "</module>";
        String newline = pom.contains("\r\n") ? "\r\n" : "\n"; // keep the file's own line endings
        if (pom.contains(line)) {
            throw new IllegalArgumentException("the root pom.xml already lists " + line);
        }
        Matcher template = Pattern.compile("(?m)^([ \\t]*)<module>" + Pattern.quote(TEMPLATE_MODULE) + "</module>[ \\t]*\\R").matcher(pom);
        if (template.find()) {
            return pom.substring(0, template.end()) + template.group(1) + line + newline + pom.substring(template.end());
        }
        Matcher end = Pattern.compile("(?m)^([ \\t]*)</modules>").matcher(pom);
        if (!end.find()) {
            throw new IllegalArgumentException("the root pom.xml has no <modules> section to add " + module + " to");
        }
        return pom.substring(0, end.start()) + end.group(1) + "  " + line + newline + pom.substring(end.start());
    }

    private static void checkNoLeftovers(Path module, List<Path> files) throws IOException {
        List<String> leftovers = new ArrayList<>();
        for (Path file : files) {
            if (file.getFileName().toString().equals("README.md")) {
                continue; // says where the module came from, on purpose
            }
            String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (LEFTOVER.matcher(lines[i]).find()) {
                    leftovers.add(module.relativize(file) + ":" + (i + 1) + ": " + lines[i].trim());
                }
            }
            if (LEFTOVER.matcher(module.relativize(file).toString()).find()) {
                leftovers.add(module.relativize(file) + ": the path");
            }
        }
        if (!leftovers.isEmpty()) {
            throw new IllegalStateException("the template's name survived the renaming (fix the template desk):\n  "
                    + String.join("\n  ", leftovers));
        }
    }

    private static String readme(Names names) {
        return "# deskbridge " + names.desk() + " desk\n\n"
                + "The `" + names.desk() + "` desk (`desk=" + names.desk() + "`, settings `" + names.desk() + ".*`, package `"
                + names.javaPackage() + "`).\n\n"
                + "Generated from deskbridge's `template-desk` (by `./new-desk " + names.desk() + "` or the Maven archetype\n"
                + "`deskbridge-desk-archetype`). Its tests run it against a fake vendor (`src/test`, package `" + names.javaPackage()
                + ".fake`) and pass the conformance kit:\n\n"
                + "    ./mvnw -pl " + names.module() + " -am verify\n\n"
                + "Selected in production it fails at start-up until its vendor client is written: follow\n"
                + "[the integrator's guide](../docs/adding-a-desk.md) from step 2; every place that needs the vendor's real calls\n"
                + "is marked with a `Step N` comment.\n";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * The archetype's properties, and the template's names as references to them: Velocity references ({@code ${vendor}})
     * in the files' text, {@code __vendorClass__} tokens in their names.
     */
    static final class ArchetypeNames {

        private static final char MARK = '\u0001';

        /** The archetype's property names, whatever the version. */
        private static final Set<String> PROPERTY_KEYS = properties("").stream().map(Property::key).collect(Collectors.toUnmodifiableSet());

        /** Each name a property's name between two marks; {@link #velocity} turns them into references. */
        static final Names CONTENT = new Names(mark("vendor"), mark("package"), mark("vendorClass"), mark("vendorUpper"), mark("artifactId"),
                "deskbridge-" + mark("vendor") + "-desk");

        /** Each name the archetype's token for a property in a file name. */
        static final Names PATH = new Names("__vendor__", "__package__", "__vendorClass__", "__vendorUpper__", "__artifactId__",
                "deskbridge-__vendor__-desk");

        private ArchetypeNames() {}

        private static String mark(String property) {
            return MARK + property + MARK;
        }

        /**
         * A required property of the archetype: its default value is a Velocity template over the properties before it
         * ("" for none), and the pattern checks what a user types in interactive mode ("" for none).
         */
        record Property(String key, String defaultValue, String pattern) {
            Property {
                requireNonNull(key, "key is null");
                requireNonNull(defaultValue, "defaultValue is null");
                requireNonNull(pattern, "pattern is null");
            }
        }

        /** The required properties; the defaults derive every name from {@code vendor} as {@link Names#of} does. */
        static List<Property> properties(String version) {
            String vendor = "(?=.{1," + MAX_VENDOR_LENGTH + "}$)(?!(?:" + String.join("|", new TreeSet<>(TAKEN)) + ")$)" + VENDOR.pattern();
            return List.of(
                    new Property("vendor", "", vendor),
                    new Property("vendorClass", "#foreach($word in $vendor.split(\"-\"))${word.substring(0, 1).toUpperCase()}${word.substring(1)}#end",
                            "[A-Z][A-Za-z0-9]*"),
                    new Property("vendorUpper", "${vendor.replace(\"-\", \"_\").toUpperCase()}", "[A-Z][A-Z0-9_]*"),
                    new Property("groupId", "io.deskbridge", ""),
                    new Property("artifactId", "${vendor}-desk", ""),
                    new Property("version", version, ""),
                    new Property("package", "io.deskbridge.desk.${vendor.replace(\"-\", \"\")}", ""));
        }

        /**
         * {@code text}, renamed with {@link #CONTENT}, as a Velocity template that renders it: marked names become
         * references, and every {@code #} and {@code $} of the text is rendered as it is (in {@code #[[...]]#}), together
         * with the backslashes before them, which Velocity would take for escapes.
         */
        static String velocity(String text) {
            StringBuilder template = new StringBuilder(text.length() + 64);
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == MARK) {
                    int end = text.indexOf(MARK, i + 1);
                    String property = end < 0 ? "" : text.substring(i + 1, end);
                    if (!PROPERTY_KEYS.contains(property)) {
                        throw new IllegalStateException("a marked name that is no property of the archetype at " + i);
                    }
                    template.append("${").append(property).append('}');
                    i = end + 1;
                } else if (c == '#' || c == '$' || c == '\\') {
                    int end = i;
                    boolean special = false;
                    while (end < text.length() && "#$\\".indexOf(text.charAt(end)) >= 0) {
                        special |= text.charAt(end) != '\\';
                        end++;
                    }
                    special |= end < text.length() && text.charAt(end) == MARK;
                    template.append(special ? "#[[" : "").append(text, i, end).append(special ? "]]#" : "");
                    i = end;
                } else {
                    template.append(c);
                    i++;
                }
            }
            return template.toString();
        }
    }

    /** The names a vendor name turns into, and the renaming of the template's names into them. */
    record Names(String desk, String javaPackage, String classPrefix, String upper, String module, String artifactId) {

        static Names of(String vendor) {
            requireNonNull(vendor, "vendor is null");
            if (!VENDOR.matcher(vendor).matches()) {
                throw new IllegalArgumentException("'" + vendor + "' is not a usable vendor name: use lower-case letters and digits,"
                        + " starting with a letter, words joined by single hyphens (acme, acme-cloud)");
            }
            if (vendor.length() > MAX_VENDOR_LENGTH) {
                throw new IllegalArgumentException("'" + vendor + "' is longer than " + MAX_VENDOR_LENGTH + " characters");
            }
            if (TAKEN.contains(vendor)) {
                throw new IllegalArgumentException("'" + vendor + "' is taken by deskbridge itself; choose the vendor's name");
            }
            String segment = vendor.replace("-", "");
            if (!SourceVersion.isName(segment) || SourceVersion.isKeyword(segment)) {
                throw new IllegalArgumentException("'" + vendor + "' cannot be a Java package name ('" + segment + "' is a Java keyword)");
            }
            StringBuilder prefix = new StringBuilder();
            for (String word : vendor.split("-")) {
                prefix.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
            return new Names(vendor, "io.deskbridge.desk." + segment, prefix.toString(), vendor.replace('-', '_').toUpperCase(Locale.ROOT),
                    vendor + "-desk", "deskbridge-" + vendor + "-desk");
        }

        /** The template's names in {@code text} (code or path) replaced by this vendor's, most specific first. */
        String rename(String text) {
            Map<String, String> replacements = new LinkedHashMap<>();
            replacements.put(TEMPLATE_PACKAGE, javaPackage);
            replacements.put(TEMPLATE_PACKAGE.replace('.', '/'), javaPackage.replace('.', '/'));
            replacements.put("deskbridge-" + TEMPLATE_MODULE, artifactId);
            replacements.put(TEMPLATE_MODULE, module);
            replacements.put("Template", classPrefix);
            replacements.put("TEMPLATE", upper);
            replacements.put(TEMPLATE_NAME, desk);
            String result = text;
            for (Map.Entry<String, String> replacement : replacements.entrySet()) {
                result = result.replace(replacement.getKey(), replacement.getValue());
            }
            return result;
        }
    }
}
