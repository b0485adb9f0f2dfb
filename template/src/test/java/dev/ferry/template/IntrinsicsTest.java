package dev.ferry.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final List<String> created = new ArrayList<>();

    private final Intrinsics intrinsics = new Intrinsics(
            name -> Map.of("RetentionDays", "14").get(name),
            new Intrinsics.Resources() {
                @Override
                public boolean exists(String id) {
                    return id.equals("Queue") || id.equals("Table");
                }

                @Override
                public String ref(String id) {
                    created.add(id);
                    return "ref-of-" + id;
                }

                @Override
                public String getAtt(String id, String attribute) {
                    created.add(id);
                    return id + "." + attribute;
                }
            });

    private JsonNode yaml(String text) throws Exception {
        return YAML.readTree(text);
    }

    @Test
    void refResolvesParametersPseudoParametersAndResources() throws Exception {
        JsonNode v = intrinsics.resolve(yaml("""
                a: { Ref: RetentionDays }
                b: { Ref: AWS::Region }
                c: { Ref: Queue }
                """));
        assertThat(v.get("a").asText()).isEqualTo("14");
        assertThat(v.get("b").asText()).isEqualTo("us-east-1");
        assertThat(v.get("c").asText()).isEqualTo("ref-of-Queue");
        assertThat(created).containsExactly("Queue");
    }

    @Test
    void getAttTakesTheListAndTheDottedForm() throws Exception {
        JsonNode v = intrinsics.resolve(yaml("""
                list: { "Fn::GetAtt": [Queue, Arn] }
                dotted: { "Fn::GetAtt": Table.StreamArn }
                """));
        assertThat(v.get("list").asText()).isEqualTo("Queue.Arn");
        assertThat(v.get("dotted").asText()).isEqualTo("Table.StreamArn");
    }

    @Test
    void subReplacesVariablesAttributesPseudoParametersAndKeepsEscapes() throws Exception {
        JsonNode v = intrinsics.resolve(yaml("""
                s: { "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:${Queue}/${Queue.Arn}/${!Literal}" }
                t: { "Fn::Sub": ["${x}-${AWS::URLSuffix}", { x: { Ref: RetentionDays } }] }
                """));
        assertThat(v.get("s").asText())
                .isEqualTo("arn:aws:logs:us-east-1:123456789012:ref-of-Queue/Queue.Arn/${Literal}");
        assertThat(v.get("t").asText()).isEqualTo("14-amazonaws.com");
    }

    @Test
    void unknownReferencesAndUnsupportedFunctionsAreReportedByName() throws Exception {
        assertThatThrownBy(() -> intrinsics.resolve(yaml("a: { Ref: Nope }")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("'Nope'");
        assertThatThrownBy(() -> intrinsics.resolve(yaml("a: { \"Fn::ImportValue\": x }")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Fn::ImportValue");
    }

    @Test
    void shortFormTagsAreRejectedWithTheLine() {
        assertThatThrownBy(() -> Template.parse(Path.of("t.yaml"), "Resources:\n  A:\n    Type: X\n    Properties:\n      Q: !Ref B\n"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("t.yaml:5")
                .hasMessageContaining("!Ref");
    }
}
