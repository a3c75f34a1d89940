#!/bin/sh
#*****************************************************************************
#* genw-status.sh: the cheapest synchronous custom monitor. A resident       *
#* `pgsr watch --status-file FILE` (started e.g. by genw-watch.sh or a       *
#* systemd unit) checks on one kept connection and sends the alerts; this    *
#* script only reads its verdict: no Node start, no connection. If the file  *
#* is missing or older than MAX_AGE seconds, it runs a full `pgsr check`.    *
#*                                                                           *
#* Installed by the pgsr package; PGSR_CONFIG holds every other setting.     *
#*****************************************************************************
PGSR=/usr/bin/pgsr
PGSR_CONFIG=/etc/pgsr/genw_watchstandby.conf
PGSR_STATUS=/run/pgsr/watchstandby.json
MAX_AGE=30

now=$(date +%s)
mtime=$(stat -c %Y "$PGSR_STATUS" 2>/dev/null || echo 0)
if [ $((now - mtime)) -le "$MAX_AGE" ]; then
  code=$(sed -n 's/.*"exit_code":\([0-9][0-9]*\).*/\1/p' "$PGSR_STATUS")
  if [ -n "$code" ]; then
    summary=$(sed -n 's/.*"summary":"\(\([^"\\]\|\\.\)*\)".*/\1/p' "$PGSR_STATUS")
    echo "$(date '+%Y-%m-%dT%H:%M:%S%z') pgsr status-file exit=$code age=$((now - mtime))s: $summary"
    exit "$code"
  fi
fi
echo "$(date '+%Y-%m-%dT%H:%M:%S%z') pgsr status-file $PGSR_STATUS missing or stale: running a full check"
exec "$PGSR" check --format clusterpro --config "$PGSR_CONFIG"
