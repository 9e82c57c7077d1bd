package io.sluice.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallPartsTest {

    @Test
    void clusterIdsLookLikeKafkaUuids() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = ClusterIds.random();
            assertThat(id).hasSize(22).doesNotStartWith("-").matches("[A-Za-z0-9_-]+");
            assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void classpathParsingAcceptsNewlinesAndPathSeparators() {
        String list = "/a/x.jar" + File.pathSeparator + "/b/y.jar\n/c/z.jar\\n/d/w.jar\n";
        assertThat(BrokerClasspath.parse(list))
                .containsExactly(Path.of("/a/x.jar"), Path.of("/b/y.jar"), Path.of("/c/z.jar"), Path.of("/d/w.jar"));
    }

    @Test
    void generatedClasspathResourceResolves() {
        List<Path> jars = BrokerClasspath.resolve();
        assertThat(jars)
                .anyMatch(p -> p.getFileName().toString().startsWith("kafka_2.13-4.1.1"))
                .anyMatch(p -> p.getFileName().toString().startsWith("kafka-tools-4.1.1"))
                .allMatch(Files::exists);
    }

    @Test
    void missingClasspathEntryIsAClearError() {
        assertThatThrownBy(() -> BrokerClasspath.validate(List.of(Path.of("/nope/kafka.jar")), "test"))
                .isInstanceOf(EmbeddedKafkaException.class)
                .hasMessageContaining("/nope/kafka.jar")
                .hasMessageContaining(BrokerClasspath.PROPERTY);
    }

    @Test
    void bootstrapDirHoldsOnlyTheWatchdog(@TempDir Path tmp) throws Exception {
        Path dir = BrokerClasspath.writeBootstrapDir(tmp.resolve("bootstrap"));
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(p -> dir.relativize(p).toString().replace('\\', '/')))
                    .containsExactly("io/sluice/embedded/ParentWatchdogMain.class");
        }
    }

    @Test
    void freePortsAreDistinct() {
        List<Integer> ports = PortAllocator.freePorts(20);
        assertThat(new HashSet<>(ports)).hasSize(20);
        assertThat(ports).allMatch(p -> p > 0 && p < 65536);
    }

    @Test
    void listenerSpecValidates() {
        assertThat(new ListenerSpec("ssl", "ssl")).isEqualTo(new ListenerSpec("SSL", "SSL"));
        assertThatThrownBy(() -> ListenerSpec.of("PLAINTEXT")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ListenerSpec("X", "TLS")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafkaOptions.builder()
                        .additionalListener(ListenerSpec.of("SSL"))
                        .additionalListener(ListenerSpec.of("SSL")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsDefaults() {
        EmbeddedKafkaOptions o = EmbeddedKafkaOptions.defaults();
        assertThat(o.nodes()).isEqualTo(1);
        assertThat(o.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.keepDataDir()).isFalse();
        assertThat(o.jvmOptions()).containsExactly("-Xms256m", "-Xmx512m", "-XX:+UseG1GC");
        assertThatThrownBy(() -> EmbeddedKafkaOptions.builder().nodes(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void brokerCommandRunsUnderSetsidOrAsksTheWatchdogToIgnoreTheTerminalsSignals() {
        List<String> command =
                List.of("/jdk/bin/java", "-Xmx512m", "-cp", "x", ParentWatchdogMain.class.getName(), "kafka.Kafka");
        assertThat(ChildJvm.detached(command, Optional.of(Path.of("/usr/bin/setsid"))))
                .containsExactly(
                        "/usr/bin/setsid",
                        "/jdk/bin/java",
                        "-Xmx512m",
                        "-cp",
                        "x",
                        ParentWatchdogMain.class.getName(),
                        "kafka.Kafka");
        assertThat(ChildJvm.detached(command, Optional.empty()))
                .containsExactly(
                        "/jdk/bin/java",
                        "-Dsluice.watchdog.ignoreTerminalSignals=true",
                        "-Xmx512m",
                        "-cp",
                        "x",
                        ParentWatchdogMain.class.getName(),
                        "kafka.Kafka");
    }

    @Test
    void nonEmptyBaseDirIsRefused(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("precious.txt"), "keep me");
        assertThatThrownBy(() -> EmbeddedKafkaCluster.start(
                        EmbeddedKafkaOptions.builder().baseDir(tmp).build()))
                .isInstanceOf(EmbeddedKafkaException.class)
                .hasMessageContaining("not empty");
        assertThat(tmp.resolve("precious.txt")).exists();
    }
}
