package io.sluice.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Class path and class-data-sharing (AppCDS) flags of the child JVMs.
 *
 * <p>The class path is the broker jars plus the {@link ParentWatchdogMain} class, never the
 * application's own jar. With CDS (the default), the watchdog goes into a small jar in a cache
 * directory whose path and contents never change, so the whole class path is stable and a dynamic
 * CDS archive of the broker's classes can be reused: the first broker started on a machine dumps it
 * at exit ({@code -XX:ArchiveClassesAtExit}), later children map it ({@code -XX:SharedArchiveFile}),
 * which roughly halves a node's start time. The archive is written to a private temporary name and
 * moved into place after the child exits, so concurrent dumps never expose a partial file; a stale or
 * mismatched archive is ignored by the JVM ({@code -Xshare:auto}).
 *
 * <p>Cache directory: system property {@value #CACHE_PROPERTY}, else
 * {@code <java.io.tmpdir>/sluice-embedded-kafka-<user>}. Without CDS, or if the cache directory is
 * unusable, the watchdog class is written under {@code <baseDir>/bootstrap} instead.
 */
final class ChildClasspath {

    /** System property naming the CDS cache directory. */
    static final String CACHE_PROPERTY = "sluice.kafka.cds.dir";

    private static final System.Logger LOG = System.getLogger(ChildClasspath.class.getName());
    private static final Set<Path> DUMPS_IN_PROGRESS = ConcurrentHashMap.newKeySet();

    private final String classpath;
    private final Path archive;

    private ChildClasspath(String classpath, Path archive) {
        this.classpath = classpath;
        this.archive = archive;
    }

    /**
     * @param cds       whether to use a shared CDS archive
     * @param fallbackDir where to write {@code bootstrap/} when CDS is off or the cache is unusable
     */
    static ChildClasspath create(List<Path> brokerJars, boolean cds, Path fallbackDir) {
        if (cds) {
            try {
                Path cache = FileUtil.mkdirs(cacheDir());
                deleteStaleTempFiles(cache);
                Path watchdogJar = watchdogJar(cache);
                List<Path> entries = new ArrayList<>(brokerJars);
                entries.add(watchdogJar);
                String cp = join(entries);
                String key = sha256(System.getProperty("java.home") + "|" + System.getProperty("java.vm.version") + "|"
                                + cp + "|" + fingerprint(entries))
                        .substring(0, 20);
                return new ChildClasspath(cp, cache.resolve("broker-" + key + ".jsa"));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "class data sharing disabled: cache unusable: {0}", e.toString());
            }
        }
        List<Path> entries = new ArrayList<>();
        entries.add(BrokerClasspath.writeBootstrapDir(fallbackDir.resolve("bootstrap")));
        entries.addAll(brokerJars);
        return new ChildClasspath(join(entries), null);
    }

    /** @return the class path string for {@code -cp} */
    String classpath() {
        return classpath;
    }

    /** @return JVM flags to map the archive if there is one (for any child) */
    List<String> sharingOptions() {
        List<String> options = new ArrayList<>();
        options.add("-Xlog:all=warning:stderr");
        if (archive != null && Files.isRegularFile(archive)) {
            options.add("-XX:SharedArchiveFile=" + archive);
        }
        return options;
    }

    /**
     * JVM flags for a broker launch: map the archive if there is one; else, if no other child of this
     * JVM is dumping it, dump it at exit into the returned temporary file, to be passed to
     * {@link #publish(Optional, boolean)} once the child has exited.
     */
    Launch brokerLaunch() {
        if (archive == null || Files.isRegularFile(archive) || !DUMPS_IN_PROGRESS.add(archive)) {
            return new Launch(sharingOptions(), Optional.empty());
        }
        Path tmp = archive.resolveSibling(
                archive.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        return new Launch(List.of("-Xlog:all=warning:stderr", "-XX:ArchiveClassesAtExit=" + tmp), Optional.of(tmp));
    }

    /**
     * Moves a dumped archive into place after its child exited, or deletes it.
     *
     * @param complete whether the child exited by itself (a killed child may have left a partial file)
     */
    void publish(Optional<Path> dump, boolean complete) {
        dump.ifPresent(tmp -> {
            try {
                if (complete && Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
                    Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    LOG.log(System.Logger.Level.DEBUG, "CDS archive written: {0}", archive);
                } else {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot publish CDS archive {0}: {1}", tmp, e);
            } finally {
                DUMPS_IN_PROGRESS.remove(archive);
            }
        });
    }

    /** JVM flags of one broker launch and the archive file it may dump. */
    record Launch(List<String> jvmOptions, Optional<Path> dump) {}

    private static Path cacheDir() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "sluice-embedded-kafka-" + user);
    }

    /** Writes (once, atomically) a jar holding only the watchdog class, named by its content hash. */
    private static Path watchdogJar(Path cache) throws IOException {
        String resource = ParentWatchdogMain.class.getName().replace('.', '/') + ".class";
        byte[] bytes;
        try (InputStream in = ParentWatchdogMain.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("cannot find class file " + resource);
            }
            bytes = in.readAllBytes();
        }
        Path jar = cache.resolve("sluice-watchdog-" + sha256(bytes).substring(0, 16) + ".jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Path tmp = Files.createTempFile(cache, "watchdog", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp);
                JarOutputStream jarOut = new JarOutputStream(out)) {
            JarEntry entry = new JarEntry(resource);
            entry.setTime(0);
            jarOut.putNextEntry(entry);
            jarOut.write(bytes);
            jarOut.closeEntry();
        }
        try {
            Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            if (!Files.isRegularFile(jar)) {
                throw e;
            }
        }
        return jar;
    }

    /** Sizes and modification times: the JVM rejects an archive whose jars changed, so the key must change too. */
    private static String fingerprint(List<Path> jars) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Path jar : jars) {
            out.append(Files.size(jar))
                    .append('@')
                    .append(Files.getLastModifiedTime(jar).toMillis())
                    .append(';');
        }
        return out.toString();
    }

    /** Removes temporary files that a killed child or parent left behind more than an hour ago. */
    private static void deleteStaleTempFiles(Path cache) {
        long cutoff = System.currentTimeMillis() - 3_600_000L;
        try (Stream<Path> files = Files.list(cache)) {
            files.filter(f -> f.getFileName().toString().endsWith(".tmp")).forEach(f -> {
                try {
                    if (Files.getLastModifiedTime(f).toMillis() < cutoff) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException ignored) {
                    // another process may be handling it
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static String join(List<Path> entries) {
        List<String> parts = new ArrayList<>();
        entries.forEach(p -> parts.add(p.toAbsolutePath().toString()));
        return String.join(File.pathSeparator, parts);
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
