/** Messages of configuration and usage errors (config/, cli/): one line naming the setting and its source. */
export const CONFIG_MESSAGES = {
  'config.bad_lang': { en: "config file {file}: lang: '{value}' is not one of en, ja", ja: "設定ファイル {file}: lang: '{value}' は en、ja のいずれでもありません" },
} as const;
