package io.github.accounts.demo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet in README.md and docs/ is a region of a test (or of the src/it host, which the integration
 * tests build and run) that compiles and runs it: a region starts at a
 * line {@code // --- docs snippet starts} and ends at {@code // --- docs snippet ends}. A block matches a region when
 * the region, without its common indentation, begins the block and the rest of the block only closes brackets; a
 * region line ending in {@code // not in the docs} is the test's own (a test clock, say). So a renamed method breaks
 * the test's compilation, and a snippet edited without its test breaks this test.
 */
class DocsSnippetsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern START = Pattern.compile("^\\s*// --- docs snippet starts\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// --- docs snippet ends\\s*$");
    private static final String HIDDEN = "// not in the docs";
    private static final Pattern CLOSING = Pattern.compile("^[\\s})\\];]*$");

    @Test
    void everyJavaSnippetInTheDocsIsRunByATest() {
        List<String> regions = regions();
        assertThat(regions).as("docs snippet regions in test sources").hasSizeGreaterThanOrEqualTo(10);
        List<String> unbacked = new ArrayList<>();
        for (Path doc : docs()) {
            for (String block : javaBlocks(doc)) {
                if (regions.stream().noneMatch(region -> matches(block, region))) {
                    unbacked.add(ROOT.relativize(doc) + ":\n" + block);
                }
            }
        }
        assertThat(unbacked).as("Java blocks in the docs that no test region runs").isEmpty();
    }

    @Test
    void aBlockMatchesOnlyItsRegionUpToClosingBrackets() {
        assertThat(matches("a();\nb();\n}", "a();\nb();")).isTrue();
        assertThat(matches("a();\nb();\nc();", "a();\nb();")).isFalse();
        assertThat(matches("a();\nb2();", "a();\nb();")).isFalse();
    }

    private static boolean matches(String block, String region) {
        if (!block.startsWith(region)) {
            return false;
        }
        return block.substring(region.length()).lines().allMatch(line -> CLOSING.matcher(line).matches());
    }

    private static List<Path> docs() {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    private static List<String> javaBlocks(Path doc) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : read(doc)) {
            if (block == null && line.strip().equals("```java")) {
                block = new StringBuilder();
            } else if (block != null && line.strip().equals("```")) {
                blocks.add(dedent(block.toString()));
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    private static List<String> regions() {
        List<String> regions = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            List<Path> roots = new ArrayList<>(modules.map(m -> m.resolve("src/test/java")).toList());
            roots.add(ROOT.resolve("demo-app/src/it/host/src/main/java")); // the host of docs/guide/host.md, built by the ITs
            for (Path tests : roots.stream().filter(Files::isDirectory).toList()) {
                try (Stream<Path> sources = Files.walk(tests)) {
                    sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> regions.addAll(regionsOf(p)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return regions;
    }

    private static List<String> regionsOf(Path source) {
        List<String> regions = new ArrayList<>();
        StringBuilder region = null;
        for (String line : read(source)) {
            if (START.matcher(line).matches()) {
                region = new StringBuilder();
            } else if (END.matcher(line).matches() && region != null) {
                regions.add(dedent(region.toString()));
                region = null;
            } else if (region != null && !line.stripTrailing().endsWith(HIDDEN)) {
                region.append(line).append('\n');
            }
        }
        return regions;
    }

    private static String dedent(String text) {
        int indent = text.lines().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        text.lines().forEach(l -> out.append(l.isBlank() ? "" : l.substring(indent).stripTrailing()).append('\n'));
        return out.toString();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
