#!/usr/bin/env bash
# Offline Pulumi environment (see pulumi-env.js for what it sets and why).
#   source scripts/pulumi-env.sh              # export it into the current shell
#   scripts/pulumi-env.sh pulumi stack ls     # run one command in it
_pulumi_env_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
eval "$(node "$_pulumi_env_dir/pulumi-env.js")" || { echo "pulumi-env: could not compute the environment" >&2; return 1 2>/dev/null || exit 1; }
unset _pulumi_env_dir
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
  exec "$@"
fi
