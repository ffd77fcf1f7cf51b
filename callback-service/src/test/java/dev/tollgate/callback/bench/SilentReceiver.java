package dev.tollgate.callback.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A callback receiver on 127.0.0.1 that reads each request and never answers, so every attempt to it lasts until
 * the service's total timeout. Built on a plain socket rather than an HTTP server so it knows exactly which requests
 * are still held: one stops counting as in flight the moment the service gives up and closes the connection.
 *
 * <p>{@link #release()} ends the hang: held requests and every later one are answered 410 Gone, which fails their
 * deliveries at once, so a benchmark round can drain them before the next round starts.
 */
final class SilentReceiver implements AutoCloseable {

    private static final byte[] GONE = "HTTP/1.1 410 Gone\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private volatile boolean released;

    private SilentReceiver() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("silent-receiver-accept").start(this::accept);
    }

    static SilentReceiver start() {
        try {
            return new SilentReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** Requests received and neither answered nor abandoned by the service: attempts to this receiver in flight. */
    int inFlight() {
        return held.size();
    }

    /** From now on, answers 410 Gone: to the held requests at once, and to every later one as it arrives. */
    void release() {
        released = true;
        for (Socket socket : held) {
            answerGone(socket);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().name("silent-receiver-connection").start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            if (!readRequest(in)) {
                return;
            }
            held.add(socket);
            if (released) {
                answerGone(socket);
                return;
            }
            // Blocks until the service closes the connection (its timeout), or release() closes it.
            while (in.read() != -1) {
                // a well-behaved client sends nothing more on a connection awaiting its answer
            }
        } catch (IOException closed) {
            // the service reset the connection, or release() answered and closed it
        } finally {
            held.remove(socket);
        }
    }

    /** Reads one request's head and body (by Content-Length); false if the connection closed first. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = { '\r', '\n', '\r', '\n' };
        while (matched < end.length) {
            int b = in.read();
            if (b == -1) {
                return false;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = head.toString(StandardCharsets.US_ASCII).lines()
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElse(0);
        in.skipNBytes(length); // an EOFException if the connection closes first
        return true;
    }

    private void answerGone(Socket socket) {
        if (held.remove(socket)) {
            try {
                socket.getOutputStream().write(GONE);
                socket.getOutputStream().flush();
                socket.close();
            } catch (IOException gone) {
                // the service gave up on it meanwhile
            }
        }
    }

    @Override
    public void close() {
        release();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
