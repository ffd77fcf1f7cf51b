package dev.tollgate.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformPublicKeyTest {

    @Test
    void aMissingOrBrokenKeyFileSaysWhichFileAndWhy(@TempDir Path dir) throws Exception {
        var missing = assertThrows(IllegalStateException.class, () -> PlatformPublicKey.load(dir.resolve("nope.pem")));
        assertTrue(missing.getMessage().contains("nope.pem"), missing.getMessage());

        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        var notAKey = assertThrows(IllegalStateException.class, () -> PlatformPublicKey.load(broken));
        assertTrue(notAKey.getMessage().contains("not a PEM RSA public key"), notAKey.getMessage());
    }
}
