package dev.tollgate.e2e.hostile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * Issue 17's two tests of the whole platform from outside, on one platform started for both and stopped after them:
 * the authorization matrix ({@link AuthorizationMatrix}) and the fuzz test of every operation ({@link ApiFuzz}).
 */
class HostileCallersTest {

    @BeforeAll
    static void up() {
        HostilePlatform.start();
    }

    @AfterAll
    static void down() {
        HostilePlatform.stop();
    }

    @Nested
    class AuthorizationMatrixTest extends AuthorizationMatrix {
    }

    @Nested
    class OpenApiFuzzTest extends ApiFuzz {
    }
}
