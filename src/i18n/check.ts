/**
 * Messages of the check: findings, summaries, role words (verdict/). English texts are the ones
 * pgsr always wrote; Japanese ones use the terms of the Japanese PostgreSQL documentation
 * (プライマリ, スタンバイ, WALレシーバ, タイムライン, レプリケーションスロット) and of the Japanese operations documents.
 */
export const CHECK_MESSAGES = {
  'role.primary': { en: 'primary', ja: 'プライマリ' },
  'role.standby': { en: 'standby', ja: 'スタンバイ' },
  'role.server': { en: 'server', ja: 'サーバ' },
  'word.none': { en: 'none', ja: 'なし' },
  'word.ok': { en: 'ok', ja: '正常' },
  'word.findings_separator': { en: '; ', ja: '。' },
  'threshold.crossed': { en: '{what} ({severity} threshold {range})', ja: '{what}（{severity} 閾値 {range}）' },

  'healthy.standby': {
    en: 'streaming from {sender} on timeline {timeline}',
    ja: '{sender} からタイムライン {timeline} でストリーミング中',
  },
  'healthy.primary_one': {
    en: '{count} standby streaming ({standbys})',
    ja: 'スタンバイ {count} 台がストリーミング中（{standbys}）',
  },
  'healthy.primary_other': {
    en: '{count} standbys streaming ({standbys})',
    ja: 'スタンバイ {count} 台がストリーミング中（{standbys}）',
  },

  'finding.role_expected_standby': {
    en: 'expected a standby but the server is a primary (not in recovery): possible split brain',
    ja: 'スタンバイのはずのサーバがプライマリです（リカバリ中ではありません）：スプリットブレインの疑い',
  },
  'finding.role_expected_primary': {
    en: 'expected a primary but the server is a standby (in recovery)',
    ja: 'プライマリのはずのサーバがスタンバイです（リカバリ中）',
  },
  'finding.permission_denied': {
    en: 'permission denied on {where}: {detail} (grant pg_monitor to the monitoring user)',
    ja: '{where} で権限がありません：{detail}（監視ユーザに pg_monitor を付与してください）',
  },
  'finding.query_failed': {
    en: 'query failed on {where}: {detail}',
    ja: '{where} で問い合わせに失敗しました：{detail}',
  },
  'finding.cannot_connect': { en: 'cannot connect to {where}: {detail}', ja: '{where} に接続できません：{detail}' },
  'finding.connection_lost': {
    en: 'lost the connection to {where}: {detail}',
    ja: '{where} との接続が切れました：{detail}',
  },

  'finding.walreceiver_missing': {
    en: 'no walreceiver: the standby is not connected to a primary (replication streaming is not found)',
    ja: 'WALレシーバがありません：スタンバイがプライマリに接続していません（ストリーミングレプリケーションが見つかりません）',
  },
  'finding.walreceiver_hidden': {
    en: 'pg_stat_wal_receiver details are hidden from this user (grant pg_monitor)',
    ja: 'このユーザには pg_stat_wal_receiver の詳細が見えません（pg_monitor を付与してください）',
  },
  'finding.walreceiver_not_streaming': {
    en: 'walreceiver is not streaming (status {status})',
    ja: 'WALレシーバがストリーミングしていません（status {status}）',
  },
  'finding.sender_mismatch': {
    en: 'streaming from {sender}, expected {expected}',
    ja: '{sender} からストリーミングしています（期待値 {expected}）',
  },
  'word.unknown_sender': { en: 'an unknown sender', ja: '不明な送信元' },
  'finding.timeline_mismatch': {
    en: 'standby is on timeline {timeline} but receives timeline {received}: histories diverged, rebuild needed',
    ja: 'スタンバイはタイムライン {timeline} ですがタイムライン {received} を受信しています：履歴が分岐しており再構築が必要です',
  },
  'finding.primary_silence': {
    en: 'no message from the primary for {quantity}',
    ja: 'プライマリから {quantity} メッセージがありません',
  },
  'finding.primary_unreachable': {
    en: 'the walreceiver still says streaming, but the primary {target} has sent nothing for {quantity} and {how}: it may have lost power or be cut off (the walreceiver itself gives up only at wal_receiver_timeout, {timeout})',
    ja: 'プライマリ {target} から {quantity} 何も届かず、{how}：電源断または切り離しの可能性があります（WALレシーバはまだ streaming と表示し、wal_receiver_timeout（{timeout}）まで切断しません）',
  },
  'probe.refused': {
    en: 'refuses connections (no PostgreSQL listening: its postmaster is down)',
    ja: '接続を拒否しています（PostgreSQL が待ち受けていません：postmaster が停止しています）',
  },
  'probe.unreachable': { en: 'cannot be reached ({detail})', ja: '到達できません（{detail}）' },
  'probe.no_answer': { en: 'does not answer ({detail})', ja: '応答しません（{detail}）' },
  'word.timeout_disabled': { en: 'never (disabled)', ja: '無期限（無効）' },
  'finding.replay_paused': {
    en: 'WAL replay is paused (pg_wal_replay_pause)',
    ja: 'WAL の再生が一時停止されています（pg_wal_replay_pause）',
  },
  'finding.replay_lag': { en: 'replay lag {quantity}', ja: '再生遅延 {quantity}' },

  'finding.replication_hidden': {
    en: 'pg_stat_replication details are hidden from this user (grant pg_monitor)',
    ja: 'このユーザには pg_stat_replication の詳細が見えません（pg_monitor を付与してください）',
  },
  'finding.standby_missing': {
    en: 'standby "{name}" is not connected (no pg_stat_replication row)',
    ja: 'スタンバイ「{name}」が接続していません（pg_stat_replication に行がありません）',
  },
  'who.standby': { en: 'standby "{name}"', ja: 'スタンバイ「{name}」' },
  'who.standby_pid': { en: 'standby "{name}" (pid {pid})', ja: 'スタンバイ「{name}」（pid {pid}）' },
  'who.standby_pid_addr': {
    en: 'standby "{name}" (pid {pid}, {addr})',
    ja: 'スタンバイ「{name}」（pid {pid}、{addr}）',
  },
  'finding.standby_catching_up': {
    en: '{who} is catching up, not streaming yet',
    ja: '{who} は追いつき中で、まだストリーミングしていません',
  },
  'finding.standby_catching_up_lag': {
    en: '{who} is catching up, not streaming yet (replay lag {quantity})',
    ja: '{who} は追いつき中で、まだストリーミングしていません（再生遅延 {quantity}）',
  },
  'finding.standby_not_streaming': {
    en: '{who} is {state}, not streaming',
    ja: '{who} は {state} で、ストリーミングしていません',
  },
  'finding.sync_state_mismatch': {
    en: '{who} has sync_state {actual}, expected {expected}',
    ja: '{who} の sync_state が {actual} です（期待値 {expected}）',
  },
  'finding.too_few_standbys_one': {
    en: '{count} streaming standby, at least {min} expected (replication streaming is not found)',
    ja: 'ストリーミング中のスタンバイが {count} 台です（{min} 台以上が必要：ストリーミングレプリケーションが見つかりません）',
  },
  'finding.too_few_standbys_other': {
    en: '{count} streaming standbys, at least {min} expected (replication streaming is not found)',
    ja: 'ストリーミング中のスタンバイが {count} 台です（{min} 台以上が必要：ストリーミングレプリケーションが見つかりません）',
  },
  'finding.standbys_count_one': { en: '{count} streaming standby', ja: 'ストリーミング中のスタンバイ {count} 台' },
  'finding.standbys_count_other': { en: '{count} streaming standbys', ja: 'ストリーミング中のスタンバイ {count} 台' },
  'finding.standby_silent': {
    en: 'standby "{name}"{addr} still shows as streaming but has not replied for {quantity} (a live standby answers within half of wal_sender_timeout, {half} s): it may have lost power or be cut off; the walsender gives up only at wal_sender_timeout',
    ja: 'スタンバイ「{name}」{addr} から {quantity} 応答がありません（streaming のまま。生きているスタンバイは wal_sender_timeout の半分 {half} s 以内に応答します）：電源断または切り離しの可能性があります。walsender は wal_sender_timeout まで切断しません',
  },
  'finding.addr': { en: ' ({addr})', ja: '（{addr}）' },
  'finding.standby_replay_lag': {
    en: 'standby "{name}" replay lag {quantity}',
    ja: 'スタンバイ「{name}」の再生遅延 {quantity}',
  },
  'finding.standby_flush_lag': {
    en: 'standby "{name}" flush lag {quantity}',
    ja: 'スタンバイ「{name}」のフラッシュ遅延 {quantity}',
  },
  'finding.slot_lost': {
    en: 'replication slot "{name}" has lost WAL its standby needs: that standby can never catch up, rebuild it (pgsr rebuild --from this primary) after recreating the slot',
    ja: 'レプリケーションスロット「{name}」はスタンバイが必要とする WAL を失いました：そのスタンバイは追いつけません。スロットを作り直してから再構築してください（このプライマリから pgsr rebuild --from）',
  },
  'finding.slot_unreserved': {
    en: 'replication slot "{name}" no longer reserves the WAL its standby needs (lost at the next checkpoint)',
    ja: 'レプリケーションスロット「{name}」はスタンバイが必要とする WAL を確保していません（次のチェックポイントで失われます）',
  },

  'finding.slot_retained_active': {
    en: 'replication slot "{name}" keeps {quantity} of WAL in pg_wal{safe}',
    ja: 'レプリケーションスロット「{name}」が pg_wal に {quantity} の WAL を保持しています{safe}',
  },
  'finding.slot_retained_inactive': {
    en: 'replication slot "{name}" keeps {quantity} of WAL in pg_wal and no standby uses it{safe}: start its standby, or drop the slot (pg_drop_replication_slot) if it is no longer needed',
    ja: 'レプリケーションスロット「{name}」が pg_wal に {quantity} の WAL を保持しており、使っているスタンバイがありません{safe}：スタンバイを起動するか、不要ならスロットを削除してください（pg_drop_replication_slot）',
  },
  'finding.slot_safe': { en: ' ({quantity} more before it loses WAL)', ja: '（WAL を失うまで残り {quantity}）' },
  'finding.archive_failing': {
    en: 'archive_command is failing: {wal} failed {ago} ago, nothing archived for {since} ({count} failures since the statistics reset); WAL piles up in pg_wal until it succeeds',
    ja: 'archive_command が失敗しています：{ago} 前に {wal} が失敗、{since} アーカイブされていません（統計リセット以降の失敗 {count} 回）。成功するまで pg_wal に WAL がたまります',
  },
  'finding.archive_never': { en: 'an unknown time', ja: '不明な時間' },
  'finding.wal_disk_space': {
    en: "pg_wal's filesystem {path} has {free} free of {total} ({pct} %), below {limit}: when it fills, PostgreSQL stops",
    ja: 'pg_wal のファイルシステム {path} の空きは {total} 中 {free}（{pct} %）で、{limit} を下回っています：満杯になると PostgreSQL は停止します',
  },
  'finding.archive_backlog': {
    en: '{count} WAL segments waiting to be archived',
    ja: 'アーカイブ待ちの WAL セグメント {count} 個',
  },

  'finding.sync_standby_missing': {
    en: "synchronous_standby_names is '{names}' but no synchronous standby is streaming: every commit waits{waiting}{release}",
    ja: "synchronous_standby_names は '{names}' ですが同期スタンバイがストリーミングしていません：すべてのコミットが待たされます{waiting}{release}",
  },
  'finding.sync_waiting_now': { en: ' ({count} waiting now)', ja: '（現在 {count} 件待機中）' },
  'finding.sync_until_release': { en: ' until pgsr releases it', ja: '（pgsr が解除するまで）' },
  'finding.sync_commits_waiting_one': {
    en: '{count} session has waited {quantity} for a synchronous standby (limit {limit} s): it does not acknowledge (gone while its walsender lingers until wal_sender_timeout?)',
    ja: '{count} セッションが同期スタンバイを {quantity} 待っています（上限 {limit} s）：スタンバイが応答しません（walsender が wal_sender_timeout まで残ったまま消えた可能性）',
  },
  'finding.sync_commits_waiting_other': {
    en: '{count} sessions have waited {quantity} for a synchronous standby (limit {limit} s): it does not acknowledge (gone while its walsender lingers until wal_sender_timeout?)',
    ja: '{count} セッションが同期スタンバイを {quantity} 待っています（上限 {limit} s）：スタンバイが応答しません（walsender が wal_sender_timeout まで残ったまま消えた可能性）',
  },
  'finding.sync_commit_local': {
    en: 'rep-mode sync but synchronous_commit = {commit}: commits do not wait for the synchronous standby, so a failover may lose acknowledged ones',
    ja: 'rep-mode sync ですが synchronous_commit = {commit} です：コミットが同期スタンバイを待たないため、フェイルオーバ時に応答済みのコミットが失われることがあります',
  },
  'finding.sync_names_empty': {
    en: 'rep-mode sync but synchronous_standby_names is empty: commits are acknowledged without a standby ({why})',
    ja: 'rep-mode sync ですが synchronous_standby_names が空です：コミットはスタンバイなしで応答されています（{why}）',
  },
  'finding.sync_not_named': {
    en: 'standby {names} streams but is not named yet (pgsr sets it at its next run, or released it after commits waited)',
    ja: 'スタンバイ {names} はストリーミング中ですがまだ指定されていません（pgsr が次回実行時に設定するか、コミット待ちのため解除しました）',
  },
  'finding.sync_none_streams': {
    en: 'no standby streams ({standbys})',
    ja: 'ストリーミング中のスタンバイがありません（{standbys}）',
  },
  'finding.sync_none_connected': { en: 'no standby is connected', ja: '接続しているスタンバイがありません' },

  'pgpool.node': { en: 'node {id} ({host}:{port})', ja: 'ノード {id}（{host}:{port}）' },
  'pgpool.cannot_ask': {
    en: 'cannot ask Pgpool-II {where} (SHOW POOL_NODES): {detail}',
    ja: 'Pgpool-II {where} に問い合わせできません（SHOW POOL_NODES）：{detail}',
  },
  'pgpool.and': { en: ' and ', ja: ' と ' },
  'pgpool.two_primaries': {
    en: '{nodes} are all primaries (split brain)',
    ja: '{nodes} がすべてプライマリです（スプリットブレイン）',
  },
  'pgpool.backend_unreachable': {
    en: 'Pgpool routes to {node} but it does not answer',
    ja: 'Pgpool は {node} に振り分けていますが応答がありません',
  },
  'pgpool.not_primary': {
    en: "Pgpool calls {node} the primary but it is a {role} (pcp_promote_node changes only Pgpool's view): writes through Pgpool fail",
    ja: 'Pgpool は {node} をプライマリとしていますが実際は {role} です（pcp_promote_node は Pgpool の認識だけを変えます）：Pgpool 経由の書き込みは失敗します',
  },
  'pgpool.is_primary': {
    en: '{node} is a primary but Pgpool calls it a {role}',
    ja: '{node} はプライマリですが Pgpool は {role} としています',
  },
  'pgpool.standby_detached': {
    en: '{node} is a healthy streaming standby but Pgpool has it down: attach it (pcp_attach_node -n {id})',
    ja: '{node} は正常にストリーミング中のスタンバイですが Pgpool では down です：アタッチしてください（pcp_attach_node -n {id}）',
  },
  'pgpool.backend_down': { en: '{node} is down in Pgpool ({state})', ja: '{node} は Pgpool で down です（{state}）' },
  'pgpool.not_answering': { en: 'not answering', ja: '応答なし' },
  'pgpool.no_standby': {
    en: 'no streaming standby is in service: the primary serves alone (one more failure and nothing is left)',
    ja: 'ストリーミング中のスタンバイが稼働していません：プライマリ単独で稼働中です（もう一度障害が起きると何も残りません）',
  },
  'pgpool.healthy': {
    en: '{up} of {total} backends in service: {nodes}',
    ja: 'バックエンド {total} 台中 {up} 台が稼働中：{nodes}',
  },
  'pgpool.node_state': { en: 'node {id} {status} {role}', ja: 'ノード {id} {status} {role}' },
} as const;
