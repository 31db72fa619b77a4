#!/usr/bin/env bash
# Kept for the name the docs used: same as `ontology/refresh-obo.sh maxo [PATH-OR-URL]`.
exec "$(dirname "${BASH_SOURCE[0]}")/refresh-obo.sh" maxo "$@"
