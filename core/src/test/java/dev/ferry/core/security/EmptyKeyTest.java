package dev.ferry.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.api.ApiRequest;
import dev.ferry.core.api.Auth;
import dev.ferry.core.error.UnauthorizedException;
import dev.ferry.core.fakes.InMemoryApiKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An empty or blank key is no key: it is refused before any hash is compared, so even a deployment whose
 * admin key hash is the SHA-256 of "" (an unset variable hashed by a script) is not opened by {@code Bearer }.
 */
class EmptyKeyTest {
    static final String EMPTY_HASH = Auth.sha256Hex("");

    static ApiRequest withAuthorization(String value) {
        return new ApiRequest("GET", "/customers", null, Map.of("authorization", value), null, "");
    }

    @Test
    void anEmptyOrBlankKeyIs401EvenWhenTheAdminHashIsThatOfTheEmptyString() {
        Auth auth = new Auth(EMPTY_HASH, new InMemoryApiKeyStore(), Clock.systemUTC(), Duration.ZERO);
        for (String header : new String[] {"Bearer ", "Bearer    ", "Bearer \t", "bearer", " "}) {
            assertThatThrownBy(() -> auth.authenticate(withAuthorization(header))).as("'%s'", header)
                    .isInstanceOf(UnauthorizedException.class);
        }
    }

    @Test
    void theAdminKeyStillWorks() {
        Auth auth = new Auth(Auth.sha256Hex("the-admin-key"));
        assertThat(auth.authenticate(withAuthorization("Bearer the-admin-key")).admin()).isTrue();
        assertThatThrownBy(() -> auth.authenticate(withAuthorization("Bearer "))).isInstanceOf(UnauthorizedException.class);
    }
}
