package io.sluice.ingest;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.sluice.config.Key;
import io.sluice.config.Section;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may post events ({@code ingest.auth}): named bearer tokens read from a file (re-read when it changes,
 * so tokens rotate without a restart) and/or, with mutual TLS, client certificate subjects.
 * <pre>{@code
 * "auth": {
 *   "enabled": true,
 *   "tokensFile": "/etc/sluice/ingest-tokens",  // lines "<name> <token>", '#' comments; names [A-Za-z0-9._-]{1,64}
 *   "reloadMs": 5000,                           // how often the file is checked for changes (0 = never)
 *   "allowedSubjects": ["CN=fleet-gateway-1"]   // mutual TLS: certificate subjects let in without a token
 * }
 * }</pre>
 * A token is compared as a SHA-256 digest against every configured one with {@link MessageDigest#isEqual},
 * without stopping at a match, so the time taken says nothing about which token or how much of it matched.
 * The client's name (token name or certificate subject) keys the per-client counters; nothing else does.
 *
 * @param enabled         require authentication on {@code POST /v1/events}
 * @param tokensFile      the tokens file, or null (certificates only)
 * @param reloadMs        change check interval of the file
 * @param allowedSubjects certificate subjects (RFC 2253, as {@code X500Principal#getName()}) allowed without a token
 */
public record IngestAuth(boolean enabled, Path tokensFile, long reloadMs, Set<String> allowedSubjects) {
    private static final String NAME = "[A-Za-z0-9._-]{1,64}";

    public IngestAuth {
        allowedSubjects = Set.copyOf(allowedSubjects);
    }

    public static IngestAuth disabled() {
        return new IngestAuth(false, null, 0, Set.of());
    }

    private static final Key<Boolean> ENABLED = Key.bool(
            "enabled", false, "require a bearer token or a client " + "certificate subject on POST /v1/events");
    private static final Key<String> TOKENS_FILE = Key.string(
            "tokensFile",
            null,
            "file of \"<name> <token>\" lines ('#' comments), "
                    + "reloaded when it changes (required when enabled, unless allowedSubjects)");
    private static final Key<Long> RELOAD_MS = Key.longInt(
            "reloadMs", 5_000, 0, 3_600_000, "how often the tokens file is checked for changes (0 = never)");
    private static final Key<List<String>> ALLOWED_SUBJECTS =
            Key.strings("allowedSubjects", List.of(), "client certificate subjects (mutual TLS) allowed to post");
    /** {@code ingest.auth}. */
    static final Key<Cfg> KEY =
            Key.object("auth", Section.of("who may post events", ENABLED, TOKENS_FILE, RELOAD_MS, ALLOWED_SUBJECTS));

    public static IngestAuth from(Cfg parent) {
        Cfg c = parent.get(KEY);
        boolean enabled = c.get(ENABLED);
        String file = c.get(TOKENS_FILE);
        long reload = c.get(RELOAD_MS);
        List<String> subjects = c.get(ALLOWED_SUBJECTS);
        c.done();
        if (!enabled) {
            return disabled();
        }
        if ((file == null || file.isBlank()) && subjects.isEmpty()) {
            throw new ConfigException(
                    c.key("tokensFile"), "is required when ingest.auth.enabled is true (or set allowedSubjects)");
        }
        IngestAuth a = new IngestAuth(
                true, file == null || file.isBlank() ? null : Path.of(file), reload, Set.copyOf(subjects));
        if (a.tokensFile() != null) {
            a.load(); // fails the start when unreadable or malformed
        }
        return a;
    }

    /** Token digests by name, as read from {@link #tokensFile()}. */
    public record Tokens(Map<String, byte[]> digests, String fingerprint) {
        /** The name of the token whose digest equals {@code presented}'s, or null; looks at every entry. */
        public String match(String presented) {
            byte[] d = sha256(presented);
            String found = null;
            for (Map.Entry<String, byte[]> e : digests.entrySet()) {
                if (MessageDigest.isEqual(e.getValue(), d) && found == null) {
                    found = e.getKey();
                }
            }
            return found;
        }
    }

    /** Blocking: reads and parses the tokens file; a {@link ConfigException} naming the line when malformed. */
    public Tokens load() {
        String key = "ingest.auth.tokensFile";
        List<String> lines;
        try {
            lines = Files.readAllLines(tokensFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(
                    key, "cannot read '" + tokensFile + "': " + e.getClass().getSimpleName());
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+");
            if (parts.length != 2 || !parts[0].matches(NAME) || parts[1].length() < 16) {
                // never echo the line: it holds a token
                throw new ConfigException(
                        key,
                        "line " + (i + 1) + " of '" + tokensFile + "' must be '<name> <token>' " + "(name " + NAME
                                + ", token >= 16 characters)");
            }
            if (out.put(parts[0], sha256(parts[1])) != null) {
                throw new ConfigException(
                        key, "line " + (i + 1) + " of '" + tokensFile + "': name '" + parts[0] + "' repeats");
            }
            seen.add(parts[0]);
        }
        if (out.isEmpty()) {
            throw new ConfigException(key, "'" + tokensFile + "' holds no token");
        }
        StringBuilder fp = new StringBuilder();
        out.forEach((n, d) -> fp.append(n).append(java.util.HexFormat.of().formatHex(d)));
        return new Tokens(Map.copyOf(out), java.util.HexFormat.of().formatHex(sha256(fp.toString())));
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
