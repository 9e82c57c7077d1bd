package io.sluice.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** Inspects the deployable {@code -aws} jar built in {@code package}: size, no Vert.x, and that it runs alone. */
class ShadedJarIT {

    private static File jar() {
        File jar = new File(System.getProperty("sluice.aws.jar", "target/missing-aws.jar"));
        assertThat(jar).as("shaded jar built by the package phase").exists();
        return jar;
    }

    @Test
    void isSmallAndHasNoVertxOrNetty() throws Exception {
        File jar = jar();
        long max = Long.parseLong(System.getProperty("sluice.aws.jar.max.bytes", "10000000"));
        List<String> names = new ArrayList<>();
        try (JarFile f = new JarFile(jar)) {
            for (JarEntry e : Collections.list(f.entries())) {
                names.add(e.getName());
            }
        }
        System.out.printf(
                "sluice-lambda-function -aws jar: %s, %,d bytes, %d entries%n",
                jar.getName(), jar.length(), names.size());

        assertThat(jar.length()).isLessThan(max);
        assertThat(names).noneMatch(n -> n.startsWith("io/vertx/") || n.startsWith("io/netty/"));
        assertThat(names)
                .contains(
                        "io/sluice/lambda/DispatcherHandler.class",
                        "com/fasterxml/jackson/databind/ObjectMapper.class",
                        "com/amazonaws/services/lambda/runtime/RequestStreamHandler.class",
                        "org/slf4j/simple/SimpleLogger.class");
    }

    @Test
    void theHandlerRunsFromTheJarAloneWithItsNoArgConstructor() throws Exception {
        String previous = System.getProperty("sluice.routes");
        System.setProperty("sluice.routes", "{\"targets\":{\"log\":{\"type\":\"log\"}},\"default\":[\"log\"]}");
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {jar().toURI().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> handlerClass = Class.forName("io.sluice.lambda.DispatcherHandler", true, loader);
            Constructor<?> noArg = handlerClass.getConstructor();
            Object handler = noArg.newInstance();
            Class<?> contextClass = Class.forName("com.amazonaws.services.lambda.runtime.Context", true, loader);
            Method handle =
                    handlerClass.getMethod("handleRequest", InputStream.class, OutputStream.class, contextClass);
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            handle.invoke(handler, new ByteArrayInputStream(Fixtures.bytes("events/telemetry-batch.json")), out, null);

            String response = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(response).startsWith("{\"batchItemFailures\":[],\"invalidRecords\":[{");
            assertThat(handlerClass.getClassLoader()).isSameAs(loader);
        } finally {
            if (previous == null) {
                System.clearProperty("sluice.routes");
            } else {
                System.setProperty("sluice.routes", previous);
            }
        }
    }
}
