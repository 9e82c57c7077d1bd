package io.sluice.admin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Refuses request paths the admin server has no business resolving, before routing: bad percent-encoding,
 * encoded or plain {@code ..} segments, backslashes, control characters (NUL included) and paths that are not
 * UTF-8. The dashboard and API paths are plain ASCII, so nothing legitimate is refused.
 */
final class PathCheck {
    private PathCheck() {}

    /** Why {@code rawPath} is refused (400), or null when it may be routed. */
    static String problem(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return "path: must start with '/'";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                if (i + 2 >= rawPath.length() || hex(rawPath.charAt(i + 1)) < 0 || hex(rawPath.charAt(i + 2)) < 0) {
                    return "path: invalid percent-encoding";
                }
                out.write(hex(rawPath.charAt(i + 1)) * 16 + hex(rawPath.charAt(i + 2)));
                i += 2;
            } else if (c > 0x7e) {
                return "path: must be ASCII (percent-encode other characters)";
            } else {
                out.write(c);
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return "path: not valid UTF-8 once decoded";
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "path: control characters are not allowed";
            }
            if (c == '\\') {
                return "path: backslashes are not allowed";
            }
        }
        for (String segment : decoded.split("/", -1)) {
            String s = segment.contains(";") ? segment.substring(0, segment.indexOf(';')) : segment;
            if (s.equals("..") || s.equals(".")) {
                return "path: '.' and '..' segments are not allowed";
            }
        }
        return null;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
