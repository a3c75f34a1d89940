/** Messages of `pgsr preflight` (verdict/preflight.ts): each check's finding and its fix. */
export const PREFLIGHT_MESSAGES = {
  'pf.connection_fix': {
    en: "start the server, or correct the node's conninfo (and pg_hba.conf for pgsr's user)",
    ja: 'サーバを起動するか、ノードの接続文字列（および pgsr のユーザの pg_hba.conf）を修正してください',
  },
  'pf.wal_level_fail': {
    en: 'wal_level = {value}: no standby can stream from this server',
    ja: 'wal_level = {value}：このサーバからはどのスタンバイもストリーミングできません',
  },
  'pf.wal_level_fix': {
    en: 'ALTER SYSTEM SET wal_level = replica; then restart the server',
    ja: 'ALTER SYSTEM SET wal_level = replica; の後、サーバを再起動してください',
  },
  'pf.senders_pass': {
    en: 'max_wal_senders = {value}: room for {standbys} standby(s) and the base backup of a rebuild',
    ja: 'max_wal_senders = {value}：スタンバイ {standbys} 台と再構築のベースバックアップ分の余裕があります',
  },
  'pf.senders_fail': {
    en: 'max_wal_senders = {value}: {need} needed ({standbys} standby(s) and one for the base backup of a rebuild; a standby needs as many: it may become the primary)',
    ja: 'max_wal_senders = {value}：{need} 必要です（スタンバイ {standbys} 台と再構築のベースバックアップ 1 本。スタンバイもプライマリになり得るので同じ数が必要）',
  },
  'pf.slots_unused': { en: 'no replication slot in use', ja: '使用中のレプリケーションスロットはありません' },
  'pf.slots_pass': {
    en: 'max_replication_slots = {value}: room for {need} slot(s)',
    ja: 'max_replication_slots = {value}：スロット {need} 個分の余裕があります',
  },
  'pf.slots_fail': {
    en: 'max_replication_slots = {value}: {need} needed (one per standby streaming through a slot)',
    ja: 'max_replication_slots = {value}：{need} 必要です（スロット経由でストリーミングするスタンバイごとに 1 個）',
  },
  'pf.count_fix': {
    en: 'ALTER SYSTEM SET {name} = {need}; then restart the server (on every node)',
    ja: 'ALTER SYSTEM SET {name} = {need}; の後、サーバを再起動してください（全ノードで）',
  },
  'pf.hot_standby_fail': {
    en: 'hot_standby = off: as a standby this server accepts no connections, so it cannot be checked or chosen for promotion',
    ja: 'hot_standby = off：スタンバイとしては接続を受け付けないため、監視も昇格先の選択もできません',
  },
  'pf.hot_standby_fix': {
    en: 'ALTER SYSTEM SET hot_standby = on; then restart the server',
    ja: 'ALTER SYSTEM SET hot_standby = on; の後、サーバを再起動してください',
  },
  'pf.rewind_pass': {
    en: 'pg_rewind can resynchronise this node after a failover ({how})',
    ja: 'フェイルオーバ後、このノードは pg_rewind で再同期できます（{how}）',
  },
  'pf.rewind_warn': {
    en: 'neither wal_log_hints nor data checksums: after a failover this node comes back only by a full copy (pg_basebackup), not by pg_rewind',
    ja: 'wal_log_hints もデータチェックサムも無効です：フェイルオーバ後、このノードは pg_rewind ではなく全体コピー（pg_basebackup）でしか戻せません',
  },
  'pf.rewind_fix': {
    en: 'ALTER SYSTEM SET wal_log_hints = on; then restart the server (or pg_checksums --enable on the stopped server)',
    ja: 'ALTER SYSTEM SET wal_log_hints = on; の後、サーバを再起動してください（または停止したサーバで pg_checksums --enable）',
  },
  'pf.archive_pass': { en: 'archive_mode = {mode}, {what} set', ja: 'archive_mode = {mode}、{what} 設定済み' },
  'pf.archive_fail': {
    en: 'archive_mode = {mode} with no archive_command: every WAL segment waits in pg_wal to be archived, until the disk fills',
    ja: 'archive_mode = {mode} なのに archive_command がありません：WAL セグメントはアーカイブ待ちのまま pg_wal に溜まり、ディスクが一杯になります',
  },
  'pf.archive_fix': {
    en: "ALTER SYSTEM SET archive_command = '...'; SELECT pg_reload_conf(); (or archive_mode = off and a restart)",
    ja: "ALTER SYSTEM SET archive_command = '...'; SELECT pg_reload_conf();（または archive_mode = off にして再起動）",
  },
  'pf.sync_commit_fail': {
    en: 'synchronous_commit = {value} under rep-mode sync: commits do not wait for the synchronous standby, a failover can lose them',
    ja: 'rep-mode sync なのに synchronous_commit = {value}：コミットは同期スタンバイを待たず、フェイルオーバで失われ得ます',
  },
  'pf.sync_commit_fix': {
    en: 'ALTER SYSTEM SET synchronous_commit = on; SELECT pg_reload_conf();',
    ja: 'ALTER SYSTEM SET synchronous_commit = on; SELECT pg_reload_conf(); を実行してください',
  },
  'pf.primary_pass': { en: 'one primary: {name}', ja: 'プライマリは 1 台：{name}' },
  'pf.primary_two_fix': {
    en: 'stop all but one primary, then rebuild the others from it (pgsr rebuild)',
    ja: 'プライマリを 1 台残して停止し、他はそこから再構築してください（pgsr rebuild）',
  },
  'pf.primary_none_fix': {
    en: 'start the primary (or promote the most advanced standby), then run preflight again',
    ja: 'プライマリを起動（または最も進んだスタンバイを昇格）してから、もう一度 preflight を実行してください',
  },
  'pf.sysid_pass': {
    en: 'every node belongs to one cluster (system identifier {id})',
    ja: '全ノードが同じクラスタです（システム識別子 {id}）',
  },
  'pf.sysid_unknown': {
    en: "the system identifier could not be read (pg_control_system() refused to pgsr's role)",
    ja: 'システム識別子を読めません（pg_control_system() が pgsr のロールに拒否されました）',
  },
  'pf.sysid_unknown_fix': {
    en: 'connect as a superuser, or GRANT EXECUTE ON FUNCTION pg_control_system() TO <pgsr role>',
    ja: 'スーパーユーザで接続するか、GRANT EXECUTE ON FUNCTION pg_control_system() TO <pgsr のロール> を実行してください',
  },
  'pf.sysid_fail': {
    en: "system identifier {id}, the primary's is {primary}: this node was made from another cluster and can never stream from the primary",
    ja: 'システム識別子 {id}（プライマリは {primary}）：このノードは別のクラスタから作られており、プライマリからストリーミングできません',
  },
  'pf.rebuild_fix': {
    en: 'rebuild it from {primary}: pgsr rebuild -D <data directory> --from <{primary} conninfo>',
    ja: '{primary} から再構築してください：pgsr rebuild -D <データディレクトリ> --from <{primary} の接続文字列>',
  },
  'pf.major_pass': { en: 'every node runs PostgreSQL {major}', ja: '全ノードが PostgreSQL {major} です' },
  'pf.major_fail': {
    en: 'PostgreSQL {major} here, {primary} on the primary: streaming replication needs one major version',
    ja: 'ここは PostgreSQL {major}、プライマリは {primary}：ストリーミングレプリケーションには同じメジャーバージョンが必要です',
  },
  'pf.major_fix': {
    en: 'run every node on the same major version (install it, then rebuild this node)',
    ja: '全ノードを同じメジャーバージョンにしてください（インストールしてからこのノードを再構築）',
  },
  'pf.timeline_pass': {
    en: "timeline {tli}, the primary's {primary}",
    ja: 'タイムライン {tli}（プライマリは {primary}）',
  },
  'pf.timeline_fail': {
    en: "timeline {tli} is ahead of the primary's {primary}: this node was promoted on its own and cannot follow the primary",
    ja: 'タイムライン {tli} がプライマリの {primary} より先です：このノードは単独で昇格しており、プライマリに追従できません',
  },
  'pf.repl_pass': {
    en: 'a replication connection to {primary} as {user} succeeds (IDENTIFY_SYSTEM: timeline {tli})',
    ja: '{primary} へのユーザ {user} でのレプリケーション接続に成功しました（IDENTIFY_SYSTEM：タイムライン {tli}）',
  },
  'pf.repl_fail': {
    en: 'a replication connection to {primary} as {user} fails: {detail}',
    ja: '{primary} へのユーザ {user} でのレプリケーション接続に失敗しました：{detail}',
  },
  'pf.repl_fix': {
    en: "on {primary}, pg_hba.conf: host replication {user} <standby address>/32 scram-sha-256, then SELECT pg_reload_conf(); the password in the OS user's ~/.pgpass (host:port:replication:{user}:password, mode 0600)",
    ja: '{primary} の pg_hba.conf に host replication {user} <スタンバイのアドレス>/32 scram-sha-256 を追加して SELECT pg_reload_conf();、パスワードは OS ユーザの ~/.pgpass に（host:port:replication:{user}:password、モード 0600）',
  },
  'pf.repl_other': {
    en: "the replication connection to {primary} as {user} reaches system {id}, not the primary's {expected}",
    ja: '{primary} へのユーザ {user} でのレプリケーション接続はシステム {id} に届きました（プライマリは {expected}）',
  },
  'pf.repl_other_fix': {
    en: "correct the primary's address: it leads to another server",
    ja: 'プライマリのアドレスを修正してください：別のサーバにつながっています',
  },
  'pf.appname_pass': {
    en: 'standbys the primary sees, each name once: {names}',
    ja: 'プライマリから見えるスタンバイ（名前はそれぞれ 1 つ）：{names}',
  },
  'pf.appname_dup': {
    en: 'application_name {name} is used by {count} standbys: the primary cannot tell them apart (sync_state, synchronous_standby_names, checks)',
    ja: 'application_name {name} を {count} 台のスタンバイが使っています：プライマリは区別できません（sync_state、synchronous_standby_names、監視）',
  },
  'pf.appname_missing': {
    en: 'the primary has no standby named {name}, which its checks expect (--application-name); it sees: {names}',
    ja: 'プライマリの監視が期待するスタンバイ {name}（--application-name）がありません。見えているのは：{names}',
  },
  'pf.appname_fix': {
    en: 'give each standby its own name: application_name=<node name> in its primary_conninfo, then reload it',
    ja: '各スタンバイに固有の名前を：primary_conninfo に application_name=<ノード名> を書いてリロードしてください',
  },
  'pf.passfile_none': {
    en: 'no password file (trust, certificates or PGPASSWORD)',
    ja: 'パスワードファイルなし（trust、証明書または PGPASSWORD）',
  },
  'pf.passfile_pass': { en: '{path}: mode {mode}, owned by {user}', ja: '{path}：モード {mode}、所有者 {user}' },
  'pf.passfile_mode': {
    en: '{path}: mode {mode}: libpq ignores a password file that group or others can read',
    ja: '{path}：モード {mode}：グループや他人が読めるパスワードファイルを libpq は無視します',
  },
  'pf.passfile_owner': {
    en: '{path}: owned by uid {uid}, not by {user} who reads it',
    ja: '{path}：所有者が uid {uid} で、読む側の {user} ではありません',
  },
  'pf.header': { en: 'status|check|node|message', ja: '結果|項目|ノード|内容' },
  'pf.fix': { en: 'fix: {fix}', ja: '対処：{fix}' },
  'pf.summary': {
    en: 'preflight: {pass} passed, {warn} warnings, {fail} failed',
    ja: 'preflight：合格 {pass}、警告 {warn}、不合格 {fail}',
  },
} as const;
