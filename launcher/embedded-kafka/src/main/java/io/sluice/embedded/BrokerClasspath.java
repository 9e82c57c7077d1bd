package io.sluice.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The class path of the Kafka 4.1.1 child JVMs.
 *
 * <p>Resolution order: the system property {@value #PROPERTY}, the environment variable
 * {@value #ENV} (both a {@link File#pathSeparator}-separated list), then the jars of a
 * {@value #LIB_DIR} directory beside the jar (or classes directory) this class was loaded from (the
 * distribution: {@code sluice.jar} and {@code kafka-lib/}, runs on any machine), then the resource
 * {@value #RESOURCE} generated at build time by {@code maven-dependency-plugin:build-classpath}
 * (absolute paths into the build machine's Maven repository; entries separated by newlines or by the
 * path separator).
 *
 * <p>The child class path never contains the application's own jar (which may be a fat jar with an
 * older kafka-clients): the {@link ParentWatchdogMain} class is copied out of it instead, see
 * {@link #writeBootstrapDir(Path)} and {@link ChildClasspath}.
 */
final class BrokerClasspath {

    /** System property overriding the broker class path. */
    static final String PROPERTY = "sluice.kafka.classpath";
    /** Environment variable overriding the broker class path. */
    static final String ENV = "SLUICE_KAFKA_CLASSPATH";
    /** Class-path resource listing the broker jars. */
    static final String RESOURCE = "io/sluice/embedded/broker.classpath";
    /** Directory of broker jars beside the application's jar. */
    static final String LIB_DIR = "kafka-lib";

    private static final Pattern SEPARATORS =
            Pattern.compile("(\\r?\\n|\\\\n|" + Pattern.quote(File.pathSeparator) + ")+");

    private BrokerClasspath() {}

    /**
     * @return the broker jars, every one checked to exist
     * @throws EmbeddedKafkaException if nothing is configured or an entry is missing
     */
    static List<Path> resolve() {
        String override = System.getProperty(PROPERTY);
        String source = "system property " + PROPERTY;
        if (override == null || override.isBlank()) {
            override = System.getenv(ENV);
            source = "environment variable " + ENV;
        }
        if (override == null || override.isBlank()) {
            List<Path> beside = besideTheJar();
            if (!beside.isEmpty()) {
                return beside;
            }
            override = readResource();
            source = "resource " + RESOURCE;
        }
        return validate(parse(override), source);
    }

    /** The jars of {@value #LIB_DIR} beside this class's jar or classes directory; empty when there is none. */
    static List<Path> besideTheJar() {
        try {
            var where = BrokerClasspath.class.getProtectionDomain().getCodeSource();
            if (where == null) {
                return List.of();
            }
            Path lib = Path.of(where.getLocation().toURI()).getParent().resolve(LIB_DIR);
            return jarsIn(lib);
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return List.of();
        }
    }

    static List<Path> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Splits a list separated by newlines and/or the platform path separator. */
    static List<Path> parse(String list) {
        return Arrays.stream(SEPARATORS.split(list.strip()))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(Path::of)
                .collect(Collectors.toList());
    }

    static List<Path> validate(List<Path> entries, String source) {
        if (entries.isEmpty()) {
            throw new EmbeddedKafkaException("the Kafka broker class path from " + source + " is empty");
        }
        List<Path> missing = entries.stream().filter(p -> !Files.exists(p)).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new EmbeddedKafkaException(missing.size() + " of " + entries.size()
                    + " Kafka broker class path entries from " + source + " do not exist, e.g. " + missing.get(0)
                    + ". Put the distribution's " + LIB_DIR + "/ directory beside the jar, or set -D" + PROPERTY
                    + " / " + ENV + " to the broker jars.");
        }
        return List.copyOf(entries);
    }

    private static String readResource() {
        ClassLoader loader = BrokerClasspath.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new EmbeddedKafkaException("resource " + RESOURCE + " not found; set -D" + PROPERTY + " or " + ENV
                        + " to the Kafka broker jars");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
        }
    }

    /**
     * Writes {@link ParentWatchdogMain}'s class file under {@code bootstrapDir} so that directory can
     * go on a child class path on its own.
     *
     * @return {@code bootstrapDir}
     */
    static Path writeBootstrapDir(Path bootstrapDir) {
        String resource = ParentWatchdogMain.class.getName().replace('.', '/') + ".class";
        Path target = bootstrapDir.resolve(resource);
        try (InputStream in = ParentWatchdogMain.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new EmbeddedKafkaException("cannot find class file " + resource);
            }
            FileUtil.mkdirs(target.getParent());
            Files.write(target, in.readAllBytes());
            return bootstrapDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
