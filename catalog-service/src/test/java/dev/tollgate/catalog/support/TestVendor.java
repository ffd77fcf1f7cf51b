package dev.tollgate.catalog.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * A vendor's tool endpoint on loopback, written the way a vendor would: it verifies the bearer token with the
 * platform's public key (the PEM {@code /public/jwt-public-key} serves) and the audience of its product, then
 * answers. Modes: answer, fail with 500, or hang past the caller's timeout.
 */
public final class TestVendor implements AutoCloseable {

    public enum Mode { ANSWER, FAIL, HANG }

    private final HttpServer server;
    private final PublicKey platformKey;
    public final List<JwtClaims> verifiedCalls = new CopyOnWriteArrayList<>();
    public final List<String> rejectedCalls = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.ANSWER;
    private volatile String expectedAudience;

    /** A vendor that trusts the key the platform publishes at {@code gatewayUrl/public/jwt-public-key}. */
    public static TestVendor trustingKeyFrom(String gatewayUrl) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gatewayUrl + "/public/jwt-public-key")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String pem = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("public_key").asText();
        return new TestVendor(pem);
    }

    public TestVendor(String publicKeyPem) throws Exception {
        String base64 = publicKeyPem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        this.platformKey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tool", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            try {
                JwtClaims claims = new JwtConsumerBuilder().setVerificationKey(platformKey)
                        .setExpectedAudience(expectedAudience).setExpectedIssuer("tollgate").setRequireExpirationTime()
                        .build().processToClaims(auth == null ? "" : auth.replace("Bearer ", ""));
                verifiedCalls.add(claims);
            } catch (InvalidJwtException e) {
                rejectedCalls.add(e.getMessage());
                respond(exchange, 401, "{\"error\":\"bad token\"}");
                return;
            }
            switch (mode) {
                case FAIL -> respond(exchange, 500, "{\"error\":\"vendor broke\"}");
                case HANG -> {
                    try {
                        Thread.sleep(10_000); // longer than the catalog's timeout in tests
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    respond(exchange, 200, "{}");
                }
                default -> respond(exchange, 200, "{\"echo\":" + body + ",\"vendor\":\"test\"}");
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/tool";
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    public void expectAudience(String audience) {
        this.expectedAudience = audience;
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
