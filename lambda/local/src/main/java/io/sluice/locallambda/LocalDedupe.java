package io.sluice.locallambda;

import java.net.URI;
import java.util.Locale;

/**
 * The dedupe store of the local endpoint's dispatcher function.
 *
 * @param mode         {@code off}, {@code memory} (the function's LRU of {@code dedupeCapacity} keys) or
 *                     {@code dynamodb}
 * @param endpoint     dynamodb: the DynamoDB(-compatible) endpoint, or null to start a {@link Dynalite} with the server
 * @param table        dynamodb: the table (created when missing)
 * @param onlySuspects the function's {@code dedupe.onlySuspects}
 */
public record LocalDedupe(String mode, URI endpoint, String table, boolean onlySuspects) {

    public LocalDedupe {
        mode = mode == null ? "memory" : mode.toLowerCase(Locale.ROOT);
        if (!mode.equals("off") && !mode.equals("memory") && !mode.equals("dynamodb")) {
            throw new IllegalArgumentException("dedupeMode must be off, memory or dynamodb but was '" + mode + "'");
        }
        table = table == null || table.isBlank() ? "sluice-dedupe" : table;
    }

    /** The function's in-memory LRU (sized by {@code dedupeCapacity}). */
    public static LocalDedupe memory() {
        return new LocalDedupe("memory", null, null, false);
    }

    /** DynamoDB at {@code endpoint} (null: a dynalite the server starts). */
    public static LocalDedupe dynamoDb(URI endpoint, boolean onlySuspects) {
        return new LocalDedupe("dynamodb", endpoint, null, onlySuspects);
    }

    public boolean isDynamoDb() {
        return mode.equals("dynamodb");
    }
}
