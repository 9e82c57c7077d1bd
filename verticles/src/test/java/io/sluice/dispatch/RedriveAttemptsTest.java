package io.sluice.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.Cfg;
import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class RedriveAttemptsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void attemptHeaderParsesDigitsOnlyElseZero() {
        assertThat(RedriveAttempts.attemptOf(b("3"))).isEqualTo(3);
        assertThat(RedriveAttempts.attemptOf(b("12"))).isEqualTo(12);
        assertThat(RedriveAttempts.attemptOf(null)).isZero();
        assertThat(RedriveAttempts.attemptOf(b(""))).isZero();
        assertThat(RedriveAttempts.attemptOf(b("-1"))).isZero();
        assertThat(RedriveAttempts.attemptOf(b("2x"))).isZero();
        assertThat(RedriveAttempts.attemptOf(b("9999999999"))).isZero();
        assertThat(new String(RedriveAttempts.header(4), StandardCharsets.UTF_8))
                .isEqualTo("4");
    }

    @Test
    void parkedFromTheLastAttemptOn() {
        assertThat(RedriveAttempts.parked(0, 3)).isFalse();
        assertThat(RedriveAttempts.parked(2, 3)).isFalse();
        assertThat(RedriveAttempts.parked(3, 3)).isTrue();
        assertThat(RedriveAttempts.parked(4, 3)).isTrue();
    }

    @Test
    void settingsDefaultsAndValidation() {
        RedriveSettings d = RedriveSettings.from(new Cfg(new JsonObject(), "pipelines[0].redrive"));
        assertThat(d).isEqualTo(RedriveSettings.DEFAULTS);
        assertThat(d.parkingTopicFor("sluice-dlq")).isEqualTo("sluice-dlq-parking");
        RedriveSettings s = RedriveSettings.from(new Cfg(
                new JsonObject()
                        .put("maxAttempts", 5)
                        .put("parkingTopic", "park")
                        .put("auditTopic", "aud"),
                "r"));
        assertThat(s).isEqualTo(new RedriveSettings(5, "park", "aud"));
        assertThat(s.parkingTopicFor("x")).isEqualTo("park");
        assertThatThrownBy(() -> RedriveSettings.from(new Cfg(new JsonObject().put("maxAttempts", 0), "r")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("r.maxAttempts");
        assertThatThrownBy(() -> RedriveSettings.from(new Cfg(new JsonObject().put("maxAttempt", 2), "r")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("r.maxAttempt");
    }
}
