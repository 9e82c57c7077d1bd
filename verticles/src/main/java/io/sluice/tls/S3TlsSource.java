package io.sluice.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS material named {@code s3://bucket/key} in {@code kafka.tls}: fetched at start into a private directory
 * (under the TLS work directory, 0700 like it; files 0600) where the Kafka clients and the file checks read it, then polled on each
 * tick of the {@link TlsWatcher} ({@link #sync()}): a HeadObject per object, a GetObject only when its ETag
 * changed. New bytes are written to temporary files, checked with {@link TlsMaterialCheck} (the same checks as
 * local files) and only then moved over the local copies ({@code ATOMIC_MOVE}); the watcher then sees the new
 * files and rotates as it does for files. Material that fails the checks is not written (logged once per
 * combination of ETags); an unreachable S3 keeps the current material and shows in {@link #readinessDetail()}
 * with the age of the last successful fetch. All methods except {@link #readinessDetail()} block: call them off
 * the event loop, one at a time.
 */
public final class S3TlsSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3TlsSource.class);
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");

    private final TlsSettings settings;
    private final List<TlsSettings.Store> stores;
    private final S3Objects objects;
    private final Clock clock;
    private final Path dir;
    /** The newest bytes fetched per store (config key), with their ETag. */
    private final Map<String, S3Objects.Fetched> latest = new HashMap<>();
    /** The ETag of what the local file of each store holds. */
    private final Map<String, String> applied = new HashMap<>();

    private String rejectedCombination;
    private volatile Runnable onRejected = () -> {};
    private volatile Instant lastSuccess;
    private volatile Instant failingSince;
    private volatile String failure;
    private volatile String refused;
    private volatile boolean closed;

    S3TlsSource(TlsSettings settings, S3Objects objects, Clock clock) {
        this.settings = settings;
        this.stores = settings.s3Stores();
        this.objects = objects;
        this.clock = clock;
        this.dir = stores.get(0).path().getParent();
    }

    /**
     * The single entry point: when {@code s} names {@code s3://} material, fetches and checks it and writes the
     * local copies; returns the source to poll, or null when nothing comes from S3. S3 unreachable, an object
     * missing or refused, or material failing the checks throws {@link TlsMaterialException} naming the key
     * (the launcher prints it in one line and exits 2). Blocking.
     */
    public static S3TlsSource start(TlsSettings s, Clock clock) {
        return start(s, clock, AwsS3Objects::create);
    }

    static S3TlsSource start(TlsSettings s, Clock clock, Function<S3Settings, S3Objects> client) {
        if (!s.enabled() || s.s3Stores().isEmpty()) {
            return null;
        }
        TlsSettings.Store first = s.s3Stores().get(0);
        S3Objects objects;
        try {
            objects = client.apply(s.s3());
        } catch (S3Objects.Unavailable e) {
            throw new TlsMaterialException(
                    first.configKey() + ".path", "cannot fetch " + first.s3() + ": " + e.getMessage());
        }
        S3TlsSource source = new S3TlsSource(s, objects, clock);
        try {
            source.fetchAll();
            return source;
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Called with each combination of ETags that fails the checks (once per combination). */
    public void onRejected(Runnable r) {
        onRejected = r;
    }

    private void fetchAll() {
        prepareDir();
        for (TlsSettings.Store st : stores) {
            try {
                latest.put(st.configKey(), objects.get(st.s3()));
            } catch (S3Objects.Unavailable e) {
                throw new TlsMaterialException(
                        st.configKey() + ".path", "cannot fetch " + st.s3() + " from S3: " + e.getMessage());
            }
        }
        install();
        lastSuccess = clock.instant();
        LOG.info("TLS material fetched from S3: {}", describe(latest.keySet()));
    }

    /**
     * One poll (a tick of the watcher): HeadObject each object, GetObject the changed ones, and when the set
     * differs from what the local files hold and passes the checks, write it. Never throws.
     *
     * @return whether new material was written to the local files
     */
    public boolean sync() {
        if (closed) {
            return false;
        }
        try {
            for (TlsSettings.Store st : stores) {
                String etag = objects.etag(st.s3());
                S3Objects.Fetched have = latest.get(st.configKey());
                if (have == null || !have.etag().equals(etag)) {
                    latest.put(st.configKey(), objects.get(st.s3()));
                }
            }
        } catch (RuntimeException e) {
            if (closed) {
                return false;
            }
            String why = e instanceof S3Objects.Unavailable ? e.getMessage() : e.toString();
            if (failingSince == null) {
                failingSince = clock.instant();
                LOG.warn("TLS material in S3 not checked (the Kafka clients keep the current material): {}", why);
            }
            failure = why;
            return false;
        }
        if (failingSince != null) {
            LOG.info("S3 reachable again (unavailable since {})", failingSince);
        }
        failingSince = null;
        failure = null;
        lastSuccess = clock.instant();
        String combination = combination(etagsOf(latest));
        if (combination.equals(combination(applied))) {
            refused = null;
            return false;
        }
        try {
            Set<String> changed = install();
            refused = null;
            rejectedCombination = null;
            LOG.info("New TLS material from S3 written to the local copies: {}", describe(changed));
            return true;
        } catch (
                RuntimeException
                        e) { // the checks' TlsMaterialException, or anything unexpected: not applied either way
            String why = e instanceof TlsMaterialException ? e.getMessage() : e.toString();
            refused = why;
            if (!combination.equals(rejectedCombination)) { // checked again next tick (e.g. not valid yet), logged once
                rejectedCombination = combination;
                onRejected.run();
                LOG.warn(
                        "TLS material changed in S3 but is not applied (the clients keep the current material): {}",
                        why);
            }
            return false;
        }
    }

    /**
     * Writes the fetched objects that differ from the local copies to temporary files (0600), checks the material
     * as a whole with them, and moves them over the local copies. Throws {@link TlsMaterialException} (naming the
     * S3 objects, not the temporary files) when the checks fail; nothing is moved then.
     *
     * @return the config keys of the stores written
     */
    private Set<String> install() {
        Map<TlsSettings.Store, Path> staged = new LinkedHashMap<>();
        try {
            for (TlsSettings.Store st : stores) {
                S3Objects.Fetched f = latest.get(st.configKey());
                if (!f.etag().equals(applied.get(st.configKey())) || !Files.isRegularFile(st.path())) {
                    staged.put(st, writePrivate(st, f.bytes()));
                }
            }
            TlsSettings candidate = settings.withStores(
                    staged(settings.keystore(), staged),
                    staged(settings.key(), staged),
                    staged(settings.truststore(), staged));
            try {
                TlsMaterialCheck.check(candidate, clock);
            } catch (TlsMaterialException e) {
                throw named(e, staged);
            }
            Set<String> written = new java.util.LinkedHashSet<>();
            for (Map.Entry<TlsSettings.Store, Path> e : staged.entrySet()) {
                TlsSettings.Store st = e.getKey();
                try {
                    Files.move(
                            e.getValue(),
                            st.path(),
                            StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException ex) {
                    throw new TlsMaterialException(
                            st.configKey() + ".path",
                            "cannot write the copy of " + st.s3() + " to " + st.path() + ": " + ex);
                }
                st.path().toFile().deleteOnExit();
                applied.put(st.configKey(), latest.get(st.configKey()).etag());
                written.add(st.configKey());
            }
            return written;
        } finally {
            for (Path tmp : staged.values()) {
                try {
                    Files.deleteIfExists(tmp); // left only when not moved
                } catch (IOException ignored) {
                    // a temporary file in the private directory
                }
            }
        }
    }

    private static TlsSettings.Store staged(TlsSettings.Store st, Map<TlsSettings.Store, Path> staged) {
        return st == null || !staged.containsKey(st) ? st : st.withPath(staged.get(st));
    }

    /** The check's message with the S3 objects named instead of their temporary or local copies. */
    private TlsMaterialException named(TlsMaterialException e, Map<TlsSettings.Store, Path> staged) {
        String problem = e.getMessage()
                .substring(Math.min(e.getMessage().length(), e.key().length() + 2));
        for (Map.Entry<TlsSettings.Store, Path> s : staged.entrySet()) {
            problem = problem.replace(s.getValue().toString(), s.getKey().s3().toString());
        }
        for (TlsSettings.Store st : stores) {
            problem = problem.replace(st.path().toString(), st.s3().toString());
        }
        return new TlsMaterialException(e.key(), problem);
    }

    private Path writePrivate(TlsSettings.Store st, byte[] bytes) {
        try {
            Path tmp;
            try {
                tmp = Files.createTempFile(
                        dir, "." + st.path().getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(FILE_PERMS));
            } catch (UnsupportedOperationException notPosix) {
                tmp = Files.createTempFile(dir, "." + st.path().getFileName(), ".tmp");
            }
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            return tmp;
        } catch (IOException e) {
            throw new TlsMaterialException(
                    st.configKey() + ".path", "cannot write the copy of " + st.s3() + " in " + dir + ": " + e);
        }
    }

    /** The work directory and the copies' directory exist, are directories (not links) and are the owner's only (0700). */
    private void prepareDir() {
        String key = stores.get(0).configKey() + ".path";
        for (Path d : new Path[] {settings.workDir(), dir}) {
            try {
                if (Files.isSymbolicLink(d)) {
                    throw new TlsMaterialException(
                            key,
                            "the private directory " + d + " is a symbolic link: refusing to write TLS material there");
                }
                Files.createDirectories(d);
                try {
                    Files.setPosixFilePermissions(d, DIR_PERMS);
                } catch (UnsupportedOperationException notPosix) {
                    // not a POSIX file system
                }
                d.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new TlsMaterialException(
                        key, "cannot prepare the private directory " + d + " for the S3 material: " + e);
            }
        }
    }

    /**
     * For the readiness check: where the material comes from and the age of the last successful fetch; while S3
     * is unavailable, since when and why (the current material is kept).
     */
    public String readinessDetail() {
        Instant now = clock.instant();
        Instant ok = lastSuccess;
        String age = ok == null ? "never" : Duration.between(ok, now).toSeconds() + " s ago (" + ok + ")";
        String since = failingSince == null ? null : failingSince.toString();
        String out = since != null
                ? "S3 unavailable since " + since + " (" + failure
                        + "): keeping the current material, last successful fetch " + age
                : "material from S3, last successful fetch " + age;
        String r = refused;
        return r == null ? out : out + "; newest S3 material refused: " + r;
    }

    /** When the last poll (or the start-up fetch) succeeded; null before. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** Whether the last poll failed to reach S3 (the current material is kept). */
    public boolean failing() {
        return failingSince != null;
    }

    private static Map<String, String> etagsOf(Map<String, S3Objects.Fetched> m) {
        Map<String, String> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.etag()));
        return out;
    }

    private String combination(Map<String, String> etags) {
        StringBuilder sb = new StringBuilder();
        for (TlsSettings.Store st : stores) {
            sb.append(st.configKey())
                    .append('=')
                    .append(etags.get(st.configKey()))
                    .append(';');
        }
        return sb.toString();
    }

    private String describe(Set<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (TlsSettings.Store st : stores) {
            if (keys.contains(st.configKey())) {
                sb.append(sb.length() == 0 ? "" : ", ")
                        .append(st.s3())
                        .append(" -> ")
                        .append(st.path())
                        .append(" (ETag ")
                        .append(latest.get(st.configKey()).etag())
                        .append(')');
            }
        }
        return sb.toString();
    }

    /** Closes the S3 client and removes the local copies (the Kafka clients hold their material in memory). */
    @Override
    public void close() {
        closed = true;
        objects.close();
        for (TlsSettings.Store st : stores) {
            try {
                Files.deleteIfExists(st.path());
            } catch (IOException ignored) {
                // deleted on exit
            }
        }
    }
}
