# `sam build` calls build-<LogicalId> for each function of template.yaml (BuildMethod: makefile).
# Every function ships the same package: the functions module's shaded jar, unpacked. One pattern
# rule serves them all; the jar is rebuilt only when a source or pom it is made from changed, so
# building every function builds it once.
JAR := functions/target/ferry-functions-0.1.0-SNAPSHOT-lambda.jar
JAR_INPUTS := pom.xml $(wildcard core/pom.xml infra/pom.xml functions/pom.xml) \
              $(shell find core/src/main infra/src/main functions/src/main -type f 2>/dev/null)

$(JAR): $(JAR_INPUTS)
	./scripts/mvn.sh -q -B -DskipTests -pl functions -am package
	touch "$@"

build-%: $(JAR)
	@awk -v id='$*' '$$0 == "  " id ":" { getline; ok = /Type: AWS::Serverless::Function/ } END { exit !ok }' template.yaml \
		|| { echo "make: $* is not a function of template.yaml" >&2; exit 1; }
	mkdir -p "$(ARTIFACTS_DIR)"
	cd "$(ARTIFACTS_DIR)" && unzip -qo "$(CURDIR)/$(JAR)"
