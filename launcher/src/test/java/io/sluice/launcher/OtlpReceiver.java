package io.sluice.launcher;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An in-process OTLP/HTTP trace receiver: {@code POST /v1/traces} with an {@code ExportTraceServiceRequest}
 * (protobuf, optionally gzip), decoded with the OpenTelemetry proto classes, the protocol's real messages; answers
 * an empty {@code ExportTraceServiceResponse}. Keeps every span it received.
 */
final class OtlpReceiver implements AutoCloseable {
    private static final HexFormat HEX = HexFormat.of();

    /** One received span, ids in lower-case hex as in {@code traceparent}. */
    record Received(
            String service,
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            Span.SpanKind kind,
            Map<String, String> attributes,
            List<String> linkedSpanIds,
            io.opentelemetry.proto.trace.v1.Status.StatusCode status,
            long startNanos,
            long endNanos) {
        String attr(String key) {
            return attributes.get(key);
        }
    }

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<Received> spans = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/v1/traces", ex -> {
            try (ex) {
                if (!"POST".equals(ex.getRequestMethod())
                        || !"application/x-protobuf"
                                .equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
                    refused.add(
                            ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type"));
                    ex.sendResponseHeaders(415, -1);
                    return;
                }
                InputStream in = "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))
                        ? new GZIPInputStream(ex.getRequestBody())
                        : ex.getRequestBody();
                accept(ExportTraceServiceRequest.parseFrom(in.readAllBytes()));
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                ex.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                if (answer.length > 0) {
                    ex.getResponseBody().write(answer);
                }
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<Received> spans() {
        return List.copyOf(spans);
    }

    /** Requests refused (wrong method or content type): none expected. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    List<Received> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    private void accept(ExportTraceServiceRequest req) {
        for (ResourceSpans rs : req.getResourceSpansList()) {
            String service = attributes(rs.getResource()).getOrDefault("service.name", "?");
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    Map<String, String> attrs = new LinkedHashMap<>();
                    for (KeyValue kv : s.getAttributesList()) {
                        attrs.put(kv.getKey(), value(kv.getValue()));
                    }
                    List<String> links = s.getLinksList().stream()
                            .map(l -> hex(l.getSpanId().toByteArray()))
                            .toList();
                    spans.add(new Received(
                            service,
                            hex(s.getTraceId().toByteArray()),
                            hex(s.getSpanId().toByteArray()),
                            hex(s.getParentSpanId().toByteArray()),
                            s.getName(),
                            s.getKind(),
                            attrs,
                            links,
                            s.getStatus().getCode(),
                            s.getStartTimeUnixNano(),
                            s.getEndTimeUnixNano()));
                }
            }
        }
    }

    private static Map<String, String> attributes(Resource r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (KeyValue kv : r.getAttributesList()) {
            m.put(kv.getKey(), value(kv.getValue()));
        }
        return m;
    }

    private static String value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> v.toString().trim();
        };
    }

    private static String hex(byte[] b) {
        return b.length == 0 ? "" : HEX.formatHex(b);
    }

    /**
     * The trace as an indented tree (children by start time), each line: name, service, kind, duration, selected
     * attributes, links (by the linked span's name).
     */
    static String tree(List<Received> trace, List<String> shownAttributes) {
        Map<String, Received> byId = trace.stream().collect(Collectors.toMap(Received::spanId, s -> s, (a, b) -> a));
        Map<String, List<Received>> children = new LinkedHashMap<>();
        List<Received> roots = new ArrayList<>();
        for (Received s : trace) {
            if (byId.containsKey(s.parentSpanId())) {
                children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>())
                        .add(s);
            } else {
                roots.add(s);
            }
        }
        StringBuilder out = new StringBuilder();
        roots.sort(Comparator.comparingLong(Received::startNanos));
        for (Received r : roots) {
            out.append("trace ")
                    .append(r.traceId())
                    .append(r.parentSpanId().isEmpty() ? "" : " (remote parent " + r.parentSpanId() + ")")
                    .append('\n');
            print(r, 1, children, byId, shownAttributes, out);
        }
        return out.toString();
    }

    private static void print(
            Received s,
            int depth,
            Map<String, List<Received>> children,
            Map<String, Received> byId,
            List<String> shown,
            StringBuilder out) {
        out.append("  ".repeat(depth))
                .append(s.name())
                .append("  [")
                .append(s.service())
                .append(", ")
                .append(s.kind().name().replace("SPAN_KIND_", ""))
                .append(", ")
                .append(String.format("%.1f ms", (s.endNanos() - s.startNanos()) / 1e6))
                .append(']');
        for (String a : shown) {
            if (s.attr(a) != null) {
                out.append(' ').append(a).append('=').append(s.attr(a));
            }
        }
        if (s.status() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR) {
            out.append(" status=ERROR");
        }
        if (!s.linkedSpanIds().isEmpty()) {
            out.append("  links->")
                    .append(s.linkedSpanIds().stream()
                            .map(id -> byId.containsKey(id) ? byId.get(id).name() : id)
                            .toList());
        }
        out.append('\n');
        List<Received> kids = new ArrayList<>(children.getOrDefault(s.spanId(), List.of()));
        kids.sort(Comparator.comparingLong(Received::startNanos));
        for (Received k : kids) {
            print(k, depth + 1, children, byId, shown, out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
