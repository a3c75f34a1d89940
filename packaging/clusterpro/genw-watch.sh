#!/bin/sh
#*****************************************************************************
#* genw-watch.sh: pgsr as a CLUSTERPRO custom monitor (genw), monitor type   *
#* "asynchronous". The script starts `pgsr watch`, which keeps running and   *
#* checks every `interval` seconds on one kept connection; it exits (the     *
#* failure signal of an asynchronous monitor) after `fail-after` failed      *
#* checks in a row. Cheaper than a synchronous genw: Node starts once.       *
#*                                                                           *
#* Edit the three paths below; put every other setting in PGSR_CONFIG        *
#* (interval, heartbeat, fail-after, status-file and all check settings).    *
#*****************************************************************************
PGSR_NODE=/usr/bin/node
PGSR_BUNDLE=/opt/pgsr/pgsr.cjs
PGSR_CONFIG=/etc/pgsr/genw_watchstandby.conf

# Nothing to edit below. One line per change of state and a heartbeat line go to
# the monitor's log output path; alerts (clplogcmd) on transitions only; SIGTERM
# from the cluster stops it cleanly (exit 0).
exec "$PGSR_NODE" "$PGSR_BUNDLE" watch --format clusterpro --config "$PGSR_CONFIG"
