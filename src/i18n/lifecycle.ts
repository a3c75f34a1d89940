/**
 * Messages of the lifecycle commands: outcomes (summaries) and refusal reasons. Step names stay
 * English: they are the commands run (`pg_ctl start -w`) and identifiers in log lines.
 * Japanese terms: 昇格 (promote), 再構築 (rebuild), スイッチオーバー, スプリットブレイン.
 *
 * Over 350 lines because it is data: one catalogue entry per message of the lifecycle commands.
 */
export const LIFECYCLE_MESSAGES = {
  'peer.primary_refuse': {
    en: 'peer {where} answers as a primary: starting this node as primary too would make two primaries (split brain); stop or demote the peer first, or rebuild this node as its standby',
    ja: 'ピア {where} がプライマリとして応答しています：このノードもプライマリで起動するとプライマリが2つになります（スプリットブレイン）。先にピアを停止または降格するか、このノードをそのスタンバイとして再構築してください',
  },
  'peer.primary_note': { en: 'peer {where} is a primary', ja: 'ピア {where} はプライマリです' },
  'peer.standby_note': { en: 'peer {where} is a standby', ja: 'ピア {where} はスタンバイです' },
  'peer.refused_note': {
    en: 'peer {where} refuses connections (no PostgreSQL running there)',
    ja: 'ピア {where} は接続を拒否しています（PostgreSQL は動いていません）',
  },
  'peer.unknown_warn': {
    en: 'peer {where} could not be asked ({detail}): started as primary anyway (the standby server being down is the common case); make sure it is not a primary',
    ja: 'ピア {where} に確認できませんでした（{detail}）：プライマリとして起動しました（スタンバイサーバの停止がよくある原因です）。ピアがプライマリでないことを確認してください',
  },
  'peer.unknown_note': { en: 'peer {where} unreachable', ja: 'ピア {where} に到達できません' },
  'peer.none_note': {
    en: 'no --peer-conninfo: the peer was not checked',
    ja: '--peer-conninfo なし：ピアは確認していません',
  },
  'word.no_answer': { en: 'no answer', ja: '応答なし' },

  'start.not_data_dir': {
    en: '{pgdata} is not a PostgreSQL data directory (no PG_VERSION)',
    ja: '{pgdata} は PostgreSQL のデータディレクトリではありません（PG_VERSION がありません）',
  },
  'start.already': { en: 'already running as {role}', ja: 'すでに{role}として稼働中です' },
  'start.no_sql': {
    en: 'the server is running but does not answer SQL: cannot tell its role',
    ja: 'サーバは稼働中ですが SQL に応答しません：ロールを判定できません',
  },
  'start.running_primary': {
    en: 'the server is running as primary: a primary is not turned into a standby by start (stop it, then `pgsr rebuild`)',
    ja: 'サーバはプライマリとして稼働中です：start はプライマリをスタンバイにしません（停止してから `pgsr rebuild` を実行してください）',
  },
  'start.running_standby': {
    en: 'the server is running as standby: use `pgsr promote` to make it primary',
    ja: 'サーバはスタンバイとして稼働中です：プライマリにするには `pgsr promote` を使ってください',
  },
  'start.zombie': {
    en: 'the previous postmaster (pid {pid}) has exited but its parent has not reaped it yet (zombie): PostgreSQL refuses to start while that pid exists; retry in a moment, and run the cluster under an init that reaps orphans (systemd, tini -s)',
    ja: '前回の postmaster（pid {pid}）は終了しましたが親プロセスが回収していません（ゾンビ）：その pid がある間 PostgreSQL は起動しません。少し待って再試行し、孤児プロセスを回収する init（systemd、tini -s）の下で運用してください',
  },
  'start.lock_copied': {
    en: 'copied by a base backup (backup_label present)',
    ja: 'ベースバックアップでコピーされたもの（backup_label あり）',
  },
  'start.locked': {
    en: 'this data directory ran as primary and was not stopped cleanly (lock {how} since {since}): rebuild it from the current primary (`pgsr rebuild --from ...`), or `pgsr unlock` if it holds the latest data',
    ja: 'このデータディレクトリはプライマリとして稼働し、正常に停止されていません（ロック {how}、{since} から）：現在のプライマリから再構築するか（`pgsr rebuild --from ...`）、最新のデータを持っているなら `pgsr unlock` を実行してください',
  },
  'start.no_upstream': {
    en: 'no --primary-conninfo and no existing standby configuration: cannot start as standby',
    ja: '--primary-conninfo も既存のスタンバイ設定もありません：スタンバイとして起動できません',
  },
  'start.planned': { en: 'would start as {role}', ja: '{role}として起動します（予定）' },
  'start.role_unreadable': {
    en: "the server is up, but pgsr could not ask its role at {where}: {detail} (pgsr's own connection: --host/--port/--username and a password pgsr can read)",
    ja: 'サーバは起動しましたが、{where} でロールを確認できません：{detail}（pgsr 自身の接続：--host/--port/--username と pgsr が読めるパスワードを確認してください）',
  },
  'start.wrong_role': {
    en: 'the server came up as {actual}, not {wanted}',
    ja: 'サーバは{wanted}ではなく{actual}として起動しました',
  },
  'start.done': {
    en: 'started as {role} (PostgreSQL {major}){note}',
    ja: '{role}として起動しました（PostgreSQL {major}）{note}',
  },
  'start.note': { en: '; {note}', ja: '。{note}' },
  'word.unknown': { en: 'unknown', ja: '不明' },

  'evidence.known': { en: 'known: {parts}', ja: '判明している事実：{parts}' },
  'evidence.walreceiver_none': { en: 'walreceiver: none', ja: 'WALレシーバ：なし' },
  'evidence.walreceiver': {
    en: 'walreceiver: {status}{from}{last}{probe}',
    ja: 'WALレシーバ：{status}{from}{last}{probe}',
  },
  'evidence.from': { en: ' from {sender}', ja: '（送信元 {sender}）' },
  'evidence.last': { en: ', last message {seconds} s ago', ja: '、最終メッセージ {seconds} s 前' },
  'evidence.probe': { en: ', sender probe: {result}', ja: '、送信元プローブ：{result}' },
  'evidence.asked': { en: 'asked: {list}', ja: '確認先：{list}' },

  'promote.not_running': {
    en: 'the server is not running: start it as standby first',
    ja: 'サーバが稼働していません：先にスタンバイとして起動してください',
  },
  'promote.no_sql': {
    en: 'the server does not answer SQL: cannot tell its role',
    ja: 'サーバが SQL に応答しません：ロールを判定できません',
  },
  'promote.sender_silent': {
    en: 'the walreceiver still says streaming{from} but that primary does not answer ({detail}): it lost power or is cut off; a network partition looks the same, and promoting then gives two primaries (split brain): make sure it is down or fenced, then --force',
    ja: 'WALレシーバはまだ streaming{from} ですがそのプライマリが応答しません（{detail}）：電源断か切り離しです。ネットワーク分断も同じに見え、その場合に昇格するとプライマリが2つになります（スプリットブレイン）：停止またはフェンシング済みを確認してから --force を指定してください',
  },
  'promote.sender_alive': {
    en: 'the walreceiver is still streaming{from}: that primary is alive (split brain); stop it first, or --force',
    ja: 'WALレシーバはまだストリーミング中です{from}：そのプライマリは生きています（スプリットブレイン）。先に停止するか --force を指定してください',
  },
  'promote.candidate_primary': {
    en: '{where} answers as a primary (not in recovery): promoting would make two primaries (split brain); stop it first, or --force',
    ja: '{where} がプライマリとして応答しています（リカバリ中ではありません）：昇格するとプライマリが2つになります（スプリットブレイン）。先に停止するか --force を指定してください',
  },
  'promote.candidate_unknown': {
    en: 'cannot tell whether {where} is still a primary ({detail}): it may be on the other side of a network partition (split brain); make sure it is down or fenced, then --force',
    ja: '{where} がまだプライマリかどうか判定できません（{detail}）：ネットワーク分断の向こう側にいる可能性があります（スプリットブレイン）。停止またはフェンシング済みを確認してから --force を指定してください',
  },
  'promote.already': {
    en: 'already a primary (not in recovery)',
    ja: 'すでにプライマリです（リカバリ中ではありません）',
  },
  'promote.planned': {
    en: 'would promote (received {received}, replayed {replayed}, timeline {timeline})',
    ja: '昇格します（予定。受信 {received}、再生 {replayed}、タイムライン {timeline}）',
  },
  'promote.not_signalled': {
    en: 'pg_promote() returned false (promotion not signalled)',
    ja: 'pg_promote() が false を返しました（昇格は通知されていません）',
  },
  'promote.facts': {
    en: 'timeline {before} -> {after}, last replayed {replayed}, writable after {ms} ms',
    ja: 'タイムライン {before} -> {after}、最終再生 {replayed}、{ms} ms 後に書き込み可能',
  },
  'promote.timed_out': { en: 'timed out', ja: 'タイムアウト' },
  'promote.exit': { en: 'exit {code}{output}', ja: '終了コード {code}{output}' },
  'promote.partial': {
    en: 'promoted (the promotion stands: {facts}) but the post-promote command failed ({why}): run it by hand',
    ja: '昇格しました（昇格は有効：{facts}）が post-promote コマンドが失敗しました（{why}）：手動で実行してください',
  },
  'promote.done_command': {
    en: 'promoted: {facts}; post-promote command ok',
    ja: '昇格しました：{facts}。post-promote コマンド成功',
  },
  'promote.done': { en: 'promoted: {facts}', ja: '昇格しました：{facts}' },

  'switchover.not_primary': { en: '{dir} is not a running primary', ja: '{dir} は稼働中のプライマリではありません' },
  'switchover.not_standby': { en: '{dir} is not a running standby', ja: '{dir} は稼働中のスタンバイではありません' },
  'switchover.not_streaming': {
    en: 'the standby is not streaming: a switchover needs a healthy pair',
    ja: 'スタンバイがストリーミングしていません：スイッチオーバーには正常なペアが必要です',
  },
  'switchover.already': { en: 'roles already swapped', ja: 'ロールはすでに入れ替わっています' },
  'switchover.planned': { en: 'would swap the roles', ja: 'ロールを入れ替えます（予定）' },
  'switchover.sessions_stuck': {
    en: 'client session(s) {pids} did not end within {seconds} s of pg_terminate_backend (a stopped or stuck process?): switchover aborted before the shutdown; the primary still accepts writes, standby NOT promoted',
    ja: 'クライアントセッション {pids} が pg_terminate_backend から {seconds} 秒以内に終了しませんでした（停止中またはハングしたプロセス？）：シャットダウン前にスイッチオーバーを中止しました。プライマリは書き込みを受け付けたままで、スタンバイは昇格していません',
  },
  'switchover.no_checkpoint': {
    en: 'the standby did not receive the shutdown checkpoint in time',
    ja: 'スタンバイが時間内にシャットダウンチェックポイントを受信しませんでした',
  },
  'switchover.promote_failed': { en: 'promote failed: {summary}', ja: '昇格に失敗しました：{summary}' },
  'switchover.promote_failed_signalled': {
    en: 'promote failed after the primary stopped ({summary}); the promotion was signalled, so the old primary is NOT restarted (that could make two primaries): check {standby}, then start {pgdata} as its standby',
    ja: 'プライマリ停止後に昇格が失敗しました（{summary}）。昇格は通知済みのため旧プライマリは再起動しません（プライマリが2つになり得ます）：{standby} を確認してから {pgdata} をそのスタンバイとして起動してください',
  },
  'switchover.not_restarted': {
    en: 'old primary not restarted as standby: {summary}',
    ja: '旧プライマリをスタンバイとして再起動できませんでした：{summary}',
  },
  'switchover.done': {
    en: 'switched over: {standby} is primary (timeline {timeline}), {pgdata} streams from it',
    ja: 'スイッチオーバー完了：{standby} がプライマリ（タイムライン {timeline}）、{pgdata} はそこからストリーミング中',
  },
  'switchover.rolled_back': {
    en: '{why}; rolled back: {how}; standby NOT promoted',
    ja: '{why}。ロールバック：{how}。スタンバイは昇格していません',
  },
  'switchover.rolled_back_ok': {
    en: 'the old primary {pgdata} runs as primary again',
    ja: '旧プライマリ {pgdata} は再びプライマリとして稼働中',
  },
  'switchover.rolled_back_failed': {
    en: 'restarting the old primary FAILED ({summary})',
    ja: '旧プライマリの再起動に失敗しました（{summary}）',
  },
  'switchover.stop_late': {
    en: 'the primary did not stop cleanly in time ({detail}); switchover aborted, standby NOT promoted, no immediate stop; it is still shutting down: start it again with `pgsr start --as primary` once it has stopped',
    ja: 'プライマリが時間内に正常停止しませんでした（{detail}）。スイッチオーバーを中止し、スタンバイは昇格せず、immediate 停止もしていません。まだ停止処理中です：停止後に `pgsr start --as primary` で再起動してください',
  },
  'switchover.stop_unclean': {
    en: 'the primary did not stop cleanly in time ({detail}) and then ended as "{state}"; standby NOT promoted; not restarted automatically: check it, then `pgsr start --as primary`',
    ja: 'プライマリが時間内に正常停止せず（{detail}）、その後 "{state}" で終わりました。スタンバイは昇格せず、自動再起動もしていません：確認してから `pgsr start --as primary` を実行してください',
  },
  'switchover.stop_slow': {
    en: 'the primary did not stop cleanly in time ({detail})',
    ja: 'プライマリが時間内に正常停止しませんでした（{detail}）',
  },
  'word.unreadable': { en: 'unreadable', ja: '読み取り不可' },

  'stop.not_data_dir': {
    en: '{pgdata} is not a PostgreSQL data directory',
    ja: '{pgdata} は PostgreSQL のデータディレクトリではありません',
  },
  'stop.orphans_killed': {
    en: 'stopped: the postmaster was already dead; its orphaned backends were killed',
    ja: '停止しました：postmaster はすでに停止しており、残っていたバックエンドを終了させました',
  },
  'stop.already': { en: 'already stopped{stale}', ja: 'すでに停止しています{stale}' },
  'stop.stale_pid': {
    en: '; stale postmaster.pid (pid {pid}) left for PostgreSQL to discard at the next start',
    ja: '（古い postmaster.pid（pid {pid}）は次回起動時に PostgreSQL が破棄します）',
  },
  'stop.planned': { en: 'would stop the server', ja: 'サーバを停止します（予定）' },
  'stop.fast_not_finished': {
    en: 'fast shutdown did not finish within {seconds} s (not escalated to immediate)',
    ja: 'fast シャットダウンが {seconds} s 以内に終わりませんでした（immediate には切り替えていません）',
  },
  'stop.clean': { en: 'stopped (fast, clean shutdown)', ja: '停止しました（fast、正常停止）' },
  'stop.immediate': {
    en: 'stopped (immediate after fast did not finish: crash recovery at next start)',
    ja: '停止しました（fast が終わらず immediate：次回起動時にクラッシュリカバリ）',
  },

  'unlock.planned': { en: 'would remove {file}', ja: '{file} を削除します（予定）' },
  'unlock.done': { en: 'primary lock removed', ja: 'プライマリロックを削除しました' },
  'unlock.already': { en: 'no primary lock', ja: 'プライマリロックはありません' },

  'archive.standby': {
    en: 'the server is a standby: archive hold/resume/status run on the primary',
    ja: 'サーバはスタンバイです：archive hold/resume/status はプライマリで実行します',
  },
  'archive.status': {
    en: '{state}{mode}, {ready} .ready files, archived {archived}, failed {failed}{last}',
    ja: '{state}{mode}、.ready ファイル {ready} 個、アーカイブ済み {archived}、失敗 {failed}{last}',
  },
  'archive.held': {
    en: 'HELD (the previous archive_command is kept)',
    ja: 'HELD（保留中。以前の archive_command は保存済み）',
  },
  'archive.held_unreadable': {
    en: 'HELD (the previous archive_command is kept but unreadable)',
    ja: 'HELD（保留中。以前の archive_command は保存済みですが読み取れません）',
  },
  'archive.active': { en: 'active', ja: '稼働中' },
  'archive.active_empty': { en: 'active (archive_command empty)', ja: '稼働中（archive_command が空）' },
  'archive.mode_off': { en: ' (archive_mode off)', ja: '（archive_mode off）' },
  'archive.last_failed': { en: ' (last failed {wal})', ja: '（最後の失敗 {wal}）' },
  'archive.already_held': {
    en: 'already held (the previous archive_command is kept)',
    ja: 'すでに保留中です（以前の archive_command は保存済み）',
  },
  'archive.hold_planned': { en: 'would hold archiving', ja: 'アーカイブを保留します（予定）' },
  'archive.hold_done': {
    en: 'archiving held (archive_command is a no-op; the previous value is kept in its comment)',
    ja: 'アーカイブを保留しました（archive_command は何もしないコマンド。以前の値はコメントに保存）',
  },
  'archive.not_held': { en: 'not held', ja: '保留されていません' },
  'archive.prev_unreadable': {
    en: 'archive_command is held but the previous value in its comment is unreadable: set it by hand',
    ja: 'archive_command は保留中ですがコメント内の以前の値が読み取れません：手動で設定してください',
  },
  'archive.resume_planned': {
    en: 'would restore the previous archive_command',
    ja: '以前の archive_command に戻します（予定）',
  },
  'archive.resume_done': {
    en: 'archiving resumed (the previous archive_command restored)',
    ja: 'アーカイブを再開しました（以前の archive_command に復元）',
  },
  'archive.cannot_run': { en: 'cannot run on {where}: {detail}', ja: '{where} で実行できません：{detail}' },

  'rebuild.source_checkpoint_failed': {
    en: "pg_rewind skipped: the source's checkpoint timeline could not be checked or brought current ({detail}); a freshly promoted source must finish its checkpoint first",
    ja: 'pg_rewind を省略：ソースのチェックポイントのタイムラインを確認または更新できませんでした（{detail}）。昇格直後のソースはチェックポイントの完了が必要です',
  },
  'rebuild.source_checkpoint_behind': {
    en: "pg_rewind skipped: the source's checkpoint is still on an older timeline ({timelines}) after CHECKPOINT",
    ja: 'pg_rewind を省略：CHECKPOINT 後もソースのチェックポイントが古いタイムラインのままです（{timelines}）',
  },
  'rebuild.from_required': {
    en: '--from CONNINFO (the current primary) is required',
    ja: '--from CONNINFO（現在のプライマリ）が必要です',
  },
  'rebuild.source_unreachable': {
    en: 'cannot reach the source {where}: {detail}',
    ja: 'コピー元 {where} に到達できません：{detail}',
  },
  'rebuild.source_standby': {
    en: 'the source {where} is a standby, not a primary',
    ja: 'コピー元 {where} はプライマリではなくスタンバイです',
  },
  'rebuild.major_differs': {
    en: 'the source runs PostgreSQL {source}, this data directory is {local}',
    ja: 'コピー元は PostgreSQL {source}、このデータディレクトリは {local} です',
  },
  'rebuild.position': { en: 'timeline {timeline}, WAL at {lsn}', ja: 'タイムライン {timeline}、WAL 位置 {lsn}' },
  'rebuild.position_unreadable': { en: 'position unreadable', ja: '位置を読み取れません' },
  'rebuild.running_primary': {
    en: 'this node is a running primary ({mine}); the source {where} is at {theirs}: rebuilding would stop it and discard whatever it wrote that the source does not have; stop it first, or --force',
    ja: 'このノードは稼働中のプライマリです（{mine}）。コピー元 {where} は {theirs}：再構築するとこのノードを停止し、コピー元にない書き込みを破棄します。先に停止するか --force を指定してください',
  },
  'rebuild.already': { en: 'already a streaming standby', ja: 'すでにストリーミング中のスタンバイです' },
  'rebuild.no_basebackup': { en: 'no pg_basebackup found', ja: 'pg_basebackup が見つかりません' },
  'rebuild.basebackup_major': {
    en: 'pg_basebackup {have} ({path}) cannot copy PostgreSQL {source}',
    ja: 'pg_basebackup {have}（{path}）では PostgreSQL {source} をコピーできません',
  },
  'rebuild.install_tools': {
    en: '{why}: install the PostgreSQL {source} client tools or give --bindir',
    ja: '{why}：PostgreSQL {source} のクライアントツールをインストールするか --bindir を指定してください',
  },
  'rebuild.planned': {
    en: 'would rebuild from {where} ({methods})',
    ja: '{where} から再構築します（予定。{methods}）',
  },
  'rebuild.then': { en: ', then ', ja: '、次に ' },
  'rebuild.stop_failed': {
    en: 'could not stop the local server: {summary}',
    ja: 'ローカルサーバを停止できませんでした：{summary}',
  },
  'rebuild.mount_point': {
    en: '{pgdata} is a mount point: the old data cannot be moved aside (give --discard-old to replace it)',
    ja: '{pgdata} はマウントポイントです：古いデータを退避できません（置き換えるには --discard-old を指定してください）',
  },
  'rebuild.tablespace_in_way': {
    en: "tablespace {name}: {dir} is in use on this host (not this data directory's): give --tablespace-mapping {dir}=NEWDIR with an empty or new directory",
    ja: 'テーブル空間 {name}：{dir} はこのホストで使用中です（このデータディレクトリのものではありません）。空または新しいディレクトリで --tablespace-mapping {dir}=NEWDIR を指定してください',
  },
  'rebuild.tablespace_own_in_way': {
    en: "tablespace {name}: {dir} holds this node's old copy of it: give --discard-old to replace it, or map the tablespace to an empty or new directory (--tablespace-mapping)",
    ja: 'テーブル空間 {name}：{dir} にこのノードの古いコピーがあります。置き換えるには --discard-old を、または空か新しいディレクトリへのマップ（--tablespace-mapping）を指定してください',
  },
  'rebuild.tablespace_target_busy': {
    en: 'tablespace {name}: the mapped directory {dir} is not empty: give an empty or new directory',
    ja: 'テーブル空間 {name}：マップ先 {dir} が空ではありません。空または新しいディレクトリを指定してください',
  },
  'rebuild.tablespace_no_such': {
    en: '--tablespace-mapping {dir}: the source has no tablespace there (its tablespaces: {have})',
    ja: '--tablespace-mapping {dir}：コピー元のその場所にテーブル空間はありません（コピー元のテーブル空間：{have}）',
  },
  'rebuild.failed': { en: 'rebuild failed: {steps}', ja: '再構築に失敗しました：{steps}' },
  'rebuild.done': {
    en: 'rebuilt by {method} from {where}; streaming{kept}',
    ja: '{where} から {method} で再構築しました。ストリーミング中{kept}',
  },
  'rebuild.kept': { en: '; old data kept in {dir}', ja: '（古いデータは {dir} に保存）' },

  'steps.waiting_for': { en: 'waiting for {what}', ja: '{what} を待っています' },
  'steps.waiting_bound': { en: 'at most {seconds} s more', ja: '残り最大 {seconds} s' },
  'steps.start_waiting': {
    en: 'pg_ctl start: waiting for the server to accept connections',
    ja: 'pg_ctl start：サーバが接続を受け付けるのを待っています',
  },
  'steps.start_waiting_log': { en: 'server log: {line}', ja: 'サーバログ：{line}' },
  'steps.pgdata_required': { en: '--pgdata (or PGDATA) is required', ja: '--pgdata（または PGDATA）が必要です' },
  'steps.no_parent': {
    en: 'the parent directory of {pgdata} does not exist',
    ja: '{pgdata} の親ディレクトリがありません',
  },
  'steps.no_config_file': {
    en: 'the configuration directory {dir} has no postgresql.conf (--config-dir: where postgresql.conf, pg_hba.conf and pg_ident.conf are)',
    ja: '設定ディレクトリ {dir} に postgresql.conf がありません（--config-dir には postgresql.conf、pg_hba.conf、pg_ident.conf のあるディレクトリを指定します）',
  },
  'steps.no_binaries': {
    en: 'no pg_ctl/postgres in {bindir} (set --bindir to the PostgreSQL {major} bin directory)',
    ja: '{bindir} に pg_ctl/postgres がありません（--bindir に PostgreSQL {major} の bin ディレクトリを指定してください）',
  },
  'steps.start_failed': { en: 'pg_ctl start failed ({line}){log}', ja: 'pg_ctl start が失敗しました（{line}）{log}' },
  'steps.server_log': { en: '; server log: {tail}', ja: '。サーバログ：{tail}' },
  'steps.timed_out_waiting': { en: 'timed out waiting for {what}', ja: '{what}を待つ間にタイムアウトしました' },
  'wait.reload': { en: 'the configuration reload', ja: '設定の再読み込み' },
  'wait.end_of_recovery': { en: 'the end of recovery', ja: 'リカバリの終了' },
  'wait.orphans': { en: 'the orphaned backends to exit', ja: '残ったバックエンドの終了' },
  'wait.shutdown_checkpoint': {
    en: 'the shutdown checkpoint on the standby',
    ja: 'スタンバイでのシャットダウンチェックポイント受信',
  },
  'wait.old_primary_stop': { en: 'the old primary to finish its shutdown', ja: '旧プライマリの停止完了' },
  'wait.last_failure': { en: "the walreceiver's last failure: {reason}", ja: 'walreceiver の直近の失敗：{reason}' },
  'wait.no_failure_yet': {
    en: 'no walreceiver failure in the server log yet',
    ja: 'サーバログに walreceiver の失敗はまだありません',
  },
  'wait.streaming': { en: 'streaming', ja: 'ストリーミング開始' },
  'rebuild.passfile_present': {
    en: "the OS user's password file has an entry for the upstream already",
    ja: 'OS ユーザーのパスワードファイルに上流サーバーの行がすでにあります',
  },
  'wait.walreceiver_failing': {
    en: 'the standby cannot stream: its walreceiver failed {count} times in a row: {reason}; {fix}',
    ja: 'スタンバイがストリーミングできません：walreceiver が {count} 回続けて失敗しました：{reason}。{fix}',
  },
  'wait.fix_connect': {
    en: "fix: give the OS user {user} a password file entry for the upstream (~{user}/.pgpass, mode 0600, or passfile= in primary_conninfo) and check the upstream's pg_hba.conf for a replication line",
    ja: '対処：OS ユーザー {user} に上流サーバー用のパスワードファイルの行を用意し（~{user}/.pgpass、モード 0600、または primary_conninfo の passfile=）、上流の pg_hba.conf に replication の行があるか確認してください',
  },
  'wait.fix_identity': {
    en: 'fix: this data directory cannot follow that upstream (another cluster, or a timeline it never had): rebuild it from the primary (pgsr rebuild)',
    ja: '対処：このデータディレクトリはその上流に追従できません（別クラスタ、または持たないタイムライン）：プライマリから再構築してください（pgsr rebuild）',
  },
  'sync.not_emptied': {
    en: 'synchronous_standby_names not emptied: {detail}',
    ja: 'synchronous_standby_names を空にできませんでした：{detail}',
  },
} as const;
