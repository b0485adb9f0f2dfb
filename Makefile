# `sam build` calls build-<LogicalId> for each function of template.yaml (BuildMethod: makefile).
# Every function ships the same package: the functions module's shaded jar, unpacked, with the
# operator console built into it (ferry-console/, served by ConsoleFunction). One pattern rule
# serves them all; the console is built (Node.js >= 20) when a source of it changed, and the jar
# when a source or pom it is made from — or the console — changed, so building every function
# builds each once.
JAR := functions/target/ferry-functions-0.1.0-SNAPSHOT-lambda.jar
CONSOLE := console/dist/index.html
CONSOLE_INPUTS := $(wildcard console/index.html console/vite.config.ts console/package.json console/package-lock.json \
                  console/tsconfig*.json) $(shell find console/src -type f 2>/dev/null)
JAR_INPUTS := pom.xml $(wildcard core/pom.xml infra/pom.xml functions/pom.xml) \
              $(shell find core/src/main infra/src/main functions/src/main -type f 2>/dev/null)

$(CONSOLE): $(CONSOLE_INPUTS)
	ROOT="$(CURDIR)" bash -c '. scripts/console.sh && console_build_if_stale required'
	touch "$@"

$(JAR): $(JAR_INPUTS) $(CONSOLE)
	./scripts/mvn.sh -q -B -DskipTests -pl functions -am package
	touch "$@"

build-%: $(JAR)
	@awk -v id='$*' '$$0 == "  " id ":" { getline; ok = /Type: AWS::Serverless::Function/ } END { exit !ok }' template.yaml \
		|| { echo "make: $* is not a function of template.yaml" >&2; exit 1; }
	mkdir -p "$(ARTIFACTS_DIR)"
	cd "$(ARTIFACTS_DIR)" && unzip -qo "$(CURDIR)/$(JAR)"
