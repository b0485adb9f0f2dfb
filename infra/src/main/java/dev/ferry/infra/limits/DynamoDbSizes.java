package dev.ferry.infra.limits;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item sizes as DynamoDB counts them against its 400 KB item limit (the Developer Guide's "Item
 * sizes and formats"): attribute names and strings in UTF-8 bytes; a number one byte per two
 * significant digits plus one (plus one when negative); binary as its bytes; null and booleans
 * one byte; a list or map three bytes plus one per element; a set the sum of its elements.
 */
public final class DynamoDbSizes {
    /** 400 KB, names and values together. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private DynamoDbSizes() {}

    public static long item(Map<String, AttributeValue> item) {
        if (item == null) return 0;
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + value(e.getValue());
        }
        return size;
    }

    public static long value(AttributeValue v) {
        if (v == null) return 0;
        if (v.s() != null) return utf8(v.s());
        if (v.n() != null) return number(v.n());
        if (v.b() != null) return v.b().asByteArrayUnsafe().length;
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) return 1;
        if (v.hasM()) {
            long size = 3;
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) size += 1 + utf8(e.getKey()) + value(e.getValue());
            return size;
        }
        if (v.hasL()) {
            long size = 3;
            for (AttributeValue e : v.l()) size += 1 + value(e);
            return size;
        }
        if (v.hasSs()) return v.ss().stream().mapToLong(DynamoDbSizes::utf8).sum();
        if (v.hasNs()) return v.ns().stream().mapToLong(DynamoDbSizes::number).sum();
        if (v.hasBs()) return v.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
        return 0;
    }

    /** One byte per two significant digits, plus one; plus one for a negative number. */
    static long number(String n) {
        String digits;
        try {
            BigDecimal d = new BigDecimal(n.trim()).stripTrailingZeros();
            digits = d.unscaledValue().abs().toString();
        } catch (NumberFormatException notANumber) {
            digits = n;
        }
        long size = (digits.length() + 1) / 2 + 1;
        return n.trim().startsWith("-") ? size + 1 : size;
    }

    static long utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Compares two values of one scalar type as DynamoDB orders them (strings and binary by unsigned bytes). */
    static int compare(AttributeValue a, AttributeValue b) {
        if (a.n() != null && b.n() != null) return new BigDecimal(a.n().trim()).compareTo(new BigDecimal(b.n().trim()));
        byte[] x = bytes(a);
        byte[] y = bytes(b);
        if (x == null || y == null) return 0;
        return java.util.Arrays.compareUnsigned(x, y);
    }

    /** True when both are of one scalar type BETWEEN can compare (S, N or B). */
    static boolean comparable(AttributeValue a, AttributeValue b) {
        return a != null && b != null && (a.s() != null && b.s() != null || a.n() != null && b.n() != null
                || a.b() != null && b.b() != null);
    }

    private static byte[] bytes(AttributeValue v) {
        if (v.s() != null) return v.s().getBytes(StandardCharsets.UTF_8);
        SdkBytes b = v.b();
        return b == null ? null : b.asByteArrayUnsafe();
    }

    /** How DynamoDB prints an operand in an error message, e.g. {@code AttributeValue: {S:abc}}. */
    static String describe(AttributeValue v) {
        if (v.s() != null) return "AttributeValue: {S:" + v.s() + "}";
        if (v.n() != null) return "AttributeValue: {N:" + v.n() + "}";
        if (v.b() != null) return "AttributeValue: {B:" + v.b().asByteBuffer() + "}";
        return "AttributeValue: " + v;
    }

    static List<String> sortedKeyNames(Map<String, AttributeValue> key) {
        return key.keySet().stream().sorted().toList();
    }
}
