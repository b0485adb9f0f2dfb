package dev.ferry.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final Path PATH = Path.of("template.yaml");

    @Test
    void aParametersDefaultIsItsTextAndAbsentWithoutOne() {
        Template t = Template.parse(PATH, """
                Parameters:
                  RetentionDays: { Type: Number, Default: 14 }
                  AdminApiKeySha256: { Type: String }
                Resources:
                  Queue: { Type: AWS::SQS::Queue }
                """);

        assertThat(t.parameterDefault("RetentionDays")).isEqualTo("14");
        assertThat(t.parameterDefault("AdminApiKeySha256")).isNull();
        assertThat(t.parameterDefault("Missing")).isNull();
    }

    @Test
    void aShortFormIntrinsicIsRefusedWithItsLine() {
        assertThatThrownBy(() -> Template.parse(PATH, """
                Resources:
                  Queue:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !Ref Name
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("template.yaml:5").hasMessageContaining("!Ref");
    }
}
