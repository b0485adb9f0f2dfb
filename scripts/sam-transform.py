#!/usr/bin/env python3
"""Transforms template.yaml with the AWS SAM translator (what CloudFormation does on deploy) and
prints the resulting CloudFormation template as JSON, so it can be linted as deployed.

Usage: scripts/sam-transform.py [template.yaml] > transformed.json

The functions' local CodeUri (".", built by `sam build`) becomes an S3 URI, as `sam package` makes
it; nothing else is changed. Needs the aws-sam-translator package (cfn-lint depends on it).
"""
import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "template.yaml"
    with open(path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    for logical_id, resource in template.get("Resources", {}).items():
        props = resource.get("Properties") or {}
        code = props.get("CodeUri")
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(code, str) and not code.startswith("s3://"):
            props["CodeUri"] = "s3://sam-package-bucket/" + logical_id + ".zip"
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    print(json.dumps(transform(template, {}, None), indent=1, default=str))


if __name__ == "__main__":
    main()
