package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every relative link in README.md and docs/**.md points to a file of the repository that exists (anchors are not
 * checked): the documentation a newcomer follows stays whole when files move.
 */
@Timeout(60)
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    @Test
    void relativeLinksResolveInsideTheRepository() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // the launcher module's parent: the repository
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path md : files) {
            Matcher m = LINK.matcher(Files.readString(md));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue; // http(s), mailto; an anchor in the same file
                }
                String file = target.replaceFirst("#.*$", "");
                Path resolved = md.getParent().resolve(file).normalize();
                checked++;
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(root.relativize(md) + ": " + target);
                }
            }
        }
        assertThat(checked).as("links checked").isGreaterThan(50);
        assertThat(broken)
                .as("relative links that do not resolve inside the repository")
                .isEmpty();
    }
}
