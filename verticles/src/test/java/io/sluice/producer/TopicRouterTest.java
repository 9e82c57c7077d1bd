package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TopicRouterTest {

    private static TopicRouter router(String json) {
        return TopicRouter.fromJson(new JsonObject(json), "producer.routing");
    }

    private static void assertConfigError(String json, String key, String messagePart) {
        assertThatThrownBy(() -> router(json))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
                .hasMessageContaining(messagePart);
    }

    @Test
    void routesByRuleInOrderAndFallsBackToTheDefault() {
        TopicRouter router = router("""
                {"rules":[{"codes":[300,301],"topic":"mt-c300"},{"codes":[400],"topic":"mt-c400"}],
                 "defaultTopic":"mt-other"}""");

        assertThat(router.route(300)).contains("mt-c300");
        assertThat(router.route(301)).contains("mt-c300");
        assertThat(router.route(400)).contains("mt-c400");
        assertThat(router.route(999)).contains("mt-other");
        assertThat(router.topics()).containsExactly("mt-c300", "mt-c400", "mt-other");
    }

    @Test
    void unknownCodeWithoutDefaultIsEmptyAndNeverBecomesATopic() {
        TopicRouter router = router("{\"rules\":[{\"codes\":[300],\"topic\":\"mt-c300\"}]}");

        assertThat(router.route(301)).isEmpty();
        assertThat(router.route(-1)).isEmpty();
        assertThat(router.defaultTopic()).isEmpty();
        assertThat(router.topics()).containsExactly("mt-c300");
    }

    @Test
    void priorityRuleIsEvaluatedFirst() {
        TopicRouter router = router("""
                {"priority":{"codes":[300],"topic":"high-priority"},
                 "rules":[{"codes":[300,301],"topic":"mt-c300"}]}""");

        assertThat(router.route(300)).contains("high-priority");
        assertThat(router.route(301)).contains("mt-c300");
        assertThat(router.topics()).containsExactlyInAnyOrder("high-priority", "mt-c300");
    }

    @Test
    void defaultTopicAloneIsEnough() {
        TopicRouter router = router("{\"defaultTopic\":\"all\"}");

        assertThat(router.route(7)).contains("all");
        assertThat(router.topics()).containsExactly("all");
    }

    @Test
    void topicsIsUnmodifiable() {
        TopicRouter router = router("{\"defaultTopic\":\"all\"}");

        assertThatThrownBy(() -> router.topics().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void codeInTwoRulesIsRejectedNamingIt() {
        assertConfigError(
                """
                {"rules":[{"codes":[300,301],"topic":"a"},{"codes":[302,301],"topic":"b"}]}""", "producer.routing.rules[1].codes", "code 301 is already routed by producer.routing.rules[0]");
    }

    @Test
    void codeTwiceInOneRuleIsRejected() {
        assertConfigError(
                "{\"rules\":[{\"codes\":[300,300],\"topic\":\"a\"}]}",
                "producer.routing.rules[0].codes",
                "code 300 is listed twice");
    }

    @Test
    void illegalTopicNamesAreRejected() {
        assertConfigError(
                "{\"rules\":[{\"codes\":[1],\"topic\":\"\"}]}", "producer.routing.rules[0].topic", "[a-zA-Z0-9._-]");
        assertConfigError(
                "{\"rules\":[{\"codes\":[1],\"topic\":\"mt c400\"}]}", "producer.routing.rules[0].topic", "'mt c400'");
        assertConfigError(
                "{\"rules\":[{\"codes\":[1],\"topic\":\"a/b\"}]}", "producer.routing.rules[0].topic", "[a-zA-Z0-9._-]");
        assertConfigError("{\"defaultTopic\":\"..\"}", "producer.routing.defaultTopic", "not '.' or '..'");
        assertConfigError("{\"defaultTopic\":\"" + "x".repeat(250) + "\"}", "producer.routing.defaultTopic", "1-249");
        assertConfigError("{\"rules\":[{\"codes\":[1]}]}", "producer.routing.rules[0].topic", "got nothing");
        assertConfigError("{\"priority\":{\"codes\":[1],\"topic\":5}}", "producer.routing.priority.topic", "got 5");
    }

    @Test
    void longestLegalTopicNameIsAccepted() {
        String name = "a".repeat(TopicRouter.MAX_TOPIC_LENGTH);

        assertThat(router("{\"defaultTopic\":\"" + name + "\"}").route(1)).contains(name);
        assertThat(TopicRouter.isLegalTopicName("mt-c400.v2_x")).isTrue();
        assertThat(TopicRouter.isLegalTopicName("mt-ção")).isFalse();
    }

    @Test
    void codesMustBeNonNegativeIntegers() {
        assertConfigError(
                "{\"rules\":[{\"codes\":[-1],\"topic\":\"a\"}]}", "producer.routing.rules[0].codes[0]", "0-2147483647");
        assertConfigError(
                "{\"rules\":[{\"codes\":[300.5],\"topic\":\"a\"}]}", "producer.routing.rules[0].codes[0]", "got 300.5");
        assertConfigError(
                "{\"rules\":[{\"codes\":[\"300\"],\"topic\":\"a\"}]}",
                "producer.routing.rules[0].codes[0]",
                "got '300'");
        assertConfigError(
                "{\"rules\":[{\"codes\":[2147483648],\"topic\":\"a\"}]}",
                "producer.routing.rules[0].codes[0]",
                "0-2147483647");
        assertConfigError(
                "{\"rules\":[{\"codes\":[],\"topic\":\"a\"}]}", "producer.routing.rules[0].codes", "non-empty array");
        assertConfigError(
                "{\"rules\":[{\"codes\":300,\"topic\":\"a\"}]}", "producer.routing.rules[0].codes", "non-empty array");
    }

    @Test
    void integralDoubleCodeIsAccepted() {
        assertThat(router("{\"rules\":[{\"codes\":[300.0],\"topic\":\"a\"}]}").route(300))
                .contains("a");
    }

    @Test
    void structuralErrorsNameTheKey() {
        assertConfigError("{}", "producer.routing.rules", "at least one rule or a defaultTopic");
        assertConfigError("{\"rules\":{}}", "producer.routing.rules", "must be an array");
        assertConfigError("{\"rules\":[42]}", "producer.routing.rules[0]", "must be an object");
        assertConfigError("{\"rules\":[],\"default\":\"x\"}", "producer.routing.default", "unknown key");
        assertConfigError(
                "{\"rules\":[{\"codes\":[1],\"topic\":\"a\",\"name\":\"x\"}]}",
                "producer.routing.rules[0].name",
                "unknown key");
        assertThatThrownBy(() -> TopicRouter.fromJson(null, "producer.routing"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("producer.routing: is required");
    }
}
