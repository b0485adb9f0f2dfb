package dev.ferry.core.engine;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts Jackson trees to the plain Java values JSONata works on and back.
 *
 * <p>JSON null becomes {@link Jsonata#NULL_VALUE} (so {@code $x = null} is true for a JSON null). The
 * library replaces NULL_VALUE by Java null in place inside any result it returns, and a result may be
 * one of the inputs; the maps and lists made here ignore those writes, so converted bindings can be
 * shared by every expression of a run.
 */
final class JsonValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final double MAX_EXACT = 9_007_199_254_740_992d; // 2^53

    private JsonValues() {}

    static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return Jsonata.NULL_VALUE;
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isInt() || node.isShort()) return node.intValue();
        if (node.isLong()) return node.longValue();
        if (node.isBigInteger()) {
            BigInteger b = node.bigIntegerValue();
            return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
        }
        if (node.isNumber()) return node.doubleValue();
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode item : node) list.add(toJava(item));
            return new ReadOnlyList(list);
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) map.put(e.getKey(), toJava(e.getValue()));
            return new ReadOnlyMap(map);
        }
        if (node.isBinary()) return node.asText();
        return Jsonata.NULL_VALUE;
    }

    static JsonNode toJson(Object value) {
        if (value == null || value == Jsonata.NULL_VALUE) return NODES.nullNode();
        if (value instanceof String s) return NODES.textNode(s);
        if (value instanceof Boolean b) return NODES.booleanNode(b);
        if (value instanceof Integer i) return NODES.numberNode(i);
        if (value instanceof Long l) return NODES.numberNode(l);
        if (value instanceof Short s) return NODES.numberNode(s.intValue());
        if (value instanceof Byte b) return NODES.numberNode(b.intValue());
        if (value instanceof BigInteger b) return NODES.numberNode(b);
        if (value instanceof BigDecimal d) return NODES.numberNode(d);
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) return NODES.nullNode();
            if (d == Math.rint(d) && Math.abs(d) < MAX_EXACT) return NODES.numberNode((long) d);
            return NODES.numberNode(d);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            map.forEach((k, v) -> o.set(String.valueOf(k), toJson(v)));
            return o;
        }
        if (value instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode(list.size());
            for (Object item : list) a.add(toJson(item));
            return a;
        }
        if (value instanceof Character c) return NODES.textNode(c.toString());
        // functions, regexes and other non-JSON values have no JSON form
        return NODES.nullNode();
    }

    /** A map whose entries ignore {@code setValue}; everything else reads through. */
    static final class ReadOnlyMap extends AbstractMap<String, Object> {
        private final Map<String, Object> map;

        ReadOnlyMap(Map<String, Object> map) {
            this.map = map;
        }

        @Override public Object get(Object key) { return map.get(key); }
        @Override public boolean containsKey(Object key) { return map.containsKey(key); }
        @Override public int size() { return map.size(); }
        @Override public Set<String> keySet() { return java.util.Collections.unmodifiableSet(map.keySet()); }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override public int size() { return map.size(); }

                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Entry<String, Object>> it = map.entrySet().iterator();
                    return new Iterator<>() {
                        @Override public boolean hasNext() { return it.hasNext(); }

                        @Override
                        public Entry<String, Object> next() {
                            Entry<String, Object> e = it.next();
                            return new SimpleImmutableEntry<>(e.getKey(), e.getValue()) {
                                @Override
                                public Object setValue(Object value) {
                                    return getValue(); // ignored: see the class comment
                                }
                            };
                        }
                    };
                }
            };
        }
    }

    /** A list that ignores {@code set}; everything else reads through. */
    static final class ReadOnlyList extends AbstractList<Object> implements java.util.RandomAccess {
        private final List<Object> list;

        ReadOnlyList(List<Object> list) {
            this.list = list;
        }

        @Override public Object get(int index) { return list.get(index); }
        @Override public int size() { return list.size(); }

        @Override
        public Object set(int index, Object element) {
            return list.get(index); // ignored: see the class comment
        }
    }
}
