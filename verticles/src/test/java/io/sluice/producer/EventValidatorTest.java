package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import io.sluice.producer.ValidationResult.Invalid;
import io.sluice.producer.ValidationResult.Valid;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventValidatorTest {

    private final EventValidator validator = EventValidator.fromJson(new JsonObject(), "producer.validation");

    private static JsonObject event() {
        return new JsonObject()
                .put("eventId", "run-1")
                .put("code", 301)
                .put("truckId", "T-00042")
                .put("timestamp", 1_700_000_000_000L)
                .put("speedKmh", 80.5);
    }

    private static Invalid invalid(ValidationResult result) {
        assertThat(result).isInstanceOf(Invalid.class);
        return (Invalid) result;
    }

    @Test
    void validEventFromBytesCarriesCodeTruckAndTheParsedObject() {
        ValidationResult result = validator.validate(event().toBuffer());

        assertThat(result).isInstanceOf(Valid.class);
        assertThat(result.isValid()).isTrue();
        Valid valid = (Valid) result;
        assertThat(valid.code()).isEqualTo(301);
        assertThat(valid.truckId()).isEqualTo("T-00042");
        assertThat(valid.event()).isEqualTo(event());
    }

    @Test
    void validEventObjectIsPassedThrough() {
        JsonObject event = event();

        ValidationResult result = validator.validate(event);

        assertThat(result).isEqualTo(new Valid(event, 301, "T-00042"));
        assertThat(((Valid) result).event()).isSameAs(event);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"code\":", "[1,2]", "42", "\"text\"", "null", "{\"code\":1} trailing"})
    void bytesThatAreNotAJsonObjectAreRejected(String body) {
        Invalid invalid = invalid(validator.validate(Buffer.buffer(body)));

        assertThat(invalid.reason()).isEqualTo("not-json-object");
        assertThat(invalid.field()).isNull();
        assertThat(invalid.isValid()).isFalse();
    }

    @Test
    void nullInputIsNotAJsonObject() {
        assertThat(invalid(validator.validate((Buffer) null)).reason()).isEqualTo(ValidationResult.NOT_JSON_OBJECT);
        assertThat(invalid(validator.validate((JsonObject) null)).reason()).isEqualTo(ValidationResult.NOT_JSON_OBJECT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"code", "truckId", "eventId", "timestamp"})
    void missingRequiredFieldIsNamed(String field) {
        JsonObject event = event();
        event.remove(field);

        Invalid invalid = invalid(validator.validate(event.toBuffer()));

        assertThat(invalid.reason()).isEqualTo("missing-field");
        assertThat(invalid.field()).isEqualTo(field);
        assertThat(invalid.message()).contains(field);
    }

    @Test
    void explicitNullCountsAsMissing() {
        Invalid invalid = invalid(validator.validate(event().putNull("truckId")));

        assertThat(invalid.reason()).isEqualTo(ValidationResult.MISSING_FIELD);
        assertThat(invalid.field()).isEqualTo("truckId");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "code      | \"301\"",
                "code      | 301.0",
                "code      | 301.5",
                "code      | -1",
                "code      | 2147483648",
                "code      | true",
                "code      | {}",
                "truckId   | 42",
                "truckId   | \"\"",
                "truckId   | \"   \"",
                "truckId   | [\"T-1\"]",
                "eventId   | 17",
                "eventId   | \"\"",
                "timestamp | \"2024-01-01T00:00:00Z\"",
                "timestamp | 1.7E12",
                "timestamp | -5",
                "timestamp | 99999999999999999999999",
            })
    void wrongTypeIsNamed(String field, String jsonValue) {
        String body = event().toString().replaceFirst("\"" + field + "\":[^,}]+", "\"" + field + "\":" + jsonValue);
        assertThat(body).contains(jsonValue); // the test really replaced the value

        Invalid invalid = invalid(validator.validate(Buffer.buffer(body)));

        assertThat(invalid.reason()).isEqualTo("wrong-type");
        assertThat(invalid.field()).isEqualTo(field);
        assertThat(invalid.message()).startsWith(field + " must be ");
    }

    @Test
    void largestCodeAndLongTimestampAreAccepted() {
        ValidationResult result =
                validator.validate(event().put("code", Integer.MAX_VALUE).put("timestamp", Long.MAX_VALUE));

        assertThat(result).isInstanceOf(Valid.class);
        assertThat(((Valid) result).code()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void firstProblemInDocumentedOrderIsReported() {
        JsonObject event = new JsonObject().put("code", "x").put("truckId", 5);

        assertThat(invalid(validator.validate(event)).field()).isEqualTo("code");
    }

    @Test
    void sizeLimitIsInclusiveAndCheckedBeforeParsing() {
        EventValidator small = EventValidator.fromJson(new JsonObject().put("maxEventBytes", 100), "v");
        JsonObject event = event();
        event.remove("speedKmh");
        int base = event.toBuffer().length();
        event.put("pad", "x".repeat(100 - base - ",\"pad\":\"\"".length()));
        assertThat(event.toBuffer().length()).isEqualTo(100);

        assertThat(small.validate(event.toBuffer())).isInstanceOf(Valid.class);
        assertThat(small.validate(event)).isInstanceOf(Valid.class);

        event.put("pad", event.getString("pad") + "x");
        Invalid invalid = invalid(small.validate(event));
        assertThat(invalid.reason()).isEqualTo("too-large");
        assertThat(invalid.message()).contains("101 bytes").contains("100");
        // 101 bytes of garbage: too large wins, the body is never parsed.
        assertThat(invalid(small.validate(Buffer.buffer("!".repeat(101)))).reason())
                .isEqualTo("too-large");
    }

    @Test
    void defaultLimitIs10KiB() {
        JsonObject event = event().put("blob", "y".repeat(10_240));

        assertThat(validator.maxEventBytes()).isEqualTo(10_240);
        assertThat(invalid(validator.validate(event.toBuffer())).reason()).isEqualTo(ValidationResult.TOO_LARGE);
    }

    @Test
    void optionalFieldsMayBeAbsentButAreStillTypeChecked() {
        EventValidator relaxed = EventValidator.fromJson(
                new JsonObject().put("requireEventId", false).put("requireTimestamp", false), "v");
        JsonObject minimal = new JsonObject().put("code", 400).put("truckId", "T-1");

        assertThat(relaxed.validate(minimal)).isInstanceOf(Valid.class);
        assertThat(invalid(relaxed.validate(minimal.copy().put("eventId", 5))).field())
                .isEqualTo("eventId");
        assertThat(invalid(relaxed.validate(minimal.copy().put("timestamp", "now")))
                        .field())
                .isEqualTo("timestamp");
        assertThat(invalid(validator.validate(minimal)).reason()).isEqualTo(ValidationResult.MISSING_FIELD);
    }

    @Test
    void reasonsAreStableLowerCaseDashedStrings() {
        assertThat(new String[] {
                    ValidationResult.NOT_JSON_OBJECT,
                    ValidationResult.TOO_LARGE,
                    ValidationResult.MISSING_FIELD,
                    ValidationResult.WRONG_TYPE,
                    ValidationResult.UNKNOWN_CODE
                })
                .containsExactly("not-json-object", "too-large", "missing-field", "wrong-type", "unknown-code")
                .allMatch(r -> r.matches("[a-z]+(-[a-z]+)*"));
        Invalid unknown = Invalid.unknownCode(999);
        assertThat(unknown.reason()).isEqualTo("unknown-code");
        assertThat(unknown.field()).isEqualTo("code");
        assertThat(unknown.message()).contains("999");
    }

    @Test
    void eventTheJsonEncoderCannotWriteIsRejected() {
        JsonObject event = event().put("bad", new JsonArray().add(new Object()));

        assertThat(invalid(validator.validate(event)).reason()).isEqualTo(ValidationResult.NOT_JSON_OBJECT);
    }

    @Test
    void configIsValidated() {
        assertThatThrownBy(
                        () -> EventValidator.fromJson(new JsonObject().put("maxEventBytes", 0), "producer.validation"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("producer.validation.maxEventBytes: must be an integer 1-1048576, got 0");
        assertThatThrownBy(() -> EventValidator.fromJson(new JsonObject().put("requireEventId", "yes"), "v"))
                .hasMessageStartingWith("v.requireEventId: must be true or false");
        assertThatThrownBy(() -> EventValidator.fromJson(new JsonObject().put("maxBytes", 5), "v"))
                .hasMessageStartingWith("v.maxBytes: unknown key");
        EventValidator defaults = EventValidator.fromJson(null, "v");
        assertThat(defaults.requireEventId()).isTrue();
        assertThat(defaults.requireTimestamp()).isTrue();
    }
}
