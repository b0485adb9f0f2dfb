package dev.ferry.local.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The routes of the template's {@code HttpApi} events, matched as API Gateway HTTP APIs do: the
 * most specific route wins — literal segments over {@code {param}} over greedy {@code {proxy+}},
 * a route for the request's method over {@code ANY}, and {@code $default} last. A path that no
 * route matches, or matches for another method only, is not found.
 */
public final class HttpRouter {
    public static final String ANY = "ANY";
    public static final String DEFAULT_ROUTE = "$default";

    private enum Kind { GREEDY, PARAM, LITERAL }

    private record Segment(Kind kind, String text) {}

    /** One route: {@code method} (or ANY) and {@code path} as written in the template, and the function it invokes. */
    public record Route(String method, String path, String function, String event) {
        public String routeKey() {
            return path.equals(DEFAULT_ROUTE) ? DEFAULT_ROUTE : method + " " + path;
        }
    }

    /** A route matched by a request, with the path's parameters (decoded). */
    public record Match(Route route, Map<String, String> pathParameters) {}

    private record Compiled(Route route, List<Segment> segments) {}

    private final List<Compiled> routes = new ArrayList<>();

    public void add(Route route) {
        String method = route.method() == null ? ANY : route.method().toUpperCase(Locale.ROOT);
        String path = route.path() == null || route.path().isBlank() ? DEFAULT_ROUTE : route.path();
        Route r = new Route(method.equals("X-AMAZON-APIGATEWAY-ANY-METHOD") ? ANY : method, path, route.function(),
                route.event());
        List<Segment> segments = new ArrayList<>();
        if (!path.equals(DEFAULT_ROUTE)) {
            List<String> parts = split(path);
            for (int i = 0; i < parts.size(); i++) {
                String s = parts.get(i);
                if (s.startsWith("{") && s.endsWith("+}")) {
                    if (i != parts.size() - 1) throw new IllegalArgumentException("greedy " + s + " must be last in " + path);
                    segments.add(new Segment(Kind.GREEDY, s.substring(1, s.length() - 2)));
                } else if (s.startsWith("{") && s.endsWith("}")) {
                    segments.add(new Segment(Kind.PARAM, s.substring(1, s.length() - 1)));
                } else {
                    segments.add(new Segment(Kind.LITERAL, s));
                }
            }
        }
        routes.add(new Compiled(r, segments));
    }

    public List<Route> routes() {
        return routes.stream().map(Compiled::route).toList();
    }

    /** The best route for {@code method} and the raw (percent-encoded) {@code rawPath}. */
    public Optional<Match> match(String method, String rawPath) {
        List<String> parts = split(rawPath == null ? "/" : rawPath).stream().map(HttpRouter::decode).toList();
        Compiled best = null;
        Map<String, String> bestParams = null;
        for (Compiled c : routes) {
            if (!c.route().method().equals(ANY) && !c.route().method().equalsIgnoreCase(method)) continue;
            Map<String, String> params = c.route().path().equals(DEFAULT_ROUTE) ? Map.of() : bind(c.segments(), parts);
            if (params == null) continue;
            if (best == null || SPECIFICITY.compare(c, best) > 0) {
                best = c;
                bestParams = params;
            }
        }
        return best == null ? Optional.empty() : Optional.of(new Match(best.route(), bestParams));
    }

    private static final Comparator<Compiled> SPECIFICITY = (a, b) -> {
        boolean ad = a.route().path().equals(DEFAULT_ROUTE);
        boolean bd = b.route().path().equals(DEFAULT_ROUTE);
        if (ad != bd) return ad ? -1 : 1;
        for (int i = 0; i < Math.min(a.segments().size(), b.segments().size()); i++) {
            int c = a.segments().get(i).kind().compareTo(b.segments().get(i).kind());
            if (c != 0) return c;
        }
        int c = Integer.compare(a.segments().size(), b.segments().size());
        if (c != 0) return c;
        boolean aAny = a.route().method().equals(ANY);
        boolean bAny = b.route().method().equals(ANY);
        return aAny == bAny ? 0 : aAny ? -1 : 1;
    };

    private static Map<String, String> bind(List<Segment> segments, List<String> parts) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s.kind() == Kind.GREEDY) {
                if (i >= parts.size()) return null;
                params.put(s.text(), String.join("/", parts.subList(i, parts.size())));
                return params;
            }
            if (i >= parts.size()) return null;
            String p = parts.get(i);
            if (s.kind() == Kind.LITERAL) {
                if (!s.text().equals(p)) return null;
            } else {
                if (p.isEmpty()) return null;
                params.put(s.text(), p);
            }
        }
        return parts.size() == segments.size() ? params : null;
    }

    private static List<String> split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty()) return List.of();
        return List.of(p.split("/", -1));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
