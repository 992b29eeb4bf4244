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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;

/**
 * Creates a new desk module from {@code template-desk}: the scaffold behind {@code ./new-desk VENDOR}.
 *
 * <p>It copies the template desk's sources and build file, renaming as it goes: the package
 * {@code io.deskbridge.desk.template} becomes {@code io.deskbridge.desk.<vendor>}, the {@code Template} prefix of
 * every class becomes the vendor's ({@code AcmeServiceDesk}, {@code AcmeModule}, {@code FakeAcmeVendor}…), the desk
 * name and configuration prefix {@code template} become the vendor name ({@code acme.apiKey}, {@code ACME_API_KEY}),
 * and the artifact {@code deskbridge-template-desk} becomes {@code deskbridge-<vendor>-desk}. It writes a README for
 * the new module and adds it to the root {@code pom.xml}. The template desk is the only source: nothing here holds a
 * second copy of it, so the generated desk is always the template of the checkout it was made from.
 *
 * <p>Only the JDK is used, so it runs straight from source with no build:
 * {@code java template-desk/src/test/java/io/deskbridge/desk/template/scaffold/NewDesk.java acme}.
 */
public final class NewDesk {

    /** What the scaffold produced. */
    public record Result(Path module, String deskName, String javaPackage, String classPrefix, String artifactId, List<Path> files) {
        public Result {
            requireNonNull(module, "module is null");
            files = List.copyOf(files);
        }
    }

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

    private NewDesk() {}

    /**
     * {@code NewDesk VENDOR [--root DIR]}: creates {@code DIR/VENDOR-desk} from {@code DIR/template-desk}; DIR is
     * the repository root, by default the nearest directory at or above the working directory that holds
     * {@code template-desk} and a {@code pom.xml}.
     */
    public static void main(String[] args) {
        try {
            Result result = run(args);
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
            System.exit(2);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("new-desk: " + e.getMessage());
            System.exit(1);
        }
    }

    static Result run(String[] args) throws IOException {
        String vendor = null;
        Path root = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--root")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--root needs a directory");
                }
                root = Path.of(args[++i]);
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + arg);
            } else if (vendor == null) {
                vendor = arg;
            } else {
                throw new IllegalArgumentException("one vendor name at a time, not '" + vendor + "' and '" + arg + "'");
            }
        }
        if (vendor == null) {
            throw new IllegalArgumentException("name the vendor");
        }
        if (root == null) {
            root = findRoot(Path.of("").toAbsolutePath());
        }
        return generate(root.resolve(TEMPLATE_MODULE), root, vendor);
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
        if (!Files.isRegularFile(templateDesk.resolve("pom.xml"))) {
            throw new IllegalArgumentException(templateDesk + " is not the template desk (it has no pom.xml)");
        }
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
        Files.writeString(rootPom, updatedPom, StandardCharsets.UTF_8);
        return new Result(module, names.desk(), names.javaPackage(), names.classPrefix(), names.artifactId(), written);
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
                + "Generated from deskbridge's `template-desk` by `./new-desk " + names.desk() + "`. It works against an in-process\n"
                + "fake vendor (`" + names.javaPackage() + ".fake`) and passes the conformance kit:\n\n"
                + "    ./mvnw -pl " + names.module() + " -am verify\n\n"
                + "Connect it to the real vendor by following [the integrator's guide](../docs/adding-a-desk.md) from step 3:\n"
                + "every place that needs the vendor's real calls is marked with a `Step N` comment.\n";
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
