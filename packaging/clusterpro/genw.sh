#!/bin/sh
#*****************************************************************************
#* genw.sh: pgsr as a CLUSTERPRO custom monitor (genw), monitor type        *
#* "synchronous", normal return value 0. Replaces the psql | grep script of  *
#* the PostgreSQL streaming-replication guide (genw_watchstandby).           *
#*                                                                           *
#* Installed by the pgsr package; copy it and change PGSR_CONFIG for a second *
#* monitor. Every other setting goes in PGSR_CONFIG.                          *
#*****************************************************************************
PGSR=/usr/bin/pgsr
PGSR_CONFIG=/etc/pgsr/genw_watchstandby.conf

# Nothing to edit below. pgsr prints one line per run (the monitor's log output
# path keeps it), raises clplogcmd alerts on state changes only, and exits:
#   0 normal (OK or WARNING)   1 replication abnormal   2 cannot connect/query
#   3 role mismatch (split-brain sign)   4 WARNING with warning-is-error
#   5 configuration error      6 internal error
# Set the monitor timeout above pgsr's own `timeout` (default 10 s).
exec "$PGSR" check --format clusterpro --config "$PGSR_CONFIG"
