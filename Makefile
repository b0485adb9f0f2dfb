# `sam build` calls build-<LogicalId> for each function of template.yaml (BuildMethod: makefile).
# Every function ships the same package: the functions module's shaded jar, unpacked.
FUNCTIONS := WebhookFunction ScheduledTriggerFunction FlowExecutionFunction RetryDispatchFunction \
             ReplayFunction MonitorEvaluationFunction ManagementApiFunction
JAR := functions/target/ferry-functions-0.1.0-SNAPSHOT-lambda.jar

$(JAR):
	./scripts/mvn.sh -q -B -DskipTests -pl functions -am package

$(addprefix build-,$(FUNCTIONS)): $(JAR)
	mkdir -p "$(ARTIFACTS_DIR)"
	cd "$(ARTIFACTS_DIR)" && unzip -qo "$(CURDIR)/$(JAR)"

.PHONY: $(addprefix build-,$(FUNCTIONS))
