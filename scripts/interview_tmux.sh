#!/usr/bin/env bash
# Drive `advisor interview` for real in a terminal (tmux): answer a few questions, press
# Ctrl-C, check the draft, resume, and check the progress shown. Usage:
#   scripts/interview_tmux.sh [ADVISOR_BINARY]      (needs tmux: apt-get install -y tmux)
set -euo pipefail
ADVISOR=${1:-${ADVISOR:-advisor}}
command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 2; }
work=$(mktemp -d)
session="advisor-interview-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
out="$work/profile.yaml"
fail() { echo "FAIL: $*" >&2; echo "--- screen ---" >&2; tmux capture-pane -p -t "$session" >&2; exit 1; }
screen() { tmux capture-pane -p -t "$session"; }
wait_for() {  # wait_for TEXT [SECONDS]
  local i
  for ((i = 0; i < ${2:-20} * 10; i++)); do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  fail "did not see: $1"
}

tmux new-session -d -s "$session" -x 160 -y 40 -c "$work"
tmux send-keys -t "$session" "$ADVISOR interview -o $out" Enter
wait_for "[1/"
wait_for "organisation's name"
tmux send-keys -t "$session" "Test Centre" Enter            # 1 name (text)
wait_for "[2/"
tmux send-keys -t "$session" "kz" Enter                      # 2 country, upper-cased
wait_for "legally registered"
tmux send-keys -t "$session" Enter                           # 3 yes (first in the list)
wait_for "kinds of area"
tmux send-keys -t "$session" Space Down Down Space Enter     # 4 urban + rural
wait_for "which year"
tmux send-keys -t "$session" "1850" Enter                    # 5 refused as typed
wait_for "at least 1900"
tmux send-keys -t "$session" BSpace BSpace BSpace BSpace "2004" Enter
wait_for "paid staff"
tmux send-keys -t "$session" C-c
wait_for "interrupted; 5/"
[ -f "$out.draft" ] || fail "no draft after Ctrl-C"
[ "$(stat -c %a "$out.draft")" = 600 ] || fail "draft is not 0600"
grep -q "name: Test Centre" "$out.draft" || fail "draft lacks the name"
grep -q "country: KZ" "$out.draft" || fail "draft lacks the country"
grep -q "year_founded: 2004" "$out.draft" || fail "draft lacks the year"
echo "ok: Ctrl-C left a valid 0600 draft with 5 answers"

tmux send-keys -t "$session" "clear; $ADVISOR interview -o $out" Enter
wait_for "resuming the draft"
wait_for "[6/"
wait_for "paid staff"
tmux send-keys -t "$session" C-u "12" Enter
wait_for "[7/"
echo "ok: resumed at question 6 (paid staff), progress shown"
screen | sed -n '1,12p'
tmux send-keys -t "$session" C-c
wait_for "interrupted; 6/"
grep -q "paid_staff: 12" "$out.draft" || fail "resumed answer not saved"
echo "PASS"
