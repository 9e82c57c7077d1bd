package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class BearerAuthTest {
    private final BearerAuth auth = new BearerAuth("s3cret-token");

    @Test
    void acceptsTheRightTokenWithAnyCaseOfTheScheme() {
        assertThat(auth.check("Bearer s3cret-token")).isEqualTo(BearerAuth.Check.OK);
        assertThat(auth.check("bearer s3cret-token")).isEqualTo(BearerAuth.Check.OK);
        assertThat(auth.check("Bearer   s3cret-token ")).isEqualTo(BearerAuth.Check.OK);
    }

    @Test
    void missingOrMalformedHeaderIsMissing() {
        assertThat(auth.check(null)).isEqualTo(BearerAuth.Check.MISSING);
        assertThat(auth.check("")).isEqualTo(BearerAuth.Check.MISSING);
        assertThat(auth.check("Bearer ")).isEqualTo(BearerAuth.Check.MISSING);
        assertThat(auth.check("Basic czNjcmV0")).isEqualTo(BearerAuth.Check.MISSING);
        assertThat(auth.check("s3cret-token")).isEqualTo(BearerAuth.Check.MISSING);
    }

    @Test
    void wrongTokensAreWrongWhateverTheirLength() {
        assertThat(auth.check("Bearer s3cret-tokeN")).isEqualTo(BearerAuth.Check.WRONG);
        assertThat(auth.check("Bearer s3cret")).isEqualTo(BearerAuth.Check.WRONG);
        assertThat(auth.check("Bearer s3cret-token-and-more")).isEqualTo(BearerAuth.Check.WRONG);
    }

    @Test
    void aTokenIsRequired() {
        assertThatThrownBy(() -> new BearerAuth("")).isInstanceOf(IllegalArgumentException.class);
    }
}
