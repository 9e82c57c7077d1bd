package io.sluice.launcher;

import io.sluice.config.ConfigException;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the configuration through vertx-config: the JSON file, then the environment and the system
 * properties (see {@link ConfigOverrides}), and validates it once into a {@link SluiceConfig}.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    public static Future<SluiceConfig> load(Vertx vertx, String path) {
        return loadJson(vertx, path).map(SluiceConfig::fromJson);
    }

    /** The file's JSON with the environment and system-property overrides applied, not yet validated. */
    public static Future<JsonObject> loadJson(Vertx vertx, String path) {
        if (!Files.isReadable(Path.of(path))) {
            return Future.failedFuture(
                    new ConfigException("--config", "file '" + path + "' does not exist or is not readable"));
        }
        Future<JsonObject> file = read(
                        vertx,
                        new ConfigStoreOptions()
                                .setType("file")
                                .setFormat("json")
                                .setConfig(new JsonObject().put("path", path)))
                .recover(err -> Future.failedFuture(
                        new ConfigException("--config", "'" + path + "' is not valid JSON: " + firstLine(err))));
        Future<JsonObject> env = read(vertx, new ConfigStoreOptions().setType("env"));
        Future<JsonObject> sys =
                read(vertx, new ConfigStoreOptions().setType("sys").setConfig(new JsonObject().put("cache", false)));
        return Future.all(file, env, sys)
                .map(cf -> ConfigOverrides.apply(
                        file.result(), env.result().getMap(), sys.result().getMap()));
    }

    /**
     * {@link #loadJson} from a thread that may block (a command line, before any Vert.x of the application): a
     * temporary Vert.x reads the file and is closed before this returns. Throws {@link ConfigException} for a missing
     * or invalid file.
     */
    public static JsonObject loadJsonBlocking(String path) {
        Vertx vertx = Vertx.vertx();
        try {
            return loadJson(vertx, path)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException("--config", "cannot read '" + path + "': " + e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ConfigException("--config", "cannot read '" + path + "': " + e);
        } finally {
            try { // its threads are gone before anything else starts
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting or going on anyway
            }
        }
    }

    /** {@link #loadJsonBlocking} validated: what a command uses to read Sluice's config file. */
    public static SluiceConfig loadBlocking(String path) {
        return SluiceConfig.fromJson(loadJsonBlocking(path));
    }

    private static Future<JsonObject> read(Vertx vertx, ConfigStoreOptions store) {
        ConfigRetriever r = ConfigRetriever.create(
                vertx,
                new ConfigRetrieverOptions()
                        .setIncludeDefaultStores(false)
                        .setScanPeriod(-1)
                        .addStore(store));
        return r.getConfig().onComplete(ar -> r.close());
    }

    private static String firstLine(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
