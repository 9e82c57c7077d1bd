package io.sluice.admin;

/** A request body or parameter is invalid; the message names the field and what is allowed. */
public final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public BadRequest(String field, String problem) {
        super(field == null ? problem : field + ": " + problem);
        this.field = field;
    }

    /** The offending field, or null when the whole body is wrong. */
    public String field() {
        return field;
    }
}
