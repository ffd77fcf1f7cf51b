package dev.tollgate.localstack.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker, a MongoDB wire-protocol server and a JWT key pair:
 * {@code @WithTestResource(LocalStackTestResource.class)}.
 *
 * <p>One stack serves every test class of a JVM (starting a broker costs seconds, and tests use their own ids); it
 * is stopped when the JVM exits. Services verify tokens with the generated public key, and {@link TestTokens} signs
 * with the private one.
 */
public class LocalStackTestResource implements QuarkusTestResourceLifecycleManager {

    private static LocalStackProcess stack;

    /** The stack of this JVM, started on first use. Tests that kill or inspect it may use it directly. */
    public static synchronized LocalStackProcess stack() {
        if (stack == null) {
            stack = LocalStackProcess.start();
            LocalStackProcess started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-stack-stop"));
            System.setProperty(TestTokens.PRIVATE_KEY_PROPERTY, started.privateKey().toString());
        }
        return stack;
    }

    @Override
    public Map<String, String> start() {
        LocalStackProcess s = stack();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.mongodb.connection-string", s.mongoConnectionString());
        config.put("kafka.bootstrap.servers", s.kafkaBootstrap());
        config.put("mp.jwt.verify.publickey.location", s.publicKey().toString());
        config.put("smallrye.jwt.sign.key.location", s.privateKey().toString());
        config.put("tollgate.jwt.public-key-location", s.publicKey().toString());
        config.put("tollgate.jwt.private-key-location", s.privateKey().toString());
        return config;
    }

    @Override
    public void stop() {
        // kept for the next test class of this JVM; the shutdown hook stops it
    }
}
