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
                          String eventSourceARN) {}
}
