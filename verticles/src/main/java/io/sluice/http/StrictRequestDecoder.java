package io.sluice.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Map;

/**
 * The server's HTTP/1.x request decoder, except that a request carrying both {@code Content-Length} and
 * {@code Transfer-Encoding: chunked} keeps both headers (Netty drops Content-Length and reads the body
 * chunked), so {@link ConnectionGuard} can refuse it and close the connection as RFC 9112 §6.3 asks:
 * such a message is a request-smuggling attempt, not a client to serve. Needs clear-text HTTP/2 off, so the
 * HTTP/1.x pipeline exists before the first byte is read (see {@link ConnectionGuard#options}).
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

    StrictRequestDecoder(HttpServerOptions options) {
        super(options);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        // keep both headers: the guard refuses the request; the body is still framed as chunked
    }

    /** Swaps the decoder of a new HTTP/1.x connection, before its first request is read; false when not possible. */
    static boolean install(HttpConnection conn, HttpServerOptions options) {
        if (!(conn instanceof ConnectionBase base)) {
            return false;
        }
        ChannelPipeline p = base.channel().pipeline();
        for (Map.Entry<String, ChannelHandler> e : p) {
            if (e.getValue() instanceof VertxHttpRequestDecoder && !(e.getValue() instanceof StrictRequestDecoder)) {
                p.replace(e.getKey(), e.getKey(), new StrictRequestDecoder(options));
                return true;
            }
        }
        return false;
    }
}
