package io.sluice.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Reads an ingest request body with the size limit applied to what arrives and, for {@code gzip} or
 * {@code deflate} bodies, to the inflated bytes while inflating: inflating stops at {@code maxBytes + 1}
 * bytes, so a compression bomb costs at most that. A declared {@code Content-Length} above the limit is
 * refused before any byte is read. Other encodings are refused (415).
 */
final class BoundedBody {
    /** Why a body was refused: status and message (the request is answered and its connection closed). */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        TooLarge(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private BoundedBody() {}

    /** The encoding to undo: null (identity), gzip or deflate; a {@link TooLarge} 415 for others. */
    static String encoding(HttpServerRequest req) {
        String ce = req.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (ce == null || ce.isBlank()) {
            return null;
        }
        String e = ce.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "identity" -> null;
            case "gzip", "x-gzip" -> "gzip";
            case "deflate" -> "deflate";
            default ->
                throw new TooLarge(
                        415,
                        "Content-Encoding: '" + (e.length() > 40 ? e.substring(0, 40) : e)
                                + "' is not supported; use gzip, deflate or none");
        };
    }

    /** Reads the (still encoded) body up to {@code maxBytes}; fails with {@link TooLarge} 413 beyond. */
    static Future<Buffer> read(HttpServerRequest req, long maxBytes) {
        String cl = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (cl != null) {
            long declared;
            try {
                declared = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                return Future.failedFuture(new TooLarge(400, "Content-Length: not a number"));
            }
            if (declared > maxBytes) {
                return Future.failedFuture(tooLarge(maxBytes, "Content-Length " + declared));
            }
        }
        Promise<Buffer> done = Promise.promise();
        Buffer body = Buffer.buffer();
        req.handler(chunk -> {
            if (done.future().isComplete()) {
                return;
            }
            if (body.length() + (long) chunk.length() > maxBytes) {
                done.tryFail(tooLarge(maxBytes, "the body"));
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> done.tryComplete(body));
        req.exceptionHandler(done::tryFail);
        req.resume(); // the router pauses the request until a handler takes the body
        return done.future();
    }

    /** Inflates {@code body} ({@code gzip}/{@code deflate}), stopping once more than {@code maxBytes} came out. */
    static Buffer inflate(Buffer body, String encoding, long maxBytes) {
        byte[] in = body.getBytes();
        try (InputStream is = encoding.equals("gzip")
                ? new GZIPInputStream(new ByteArrayInputStream(in))
                : new InflaterInputStream(new ByteArrayInputStream(in))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(in.length * 4, 64 * 1024));
            byte[] buf = new byte[16 * 1024];
            long total = 0;
            for (int n = is.read(buf); n >= 0; n = is.read(buf)) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(maxBytes, "the inflated body");
                }
                out.write(buf, 0, n);
            }
            return Buffer.buffer(out.toByteArray());
        } catch (IOException e) {
            throw new TooLarge(400, "body: not valid " + encoding + " data (Content-Encoding: " + encoding + ")");
        }
    }

    private static TooLarge tooLarge(long maxBytes, String what) {
        return new TooLarge(
                413,
                "body: larger than " + maxBytes + " bytes (maxBodyBytes; " + what
                        + " exceeds it; the limit applies to the inflated bytes too)");
    }
}
