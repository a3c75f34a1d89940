#!/bin/sh
#*****************************************************************************
#* genw.sh: pgsr as a CLUSTERPRO custom monitor (genw), monitor type        *
#* "synchronous", normal return value 0. Replaces the psql | grep script of  *
#* the PostgreSQL streaming-replication guide (genw_watchstandby).           *
#*                                                                           *
#* Edit the three paths below; put every other setting in PGSR_CONFIG.       *
#*****************************************************************************
PGSR_NODE=/usr/bin/node
PGSR_BUNDLE=/opt/pgsr/pgsr.cjs
PGSR_CONFIG=/etc/pgsr/genw_watchstandby.conf

# Nothing to edit below. pgsr prints one line per run (the monitor's log output
# path keeps it), raises clplogcmd alerts on state changes only, and exits:
#   0 normal (OK or WARNING)   1 replication abnormal   2 cannot connect/query
#   3 role mismatch (split-brain sign)   4 WARNING with warning-is-error
#   5 configuration error      6 internal error
# Set the monitor timeout above pgsr's own `timeout` (default 10 s).
exec "$PGSR_NODE" "$PGSR_BUNDLE" check --format clusterpro --config "$PGSR_CONFIG"
