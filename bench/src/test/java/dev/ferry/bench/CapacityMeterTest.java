package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The item sizes the cost benchmark turns into request units follow DynamoDB's sizing rules. */
class CapacityMeterTest {

    @Test
    void anItemIsTheSumOfItsAttributeNamesAndValues() {
        Map<String, AttributeValue> item = Map.of(
                "pk", AttributeValue.fromS("EXECUTION#1"),   // 2 + 11
                "n", AttributeValue.fromN("12345"),           // 1 + 5 digits / 2 + 1 = 3
                "ok", AttributeValue.fromBool(true));         // 2 + 1
        assertThat(CapacityMeter.size(item)).isEqualTo(13 + 4 + 3);
    }

    @Test
    void nestedMapsAndListsAddThreeBytesAndOnePerElement() {
        Map<String, AttributeValue> item = Map.of("m", AttributeValue.fromM(Map.of("a", AttributeValue.fromS("xy"))),
                "l", AttributeValue.fromL(List.of(AttributeValue.fromS("abc"))));
        // m: 1 + (3 + 1 + 1 + 2); l: 1 + (3 + 1 + 3)
        assertThat(CapacityMeter.size(item)).isEqualTo(8 + 8);
    }

    @Test
    void anAbsentItemHasNoSize() {
        assertThat(CapacityMeter.size(null)).isZero();
    }
}
