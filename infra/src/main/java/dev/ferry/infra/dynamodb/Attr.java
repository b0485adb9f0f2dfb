package dev.ferry.infra.dynamodb;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small helpers to write and read DynamoDB attribute values (absent attribute = null). */
final class Attr {
    /** Sort-key time: fixed-width milliseconds, so string order is time order. */
    static final DateTimeFormatter KEY_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Comparable attribute time: fixed-width nanoseconds (exact, and string order is time order). */
    static final DateTimeFormatter EXACT_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);

    private Attr() {}

    static String keyTime(Instant t) {
        return KEY_TIME.format(t);
    }

    /** The instant a {@link #keyTime} string names (to the millisecond). */
    static Instant instantOfKeyTime(String keyTime) {
        return KEY_TIME.parse(keyTime, Instant::from);
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static AttributeValue bool(boolean v) {
        return AttributeValue.fromBool(v);
    }

    static AttributeValue b(byte[] v) {
        return AttributeValue.fromB(SdkBytes.fromByteArray(v));
    }

    static AttributeValue time(Instant t) {
        return AttributeValue.fromS(t.toString());
    }

    static AttributeValue stringMap(Map<String, String> m) {
        Map<String, AttributeValue> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, AttributeValue.fromS(v == null ? "" : v)));
        return AttributeValue.fromM(out);
    }

    static AttributeValue stringList(List<String> l) {
        return AttributeValue.fromL(l.stream().map(AttributeValue::fromS).toList());
    }

    /** Puts {@code name -> value} unless the value is null (absent attributes stand for null). */
    static void put(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) item.put(name, s(value));
    }

    static void put(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) item.put(name, time(value));
    }

    static void put(Map<String, AttributeValue> item, String name, Long value) {
        if (value != null) item.put(name, n(value));
    }

    static void put(Map<String, AttributeValue> item, String name, Integer value) {
        if (value != null) item.put(name, n(value));
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? null : v.s();
    }

    static Instant instant(Map<String, AttributeValue> item, String name) {
        String v = str(item, name);
        return v == null ? null : Instant.parse(v);
    }

    static Long lng(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }

    static Integer integer(Map<String, AttributeValue> item, String name) {
        Long v = lng(item, name);
        return v == null ? null : Math.toIntExact(v);
    }

    static int integer(Map<String, AttributeValue> item, String name, int fallback) {
        Integer v = integer(item, name);
        return v == null ? fallback : v;
    }

    static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    static byte[] bytes(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.b() == null ? null : v.b().asByteArray();
    }

    static Map<String, String> stringMap(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || !v.hasM()) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        v.m().forEach((k, av) -> out.put(k, av.s()));
        return out;
    }

    static List<String> stringList(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || !v.hasL()) return List.of();
        return v.l().stream().map(AttributeValue::s).toList();
    }

    /** The key attributes of {@code item} named in {@code names} (for an ExclusiveStartKey). */
    static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item, String... names) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String n : names) key.put(n, item.get(n));
        return key;
    }
}
