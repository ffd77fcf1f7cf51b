package dev.tollgate.catalog.tools;

/** The tool could not do what was asked. The caller is not charged. */
public class ToolFailure extends Exception {

    private final String code;

    public ToolFailure(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
