/**
 * Messages of the probes (pgsr's own failure texts; the server's and the OS's messages are passed
 * through as they come), the renderings (text, action lines, CLUSTERPRO alerts) and the host I/O.
 */
export const HOST_MESSAGES = {
  'probe.no_answer_connecting': {
    en: 'no answer within {seconds}s while connecting',
    ja: '接続中に {seconds}s 以内の応答がありません',
  },
  'probe.no_answer_querying': {
    en: 'no answer within {seconds}s while querying',
    ja: '問い合わせ中に {seconds}s 以内の応答がありません',
  },
  'probe.unknown_error': { en: 'unknown error', ja: '不明なエラー' },
  'probe.tls_timeout': {
    en: 'TLS handshake with {where} timed out',
    ja: '{where} との TLS ハンドシェイクがタイムアウトしました',
  },
  'probe.closed_before_answer': {
    en: 'the server at {where} closed the connection before answering',
    ja: '{where} のサーバが応答前に接続を閉じました',
  },
  'probe.no_password': {
    en: 'the server asks for a password for user "{user}" and none was found (searched {where}{notes})',
    ja: 'サーバがユーザ「{user}」のパスワードを要求していますが見つかりません（検索先 {where}{notes}）',
  },
  'probe.no_password_file': { en: 'no password file', ja: 'パスワードファイルなし' },
  'probe.pgpass_not_file': {
    en: '{file} is not a plain file; ignored',
    ja: '{file} は通常ファイルではないため無視しました',
  },
  'probe.pgpass_mode': {
    en: '{file} has group or world access (permissions should be 0600); ignored',
    ja: '{file} はグループまたは他者がアクセスできるため無視しました（権限は 0600 にしてください）',
  },
  'probe.frozen': {
    en: 'accepted the connection but did not answer within {ms} ms (postmaster frozen or hung)',
    ja: '接続は受け付けましたが {ms} ms 以内に応答がありません（postmaster の停止またはハング）',
  },
  'probe.no_tcp_answer': {
    en: 'no answer to a TCP connection within {ms} ms',
    ja: 'TCP 接続に {ms} ms 以内の応答がありません',
  },
  'probe.answered': { en: 'the postmaster answered', ja: 'postmaster が応答しました' },
  'probe.answered_reset': {
    en: 'the postmaster answered (connection reset after the request)',
    ja: 'postmaster が応答しました（要求後に接続リセット）',
  },
  'probe.conn_refused': {
    en: 'connection refused ({code}): no PostgreSQL listening',
    ja: '接続拒否（{code}）：PostgreSQL が待ち受けていません',
  },
  'probe.too_old': {
    en: 'PostgreSQL {version} is older than 10, which pgsr does not support',
    ja: 'PostgreSQL {version} は 10 より古く、pgsr はサポートしていません',
  },
  'probe.too_new': {
    en: 'PostgreSQL {version} is newer than the newest major pgsr knows ({newest})',
    ja: 'PostgreSQL {version} は pgsr が知る最新メジャー（{newest}）より新しいバージョンです',
  },

  'status.not_connected': { en: 'not connected', ja: '未接続' },
  'status.stopped_replay': { en: 'stopped replay', ja: 'リプレイ停止中' },
  'status.two_primaries': {
    en: 'TWO PRIMARIES: {names} all accept writes (split brain): stop all but one, then rebuild the others from it',
    ja: 'プライマリが 2 台以上あります：{names} がすべて書き込みを受け付けています（スプリットブレイン）。1 台を残して停止し、他はそこから再構築してください',
  },
  'status.no_primary': { en: 'no node answers as a primary', ja: 'プライマリとして応答するノードがありません' },
  'status.header': {
    en: 'node|host:port|role|state|upstream|TL|LSN|lag|sync|health',
    ja: 'ノード|ホスト:ポート|ロール|状態|上流|TL|LSN|遅延|同期|状態判定',
  },
  'status.no_nodes': {
    en: 'no node to ask: give --node NAME=CONNINFO (repeatable) or node.NAME = conninfo lines in the config file',
    ja: '問い合わせるノードがありません：--node 名前=接続文字列（複数可）か、設定ファイルの node.名前 = 接続文字列 を指定してください',
  },
  'status.bad_pgpool': {
    en: "--pgpool '{value}' is not HOST:PORT (Pgpool-II's address, e.g. 10.0.0.10:9999)",
    ja: "--pgpool '{value}' は ホスト:ポート ではありません（Pgpool-II のアドレス、例 10.0.0.10:9999）",
  },
  'status.pgpool_failed': {
    en: 'Pgpool-II at {where} could not be asked for its backends (SHOW POOL_NODES): {detail}',
    ja: 'Pgpool-II（{where}）にバックエンドを問い合わせられません（SHOW POOL_NODES）：{detail}',
  },
  'status.bad_node': {
    en: "node name '{name}' is empty or given twice (--node NAME=CONNINFO)",
    ja: "ノード名 '{name}' が空か重複しています（--node 名前=接続文字列）",
  },
  'status.bad_watch': {
    en: '--watch {value}: seconds from 0.5 to 3600',
    ja: '--watch {value}: 0.5 から 3600 までの秒数',
  },
  'text.exit': { en: 'exit code {code}, {ms} ms', ja: '終了コード {code}、{ms} ms' },
  'action.also': { en: '  also: {reason}', ja: '  他の理由: {reason}' },
  'action.warning': { en: '  warning: {warning}', ja: '  警告: {warning}' },
  'outcome.done': { en: 'done', ja: '完了' },
  'outcome.already': { en: 'already', ja: '実施済み' },
  'outcome.planned': { en: 'planned', ja: '予定' },
  'outcome.refused': { en: 'refused', ja: '拒否' },
  'outcome.failed': { en: 'failed', ja: '失敗' },
  'outcome.partial': { en: 'partial', ja: '一部失敗' },
  'alert.action_done_warning': {
    en: 'pgsr {action} done with a warning: {warnings}; {summary}',
    ja: 'pgsr {action} 完了（警告あり）：{warnings}。{summary}',
  },
  'alert.action_partial': {
    en: 'pgsr {action} PARTIAL: {summary}',
    ja: 'pgsr {action} PARTIAL（一部失敗）：{summary}',
  },
  'alert.action_done': { en: 'pgsr {action} done: {summary}', ja: 'pgsr {action} 完了：{summary}' },
  'alert.action_failed': { en: 'pgsr {action} FAILED: {summary}', ja: 'pgsr {action} FAILED（失敗）：{summary}' },
  'alert.action_refused': { en: 'pgsr {action} REFUSED: {summary}', ja: 'pgsr {action} REFUSED（拒否）：{summary}' },
  'alert.head': { en: 'pgsr {role} {where}', ja: 'pgsr {role} {where}' },
  'alert.recovered': { en: '{head} recovered: {summary}', ja: '{head} 復旧：{summary}' },
  'alert.problem': { en: '{head} {severity}: {summary}', ja: '{head} {severity}：{summary}' },
  'alert.sync_switch': { en: 'pgsr primary {target} {line}', ja: 'pgsr プライマリ {target} {line}' },
  'alert.no_clplogcmd': {
    en: 'alert not sent: clplogcmd not found (PATH, /usr/sbin/clplogcmd; set --clplogcmd)',
    ja: 'アラート未送信：clplogcmd が見つかりません（PATH、/usr/sbin/clplogcmd。--clplogcmd で指定してください）',
  },
  'alert.timed_out': {
    en: 'alert not sent: {command} did not finish within {seconds}s',
    ja: 'アラート未送信：{command} が {seconds}s 以内に終了しませんでした',
  },
  'alert.failed': { en: 'alert not sent: {command} {why}', ja: 'アラート未送信：{command} {why}' },
  'alert.not_found': { en: 'not found', ja: 'が見つかりません' },
  'alert.not_executable': { en: 'not executable', ja: 'が実行できません' },
  'alert.exit': { en: 'exit {code}', ja: 'が終了コード {code} で失敗' },
  'alert.sent': {
    en: 'alert sent: id={id} level={level} ({reason})',
    ja: 'アラート送信：id={id} level={level}（{reason}）',
  },

  'main.usage_error': { en: 'usage error: {detail}', ja: '使用法の誤り：{detail}' },
  'main.config_error': { en: 'configuration error: {detail}', ja: '設定エラー：{detail}' },
  'main.internal_error': { en: 'internal error: {detail}', ja: '内部エラー：{detail}' },
  'main.bad_lang': {
    en: "--lang: '{value}' is not one of en, ja",
    ja: "--lang: '{value}' は en、ja のいずれでもありません",
  },
  'usage.unknown_option': { en: "unknown option '{option}'", ja: "不明なオプション '{option}'" },
  'usage.missing_argument': { en: "missing required argument '{name}'", ja: "必須の引数 '{name}' がありません" },
  'usage.option_missing_argument': {
    en: "option '{option}' argument missing",
    ja: "オプション '{option}' に値がありません",
  },
  'usage.unknown_command': { en: "unknown command '{name}'", ja: "不明なコマンド '{name}'" },
  'usage.excess_arguments': { en: 'too many arguments{detail}', ja: '引数が多すぎます{detail}' },
} as const;
