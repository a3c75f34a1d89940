#!/bin/sh
# The custom monitor script of seed 000 (section 5.5.2.1, genw.sh), kept as close to the
# original as possible for the benchmark: the same psql | grep logic, adapted to run without
# sudo (psql runs as the current user) and to take the standby, port and expected sender as
# arguments. The benchmark compares pgsr against exactly this.
psql_host="$1"
psql_stdby="$2"
psql_port="$3"
psql_dbuser="postgres"

repl_status="streaming"
repl_missing=" [psql-standby: replication streaming is not found.]"

psql_cmd="LANG=C psql -h $psql_stdby -p $psql_port -U $psql_dbuser -w -c 'select status,sender_host from pg_stat_wal_receiver;'"

outputError () {
  echo " [connect:standby=$psql_stdby, port=$psql_port, dbuser=$psql_dbuser]"
  echo " [request:status=$repl_status, host=$psql_host]"
  echo
  echo "$rslt_msg"
  echo " [exit=$rslt_val]"
  echo
}

date

rslt_msg=` ( eval ${psql_cmd} 2>&1 ) `
rslt_val=$?

if [ $rslt_val -ne 0 ]; then
  outputError
  exit $rslt_val
fi

( echo ${rslt_msg} | grep $repl_status | grep $psql_host ) > /dev/null 2>&1
rslt_val=$?

if [ $rslt_val -ne 0 ]; then
  rslt_msg=${repl_missing}
  outputError
  exit $rslt_val
fi

echo " [exit=$rslt_val]"
echo
exit $rslt_val
