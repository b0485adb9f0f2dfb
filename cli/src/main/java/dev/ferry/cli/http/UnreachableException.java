package dev.ferry.cli.http;

import java.net.URI;

/** Nothing answered at the API URL (connection refused, unknown host, connect timeout). */
public final class UnreachableException extends RuntimeException {

    private final URI url;

    public UnreachableException(URI url, String reason) {
        super(reason, null, false, false);
        this.url = url;
    }

    public URI url() {
        return url;
    }
}
