package dev.ferry.functions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The parts Ferry reads of an SQS event, as Lambda delivers it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SqsEvent(@JsonProperty("Records") List<Message> records) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(String messageId, String receiptHandle, String body, Map<String, String> attributes,
                          String eventSourceARN) {
        /** How many times SQS has handed this message out, this delivery included ({@code ApproximateReceiveCount}; 1 if absent). */
        public int receiveCount() {
            String n = attributes == null ? null : attributes.get("ApproximateReceiveCount");
            try {
                return n == null ? 1 : Math.max(1, Integer.parseInt(n.trim()));
            } catch (NumberFormatException notANumber) {
                return 1;
            }
        }
    }
}
