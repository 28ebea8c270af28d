#!/usr/bin/env bash
# README command one: installs what is missing, builds, and runs the bot.
# With a token (SERTIBOT_TOKEN, or telegram.token in the config) it serves
# Telegram until stopped; without one it shows the bot at work against the
# bundled fake Telegram server and prints the conversation.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/build.sh

config=${SERTIBOT_CONFIG:-sertibot.json}
has_token=no
if [ -n "${SERTIBOT_TOKEN:-}" ]; then
  has_token=yes
elif [ -f "$config" ] && python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])).get("telegram",{}).get("token") else 1)' "$config" 2>/dev/null; then
  has_token=yes
fi

if [ "$has_token" = yes ]; then
  exec build/sertibot --config "$config"
fi
echo "No bot token in $config or SERTIBOT_TOKEN: running the demo against the fake Telegram server."
echo "(Copy sertibot.example.json to sertibot.json and fill in telegram.token to serve Telegram.)"
echo
exec python3 scripts/demo.py --bot build/sertibot
