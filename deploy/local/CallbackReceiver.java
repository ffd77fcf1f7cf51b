import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A callback receiver for trying Tollgate out: prints every POST it gets (the Standard Webhooks headers and the
 * body) and answers 204. Run it without compiling: {@code java deploy/local/CallbackReceiver.java 9999}.
 */
public class CallbackReceiver {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9999;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 10);
        server.createContext("/", exchange -> {
            System.out.println("--- " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
            for (String h : new String[] { "webhook-id", "webhook-timestamp", "webhook-signature" }) {
                System.out.println(h + ": " + exchange.getRequestHeaders().getFirst(h));
            }
            System.out.println(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        System.out.println("listening on http://127.0.0.1:" + port + "/ (Ctrl-C to stop)");
    }
}
