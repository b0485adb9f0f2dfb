package dev.ferry.core.error;

/** The named thing does not exist (HTTP 404). */
public class NotFoundException extends FerryException {
    public NotFoundException(String kind, String id) {
        super("not_found", kind + " '" + id + "' not found");
    }
}
