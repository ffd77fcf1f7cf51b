package dev.tollgate.e2e.hostile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The tests of the whole platform from outside, on one platform started for all and stopped after them: issue 17's
 * authorization matrix ({@link AuthorizationMatrix}) and fuzz test of every operation ({@link ApiFuzz}), and issue 18's
 * check of the served document against the services' types ({@link DocumentedSchemas}).
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

    @Nested
    class DocumentedSchemasTest extends DocumentedSchemas {
    }
}
