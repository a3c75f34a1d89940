/**
 * Messages of the cluster-manager adapters (agents/): CLUSTERPRO EXEC, the OCF agent's exit
 * reasons, the resident watch, Pgpool-II's failover and follow-primary commands.
 */
export const AGENT_MESSAGES = {
  'exec.no_event_start': {
    en: 'CLP_EVENT is not set: not run by CLUSTERPRO (use `pgsr start` by hand)',
    ja: 'CLP_EVENT が設定されていません：CLUSTERPRO からの実行ではありません（手動では `pgsr start` を使ってください）',
  },
  'exec.no_event_stop': {
    en: 'CLP_EVENT is not set: not run by CLUSTERPRO (use `pgsr stop` by hand)',
    ja: 'CLP_EVENT が設定されていません：CLUSTERPRO からの実行ではありません（手動では `pgsr stop` を使ってください）',
  },
  'exec.unknown_event': { en: "unknown CLP_EVENT '{event}'", ja: "不明な CLP_EVENT '{event}'" },
  'exec.disk_failure': {
    en: 'CLP_DISK=FAILURE: the shared/mirror disk is not available; PostgreSQL is not started on it',
    ja: 'CLP_DISK=FAILURE：共有ディスク/ミラーディスクが使えないため PostgreSQL を起動しません',
  },
  'exec.lock_no_peer': {
    en: "CLUSTERPRO {event}: no --peer-conninfo to check; the group's data directory is taken as the latest",
    ja: 'CLUSTERPRO {event}：確認する --peer-conninfo がないため、フェイルオーバーグループのデータディレクトリを最新とみなします',
  },
  'exec.lock_peer': {
    en: 'CLUSTERPRO {event}: peer {where} is {answer}, not a primary',
    ja: 'CLUSTERPRO {event}：ピア {where} は {answer} で、プライマリではありません',
  },
  'exec.unreachable': { en: 'unreachable', ja: '到達不能' },
  'exec.no_clp_variables': { en: 'no CLP_* variables', ja: 'CLP_* 変数なし' },

  'ocf.needs_notify': {
    en: 'the clone needs notify=true (the promotion election uses the pre-promote notification)',
    ja: 'クローンには notify=true が必要です（昇格ノードの選出に pre-promote 通知を使います）',
  },
  'ocf.no_binaries': { en: 'no pg_ctl/postgres in {bindir}', ja: '{bindir} に pg_ctl/postgres がありません' },
  'ocf.no_user': { en: 'OS user {user} does not exist', ja: 'OS ユーザ {user} が存在しません' },
  'ocf.no_pgdata': {
    en: 'the pgdata parameter is not set: give the data directory (e.g. pgdata=/var/lib/postgresql/15/main)',
    ja: 'pgdata パラメータが未設定です：データディレクトリを指定してください（例 pgdata=/var/lib/postgresql/15/main）',
  },
  'ocf.no_data_dir': {
    en: '{pgdata} is not a PostgreSQL data directory on this node',
    ja: '{pgdata} はこのノードの PostgreSQL データディレクトリではありません',
  },
  'ocf.not_running_state': {
    en: 'instance not running, pg_controldata says "{state}"',
    ja: 'インスタンスは停止中で、pg_controldata の状態は "{state}" です',
  },
  'ocf.not_answering': { en: 'running but not answering: {detail}', ja: '稼働中ですが応答しません：{detail}' },
  'ocf.not_implemented': {
    en: "action '{action}' is not implemented",
    ja: "アクション '{action}' は実装されていません",
  },
  'ocf.internal_error': { en: 'internal error: {detail}', ja: '内部エラー：{detail}' },
  'ocf.bad_lang': {
    en: "OCF_RESKEY_lang: '{value}' is not one of en, ja",
    ja: "OCF_RESKEY_lang: '{value}' は en、ja のいずれでもありません",
  },
  'ocf.sync_not_saved': {
    en: 'sync state not saved in {file}: {problem}',
    ja: '同期状態を {file} に保存できませんでした：{problem}',
  },
  'ocf.log_standby': { en: 'standby ({status})', ja: 'スタンバイ（{status}）' },
  'ocf.no_walreceiver': { en: 'no walreceiver', ja: 'WALレシーバなし' },
  'ocf.nothing_to_demote': {
    en: 'not running: nothing to demote (a crashed primary keeps its lock)',
    ja: '停止中のため降格するものはありません（クラッシュしたプライマリはロックを保持します）',
  },
  'ocf.published': {
    en: 'pre-promote: published {position}{transition}',
    ja: 'pre-promote：{position} を公開しました{transition}',
  },
  'ocf.nothing_published': { en: 'nothing (not a running standby)', ja: 'なし（稼働中のスタンバイではありません）' },
  'ocf.handed_over': {
    en: 'pre-promote election: {reason}; the promotion handed over before it started',
    ja: 'pre-promote の選出：{reason}。昇格は開始前に譲りました',
  },
  'ocf.diverged': {
    en: "this standby cannot follow the primary: timeline {tli} forked off its timeline at {fork} and it is at {own} (it has WAL the primary never had); promotion score -INFINITY; rebuild it: crm node standby {node}, then pgsr rebuild -D {pgdata} --from <the primary> --primary-conninfo '... application_name={node}', then crm node online {node}",
    ja: "このスタンバイはプライマリに追従できません：タイムライン {tli} はこのスタンバイのタイムラインから {fork} で分岐しており、スタンバイは {own} にあります（プライマリにない WAL を持っています）。昇格スコアは -INFINITY です。再構築してください：crm node standby {node} の後 pgsr rebuild -D {pgdata} --from <プライマリ> --primary-conninfo '... application_name={node}'、最後に crm node online {node}",
  },
  'ocf.not_in_history': {
    en: "(its timeline is not in the new timeline's history)",
    ja: '（そのタイムラインは新しいタイムラインの履歴にありません）',
  },
  'ocf.withdrawn': { en: 'post-promote: position withdrawn', ja: 'post-promote：位置の公開を取り下げました' },
  'ocf.no_data_stopped': { en: 'no data directory: stopped', ja: 'データディレクトリがないため停止状態です' },
  'ocf.position_unreadable': {
    en: "this node's WAL position cannot be read (not a running standby, or its SQL failed): not promoting (fail closed)",
    ja: 'このノードの WAL 位置を読み取れません（稼働中のスタンバイではないか SQL が失敗）：昇格しません（安全側に停止）',
  },
  'ocf.more_advanced': {
    en: '{node} is more advanced ({theirs} > {mine}): not promoting this node',
    ja: '{node} のほうが進んでいます（{theirs} > {mine}）：このノードは昇格しません',
  },
  'ocf.no_release': {
    en: 'the walreceiver is still streaming and no pre-promote notification said that the cluster demoted, stopped or fenced the old primary (is notify=true set on the clone?)',
    ja: 'WALレシーバはまだストリーミング中で、旧プライマリの降格・停止・フェンシングを伝える pre-promote 通知もありません（クローンに notify=true が設定されていますか）',
  },
  'ocf.still_promoted': {
    en: 'the cluster still reports {nodes} as promoted and neither demotes nor stops it in this transition: two primaries',
    ja: 'クラスタはまだ {nodes} を昇格済みとしており、この遷移で降格も停止もしません：プライマリが2つになります',
  },
  'ocf.note_no_notification': {
    en: 'no pre-promote notification recorded; the walreceiver is not streaming',
    ja: 'pre-promote 通知の記録なし。WALレシーバはストリーミングしていません',
  },
  'ocf.note_released': {
    en: 'the cluster demotes/stops (or fenced) the old primary {nodes}{lag}',
    ja: 'クラスタは旧プライマリ {nodes} を降格/停止（またはフェンシング）します{lag}',
  },
  'ocf.note_not_noticed': {
    en: "; this node's walreceiver has not noticed yet",
    ja: '（このノードの WALレシーバはまだ気づいていません）',
  },
  'ocf.note_cold_start': {
    en: 'no primary was running (cold start or after a stop)',
    ja: '稼働中のプライマリはありませんでした（コールドスタートまたは停止後）',
  },

  'watch.format': {
    en: 'watch writes log lines, not {what}: use --format clusterpro, json or text{metrics}',
    ja: 'watch はログ行を出力し、{what}は出力しません：--format clusterpro、json、text のいずれかを指定してください{metrics}',
  },
  'watch.nagios_status': { en: 'Nagios status', ja: 'Nagios ステータス' },
  'watch.metrics': { en: 'metrics', ja: 'メトリクス' },
  'watch.metrics_listen': {
    en: ', and --metrics-listen ADDR:PORT for Prometheus',
    ja: '（Prometheus には --metrics-listen ADDR:PORT）',
  },
  'watch.pgpool': {
    en: 'watch checks one PostgreSQL server; run pgsr check --role pgpool from the monitor instead',
    ja: 'watch は PostgreSQL サーバ1台を監視します。代わりに監視から pgsr check --role pgpool を実行してください',
  },
  'watch.textfile': {
    en: '--textfile is for check --format openmetrics; watch serves metrics with --metrics-listen ADDR:PORT',
    ja: '--textfile は check --format openmetrics 用です。watch は --metrics-listen ADDR:PORT でメトリクスを提供します',
  },
  'watch.status_file': {
    en: 'status file {file} not written: {problem}',
    ja: 'ステータスファイル {file} を書けませんでした：{problem}',
  },
  'watch.exiting': {
    en: 'exiting: {failures} consecutive failed checks (exit {code})',
    ja: '終了します：{failures} 回連続でチェックに失敗しました（終了コード {code}）',
  },
  'watch.stopped': {
    en: 'stopped by {signal} after {count} checks',
    ja: '{signal} により停止しました（チェック {count} 回）',
  },
  'monitor.no_metrics': {
    en: 'this check has no metrics rendering: use --format clusterpro, nagios, json or text',
    ja: 'このチェックにはメトリクス出力がありません：--format clusterpro、nagios、json、text のいずれかを指定してください',
  },
  'monitor.textfile': {
    en: 'textfile {file} not written: {problem}',
    ja: 'textfile {file} を書けませんでした：{problem}',
  },
  'pgpool.no_openmetrics': {
    en: '--role pgpool renders as clusterpro, nagios, json or text (not openmetrics)',
    ja: '--role pgpool の出力は clusterpro、nagios、json、text です（openmetrics は不可）',
  },

  'pgpool.not_number': {
    en: "{what}: '{value}' is not a number (check the placeholders in pgpool.conf)",
    ja: "{what}: '{value}' は数値ではありません（pgpool.conf のプレースホルダを確認してください）",
  },
  'pgpool.failover_args': {
    en: 'failover needs 12 arguments (%d %h %p %D %m %H %M %P %r %R %N %S), got {count}',
    ja: 'failover には引数が12個必要です（%d %h %p %D %m %H %M %P %r %R %N %S）が {count} 個でした',
  },
  'pgpool.follow_args': {
    en: 'follow-primary needs 10 arguments (%d %h %p %D %m %H %M %P %r %R), got {count}',
    ja: 'follow-primary には引数が10個必要です（%d %h %p %D %m %H %M %P %r %R）が {count} 個でした',
  },
  'pgpool.standby_failed': {
    en: '{failed} was a standby (the primary is node {primary}): nothing to promote',
    ja: '{failed} はスタンバイでした（プライマリはノード {primary}）：昇格するものはありません',
  },
  'pgpool.no_node_left': {
    en: 'the primary {failed} failed and Pgpool has no node left to promote (%m = -1): the cluster has no standby left',
    ja: 'プライマリ {failed} が故障し、Pgpool には昇格できるノードがありません（%m = -1）：スタンバイが残っていません',
  },
  'pgpool.names_failed': {
    en: 'the primary {failed} failed and Pgpool names it as the new main node: nothing to promote',
    ja: 'プライマリ {failed} が故障し、Pgpool はそれを新しいメインノードとしています：昇格するものはありません',
  },
  'pgpool.promote_plan': {
    en: 'the primary {failed} failed: promote node {id} ({where})',
    ja: 'プライマリ {failed} が故障しました：ノード {id}（{where}）を昇格します',
  },
  'pgpool.timed_out': { en: '{command} timed out', ja: '{command} がタイムアウトしました' },
  'pgpool.exit': { en: 'exit {code}: {output}', ja: '終了コード {code}：{output}' },
  'pgpool.log_not_written': { en: 'log file not written: {detail}', ja: 'ログファイルを書けませんでした：{detail}' },
  'pgpool.on_failure_exit': { en: '--on-failure exit {code}', ja: '--on-failure 終了コード {code}' },
  'pgpool.slot_not_dropped': {
    en: 'slot {slot} not dropped: {detail}',
    ja: 'スロット {slot} を削除できませんでした：{detail}',
  },
  'pgpool.slot_dropped': {
    en: 'replication slot {slot} dropped on the primary',
    ja: 'プライマリのレプリケーションスロット {slot} を削除しました',
  },
  'pgpool.old_primary_remote': {
    en: 'the old primary {where} still answers as a primary and its data directory is not on this host: not promoting node {id} (two primaries); stop it, then promote by hand (pgsr promote)',
    ja: '旧プライマリ {where} はまだプライマリとして応答し、そのデータディレクトリはこのホストにありません：ノード {id} は昇格しません（プライマリが2つになります）。停止してから手動で昇格してください（pgsr promote）',
  },
  'pgpool.old_primary_unstoppable': {
    en: 'the old primary still answers as a primary and could not be stopped ({summary}): not promoting',
    ja: '旧プライマリはまだプライマリとして応答し、停止できませんでした（{summary}）：昇格しません',
  },
  'pgpool.old_primary_stopped': {
    en: 'the old primary still answered: stopped ({summary})',
    ja: '旧プライマリがまだ応答していたため停止しました（{summary}）',
  },
  'pgpool.old_primary_state': { en: 'old primary {where}: {state}', ja: '旧プライマリ {where}：{state}' },
  'pgpool.does_not_answer': { en: 'does not answer', ja: '応答なし' },
  'pgpool.answers_standby': { en: 'answers as a standby', ja: 'スタンバイとして応答' },
  'pgpool.candidate_unreachable': {
    en: 'the candidate node {id} ({where}) cannot be reached ({detail}): nothing promoted',
    ja: '昇格候補のノード {id}（{where}）に到達できません（{detail}）：何も昇格していません',
  },
  'pgpool.already_primary': {
    en: 'node {id} ({where}) is already a primary: nothing promoted twice',
    ja: 'ノード {id}（{where}）はすでにプライマリです：二重には昇格しません',
  },
  'pgpool.promote_false': { en: 'pg_promote() returned false', ja: 'pg_promote() が false を返しました' },
  'pgpool.pg_ctl_failed': {
    en: 'pg_ctl promote of node {id} failed: {detail}',
    ja: 'ノード {id} の pg_ctl promote が失敗しました：{detail}',
  },
  'pgpool.remote_promote_failed': {
    en: 'pg_ctl promote of node {id} through --remote-prefix failed: {detail}',
    ja: '--remote-prefix 経由のノード {id} の pg_ctl promote が失敗しました：{detail}',
  },
  'pgpool.old_remote_major': {
    en: 'node {id} runs PostgreSQL {version} (no pg_promote() before 12) and its data directory {pgdata} is not on this host (no --remote-prefix)',
    ja: 'ノード {id} は PostgreSQL {version} で（12 より前は pg_promote() なし）、データディレクトリ {pgdata} はこのホストにありません（--remote-prefix なし）',
  },
  'pgpool.still_recovery': {
    en: 'node {id} was signalled to promote but is still in recovery at the deadline',
    ja: 'ノード {id} に昇格を通知しましたが期限までにリカバリが終わりませんでした',
  },
  'pgpool.more_advanced': {
    en: "node {id} promoted instead of Pgpool's node {main}: it received more WAL ({pos} > {mainPos})",
    ja: 'Pgpool が選んだノード {main} ではなくノード {id} を昇格します：より多くの WAL を受信しています（{pos} > {mainPos}）',
  },
  'pgpool.not_compared': {
    en: "standbys' positions not compared ({detail}): Pgpool's choice kept",
    ja: 'スタンバイの WAL 位置を比較できませんでした（{detail}）：Pgpool の選択のままにします',
  },
  'pgpool.worker_released': {
    en: "Pgpool's replication check worker (pid {pid}) hung on a connection to the failed node and held the lock Pgpool's primary search needs: terminated (Pgpool starts a new one)",
    ja: 'Pgpool のレプリケーションチェックワーカー（pid {pid}）が故障ノードへの接続で停止し、プライマリ検索に必要なロックを保持していたため終了させました（Pgpool が新しく起動します）',
  },
  'pgpool.promoted': { en: '{why}: promoted in {ms} ms', ja: '{why}：{ms} ms で昇格しました' },
  'pgpool.is_new_primary': { en: '{who} is the new primary', ja: '{who} が新しいプライマリです' },
  'pgpool.new_not_primary': {
    en: 'the new primary {where} is not a primary ({detail}): {who} left as it is',
    ja: '新しいプライマリ {where} はプライマリではありません（{detail}）：{who} はそのままにしました',
  },
  'pgpool.in_recovery': { en: 'in recovery', ja: 'リカバリ中' },
  'pgpool.not_running_skip': {
    en: "{who} is not running: skipped (when it returns: pgsr rebuild --from '{upstream}', then pcp_attach_node -n {id})",
    ja: "{who} は停止中のためスキップしました（復帰したら pgsr rebuild --from '{upstream}'、次に pcp_attach_node -n {id}）",
  },
  'pgpool.follower_primary': {
    en: '{who} answers as a primary: not turned into a standby automatically (it may hold writes the new primary lacks); rebuild it by hand (pgsr rebuild --force)',
    ja: '{who} はプライマリとして応答しています：自動ではスタンバイにしません（新しいプライマリにない書き込みを持っている可能性）。手動で再構築してください（pgsr rebuild --force）',
  },
  'pgpool.restart_failed': {
    en: 'restart with the new primary_conninfo failed: {summary}',
    ja: '新しい primary_conninfo での再起動に失敗しました：{summary}',
  },
  'pgpool.diverged': {
    en: '{how} but not streaming on timeline {timeline}: diverged, rebuilding',
    ja: '{how}がタイムライン {timeline} でストリーミングしていません：分岐しているため再構築します',
  },
  'pgpool.repointed_reload': {
    en: 're-pointed (ALTER SYSTEM primary_conninfo + reload)',
    ja: '接続先を変更しました（ALTER SYSTEM primary_conninfo + reload）',
  },
  'pgpool.repointed_restart': {
    en: 're-pointed (primary_conninfo + restart)',
    ja: '接続先を変更しました（primary_conninfo + 再起動）',
  },
  'pgpool.rebuilt_remotely': { en: 'rebuilt remotely', ja: 'リモートで再構築しました' },
  'pgpool.not_local': {
    en: "{who} cannot follow by re-pointing and its data directory {pgdata} is not on this host (no --remote-prefix): rebuild it there (pgsr rebuild --from '{upstream}')",
    ja: "{who} は接続先の変更では追従できず、データディレクトリ {pgdata} はこのホストにありません（--remote-prefix なし）：そのホストで再構築してください（pgsr rebuild --from '{upstream}'）",
  },
  'pgpool.remote_rebuild_failed': {
    en: 'rebuild of {who} on its host through --remote-prefix failed: {detail}',
    ja: '--remote-prefix 経由の {who} の再構築に失敗しました：{detail}',
  },
  'pgpool.remote_rebuilt': {
    en: 'rebuilt on {host} through --remote-prefix: {detail}',
    ja: '--remote-prefix 経由で {host} 上に再構築しました：{detail}',
  },
  'pgpool.rebuilt': { en: 'rebuilt: {summary}', ja: '再構築しました：{summary}' },
  'pgpool.rebuild_failed': {
    en: 'rebuild of {who} from the new primary failed: {summary}',
    ja: '新しいプライマリからの {who} の再構築に失敗しました：{summary}',
  },
  'pgpool.not_attached': {
    en: '{who} follows {where} but was not attached: {detail}',
    ja: '{who} は {where} に追従していますがアタッチされませんでした：{detail}',
  },
  'pgpool.follows': {
    en: '{who} streams from the new primary {where} (timeline {timeline}) and is attached',
    ja: '{who} は新しいプライマリ {where} からストリーミングし（タイムライン {timeline}）、アタッチ済みです',
  },
} as const;
