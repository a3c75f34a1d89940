/** Messages of configuration and usage errors (config/, cli/): one line naming the setting and its source. */
export const CONFIG_MESSAGES = {
  'config.free_limit': {
    en: "{from}: '{value}' is not a free-space limit (a percentage such as 20%, or an amount such as 5GB)",
    ja: "{from}: '{value}' は空き容量の下限ではありません（20% のような割合か、5GB のような量）",
  },
  'config.unsafe_command_file': {
    en: 'config file {path} (mode {mode}, owner uid {uid}) sets {key}, a command pgsr runs as root: it must be owned by root and writable by root alone (chown root {path}; chmod go-w {path})',
    ja: '設定ファイル {path}（モード {mode}、所有者 uid {uid}）は {key} を設定しています。pgsr が root で実行するコマンドのため、root が所有し root だけが書き込めるファイルにしてください（chown root {path}; chmod go-w {path}）',
  },
  'config.bad_max_rate': {
    en: "{from}: '{value}' is not a transfer rate pg_basebackup takes (kB/s, suffix k or M, 32k to 1024M, e.g. 100M)",
    ja: "{from}: '{value}' は pg_basebackup の転送レートではありません（kB/s、接尾辞 k または M、32k〜1024M、例 100M）",
  },
  'config.bad_lang': {
    en: "config file {file}: lang: '{value}' is not one of en, ja",
    ja: "設定ファイル {file}: lang: '{value}' は en、ja のいずれでもありません",
  },
  'config.not_text': { en: '{source}: not a text file', ja: '{source}: テキストファイルではありません' },
  'config.expected_key_value': {
    en: '{where}: expected "key = value"',
    ja: '{where}: "key = value" の形式ではありません',
  },
  'config.unknown_setting': { en: '{where}: unknown setting "{key}"', ja: '{where}: 不明な設定 "{key}"' },
  'config.unterminated_quote': { en: '{where}: unterminated quoted value', ja: '{where}: 引用符が閉じていません' },
  'config.cannot_read': { en: 'cannot read config file {path}: {why}', ja: '設定ファイル {path} を読めません：{why}' },
  'config.no_such_file': { en: 'no such file', ja: 'ファイルがありません' },
  'config.permission_denied': { en: 'permission denied', ja: '権限がありません' },
  'config.is_directory': { en: 'is a directory', ja: 'ディレクトリです' },
  'config.unreadable': { en: 'unreadable', ja: '読み取れません' },
  'config.line': { en: '{source} line {line}', ja: '{source} {line} 行目' },
  'config.file': { en: 'config file {path}', ja: '設定ファイル {path}' },
  'config.file_plain': { en: 'config file', ja: '設定ファイル' },
  'config.command_line': { en: 'command line', ja: 'コマンドライン' },
  'config.environment': { en: 'environment', ja: '環境変数' },
  'config.keepalives': {
    en: "keepalives: '{value}' must be 0 or 1",
    ja: "keepalives: '{value}' は 0 か 1 にしてください",
  },
  'config.secret_in_conninfo': {
    en: 'a {what} is not accepted in a connection string: use ~/.pgpass, PGPASSFILE or PGPASSWORD',
    ja: '接続文字列に{what}は指定できません：~/.pgpass、PGPASSFILE、PGPASSWORD を使ってください',
  },
  'config.password_word': { en: 'password', ja: 'パスワード' },
  'config.secret_word': { en: 'secret ({key})', ja: '秘密情報（{key}）' },
  'config.invalid_option': { en: 'invalid connection option "{key}"', ja: '不正な接続オプション "{key}"' },
  'config.malformed_at': {
    en: 'malformed connection string at position {position}',
    ja: '接続文字列の {position} 文字目が不正です',
  },
  'config.missing_equals': {
    en: 'missing "=" after "{key}" in connection string',
    ja: '接続文字列の "{key}" の後に "=" がありません',
  },
  'config.unterminated_conninfo': {
    en: 'unterminated quoted string in connection string',
    ja: '接続文字列の引用符が閉じていません',
  },
  'config.several_hosts': {
    en: 'a connection URI with several hosts is not supported',
    ja: '複数ホストの接続 URI はサポートしていません',
  },
  'config.malformed_uri': { en: 'malformed connection URI', ja: '接続 URI が不正です' },
  'config.password_in_uri': {
    en: 'a password is not accepted in a connection URI: use ~/.pgpass, PGPASSFILE or PGPASSWORD',
    ja: '接続 URI にパスワードは指定できません：~/.pgpass、PGPASSFILE、PGPASSWORD を使ってください',
  },
  'config.not_for_own_connection': {
    en: 'connection option "{key}" is valid for libpq, but pgsr\'s own connection (node-postgres) cannot honour it; leave it out here (it is fine in --primary-conninfo, which the server\'s libpq reads)',
    ja: '接続オプション "{key}" は libpq では有効ですが、pgsr 自身の接続（node-postgres）では扱えません：ここでは外してください（サーバの libpq が読む --primary-conninfo では問題ありません）',
  },
  'config.bad_os_user': {
    en: "--os-user: '{user}' is not a valid user name",
    ja: "--os-user: '{user}' は正しいユーザ名ではありません",
  },
  'config.timeout_range': {
    en: '{from}: timeout must be between 1 and 3600 seconds',
    ja: '{from}: タイムアウトは 1 から 3600 秒の間にしてください',
  },
  'config.unknown_metric': {
    en: '{from}: {level}: unknown metric "{name}" (one of {names})',
    ja: '{from}: {level}: 不明なメトリクス "{name}"（{names} のいずれか）',
  },
  'config.timeout_state': {
    en: "{from}: timeout state '{state}' is not one of OK, WARNING, CRITICAL, UNKNOWN",
    ja: "{from}: タイムアウト時の状態 '{state}' は OK、WARNING、CRITICAL、UNKNOWN のいずれでもありません",
  },
  'config.not_one_of': {
    en: "{from}: '{value}' is not one of {allowed}",
    ja: "{from}: '{value}' は {allowed} のいずれでもありません",
  },
  'config.not_port': {
    en: "{from}: '{value}' is not a port number (1-65535)",
    ja: "{from}: '{value}' はポート番号（1-65535）ではありません",
  },
  'config.not_tablespace_mapping': {
    en: "{from}: '{value}' is not OLDDIR=NEWDIR with two absolute paths (an '=' inside a path is written \\=)",
    ja: "{from}: '{value}' は 2 つの絶対パスによる OLDDIR=NEWDIR の形式ではありません（パス中の '=' は \\= と書きます）",
  },
  'config.tablespace_mapped_twice': {
    en: '{from}: the tablespace directory {dir} is mapped twice',
    ja: '{from}: テーブル空間ディレクトリ {dir} が 2 回マップされています',
  },
  'config.not_listen': {
    en: "{from}: '{value}' is not ADDR:PORT (e.g. 127.0.0.1:9630; an address is required)",
    ja: "{from}: '{value}' は ADDR:PORT の形式ではありません（例 127.0.0.1:9630。アドレスは必須）",
  },
  'config.not_whole': {
    en: "{from}: '{value}' is not a whole number >= {min}",
    ja: "{from}: '{value}' は {min} 以上の整数ではありません",
  },
  'config.not_positive': { en: "{from}: '{value}' must be {bound}", ja: "{from}: '{value}' は {bound} にしてください" },
  'config.not_boolean': {
    en: "{from}: '{value}' is not a boolean (on/off)",
    ja: "{from}: '{value}' は真偽値（on/off）ではありません",
  },
  'config.password_flag': {
    en: 'a password is never accepted on the command line: use ~/.pgpass, PGPASSFILE or PGPASSWORD',
    ja: 'コマンドラインでパスワードは受け付けません：~/.pgpass、PGPASSFILE、PGPASSWORD を使ってください',
  },
  'config.two_hosts': {
    en: '-H {hostname} and -h {host} name different hosts: give one',
    ja: '-H {hostname} と -h {host} が別のホストを指しています：どちらか一方にしてください',
  },
  'config.cannot_listen': {
    en: '--metrics-listen {where}: cannot listen ({detail})',
    ja: '--metrics-listen {where}: 待ち受けできません（{detail}）',
  },
  'range.not_number': { en: "'{text}' is not a number", ja: "'{text}' は数値ではありません" },
  'range.unknown_unit': {
    en: "'{text}' has an unknown unit '{unit}' (allowed: {allowed})",
    ja: "'{text}' の単位 '{unit}' は不明です（使える単位：{allowed}）",
  },
  'range.empty': { en: 'empty threshold', ja: '閾値が空です' },
  'range.start_after_end': {
    en: "threshold '{text}': start is greater than end",
    ja: "閾値 '{text}'：開始が終了より大きくなっています",
  },
} as const;
